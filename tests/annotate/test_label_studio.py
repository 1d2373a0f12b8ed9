"""`ketamine-claims annotate`: the labeling config from the schemas, tasks out, annotation files back.

The round trip is checked on every gold article: annotation file → task → (annotation = the prediction) → export →
annotation file builds byte-identical Parquet, and the written form is a fixed point. Bad exports are refused with the
task and region named, and nothing is written. The server round trip is in test_label_studio_server.py.
"""

from __future__ import annotations

import copy
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import REPO, run_cli, tree_bytes
from fault_helpers import minimal_repo
from ketamine_claims import schema
from ketamine_claims.annotate.label_studio import (
    BOILERPLATE,
    CLAIM,
    NO_CONDITION,
    TITLE,
    check_documents,
    export_tasks,
    labeling_config,
    vocabulary,
    yaml_string,
)
from ketamine_claims.build import build_tables
from ketamine_claims.errors import EXIT_INPUT, EXIT_PROBLEMS, InputError
from ketamine_claims.gold.annotations import FLAG_NAMES, load_annotations, load_references
from ketamine_claims.inputs import Inputs, load_inputs
from ketamine_claims.paths import Paths
from ketamine_claims.tables import write_parquet
from ketamine_claims.text.add_article import add_article
from ketamine_claims.text.seeds import load_seeds

REFERENCES = load_references(REPO / "annotations" / "references.yaml")


def annotated(tasks: list[dict], first_id: int = 1) -> list[dict]:
    """Label Studio's export of the tasks when each annotator submitted the prediction unchanged."""
    export = []
    for n, task in enumerate(tasks, start=first_id):
        result = copy.deepcopy(task["predictions"][0]["result"])
        export.append(
            {"id": n, **copy.deepcopy(task), "annotations": [{"id": 1000 + n, "result": result, "was_cancelled": False}]}
        )
    return export


def seed_texts(root: Path) -> dict[str, str]:
    return {s.doc_id: s.text for s in load_seeds(root / "seeds")}


def parquet_bytes(inputs: Inputs, folder: Path) -> dict[str, bytes]:
    tables, _ = build_tables(inputs)
    out = {}
    for name, table in tables.items():
        path = folder / f"{name}.parquet"
        write_parquet(table, path)
        out[name] = path.read_bytes()
    return out


def test_config_offers_exactly_the_schema_labels_and_the_references():
    root = ET.fromstring(labeling_config(vocabulary(REFERENCES)))
    controls = {c.get("name"): [x.get("value") for x in c] for c in root.iter() if c.tag in ("Labels", "Choices")}
    assert controls[BOILERPLATE] == list(schema.enum_values("segments", "boilerplate_kind"))
    assert controls[CLAIM] == list(schema.enum_values("claims", "claim_type"))
    assert controls[TITLE] == [TITLE]
    assert controls["document"] == list(FLAG_NAMES)
    for name in ("intervention", "attribution", "verdict"):
        assert controls[name] == list(schema.enum_values("claims", name))
    assert controls["condition"] == [*schema.enum_values("claims", "condition"), NO_CONDITION]
    assert controls["hedged"] == ["true", "false"]
    assert controls["refs"] == [r["ref_id"] for r in REFERENCES]
    texts = [e.get("name") for e in root.iter("Text")]
    assert texts == ["text"]
    assert {e.get("toName") for e in root.iter() if e.get("toName")} == {"text"}


def test_round_trip_is_exact_on_every_gold_article(tmp_path):
    inputs = load_inputs(Paths(REPO))
    gold = sorted(inputs.annotations)
    assert gold, "no gold article to check"
    tasks = export_tasks(Paths(REPO), gold)
    assert [t["data"]["label_source"] for t in tasks] == ["gold"] * len(gold)
    report = check_documents(tmp_path / "export.json", annotated(tasks), seed_texts(REPO), REFERENCES)
    assert sorted(d.doc_id for d in report.documents) == gold and not report.skipped
    folder = tmp_path / "imported"
    folder.mkdir()
    for doc in report.documents:
        (folder / f"{doc.doc_id}.yaml").write_text(doc.yaml_text, encoding="utf-8")
    reimported = Inputs(inputs.seeds, load_annotations(folder), inputs.references)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert parquet_bytes(inputs, tmp_path / "a") == parquet_bytes(reimported, tmp_path / "b")

    # The normal form is a fixed point: exporting and importing it again gives the same bytes.
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "seeds", repo / "seeds")
    shutil.copytree(REPO / "schemas", repo / "schemas")
    (repo / "annotations").mkdir()
    shutil.copyfile(REPO / "annotations" / "references.yaml", repo / "annotations" / "references.yaml")
    for path in folder.iterdir():
        shutil.copyfile(path, repo / "annotations" / path.name)
    again = check_documents(tmp_path / "export.json", annotated(export_tasks(Paths(repo), gold)), seed_texts(REPO), REFERENCES)
    assert {d.doc_id: d.yaml_text for d in again.documents} == {d.doc_id: d.yaml_text for d in report.documents}


def test_yaml_strings_escape_what_cannot_be_seen():
    assert yaml_string('a "b" \\ c') == '"a \\"b\\" \\\\ c"'
    assert yaml_string("x\u00a0y\u2028z\t") == '"x\\xa0y\\u2028z\\x09"'
    assert yaml_string("café 🙂") == '"café 🙂"'


# --------------------------------------------------------------------------------------------------- bad exports

ARTICLE = (
    "Sponsored\n"
    "Ketamine Infusions 🙂 What Patients Should Know\n"
    "\n"
    "🙂🙂 Ketamine infusions may reduce symptoms of treatment-resistant depression within hours for some patients.\n"
    "Esketamine nasal spray is approved for adults with treatment-resistant depression.\n"
    "Share this article\n"
)
SPAN = "Ketamine infusions may reduce symptoms of treatment-resistant depression within hours"


@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository with one gold article and one new article (with emoji) that has only auto labels."""
    root = minimal_repo(tmp_path / "repo")
    source = tmp_path / "article.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    add_article(root / "seeds", source, url="https://example.org/ketamine-infusions")
    return root


def label_item(rid: str, control: str, value: dict) -> dict:
    return {"id": rid, "from_name": control, "to_name": "text", "type": "labels", "value": value}


def choice_item(rid: str, control: str, value: dict) -> dict:
    return {"id": rid, "from_name": control, "to_name": "text", "type": "choices", "value": value}


def new_article_export(root: Path) -> tuple[list[dict], str]:
    """The exported tasks annotated as an annotator would: the new article gets a verdict for a claim after the emoji."""
    tasks = export_tasks(Paths(root))
    new = next(t for t in tasks if t["data"]["label_source"] == "auto")
    text = new["data"]["text"]
    start = text.index(SPAN)
    end = start + len(SPAN)
    region = {"start": start, "end": end}
    answers = {
        "condition": ["treatment_resistant_depression"],
        "intervention": ["ketamine"],
        "hedged": ["true"],
        "attribution": ["none"],
        "verdict": ["accurate"],
        "refs": ["K7"],
    }
    new["predictions"][0]["result"] = [
        label_item("b000", "boilerplate", {"start": 0, "end": 9, "text": "Sponsored", "labels": ["sponsored_label"]}),
        label_item("new1", "claim_type", {**region, "text": SPAN, "labels": ["onset"]}),
        *(choice_item("new1", name, {**region, "choices": choices}) for name, choices in answers.items()),
        {**choice_item("new1", "rationale", {**region, "text": ["Rapid onset within hours (K7)."]}), "type": "textarea"},
    ]
    gold_first = [t for t in tasks if t is not new] + [new]  # a valid task before the faulty one
    return annotated(gold_first), new["data"]["doc_id"]


def run_import(root: Path, export: list, *extra: str):
    path = root / "export.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    return run_cli("annotate", "import", str(path), *extra, root=root)


def test_a_new_article_with_emoji_imports_with_code_point_offsets_and_builds(repo):
    export, doc_id = new_article_export(repo)
    result = run_import(repo, export)
    assert result.returncode == 0, result.stderr
    written = (repo / "annotations" / f"{doc_id}.yaml").read_text(encoding="utf-8")
    assert f'quote: "{SPAN}"' in written and "kind: sponsored_label" in written
    check = run_cli("check-annotations", root=repo)
    assert check.returncode == 0, check.stderr
    build = run_cli("build", root=repo)
    assert build.returncode == 0, build.stderr
    import pyarrow.parquet as pq

    claims = pq.read_table(next((repo / "dataset").rglob("claims/*.parquet"))).to_pylist()
    mine = [c for c in claims if c["doc_id"] == doc_id]
    assert [(c["text"], c["claim_type"], c["verdict"], c["label_source"]) for c in mine] == [(SPAN, "onset", "accurate", "gold")]


def utf16_shift(export: list, doc_id: str) -> None:
    """Move every region of the document to UTF-16 offsets, as Label Studio's editor has done after emoji."""
    task = next(t for t in export if t["data"]["doc_id"] == doc_id)
    text = task["data"]["text"]
    for item in task["annotations"][0]["result"]:
        value = item["value"]
        if "start" in value:
            value["start"] = len(text[: value["start"]].encode("utf-16-le")) // 2
            value["end"] = len(text[: value["end"]].encode("utf-16-le")) // 2


def break_offsets(export, doc_id):
    utf16_shift(export, doc_id)


def unknown_label(export, doc_id):
    region(export, doc_id, "new1", "claim_type")["value"]["labels"] = ["benefit"]


def missing_verdict(export, doc_id):
    task = next(t for t in export if t["data"]["doc_id"] == doc_id)
    task["annotations"][0]["result"] = [r for r in task["annotations"][0]["result"] if r["from_name"] != "verdict"]


def unknown_reference(export, doc_id):
    region(export, doc_id, "new1", "refs")["value"]["choices"] = ["K99"]


def two_annotations(export, doc_id):
    task = next(t for t in export if t["data"]["doc_id"] == doc_id)
    task["annotations"].append({"id": 7777, "result": copy.deepcopy(task["annotations"][0]["result"])})


def crossing_span(export, doc_id):
    task = next(t for t in export if t["data"]["doc_id"] == doc_id)
    text = task["data"]["text"]
    for item in task["annotations"][0]["result"]:
        if item["id"] == "new1" and item["from_name"] == "claim_type":
            item["value"]["end"] = text.index("approved") + len("approved")
            item["value"]["text"] = text[item["value"]["start"] : item["value"]["end"]]


def labels_on_boilerplate(export, doc_id):
    task = next(t for t in export if t["data"]["doc_id"] == doc_id)
    task["annotations"][0]["result"].append(
        {"id": "b000", "from_name": "verdict", "to_name": "text", "type": "choices", "value": {"choices": ["accurate"]}}
    )


def region(export, doc_id, rid, control):
    task = next(t for t in export if t["data"]["doc_id"] == doc_id)
    return next(r for r in task["annotations"][0]["result"] if r["id"] == rid and r["from_name"] == control)


@pytest.mark.parametrize(
    ("fault", "region_named", "message"),
    [
        (break_offsets, "region new1", "UTF-16"),
        (unknown_label, "region new1", "'benefit' is not one of"),
        (missing_verdict, "region new1", "without verdict"),
        (unknown_reference, "region new1", "K99"),
        (two_annotations, None, "choose one with --annotation"),
        (crossing_span, "region new1", "crosses segments"),
        (labels_on_boilerplate, "region b000", "not a claim span"),
    ],
)
def test_a_bad_export_is_refused_naming_task_and_region_and_nothing_is_written(repo, fault, region_named, message):
    export, doc_id = new_article_export(repo)
    fault(export, doc_id)
    # the gold article's task comes first and is valid: it must not be written either
    before = tree_bytes(repo / "annotations")
    result = run_import(repo, export)
    assert result.returncode == EXIT_INPUT, result.stderr
    task_id = next(t["id"] for t in export if t["data"]["doc_id"] == doc_id)
    assert f"task {task_id}" in result.stderr and f"doc {doc_id}" in result.stderr, result.stderr
    if region_named:
        assert region_named in result.stderr, result.stderr
    assert message in result.stderr, result.stderr
    assert tree_bytes(repo / "annotations") == before
    assert not list((repo / "annotations").glob(".import-*"))


def test_one_of_several_annotations_is_imported_when_chosen(repo):
    export, doc_id = new_article_export(repo)
    two_annotations(export, doc_id)
    result = run_import(repo, export, "--annotation", "7777")
    assert result.returncode == 0, result.stderr
    assert "annotation 7777" in result.stdout
    typo = run_import(repo, export, "--annotation", "7777", "--annotation", "7778")
    assert typo.returncode == EXIT_INPUT and "--annotation 7778: no such annotation" in typo.stderr


def test_wrong_text_and_unknown_documents_are_refused(repo):
    export, _ = new_article_export(repo)
    export[-1]["data"]["text"] += "x"
    with pytest.raises(InputError, match="differs from the seed"):
        check_documents(Path("export.json"), export, seed_texts(repo), REFERENCES)
    export[-1]["data"]["doc_id"] = "0123456789abcdef"
    with pytest.raises(InputError, match="no seed article with doc_id 0123456789abcdef"):
        check_documents(Path("export.json"), export, seed_texts(repo), REFERENCES)


def test_tasks_without_annotation_are_skipped_and_an_empty_import_is_refused(repo):
    export, _ = new_article_export(repo)
    for item in export:
        item["annotations"] = []
    result = run_import(repo, export)
    assert result.returncode == EXIT_PROBLEMS
    assert "skipped task" in result.stdout and "nothing written" in result.stderr


def test_cli_export_and_config(repo, tmp_path):
    out = tmp_path / "tasks.json"
    result = run_cli("annotate", "export", "--out", str(out), root=repo)
    assert result.returncode == 0, result.stderr
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(t["data"]["label_source"] for t in tasks) == ["auto", "gold"]
    for task in tasks:
        text = task["data"]["text"]
        for item in task["predictions"][0]["result"]:
            value = item["value"]
            if item["type"] == "labels":
                assert text[value["start"] : value["end"]] == value["text"]
    missing = run_cli("annotate", "export", "ffffffffffffffff", "--out", str(out), root=repo)
    assert missing.returncode == EXIT_INPUT and "ffffffffffffffff" in missing.stderr
    config = run_cli("annotate", "config", root=repo)
    assert config.returncode == 0 and config.stdout.startswith("<View>")
    assert "annotate" in run_cli("--help").stdout
