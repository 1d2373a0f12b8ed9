"""Inter-annotator agreement: kappa and span matching on made-up pairs with known values, and the command on the repository."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import REPO, run_cli
from ketamine_claims.evaluation.agreement import cohen_kappa, compare_folders
from ketamine_claims.tables import parquet_relpath

DOC = "0123456789abcdef"
TEXT = (
    "Ketamine works fast\nSponsored\nMenu\n"
    "Ketamine can reduce suicidal ideation. Ketamine blocks NMDA receptors. Ketamine cures OCD.\nShare\n"
)
HEAD = f"doc_id: {DOC}\ndocument:\n  commercial_intent: false\n  machine_paraphrased: false\n  keyword_stuffing: false\n"


def claim(quote: str, claim_type: str, condition: str | None, verdict: str, hedged: bool = False) -> str:
    return f"""
      - quote: "{quote}"
        claim_type: {claim_type}
        condition: {condition or "null"}
        intervention: ketamine
        hedged: {str(hedged).lower()}
        attribution: none
        verdict: {verdict}
        rationale: "Made up."
        refs: [K1]"""


def write(folder: Path, boilerplate: list[tuple[str, str]], claims: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    bp = "".join(f'\n  - quote: "{q}"\n    kind: {k}' for q, k in boilerplate)
    body = HEAD + "boilerplate:" + bp + "\nclaims:" + textwrap.indent(textwrap.dedent("".join(claims)), "  ") + "\n"
    (folder / f"{DOC}.yaml").write_text(body, encoding="utf-8")
    return folder


@pytest.fixture
def pair(tmp_path: Path) -> dict:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / f"000_{DOC}.txt").write_text(TEXT, encoding="utf-8")
    first = write(
        tmp_path / "first",
        [("Sponsored", "sponsored_label"), ("Menu", "navigation"), ("Share", "share_bar")],
        [
            claim("Ketamine can reduce suicidal ideation", "efficacy", "suicidal_ideation", "accurate", hedged=True),
            claim("Ketamine blocks NMDA receptors", "mechanism", None, "accurate"),
            claim("Ketamine cures OCD", "efficacy", "ocd", "unsupported"),
        ],
    )
    second = write(
        tmp_path / "second",
        [("Sponsored", "sponsored_label"), ("Share", "share_bar")],
        [
            claim("Ketamine works fast", "onset", None, "accurate"),
            claim("Ketamine can reduce suicidal ideation", "efficacy", "suicidal_ideation", "accurate", hedged=True),
            claim("blocks NMDA receptors", "mechanism", None, "overstated"),
        ],
    )
    return compare_folders(first, second, tmp_path / "seeds")


def test_cohen_kappa_known_values():
    assert cohen_kappa(list("aabb"), list("abbb")) == pytest.approx(0.5)
    assert cohen_kappa(list("ab"), list("ba")) == pytest.approx(-1.0)
    assert cohen_kappa(list("aaa"), list("aaa")) is None
    assert cohen_kappa([], []) is None


def test_boilerplate_kappa_on_a_made_up_pair(pair):
    doc = pair["documents"][DOC]
    assert doc["segments"] == 5
    # boilerplate yes/no: [F,T,T,F,T] vs [F,T,F,F,T]: po 0.8, pe 0.48
    assert doc["boilerplate_kappa"] == pytest.approx((0.8 - 0.48) / 0.52)
    # kinds: content 2/3, sponsored 1/1, navigation 1/0, share 1/1: po 0.8, pe 8/25
    assert doc["boilerplate_kind_kappa"] == pytest.approx((0.8 - 0.32) / 0.68)


def test_span_overlap_and_exact_scores(pair):
    doc = pair["documents"][DOC]
    assert doc["spans"]["first"] == 3 and doc["spans"]["second"] == 3 and doc["spans"]["matched"] == 2
    assert doc["spans"]["precision"] == pytest.approx(2 / 3) and doc["spans"]["f1"] == pytest.approx(2 / 3)
    assert doc["exact_spans"]["matched"] == 1 and doc["exact_spans"]["f1"] == pytest.approx(1 / 3)


def test_label_kappas_over_matched_rows(pair):
    kappa = pair["documents"][DOC]["kappa"]
    assert kappa["claim_type"] == pytest.approx(1.0)
    assert kappa["verdict"] == pytest.approx(0.0)  # (accurate, accurate), (accurate, overstated)
    assert kappa["attribution"] is None  # both say `none` throughout: undefined
    assert pair["overall"] == pair["documents"][DOC]


def test_rows_pair_up_by_condition_first(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / f"000_{DOC}.txt").write_text(TEXT, encoding="utf-8")
    quote = "Ketamine cures OCD"
    first = write(
        tmp_path / "a",
        [],
        [claim(quote, "efficacy", "ocd", "unsupported"), claim(quote, "efficacy", "anxiety_disorders", "unsupported")],
    )
    second = write(tmp_path / "b", [], [claim(quote, "efficacy", "anxiety_disorders", "unsupported")])
    doc = compare_folders(first, second, tmp_path / "seeds")["documents"][DOC]
    assert doc["rows"] == {"first": 2, "second": 1, "matched": 1, "precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3)}
    assert doc["spans"]["f1"] == 1.0


def test_command_on_the_repository_annotations():
    result = run_cli("agreement", "--json", root=REPO)
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    gold_rows = sum(r["label_source"] == "gold" for r in pq.read_table(REPO / "dataset" / parquet_relpath("claims")).to_pylist())
    assert sorted(scores["documents"]) == sorted(p.stem for p in (REPO / "annotations" / "second").glob("*.yaml"))
    assert scores["overall"]["rows"]["first"] == gold_rows
    assert scores["overall"]["segments"] == sum(d["segments"] for d in scores["documents"].values())
    for value in [scores["overall"]["boilerplate_kappa"], *scores["overall"]["kappa"].values()]:
        assert value is None or -1.0 <= value <= 1.0
    assert "after adjudication" in scores["compared"]["first"] and "as delivered" in scores["compared"]["second"]
    table = run_cli("agreement", root=REPO)
    assert table.returncode == 0 and "| overall |" in table.stdout
    header = table.stdout.split("| article |")[0]
    assert "gold labels as they are now, after adjudication" in header and "blind second annotation, as delivered" in header
    assert "agreement-before-adjudication.json" in header


def test_command_names_the_state_of_folders_it_was_given(tmp_path):
    import shutil

    first = tmp_path / "first"
    shutil.copytree(REPO / "annotations" / "second", first)
    result = run_cli("agreement", "--first", str(first), "--json", root=REPO)
    assert result.returncode == 0, result.stderr
    compared = json.loads(result.stdout)["compared"]
    assert compared["first"] == f"{first} (as given)" and "as delivered" in compared["second"]


def test_command_refuses_a_second_folder_without_shared_articles(tmp_path):
    result = run_cli("agreement", "--second", str(tmp_path), root=REPO)
    assert result.returncode == 3
    assert str(tmp_path) in result.stderr and "shares a doc_id" in result.stderr


def test_card_states_who_made_the_labels_and_the_agreement():
    from huggingface_hub import DatasetCard

    card = DatasetCard.load(REPO / "dataset" / "README.md")
    assert card.data.to_dict()["annotations_creators"] == ["machine-generated"]
    assert "No human domain expert and no clinician made or reviewed any" in " ".join(card.text.split())
    scores = json.loads((REPO / "annotations" / "agreement-before-adjudication.json").read_text(encoding="utf-8"))
    overall = scores["overall"]
    assert f"| overall | {overall['segments']} |" in card.text
    text = " ".join(card.text.split())
    same, second = overall["exact_spans"]["matched"], overall["spans"]["second"]
    assert f"{same} of the second annotation's {second} distinct spans ({same / second:.0%})" in text
    assert "after adjudication" in text and "not independent of the first" in text


def test_card_gives_the_verdicts_of_the_gold_rows_with_their_shares():
    from collections import Counter

    from ketamine_claims import schema

    card = (REPO / "dataset" / "README.md").read_text(encoding="utf-8")
    claims = pq.read_table(REPO / "dataset" / parquet_relpath("claims")).to_pylist()
    counts = Counter(c["verdict"] for c in claims if c["label_source"] == "gold")
    total = sum(counts.values())
    for verdict in schema.enum_values("claims", "verdict"):
        assert f"| `{verdict}` | {counts[verdict]} | {counts[verdict] / total:.1%} |" in card
    assert f"| all | {total} | 100% |" in card


def test_card_counts_gold_spans_quoted_in_the_guidelines():
    from ketamine_claims.build import gold_spans_in_guidelines
    from ketamine_claims.inputs import load_inputs
    from ketamine_claims.paths import Paths

    quoted, total = gold_spans_in_guidelines(load_inputs(Paths(REPO)), Paths(REPO))
    assert 0 < quoted <= total
    assert f"{quoted} of the {total} distinct gold claim spans" in " ".join(
        (REPO / "dataset" / "README.md").read_text(encoding="utf-8").split()
    )


def test_build_names_a_broken_agreement_results_file(tmp_path):
    from conftest import copy_inputs, tree_bytes

    root = copy_inputs(tmp_path, with_dataset=True)
    before = tree_bytes(root / "dataset")
    (root / "annotations" / "agreement-before-adjudication.json").write_text('{"documents": ', encoding="utf-8")
    result = run_cli("build", root=root)
    assert result.returncode == 3, result.stderr
    assert "agreement-before-adjudication.json" in result.stderr and "invalid JSON" in result.stderr
    assert tree_bytes(root / "dataset") == before


def test_command_names_a_missing_folder(tmp_path):
    missing = tmp_path / "nowhere"
    result = run_cli("agreement", "--second", str(missing), root=REPO)
    assert result.returncode == 4
    assert str(missing) in result.stderr
