"""The build command: atomic, deterministic, and refusing bad input without touching dataset/."""

from __future__ import annotations

import pytest

from conftest import REPO, copy_inputs, run_cli, tree_bytes


def test_committed_dataset_equals_a_fresh_build(fresh_build):
    assert tree_bytes(fresh_build / "dataset") == tree_bytes(REPO / "dataset")
    assert (fresh_build / "datapackage.json").read_bytes() == (REPO / "datapackage.json").read_bytes()


def test_two_builds_in_a_row_are_byte_identical(fresh_build, tmp_path):
    root = copy_inputs(tmp_path)
    assert run_cli("build", root=root).returncode == 0
    first = tree_bytes(root / "dataset")
    assert run_cli("build", root=root).returncode == 0
    assert tree_bytes(root / "dataset") == first == tree_bytes(fresh_build / "dataset")


BAD_SEEDS = [
    (b"", "seed file is empty"),
    (b"\xef\xbb\xbfKetamine\n", "byte order mark"),
    (b"Ketamine\nhelps\x00\n", "NUL byte"),
    (b"Ketamine\n\xff\xfe\n", "not valid UTF-8"),
]


@pytest.mark.parametrize(("data", "message"), BAD_SEEDS)
def test_bad_seed_fails_and_leaves_dataset_untouched(tmp_path, data, message):
    root = copy_inputs(tmp_path, with_dataset=True)
    before = tree_bytes(root)
    (root / "seeds" / "005_00000000000000aa.txt").write_bytes(data)
    result = run_cli("build", root=root)
    assert result.returncode != 0
    assert "005_00000000000000aa.txt" in result.stderr and message in result.stderr
    after = tree_bytes(root)
    after.pop("seeds/005_00000000000000aa.txt")
    assert after == before
    assert not list(root.glob(".build-*"))


def test_malformed_annotation_fails_with_entry_and_leaves_dataset_untouched(tmp_path):
    root = copy_inputs(tmp_path, with_dataset=True)
    before = tree_bytes(root / "dataset")
    target = next(p for p in sorted((root / "annotations").glob("*.yaml")) if p.name != "references.yaml")
    text = target.read_text(encoding="utf-8")
    assert "claim_type: " in text
    target.write_text(text.replace("claim_type: ", "claim_type: miracle_cure_", 1), encoding="utf-8")
    result = run_cli("build", root=root)
    assert result.returncode != 0
    assert target.name in result.stderr and "claims entry 1" in result.stderr and "is not one of" in result.stderr
    assert tree_bytes(root / "dataset") == before


def test_missing_quote_fails_with_file_and_line(tmp_path):
    root = copy_inputs(tmp_path, with_dataset=True)
    target = next(p for p in sorted((root / "annotations").glob("*.yaml")) if p.name != "references.yaml")
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace('- quote: "', '- quote: "NOT IN THE ARTICLE ', 1), encoding="utf-8")
    result = run_cli("build", root=root)
    assert result.returncode != 0
    assert f"{target.name}:" in result.stderr and "quote not found" in result.stderr


def test_new_seed_is_picked_up_without_code_change(tmp_path):
    root = copy_inputs(tmp_path)
    (root / "seeds" / "005_00000000000000aa.txt").write_text(
        "Ketamine Basics\nSponsored\nKetamine can relieve depression within hours. Ask your doctor.\n", encoding="utf-8"
    )
    result = run_cli("build", root=root)
    assert result.returncode == 0, result.stderr
    assert "not in" in result.stderr  # asks for a manifest row
    import pyarrow.parquet as pq

    docs = pq.read_table(root / "dataset/data/documents/train-00000-of-00001.parquet").to_pylist()
    new = next(d for d in docs if d["doc_id"] == "00000000000000aa")
    assert new["label_source"] == "auto" and new["title"] == "Ketamine Basics"
    assert new["n_boilerplate_segments"] == 1 and new["n_claims"] == 1


def test_help_lists_every_command():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("build", "validate", "check-annotations", "view"):
        assert command in result.stdout


def test_card_sections_come_from_committed_results_and_every_placeholder_must_be_filled():
    import jinja2

    from ketamine_claims import __version__, schema
    from ketamine_claims.build import card_sections
    from ketamine_claims.inputs import load_inputs
    from ketamine_claims.paths import Paths
    from ketamine_claims.publish.card import render_card
    from ketamine_claims.tables import parquet_relpath, read_parquet

    tables = {name: read_parquet(REPO / "dataset" / parquet_relpath(name)) for name in schema.TABLES}
    sizes = {name: (REPO / "dataset" / parquet_relpath(name)).stat().st_size for name in schema.TABLES}
    sections = card_sections(load_inputs(Paths(REPO)), Paths(REPO))
    card = render_card(tables, sizes, __version__, sections)
    assert sections["claim_evaluation"] in card and "{{" not in card
    del sections["claim_evaluation"]
    with pytest.raises(jinja2.UndefinedError, match="claim_evaluation"):
        render_card(tables, sizes, __version__, sections)
