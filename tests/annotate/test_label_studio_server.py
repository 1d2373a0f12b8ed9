"""The Label Studio round trip against a real server (label-studio and label-studio-sdk, pinned apart from the package).

scripts/install-label-studio installs the pinned server and SDK into .venv-label-studio/ on first use (about two
minutes and 1 GB; never part of scripts/build). The server runs on 127.0.0.1 inside network and PID namespaces the
test makes (`unshare`, as root): nothing leaves the machine, and every process it started ends with the session.

An annotator opens the gold article's task, changes one claim's type, adds a claim span and deletes one boilerplate
flag, and submits; the project's export is imported into a temporary copy of the repository, built, and the built
dataset must differ from a fresh build of the unchanged inputs by exactly those edits. In the browser test an
annotator selects a passage after emoji in Label Studio's own editor, and the offsets it stores must be code points.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import REPO, copy_inputs, run_cli
from ketamine_claims.annotate.label_studio import CLAIM, NO_CONDITION, export_tasks, labeling_config, vocabulary
from ketamine_claims.errors import EXIT_INPUT
from ketamine_claims.gold.annotations import load_references
from ketamine_claims.paths import Paths
from ketamine_claims.pipeline import claim_id, segment_id, sentence_id
from ketamine_claims.release.diff import diff_folders
from ketamine_claims.text.add_article import add_article
from ketamine_claims.text.segments import split_segments
from ketamine_claims.text.sentences import split_sentences


def smallest_gold_article() -> str:
    """The gold article with the shortest text (keeps the session short)."""
    gold = {p.stem for p in (REPO / "annotations").glob("*.yaml") if p.name != "references.yaml"}
    sizes = {path.stem.split("_", 1)[1]: path.stat().st_size for path in (REPO / "seeds").glob("*_*.txt")}
    return min(gold, key=lambda doc_id: (sizes[doc_id], doc_id))


DOC = smallest_gold_article()
EMOJI_ARTICLE = (
    "Ketamine Infusions 🙂 What Patients Should Know\n"
    "\n"
    "🙂🙂 Ketamine infusions may reduce symptoms of treatment-resistant depression within hours for some patients.\n"
)
EMOJI_PASSAGE = "Ketamine infusions may reduce symptoms of treatment-resistant depression within hours"
VENV = REPO / ".venv-label-studio"
SESSION_SECONDS = 900


def install_label_studio() -> Path:
    """The Label Studio environment's bin folder, installed (pinned) on first use."""
    result = subprocess.run([str(REPO / "scripts" / "install-label-studio")], capture_output=True, text=True, timeout=1500)
    assert result.returncode == 0, result.stdout + result.stderr
    return VENV / "bin"


def need_namespaces() -> None:
    """The server must run in namespaces of its own; say plainly when this machine cannot make them."""
    if shutil.which("unshare") is None or shutil.which("ip") is None or os.geteuid() != 0:
        pytest.fail("the Label Studio test needs root, unshare and ip to run the server in namespaces of its own")


def region_items(result: list[dict], rid: str) -> list[dict]:
    return [item for item in result if item["id"] == rid]


def annotator_edits(task: dict) -> tuple[list[dict], dict]:
    """The prediction with three edits an annotator makes in the editor, and what each edit is expected to change."""
    text = task["data"]["text"]
    result = copy.deepcopy(task["predictions"][0]["result"])
    spans = {i["id"]: i["value"] for i in result if i["from_name"] == CLAIM}
    claims = {rid: (v["start"], v["end"]) for rid, v in spans.items()}

    def alone(rid: str) -> bool:
        s, e = claims[rid]
        return all(e2 <= s or e <= s2 for other, (s2, e2) in claims.items() if other != rid)

    # 1. change the type of a claim that overlaps no other claim
    changed = next(rid for rid in sorted(claims) if alone(rid))
    label = next(i for i in result if i["id"] == changed and i["from_name"] == CLAIM)
    old_type = label["value"]["labels"][0]
    new_type = "comparative" if old_type != "comparative" else "efficacy"
    label["value"]["labels"] = [new_type]
    condition = next(i for i in result if i["id"] == changed and i["from_name"] == "condition")["value"]["choices"][0]
    # 2. delete the flag of the last boilerplate segment
    flagged = [i for i in result if i["from_name"] == "boilerplate"]
    unflagged = flagged[-1]
    result = [i for i in result if i is not unflagged]
    # 3. add a claim span: the first sentence after the title, outside boilerplate, that no claim overlaps
    segments = split_segments(text)
    boilerplate = {i["value"]["start"] for i in flagged}
    title = next(i["value"]["start"] for i in result if i["from_name"] == "title")
    new_seg = next(
        s
        for s in split_sentences(text, segments)
        if s.start > title
        and segments[s.segment_index].start not in boilerplate
        and all(ce <= s.start or s.end <= cs for cs, ce in claims.values())
    )
    region = {"start": new_seg.start, "end": new_seg.end}
    answers = {
        "condition": [NO_CONDITION], "intervention": ["ketamine"], "hedged": ["false"],
        "attribution": ["none"], "verdict": ["not_checkable"],
    }  # fmt: skip
    result.append({"id": "added1", "from_name": CLAIM, "to_name": "text", "type": "labels",
                   "value": {**region, "text": text[new_seg.start : new_seg.end], "labels": ["administration"]}})  # fmt: skip
    for name, choices in answers.items():
        result.append(
            {"id": "added1", "from_name": name, "to_name": "text", "type": "choices", "value": {**region, "choices": choices}}
        )
    result.append({"id": "added1", "from_name": "rationale", "to_name": "text", "type": "textarea",
                   "value": {**region, "text": ["No reference states this detail."]}})  # fmt: skip
    start, end = claims[changed]
    expected = {
        "changed_claim": claim_id(DOC, start, end, None if condition == NO_CONDITION else condition),
        "new_type": new_type,
        "added_claim": claim_id(DOC, new_seg.start, new_seg.end, None),
        "added_sentence": new_seg,
        "unflagged_segment": next(s for s in segments if s.start <= unflagged["value"]["start"] < s.end),
    }
    return result, expected


def run_session(
    bin_dir: Path, work: Path, tasks: list[dict], submitted: dict[str, list], config: str, editor: list[str] | None = None
) -> Path:
    """Run label_studio_session.py inside new network and PID namespaces; return the export it wrote."""
    for name, data in (("tasks.json", tasks), ("annotations.json", submitted)):
        (work / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (work / "config.xml").write_text(config, encoding="utf-8")
    (work / "data").mkdir()
    export = work / "export.json"
    command = ["unshare", "--net", "--pid", "--fork", "--mount-proc", "--kill-child"]
    command += [str(bin_dir / "python"), str(Path(__file__).parents[1] / "label_studio_session.py")]
    command += ["--label-studio", str(bin_dir / "label-studio"), "--data-dir", str(work / "data")]
    command += ["--config", str(work / "config.xml"), "--tasks", str(work / "tasks.json")]
    command += ["--annotations", str(work / "annotations.json"), "--export", str(export)]
    if editor:
        command += ["--editor-command", json.dumps(editor)]
    env = {**os.environ, "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "false"}
    result = subprocess.run(command, capture_output=True, text=True, timeout=SESSION_SECONDS, env=env)
    assert result.returncode == 0, f"session failed:\n{result.stdout}\n{result.stderr[-6000:]}"
    print(result.stdout, file=sys.stderr)
    return export


def test_an_annotation_made_in_label_studio_lands_in_the_dataset_as_exactly_its_edits(tmp_path, fresh_build):
    need_namespaces()
    bin_dir = install_label_studio()
    repo = copy_inputs(tmp_path / "repo")
    tasks = export_tasks(Paths(repo), [DOC])
    submitted, expected = annotator_edits(tasks[0])
    config = labeling_config(vocabulary(load_references(repo / "annotations" / "references.yaml")))
    work = tmp_path / "session"
    work.mkdir()
    export = run_session(bin_dir, work, tasks, {DOC: submitted}, config)

    exported = json.loads(export.read_text(encoding="utf-8"))
    assert [t["data"]["doc_id"] for t in exported] == [DOC]
    assert len(exported[0]["annotations"]) == 1 and exported[0]["predictions"]

    imported = run_cli("annotate", "import", str(export), root=repo)
    assert imported.returncode == 0, imported.stderr
    built = run_cli("build", root=repo)
    assert built.returncode == 0, built.stderr

    diff = diff_folders(fresh_build, repo)
    tables = {name: t for name, t in diff.tables.items() if t.added or t.removed or t.changed}
    assert not diff.schema_changes
    text = next(t["data"]["text"] for t in tasks)
    unflagged, added_sentence = expected["unflagged_segment"], expected["added_sentence"]
    sentences = split_sentences(text, split_segments(text))
    unflagged_sentences = {sentence_id(DOC, s.index) for s in sentences if s.segment_index == unflagged.index}

    claims = tables.pop("claims")
    assert claims.added == [(expected["added_claim"],)] and not claims.removed
    assert claims.changed == {(expected["changed_claim"],): ["claim_type"]}
    segments = tables.pop("segments")
    assert not segments.added and not segments.removed
    assert segments.changed == {(segment_id(DOC, unflagged.index),): ["is_boilerplate", "boilerplate_kind"]}
    sentence_changes = tables.pop("sentences").changed
    expected_sentences = {(sid,): ["is_boilerplate"] for sid in unflagged_sentences}
    expected_sentences[(sentence_id(DOC, added_sentence.index),)] = ["has_claim"]
    assert sentence_changes == expected_sentences
    documents = tables.pop("documents")
    assert documents.changed == {(DOC,): ["clean_text", "n_boilerplate_segments", "n_claims"]}
    assert tables == {}, f"unexpected changes in {sorted(tables)}"

    rows = pq.read_table(next((repo / "dataset").rglob("claims/*.parquet"))).to_pylist()
    changed = next(r for r in rows if r["claim_id"] == expected["changed_claim"])
    new = next(r for r in rows if r["claim_id"] == expected["added_claim"])
    assert changed["claim_type"] == expected["new_type"]
    added_text = text[added_sentence.start : added_sentence.end]
    assert (new["text"], new["claim_type"], new["verdict"], new["label_source"]) == (
        added_text,
        "administration",
        "not_checkable",
        "gold",
    )


@pytest.mark.browser
def test_the_editor_gives_code_point_offsets_after_emoji(tmp_path):
    """In Label Studio's own editor, a span selected after emoji gets code-point offsets, which the import accepts."""
    need_namespaces()
    bin_dir = install_label_studio()
    if not (Path("/usr/bin/chromium").exists() and Path("/usr/bin/chromedriver").exists()):
        installed = subprocess.run([str(REPO / "scripts" / "install-browser")], capture_output=True, text=True)
        assert installed.returncode == 0, installed.stderr
    repo = copy_inputs(tmp_path / "repo")
    source = tmp_path / "article.txt"
    source.write_text(EMOJI_ARTICLE, encoding="utf-8")
    doc_id = add_article(repo / "seeds", source, url="https://example.org/ketamine-emoji").doc_id
    tasks = [{"data": task["data"]} for task in export_tasks(Paths(repo), [doc_id])]  # no prediction: one region
    config = labeling_config(vocabulary(load_references(repo / "annotations" / "references.yaml")))
    work = tmp_path / "session"
    work.mkdir()
    editor = [sys.executable, str(Path(__file__).parents[1] / "label_studio_editor.py"), EMOJI_PASSAGE, "efficacy"]
    export = run_session(bin_dir, work, tasks, {}, config, editor)

    exported = json.loads(export.read_text(encoding="utf-8"))
    text = exported[0]["data"]["text"]
    (annotation,) = exported[0]["annotations"]
    (region,) = [item for item in annotation["result"] if item["type"] == "labels"]
    start = text.index(EMOJI_PASSAGE)
    assert len(text[:start].encode("utf-16-le")) // 2 > start, "the passage must follow characters outside the BMP"
    assert (region["value"]["start"], region["value"]["end"]) == (start, start + len(EMOJI_PASSAGE))
    assert region["value"]["text"] == EMOJI_PASSAGE == text[region["value"]["start"] : region["value"]["end"]]
    # the offsets pass; the import then asks for the claim's labels, naming the region
    imported = run_cli("annotate", "import", str(export), root=repo)
    assert imported.returncode == EXIT_INPUT
    assert f"region {region['id']}: claim span without condition" in imported.stderr, imported.stderr
