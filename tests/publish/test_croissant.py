"""dataset/croissant.json: valid for mlcroissant, derived from schemas/, and its records equal the Parquet rows."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import REPO, copy_inputs, run_cli
from ketamine_claims import schema
from ketamine_claims.tables import parquet_relpath
from ketamine_claims.text.seeds import sha256_hex

CROISSANT = REPO / "dataset" / "croissant.json"
# mlcroissant 1.1.1 and its rdflib use APIs that newer pandas and rdflib deprecate.
pytestmark = [
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated"),
    pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index"),
]


def _mlcroissant_validate(path: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("mlcroissant")
    return subprocess.run([str(exe), "validate", "--jsonld", str(path)], capture_output=True, text=True, timeout=120)


def _records(path: Path, record_set: str) -> list[dict]:
    """Every record of a RecordSet as mlcroissant yields it, with text decoded and the prefix removed."""
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=str(path))  # a fresh Dataset per RecordSet: mlcroissant caches generators
    prefix = f"{record_set}/"
    return [
        {k.removeprefix(prefix): v.decode("utf-8") if isinstance(v, bytes) else v for k, v in record.items()}
        for record in dataset.records(record_set=record_set)
    ]


def _chain(exc: BaseException | None) -> str:
    """Messages of an exception and all its causes."""
    messages = []
    while exc is not None:
        messages.append(f"{type(exc).__name__}: {exc}")
        exc = exc.__cause__ or exc.__context__
    return "\n".join(messages)


def test_mlcroissant_validate_accepts_the_metadata_without_warnings():
    result = _mlcroissant_validate(CROISSANT)
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower().replace("0 error", "")
    assert "warning" not in result.stderr.lower(), result.stderr


def test_mlcroissant_validate_would_report_a_missing_recommended_property(tmp_path):
    """The no-warning check above can fail: without datePublished mlcroissant warns."""
    metadata = json.loads(CROISSANT.read_text(encoding="utf-8"))
    del metadata["datePublished"]
    path = tmp_path / "croissant.json"
    path.write_text(json.dumps(metadata), encoding="utf-8")
    result = _mlcroissant_validate(path)
    assert result.returncode == 0 and "datePublished" in result.stderr and "warning" in result.stderr.lower()


def test_dataset_level_metadata_and_rai_fields_come_from_the_card_and_changelog():
    from ketamine_claims import __version__, about
    from ketamine_claims.publish.citation import changelog_date
    from ketamine_claims.publish.croissant import RAI_SECTIONS, card_section_text, plain

    metadata = json.loads(CROISSANT.read_text(encoding="utf-8"))
    card = (REPO / "dataset" / "README.md").read_text(encoding="utf-8")
    assert metadata["url"] == about.HOMEPAGE and metadata["url"].startswith("https://")
    assert metadata["creator"]["name"] == about.AUTHOR
    assert metadata["datePublished"] == changelog_date(REPO / "CHANGELOG.md", __version__)
    assert f"year    = {{{metadata['datePublished'][:4]}}}" in metadata["citeAs"] and about.HOMEPAGE in metadata["citeAs"]
    for prop in ("rai:dataCollection", "rai:dataAnnotationProtocol", "rai:dataLimitations", "rai:dataBiases",
                 "rai:personalSensitiveInformation", "rai:dataUseCases"):  # fmt: skip
        title, nested = RAI_SECTIONS[prop]
        assert metadata[prop] and metadata[prop] == plain(card_section_text(card, title, nested)), prop


def test_rai_annotation_and_collection_fields_come_from_the_card():
    import datetime

    from ketamine_claims.publish.croissant import (
        ISO_DATE,
        RAI_DATE_SECTIONS,
        RAI_LIST_SECTIONS,
        RAI_SECTIONS,
        bullets,
        card_section_text,
        plain,
    )

    metadata = json.loads(CROISSANT.read_text(encoding="utf-8"))
    card = (REPO / "dataset" / "README.md").read_text(encoding="utf-8")
    for prop in ("rai:dataAnnotationAnalysis", "rai:annotationsPerItem", "rai:dataCollectionRawData"):
        title, nested = RAI_SECTIONS[prop]
        assert metadata[prop] and metadata[prop] == plain(card_section_text(card, title, nested)), prop
    tools = metadata["rai:machineAnnotationTools"]
    assert tools == bullets(card_section_text(card, RAI_LIST_SECTIONS["rai:machineAnnotationTools"], False))
    assert len(tools) >= 2 and all(isinstance(t, str) and "\n" not in t for t in tools)
    frame = metadata["rai:dataCollectionTimeFrame"]
    section = card_section_text(card, RAI_DATE_SECTIONS["rai:dataCollectionTimeFrame"], False)
    assert frame and frame == list(dict.fromkeys(ISO_DATE.findall(section)))
    assert all(datetime.date.fromisoformat(day) for day in frame)


def test_a_card_without_annotation_tools_bullets_is_refused():
    from ketamine_claims.publish.croissant import rai_properties

    card = (REPO / "dataset" / "README.md").read_text(encoding="utf-8")
    start = card.index("### Annotation tools")
    stripped = card[:start] + "### Annotation tools\n\nNone listed.\n\n" + card[card.index("### Annotations per item") :]
    with pytest.raises(ValueError, match="Annotation tools"):
        rai_properties(stripped)


def test_mlcroissant_validate_rejects_a_broken_reference(tmp_path):
    metadata = json.loads(CROISSANT.read_text(encoding="utf-8"))
    metadata["recordSet"][0]["field"][0]["source"]["fileObject"]["@id"] = "no-such-file"
    broken = tmp_path / "croissant.json"
    broken.write_text(json.dumps(metadata), encoding="utf-8")
    assert _mlcroissant_validate(broken).returncode != 0


def test_metadata_follows_the_table_schemas():
    metadata = json.loads(CROISSANT.read_text(encoding="utf-8"))
    assert metadata["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    files = {f["@id"]: f for f in metadata["distribution"]}
    record_sets = {r["@id"]: r for r in metadata["recordSet"]}
    assert list(record_sets) == list(schema.TABLES)
    for name in schema.TABLES:
        fields = record_sets[name]["field"]
        assert [f["name"] for f in fields] == schema.column_names(name)
        key = record_sets[name]["key"]
        assert [k["@id"] for k in (key if isinstance(key, list) else [key])] == [f"{name}/{c}" for c in schema.primary_key(name)]
        expected_refs = {
            f"{name}/{col}": f"{fk['reference']['resource']}/{ref_col}"
            for fk in schema.foreign_keys(name)
            for col, ref_col in zip(fk["fields"], fk["reference"]["fields"], strict=True)
        }
        assert {f["@id"]: f["references"]["field"]["@id"] for f in fields if "references" in f} == expected_refs
        file = files[fields[0]["source"]["fileObject"]["@id"]]
        data = (REPO / "dataset" / file["contentUrl"]).read_bytes()
        assert file["contentUrl"] == parquet_relpath(name)
        assert file["sha256"] == sha256_hex(data) and file["contentSize"] == f"{len(data)} B"


@pytest.mark.parametrize("record_set", schema.TABLES)
def test_records_of_every_record_set_equal_the_parquet_rows(record_set):
    rows = pq.read_table(REPO / "dataset" / parquet_relpath(record_set)).to_pylist()
    assert _records(CROISSANT, record_set) == rows


def _copy_dataset(tmp_path: Path) -> Path:
    folder = tmp_path / "dataset"
    shutil.copytree(REPO / "dataset", folder)
    return folder


def test_loading_records_fails_on_a_wrong_sha256(tmp_path):
    folder = _copy_dataset(tmp_path)
    path = folder / "croissant.json"
    metadata = json.loads(path.read_text(encoding="utf-8"))
    metadata["distribution"][0]["sha256"] = "0" * 64
    path.write_text(json.dumps(metadata), encoding="utf-8")
    with pytest.raises(Exception) as caught:
        _records(path, schema.TABLES[0])
    assert "Hash of downloaded file" in _chain(caught.value)


def test_loading_records_fails_on_a_missing_column(tmp_path):
    folder = _copy_dataset(tmp_path)
    target = folder / parquet_relpath("references")
    pq.write_table(pq.read_table(target).drop_columns(["summary"]), target)
    path = folder / "croissant.json"
    metadata = json.loads(path.read_text(encoding="utf-8"))
    file = next(f for f in metadata["distribution"] if f["contentUrl"] == parquet_relpath("references"))
    file["sha256"] = sha256_hex(target.read_bytes())
    path.write_text(json.dumps(metadata), encoding="utf-8")
    with pytest.raises(Exception) as caught:
        _records(path, "references")
    assert "summary" in _chain(caught.value)


def test_validate_command_catches_a_stale_croissant_file(tmp_path):
    root = copy_inputs(tmp_path, with_dataset=True)
    path = root / "dataset" / "croissant.json"
    metadata = json.loads(path.read_text(encoding="utf-8"))
    metadata["distribution"][2]["sha256"] = "0" * 64
    path.write_text(json.dumps(metadata), encoding="utf-8")
    result = run_cli("validate", "--fast", root=root)
    assert result.returncode == 1
    assert f"FileObject of {schema.TABLES[2]} does not name" in result.stderr
