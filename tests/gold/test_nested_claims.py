"""Guidelines 3.6, rules 2 and 3: no nested duplicate of a proposition, no unexplained better verdict inside a span."""

from __future__ import annotations

import polars as pl

from conftest import copy_inputs, run_cli, tree_bytes
from ketamine_claims.checks.cross_table import nested_claims

DOC = "00000000000000aa"


def claim(
    start, end, claim_type="efficacy", condition="depression", verdict="overstated", rationale="Reason (K7).", source="gold"
):
    suffix = f"-{condition}" if condition else ""
    return {
        "claim_id": f"{DOC}-c{start}-{end}{suffix}",
        "doc_id": DOC,
        "start": start,
        "end": end,
        "claim_type": claim_type,
        "condition": condition,
        "verdict": verdict,
        "rationale": rationale,
        "label_source": source,
    }


def problems(*rows) -> list[str]:
    return nested_claims(
        {"claims": pl.DataFrame(list(rows), schema_overrides=dict.fromkeys(("condition", "verdict", "rationale"), pl.Utf8))}
    )


def test_nested_span_with_the_same_type_and_condition_is_a_duplicate():
    found = problems(claim(0, 50), claim(0, 30))
    assert len(found) == 1 and "repeats its container's proposition" in found[0] and f"{DOC}-c0-30-depression" in found[0]


def test_null_conditions_count_as_the_same_condition():
    found = problems(claim(0, 50, "adverse_effect", None), claim(10, 30, "adverse_effect", None))
    assert len(found) == 1 and "repeats" in found[0]


def test_a_different_type_or_condition_may_nest():
    assert problems(claim(0, 50), claim(0, 30, claim_type="mechanism")) == []
    assert problems(claim(0, 50), claim(0, 30, condition="ptsd")) == []


def test_identical_spans_with_different_conditions_are_not_nested():
    assert problems(claim(0, 50, verdict="unsupported", condition="ocd"), claim(0, 50, verdict="accurate")) == []


def test_better_verdict_inside_a_span_needs_a_reason_naming_the_containing_span():
    outer = claim(0, 50, verdict="overstated")
    bare = claim(0, 20, "regulatory", None, verdict="accurate", rationale="Approved as an anaesthetic (K5).")
    found = problems(outer, bare)
    assert len(found) == 1 and "better verdict" in found[0] and f"{DOC}-c0-20" in found[0]
    reasoned = dict(bare, rationale="Approved as an anaesthetic (K5); unlike the containing span, no claim about mental health.")
    assert problems(outer, reasoned) == []


def test_worse_or_equal_verdicts_inside_need_no_reason():
    assert problems(claim(0, 50, verdict="accurate"), claim(5, 20, "mechanism", verdict="unsupported")) == []
    assert problems(claim(0, 50, verdict="overstated"), claim(5, 20, "mechanism", verdict="overstated")) == []


def test_auto_rows_and_other_documents_are_not_compared():
    assert (
        problems(
            claim(0, 50, source="auto", verdict=None, rationale=None), claim(0, 30, source="auto", verdict=None, rationale=None)
        )
        == []
    )
    other = dict(claim(0, 30), doc_id="00000000000000bb", claim_id="00000000000000bb-c0-30-depression")
    assert problems(claim(0, 50), other) == []


def test_build_refuses_a_planted_nested_duplicate(tmp_path):
    root = copy_inputs(tmp_path, with_dataset=True)
    before = tree_bytes(root / "dataset")
    target = root / "annotations" / "c943435de8c1574b.yaml"
    planted = (
        '  - quote: "opportunities for patients to engage more effectively"\n'
        "    claim_type: efficacy\n    condition: ocd\n    intervention: ketamine\n    hedged: false\n"
        '    attribution: none\n    verdict: unsupported\n    rationale: "K12 reports two very small studies."\n    refs: [K12]\n'
    )
    target.write_text(target.read_text(encoding="utf-8") + planted, encoding="utf-8")
    result = run_cli("build", root=root)
    assert result.returncode == 3, result.stderr
    line = target.read_text(encoding="utf-8").count("\n") - planted.count("\n") + 1
    assert f"c943435de8c1574b.yaml:{line}: claims entry" in result.stderr and "repeats its proposition" in result.stderr
    assert tree_bytes(root / "dataset") == before
