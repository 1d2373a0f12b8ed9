"""The release diff: rows added, removed and changed per table, keyed by primary key, and the bump rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa

from conftest import REPO, run_cli
from ketamine_claims import schema
from ketamine_claims.diff import diff_folders, format_diff, required_bump
from ketamine_claims.tables import parquet_relpath, read_parquet, write_parquet


def committed_tables() -> dict[str, pa.Table]:
    return {name: read_parquet(REPO / "dataset" / parquet_relpath(name)) for name in schema.TABLES}


def folder_with(dest: Path, tables: dict[str, pa.Table]) -> Path:
    for name, table in tables.items():
        write_parquet(table, dest / "dataset" / parquet_relpath(name))
    shutil.copytree(REPO / "schemas", dest / "schemas")
    return dest


def set_value(table: pa.Table, row: int, column: str, value) -> pa.Table:
    values = table.column(column).to_pylist()
    values[row] = value
    return table.set_column(
        table.schema.get_field_index(column), table.schema.field(column), pa.array(values, table.schema.field(column).type)
    )


def test_identical_folders_have_no_changes(tmp_path):
    tables = committed_tables()
    diff = diff_folders(folder_with(tmp_path / "a", tables), folder_with(tmp_path / "b", tables))
    assert diff.unchanged and required_bump(diff) == "patch"


def test_corrected_value_is_a_patch_with_the_changed_column(tmp_path):
    old = committed_tables()
    new = dict(old)
    claims = old["claims"]
    row = claims.column("label_source").to_pylist().index("gold")
    new["claims"] = set_value(claims, row, "rationale", "Corrected rationale.")
    diff = diff_folders(folder_with(tmp_path / "a", old), folder_with(tmp_path / "b", new))
    claim_id = claims.column("claim_id")[row].as_py()
    assert diff.tables["claims"].changed == {(claim_id,): ["rationale"]}
    assert not diff.tables["claims"].added and not diff.tables["claims"].removed
    assert required_bump(diff) == "patch"
    assert f"~ {claim_id}: rationale" in format_diff(diff)


def test_added_and_removed_rows_need_a_minor_bump(tmp_path):
    old = committed_tables()
    new = dict(old)
    new["claim_evidence"] = old["claim_evidence"].slice(1)
    extra = {**old["references"].slice(0, 1).to_pylist()[0], "ref_id": "K99"}
    new["references"] = pa.concat_tables([old["references"], pa.Table.from_pylist([extra], schema=old["references"].schema)])
    diff = diff_folders(folder_with(tmp_path / "a", old), folder_with(tmp_path / "b", new))
    first = old["claim_evidence"].slice(0, 1).to_pylist()[0]
    assert diff.tables["claim_evidence"].removed == [(first["claim_id"], first["ref_id"])]
    assert diff.tables["references"].added == [("K99",)]
    assert required_bump(diff) == "minor"


def test_new_labels_need_a_minor_bump(tmp_path):
    old = committed_tables()
    documents = old["documents"]
    other = {"gold": "auto", "auto": "gold"}[documents.column("label_source")[0].as_py()]
    diff = diff_folders(
        folder_with(tmp_path / "a", old),
        folder_with(tmp_path / "b", {**old, "documents": set_value(documents, 0, "label_source", other)}),
    )
    assert diff.tables["documents"].relabelled
    assert required_bump(diff) == "minor"


def test_schema_change_needs_a_major_bump_and_the_cli_prints_it(tmp_path):
    tables = committed_tables()
    old, new = folder_with(tmp_path / "a", tables), folder_with(tmp_path / "b", tables)
    path = new / "schemas" / "references.schema.json"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"description": "', '"description": "Changed: ', 1), encoding="utf-8"
    )
    assert required_bump(diff_folders(old, new)) == "major"
    result = run_cli("diff", str(old), str(new), root=REPO)
    assert result.returncode == 0, result.stderr
    assert "schemas/references.schema.json changed" in result.stdout
    assert "smallest version bump for this change: major" in result.stdout
