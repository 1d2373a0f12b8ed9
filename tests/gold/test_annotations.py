"""Annotation files: labels checked against the schemas, quotes resolved to exact offsets."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from ketamine_claims.errors import InputError
from ketamine_claims.gold.annotations import check_refs, load_annotation, resolve
from ketamine_claims.text.segments import split_segments

DOC = "0123456789abcdef"
TEXT = "Ketamine News\nSponsored\nKetamine can reduce suicidal ideation. Ketamine can reduce pain.\nSponsored\n"
CLAIM = """
  - quote: "Ketamine can reduce suicidal ideation"
    claim_type: efficacy
    condition: suicidal_ideation
    intervention: ketamine
    hedged: true
    attribution: none
    verdict: accurate
    rationale: "Reduced ideation within a day in a meta-analysis."
    refs: [K10]
"""


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / f"{DOC}.yaml"
    head = f"doc_id: {DOC}\ndocument:\n  commercial_intent: false\n  machine_paraphrased: false\n  keyword_stuffing: false\n"
    path.write_text(head + textwrap.dedent(body), encoding="utf-8")
    return path


def resolved(path: Path):
    return resolve(load_annotation(path), TEXT, split_segments(TEXT))


def test_quotes_resolve_to_offsets_with_occurrence(tmp_path):
    path = write(tmp_path, "boilerplate:\n  - quote: Sponsored\n    occurrence: 2\n    kind: sponsored_label\nclaims:" + CLAIM)
    kinds, claims = resolved(path)
    assert kinds == {3: "sponsored_label"}
    (claim,) = claims
    assert TEXT[claim.start : claim.end] == "Ketamine can reduce suicidal ideation"
    assert claim.segment_index == 2


def test_prefix_and_suffix_pick_the_match(tmp_path):
    body = CLAIM.replace('"Ketamine can reduce suicidal ideation"', '"Ketamine can reduce"\n    suffix: " pain"')
    _kinds, claims = resolved(write(tmp_path, "claims:" + body))
    assert TEXT[claims[0].start : claims[0].end + 5] == "Ketamine can reduce pain"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("boilerplate:\n  - quote: Sponsored\n    kind: sponsored_label\n", "ambiguous (2 matches"),
        ("boilerplate:\n  - quote: Sponsored\n    occurrence: 3\n    kind: sponsored_label\n", "occurrence 3 asked for"),
        ("boilerplate:\n  - quote: Advertisement\n    kind: sponsored_label\n", "quote not found"),
        ('boilerplate:\n  - quote: "News\\nSponsored"\n    kind: sponsored_label\n', "crosses a segment boundary"),
        ("boilerplate:\n  - quote: Sponsored\n    occurrence: 1\n    kind: banner\n", "kind 'banner' is not one of"),
        ("claims:" + CLAIM.replace("claim_type: efficacy", "claim_type: cure"), "claim_type 'cure' is not one of"),
        ("claims:" + CLAIM.replace("verdict: accurate", "verdict: true"), "verdict True is not one of"),
        ("claims:" + CLAIM.replace("refs: [K10]", "refs: []"), "needs at least one reference"),
        ("claims:" + CLAIM.replace("hedged: true", "hedged: maybe"), "hedged must be true or false"),
        ("claims:" + CLAIM.replace("    refs: [K10]\n", ""), "missing label(s) refs"),
        ("claims:" + CLAIM + CLAIM, "same span and condition as claims entry 1"),
        ("claims:" + CLAIM.replace("refs: [K10]", "refs: [K10]\n    source: web"), "unknown key(s) source"),
    ],
)
def test_bad_entries_name_file_line_and_entry(tmp_path, body, message):
    path = write(tmp_path, body)
    with pytest.raises(InputError) as caught:
        resolved(path)
    error = str(caught.value)
    assert message in error
    assert error.startswith(f"{path}:")
    assert ("boilerplate entry" in error) or ("claims entry" in error)


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, 'claims:\n  - quote: "unterminated\n    claim_type: efficacy\n')
    with pytest.raises(InputError, match="invalid YAML") as caught:
        load_annotation(path)
    assert caught.value.line is not None and caught.value.line >= 7


def test_doc_id_must_match_file_name(tmp_path):
    path = tmp_path / "fedcba9876543210.yaml"
    path.write_text(f"doc_id: {DOC}\n", encoding="utf-8")
    with pytest.raises(InputError, match="does not match the file name"):
        load_annotation(path)


def test_unknown_reference_is_refused(tmp_path):
    annotation = load_annotation(write(tmp_path, "claims:" + CLAIM.replace("[K10]", "[K99]")))
    with pytest.raises(InputError, match="unknown reference id"):
        check_refs(annotation, {"K10"})


def test_same_segment_labelled_twice_is_refused(tmp_path):
    body = "boilerplate:\n  - quote: Ketamine News\n    kind: category_label\n  - quote: News\n    kind: navigation\n"
    with pytest.raises(InputError, match="already labelled by boilerplate entry 1"):
        resolved(write(tmp_path, body))
