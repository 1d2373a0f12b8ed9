"""The release diff: rows added, removed and changed per table, keyed by primary key, and the bump rule."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pytest

from conftest import REPO, run_cli
from ketamine_claims import schema
from ketamine_claims.release.diff import diff_folders, format_diff, required_bump
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


def edit_schema(folder: Path, table: str, edit) -> None:
    path = folder / "schemas" / f"{table}.schema.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    edit(descriptor)
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")


def test_schema_change_a_reader_sees_needs_a_major_bump_and_the_cli_prints_it(tmp_path):
    tables = committed_tables()
    old, new = folder_with(tmp_path / "a", tables), folder_with(tmp_path / "b", tables)
    edit_schema(new, "claims", lambda d: d["fields"][7]["constraints"]["enum"].append("other"))  # claim_type gains a value
    diff = diff_folders(old, new)
    assert diff.schema_changes == ["schemas/claims.schema.json changed"] and not diff.schema_metadata_changes
    assert required_bump(diff) == "major"
    result = run_cli("diff", str(old), str(new), root=REPO)
    assert result.returncode == 0, result.stderr
    assert "schemas/claims.schema.json changed" in result.stdout
    assert "smallest version bump for this change: major" in result.stdout


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d.update(description="Changed: " + d["description"]),
        lambda d: d.update(title="Another title"),
        lambda d: d.update(fieldsMatch="equal"),
        lambda d: d.pop("$schema"),
        lambda d: d["fields"][0].update(description="A reworded field description."),
    ],
    ids=["description", "title", "fieldsMatch", "profile", "field-description"],
)
def test_schema_metadata_edit_breaks_no_reader_and_is_not_major(tmp_path, edit):
    tables = committed_tables()
    old, new = folder_with(tmp_path / "a", tables), folder_with(tmp_path / "b", tables)
    edit_schema(new, "references", edit)
    diff = diff_folders(old, new)
    assert diff.schema_changes == []
    assert diff.schema_metadata_changes == [
        "schemas/references.schema.json changed (metadata only: titles, descriptions or profile keys)"
    ]
    assert not diff.unchanged
    assert required_bump(diff) == "patch"


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d["fields"][0].update(type="integer"),
        lambda d: d["fields"][0]["constraints"].update(pattern="^[A-Z]+[0-9]*$"),
        lambda d: d["fields"].append({"name": "extra", "type": "string", "description": "A new column."}),
        lambda d: d["fields"][0].update(name="renamed"),
        lambda d: d.update(primaryKey=["citation"]),
    ],
    ids=["type", "constraint", "field-added", "field-renamed", "primary-key"],
)
def test_schema_edit_a_reader_sees_is_major(tmp_path, edit):
    tables = committed_tables()
    old, new = folder_with(tmp_path / "a", tables), folder_with(tmp_path / "b", tables)
    edit_schema(new, "references", edit)
    assert required_bump(diff_folders(old, new)) == "major"


def test_diff_json_output_is_machine_readable(tmp_path):
    old_tables = committed_tables()
    new_tables = dict(old_tables, claim_evidence=old_tables["claim_evidence"].slice(1))
    old, new = folder_with(tmp_path / "a", old_tables), folder_with(tmp_path / "b", new_tables)
    result = run_cli("diff", "--json", str(old), str(new), root=REPO)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    first = old_tables["claim_evidence"].slice(0, 1).to_pylist()[0]
    assert report["tables"]["claim_evidence"]["removed"] == [[first["claim_id"], first["ref_id"]]]
    assert report["required_bump"] == "minor"
