"""The per-document function: raw text (and an optional gold annotation) in, rows of every table out.

`process_doc` is pure: it reads no files and keeps no state, so the same call runs in the local
build, in worker processes or on a distributed executor. Each path makes one `DocLabels`:
`gold_labels` from the annotation, `auto_labels` from the boilerplate model and the claim
detector; `table_rows` turns the text and its labels into the rows of every table.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ketamine_claims.auto.boilerplate import detect_boilerplate_and_title
from ketamine_claims.auto.claims import detect_claims, sentence_spans
from ketamine_claims.gold.annotations import Annotation, check_nested, resolve
from ketamine_claims.schema import DOC_TABLES as DOC_TABLES  # the tables process_doc returns rows for
from ketamine_claims.text.seeds import DocumentMeta, sha256_hex
from ketamine_claims.text.segments import Segment, block_type, split_segments
from ketamine_claims.text.sentences import Sentence, split_sentences

Row = dict[str, Any]


@dataclass
class ProcessedDoc:
    """Rows for every per-document table, and how often each heuristic rule fired."""

    rows: dict[str, list[Row]]
    rule_counts: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class ClaimLabels:
    """One claim row: its span, segment and sentence, and its labels (verdict, rationale and
    references are gold only)."""

    start: int
    end: int
    segment_index: int
    sentence_index: int
    claim_type: str
    condition: str | None
    intervention: str
    hedged: bool
    attribution: str
    verdict: str | None = None
    rationale: str | None = None
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocLabels:
    """Every label of one document from one source (`gold` or `auto`): the boilerplate kind of each
    segment (None: content), the title segment, the claim rows, the document flags and how often
    each auto rule fired. A sentence carries a claim when a claim row names it."""

    source: str
    kinds: list[str | None]
    title_index: int | None
    claims: list[ClaimLabels]
    flags: dict[str, bool] = field(default_factory=dict)
    rule_counts: Counter[str] = field(default_factory=Counter)


def segment_id(doc_id: str, index: int) -> str:
    return f"{doc_id}-s{index:03d}"


def sentence_id(doc_id: str, index: int) -> str:
    return f"{doc_id}-t{index:03d}"


def claim_id(doc_id: str, start: int, end: int, condition: str | None) -> str:
    return f"{doc_id}-c{start}-{end}" + (f"-{condition}" if condition else "")


def process_doc(
    doc_id: str, text: str, annotation: Annotation | None = None, *, meta: DocumentMeta | None = None
) -> ProcessedDoc:
    """Rows of documents, segments, sentences, claims and claim_evidence for one article.

    With an annotation, boilerplate decisions, claims and document flags are gold and the title is
    the first content segment; without one, boilerplate and the title come from the line model and
    its named rules, claims from the rule-based detector, all marked auto.
    """
    segments = split_segments(text)
    sentences = split_sentences(text, segments)
    if annotation is not None:
        labels = gold_labels(annotation, text, segments, sentences)
    else:
        labels = auto_labels(text, segments, sentences)
    return ProcessedDoc(table_rows(doc_id, text, meta or DocumentMeta(), segments, sentences, labels), labels.rule_counts)


def gold_labels(annotation: Annotation, text: str, segments: list[Segment], sentences: list[Sentence]) -> DocLabels:
    """The annotation's labels: its boilerplate kinds, the first content segment as title, its claims
    (checked for nesting, guidelines 3.6) and its document flags."""
    gold_kinds, resolved = resolve(annotation, text, segments)
    check_nested(annotation, resolved)
    kinds = [gold_kinds.get(seg.index) for seg in segments]
    title_index = next((seg.index for seg, kind in zip(segments, kinds, strict=False) if kind is None), None)
    sentence_starts = [sent.start for sent in sentences]
    claims = [
        ClaimLabels(
            c.start,
            c.end,
            c.segment_index,
            bisect_right(sentence_starts, c.start) - 1,
            c.entry.claim_type,
            c.entry.condition,
            c.entry.intervention,
            c.entry.hedged,
            c.entry.attribution,
            c.entry.verdict,
            c.entry.rationale,
            c.entry.refs,
        )
        for c in resolved
    ]
    return DocLabels("gold", kinds, title_index, claims, dict(annotation.flags))


def auto_labels(text: str, segments: list[Segment], sentences: list[Sentence]) -> DocLabels:
    """The automatic labels: boilerplate and title from the line model and its named rules, claims from
    the claim detector on the content sentences; no verdicts, no flags."""
    counts: Counter[str] = Counter()
    kinds, fired, title_index = detect_boilerplate_and_title(segments)
    counts.update(fired)
    found, fired = detect_claims(text, sentence_spans(segments, sentences, [kind is not None for kind in kinds]))
    counts.update(fired)
    claims = [
        ClaimLabels(
            c.start,
            c.end,
            sentences[position].segment_index,
            sentences[position].index,
            c.claim_type,
            c.condition,
            c.intervention,
            c.hedged,
            c.attribution,
        )
        for position, c in found
    ]
    return DocLabels("auto", kinds, title_index, claims, {}, counts)


def table_rows(
    doc_id: str, text: str, meta: DocumentMeta, segments: list[Segment], sentences: list[Sentence], labels: DocLabels
) -> dict[str, list[Row]]:
    """The rows of every per-document table for one text and its labels."""
    claim_rows = sorted((_claim_row(doc_id, text, c, labels) for c in labels.claims), key=_claim_order)
    evidence_rows = sorted(
        (
            {"claim_id": claim_id(doc_id, c.start, c.end, c.condition), "ref_id": ref}
            for c in labels.claims
            for ref in sorted(c.refs)
        ),
        key=lambda r: (r["claim_id"], r["ref_id"]),
    )
    claimed = {r["sentence_id"] for r in claim_rows}
    segment_ids = [segment_id(doc_id, seg.index) for seg in segments]  # segments[i].index == i
    return {
        "documents": [_document_row(doc_id, text, meta, segments, sentences, labels)],
        "segments": [_segment_row(doc_id, seg, segment_ids[seg.index], labels) for seg in segments],
        "sentences": [_sentence_row(doc_id, text, sent, segment_ids[sent.segment_index], labels, claimed) for sent in sentences],
        "claims": claim_rows,
        "claim_evidence": evidence_rows,
    }


def _claim_order(row: Row) -> tuple[int, int, str]:
    return row["start"], row["end"], row["condition"] or ""


def _document_row(
    doc_id: str, text: str, meta: DocumentMeta, segments: Sequence[Segment], sentences: Sequence[Sentence], labels: DocLabels
) -> Row:
    kinds = labels.kinds
    return {
        "doc_id": doc_id,
        "seed_file": meta.seed_file,
        "sha256": sha256_hex(text.encode("utf-8")),
        "title": segments[labels.title_index].text if labels.title_index is not None else "",
        "text": text,
        "clean_text": "\n\n".join([seg.text for seg in segments if kinds[seg.index] is None]),
        "language": meta.language,
        "site_name": meta.site_name,
        "url": meta.url,
        "retrieved": meta.retrieved,
        "n_chars": len(text),
        "n_segments": len(segments),
        "n_boilerplate_segments": sum(kind is not None for kind in kinds),
        "n_sentences": len(sentences),
        "n_claims": len(labels.claims),
        "commercial_intent": labels.flags.get("commercial_intent"),
        "machine_paraphrased": labels.flags.get("machine_paraphrased"),
        "keyword_stuffing": labels.flags.get("keyword_stuffing"),
        "label_source": labels.source,
    }


def _segment_row(doc_id: str, seg: Segment, seg_id: str, labels: DocLabels) -> Row:
    return {
        "segment_id": seg_id,
        "doc_id": doc_id,
        "index": seg.index,
        "start": seg.start,
        "end": seg.end,
        "text": seg.text,
        "block_type": block_type(seg.text, seg.index == labels.title_index),
        "is_boilerplate": labels.kinds[seg.index] is not None,
        "boilerplate_kind": labels.kinds[seg.index],
        "label_source": labels.source,
    }


def _sentence_row(doc_id: str, text: str, sent: Sentence, seg_id: str, labels: DocLabels, claimed: set[str]) -> Row:
    sid = sentence_id(doc_id, sent.index)
    return {
        "sentence_id": sid,
        "doc_id": doc_id,
        "segment_id": seg_id,
        "index": sent.index,
        "start": sent.start,
        "end": sent.end,
        "text": text[sent.start : sent.end],
        "is_boilerplate": labels.kinds[sent.segment_index] is not None,
        "has_claim": sid in claimed,
        "label_source": labels.source,
    }


def _claim_row(doc_id: str, text: str, claim: ClaimLabels, labels: DocLabels) -> Row:
    return {
        "claim_id": claim_id(doc_id, claim.start, claim.end, claim.condition),
        "doc_id": doc_id,
        "segment_id": segment_id(doc_id, claim.segment_index),
        "sentence_id": sentence_id(doc_id, claim.sentence_index),
        "start": claim.start,
        "end": claim.end,
        "text": text[claim.start : claim.end],
        "claim_type": claim.claim_type,
        "condition": claim.condition,
        "intervention": claim.intervention,
        "hedged": claim.hedged,
        "attribution": claim.attribution,
        "verdict": claim.verdict,
        "rationale": claim.rationale,
        "in_boilerplate": labels.kinds[claim.segment_index] is not None,
        "label_source": labels.source,
    }
