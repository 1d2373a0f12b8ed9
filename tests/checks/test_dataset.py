"""The committed dataset: valid for frictionless, pandera, load_dataset and an independent checker."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import REPO
from ketamine_claims import __version__, schema
from ketamine_claims.checks.validate import validate_folder
from ketamine_claims.gold.annotations import load_annotations
from ketamine_claims.paths import Paths
from ketamine_claims.tables import parquet_relpath
from ketamine_claims.text.seeds import sha256_hex


def read(root: Path, name: str) -> list[dict]:
    return pq.read_table(root / "dataset" / parquet_relpath(name)).to_pylist()


def test_validator_finds_no_problem_in_the_committed_dataset():
    assert validate_folder(REPO, Paths(REPO), thorough=True) == []


def test_independent_offsets_and_keys_check():
    """Re-checks spans and keys with plain Python, without the project's validator."""
    docs = {d["doc_id"]: d for d in read(REPO, "documents")}
    segments = {s["segment_id"]: s for s in read(REPO, "segments")}
    sentences = {s["sentence_id"]: s for s in read(REPO, "sentences")}
    claims = read(REPO, "claims")
    for table in (segments.values(), sentences.values(), claims):
        for row in table:
            assert docs[row["doc_id"]]["text"][row["start"] : row["end"]] == row["text"]
    for s in sentences.values():
        seg = segments[s["segment_id"]]
        assert seg["start"] <= s["start"] < s["end"] <= seg["end"]
    for c in claims:
        seg, sent = segments[c["segment_id"]], sentences[c["sentence_id"]]
        assert seg["start"] <= c["start"] < c["end"] <= seg["end"]
        assert sent["segment_id"] == c["segment_id"] and sent["start"] <= c["start"] < sent["end"]
    by_doc: dict[str, list[dict]] = {}
    for seg in segments.values():
        by_doc.setdefault(seg["doc_id"], []).append(seg)
    for segs in by_doc.values():
        segs.sort(key=lambda s: s["start"])
        assert all(a["end"] <= b["start"] for a, b in itertools.pairwise(segs))
    refs = {r["ref_id"] for r in read(REPO, "references")}
    claim_ids = {c["claim_id"] for c in claims}
    for link in read(REPO, "claim_evidence"):
        assert link["ref_id"] in refs and link["claim_id"] in claim_ids
    assert len(claim_ids) == len(claims)


def test_every_gold_claim_keeps_its_span_and_evidence():
    """Each annotated claim appears with its quote as text, its labels, and its cited references."""
    claims = {c["claim_id"]: c for c in read(REPO, "claims")}
    evidence: dict[str, set[str]] = {}
    for link in read(REPO, "claim_evidence"):
        evidence.setdefault(link["claim_id"], set()).add(link["ref_id"])
    annotations = load_annotations(REPO / "annotations")
    assert annotations, "no gold annotation files"
    expected_rows = 0
    for doc_id, annotation in annotations.items():
        gold = [c for c in claims.values() if c["doc_id"] == doc_id]
        assert len(gold) == len(annotation.claims)
        expected_rows += len(gold)
        by_quote_condition = {(c["text"], c["condition"]): c for c in gold}
        for entry in annotation.claims:
            row = by_quote_condition[(entry.anchor.quote, entry.condition)]
            assert row["label_source"] == "gold"
            assert (row["verdict"], row["claim_type"], row["hedged"]) == (entry.verdict, entry.claim_type, entry.hedged)
            assert evidence.get(row["claim_id"], set()) == set(entry.refs)


def test_frictionless_validate_passes_on_the_package():
    exe = Path(sys.executable).with_name("frictionless")
    result = subprocess.run([str(exe), "validate", "datapackage.json"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def copy_package(dest: Path) -> Path:
    """A copy of the built package (dataset/, schemas/, datapackage.json) to damage."""
    for name in ("dataset", "schemas"):
        shutil.copytree(REPO / name, dest / name)
    shutil.copyfile(REPO / "datapackage.json", dest / "datapackage.json")
    return dest


def plant(root: Path, table_name: str, column: str, change) -> Path:
    """Rewrite the first value of a column of a built table; return the Parquet path."""
    path = root / "dataset" / parquet_relpath(table_name)
    table = pq.read_table(path)
    values = table.column(column).to_pylist()
    values[0] = change(values[0])
    index = table.schema.get_field_index(column)
    field = table.schema.field(index)
    pq.write_table(table.set_column(index, field, pa.array(values, field.type)), path)
    return path


def test_frictionless_catches_a_planted_foreign_key_error(tmp_path):
    root = copy_package(tmp_path)
    plant(root, "sentences", "segment_id", lambda v: v[:-3] + "999")
    exe = Path(sys.executable).with_name("frictionless")
    result = subprocess.run([str(exe), "validate", "--json", "datapackage.json"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 1
    assert "foreign-key" in result.stdout


def test_project_validator_catches_planted_errors(tmp_path):
    root = copy_package(tmp_path)
    path = plant(root, "claims", "start", lambda v: v + 1)
    problems = validate_folder(root, thorough=False)
    assert any("hash in datapackage.json" in p for p in problems)
    descriptor = json.loads((root / "datapackage.json").read_text())
    descriptor["resources"][schema.TABLES.index("claims")]["hash"] = "sha256:" + sha256_hex(path.read_bytes())
    (root / "datapackage.json").write_text(json.dumps(descriptor))
    problems = validate_folder(root, thorough=False)
    assert any("claims: text != documents.text[start:end]" in p for p in problems)
    assert any("claim_id does not match" in p for p in problems)


@pytest.mark.parametrize("name", schema.TABLES)
def test_load_dataset_offline_with_declared_features(name, tmp_path):
    from datasets import load_dataset

    ds = load_dataset(str(REPO / "dataset"), name, split="train", cache_dir=str(tmp_path))
    declared = {f["name"]: f["dtype"] for f in schema.hf_features(name)}
    assert {k: v.dtype for k, v in ds.features.items()} == declared
    assert ds.num_rows == pq.read_metadata(REPO / "dataset" / parquet_relpath(name)).num_rows > 0


def test_versions_agree_across_package_card_and_datapackage():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert pyproject["tool"]["hatch"]["version"]["path"] == "src/ketamine_claims/__init__.py"
    assert json.loads((REPO / "datapackage.json").read_text())["version"] == __version__
    assert f"Version {__version__}." in (REPO / "dataset" / "README.md").read_text()
    assert re.search(rf"^## \[?{re.escape(__version__)}\]?", (REPO / "CHANGELOG.md").read_text(), re.M)
