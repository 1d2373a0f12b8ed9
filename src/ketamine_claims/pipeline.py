"""The per-document function: raw text (and an optional gold annotation) in, rows of every table out.

`process_doc` is pure: it reads no files and keeps no state, so the same call runs in the local
build, in worker processes or on a distributed executor.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ketamine_claims.auto.boilerplate import detect_boilerplate_and_title
from ketamine_claims.auto.claims import detect_claims
from ketamine_claims.gold.annotations import Annotation, check_nested, resolve
from ketamine_claims.schema import DOC_TABLES as DOC_TABLES  # the tables process_doc returns rows for
from ketamine_claims.text.seeds import DocumentMeta, sha256_hex
from ketamine_claims.text.segments import block_type, split_segments
from ketamine_claims.text.sentences import split_sentences

Row = dict[str, Any]


@dataclass
class ProcessedDoc:
    """Rows for every per-document table, and how often each heuristic rule fired."""

    rows: dict[str, list[Row]]
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
    meta = meta or DocumentMeta()
    source = "gold" if annotation is not None else "auto"
    segments = split_segments(text)
    sentences = split_sentences(text, segments)
    counts: Counter[str] = Counter()

    if annotation is not None:
        gold_kinds, gold_claims = resolve(annotation, text, segments)
        check_nested(annotation, gold_claims)
        kinds = [gold_kinds.get(seg.index) for seg in segments]
        title_index = next((seg.index for seg, kind in zip(segments, kinds, strict=False) if kind is None), None)
    else:
        kinds, fired, title_index = detect_boilerplate_and_title(segments)
        counts.update(fired)

    claim_rows: list[Row] = []
    evidence_rows: list[Row] = []
    if annotation is not None:
        sentence_starts = [sent.start for sent in sentences]
        for claim in gold_claims:
            e = claim.entry
            labels = {
                "claim_type": e.claim_type,
                "condition": e.condition,
                "intervention": e.intervention,
                "hedged": e.hedged,
                "attribution": e.attribution,
                "verdict": e.verdict,
                "rationale": e.rationale,
            }
            sentence_index = bisect_right(sentence_starts, claim.start) - 1
            row = _claim_row(doc_id, text, claim.start, claim.end, claim.segment_index, sentence_index, kinds, source, labels)
            claim_rows.append(row)
            evidence_rows.extend({"claim_id": row["claim_id"], "ref_id": ref} for ref in sorted(e.refs))
    else:
        content = [
            (
                s.start,
                s.end if kinds[s.segment_index] is None else s.start,
                segments[s.segment_index].start,
                segments[s.segment_index].end,
            )
            for s in sentences
        ]
        found, fired = detect_claims(text, content)
        counts.update(fired)
        for position, c in found:
            labels = {
                "claim_type": c.claim_type,
                "condition": c.condition,
                "intervention": c.intervention,
                "hedged": c.hedged,
                "attribution": c.attribution,
                "verdict": None,
                "rationale": None,
            }
            sent = sentences[position]
            claim_rows.append(_claim_row(doc_id, text, c.start, c.end, sent.segment_index, sent.index, kinds, source, labels))
    claim_rows.sort(key=lambda r: (r["start"], r["end"], r["condition"] or ""))
    evidence_rows.sort(key=lambda r: (r["claim_id"], r["ref_id"]))
    claimed_sentences = {r["sentence_id"] for r in claim_rows}

    segment_ids = [segment_id(doc_id, seg.index) for seg in segments]
    in_boilerplate = [kind is not None for kind in kinds]
    segment_rows = [
        {
            "segment_id": segment_ids[seg.index],
            "doc_id": doc_id,
            "index": seg.index,
            "start": seg.start,
            "end": seg.end,
            "text": seg.text,
            "block_type": block_type(seg.text, seg.index == title_index),
            "is_boilerplate": in_boilerplate[seg.index],
            "boilerplate_kind": kinds[seg.index],
            "label_source": source,
        }
        for seg in segments
    ]
    sentence_rows = []
    for sent in sentences:
        sid = sentence_id(doc_id, sent.index)
        sentence_rows.append(
            {
                "sentence_id": sid,
                "doc_id": doc_id,
                "segment_id": segment_ids[sent.segment_index],
                "index": sent.index,
                "start": sent.start,
                "end": sent.end,
                "text": text[sent.start : sent.end],
                "is_boilerplate": in_boilerplate[sent.segment_index],
                "has_claim": sid in claimed_sentences,
                "label_source": source,
            }
        )
    flags = annotation.flags if annotation is not None else {}
    document_row = {
        "doc_id": doc_id,
        "seed_file": meta.seed_file,
        "sha256": sha256_hex(text.encode("utf-8")),
        "title": segments[title_index].text if title_index is not None else "",
        "text": text,
        "clean_text": "\n\n".join([seg.text for seg in segments if kinds[seg.index] is None]),
        "language": meta.language,
        "site_name": meta.site_name,
        "url": meta.url,
        "retrieved": meta.retrieved,
        "n_chars": len(text),
        "n_segments": len(segments),
        "n_boilerplate_segments": sum(in_boilerplate),
        "n_sentences": len(sentences),
        "n_claims": len(claim_rows),
        "commercial_intent": flags.get("commercial_intent"),
        "machine_paraphrased": flags.get("machine_paraphrased"),
        "keyword_stuffing": flags.get("keyword_stuffing"),
        "label_source": source,
    }
    rows = {
        "documents": [document_row],
        "segments": segment_rows,
        "sentences": sentence_rows,
        "claims": claim_rows,
        "claim_evidence": evidence_rows,
    }
    return ProcessedDoc(rows, counts)


def _claim_row(
    doc_id: str,
    text: str,
    start: int,
    end: int,
    segment_index: int,
    sentence_index: int,
    kinds: list[str | None],
    source: str,
    labels: dict[str, Any],
) -> Row:
    return {
        "claim_id": claim_id(doc_id, start, end, labels["condition"]),
        "doc_id": doc_id,
        "segment_id": segment_id(doc_id, segment_index),
        "sentence_id": sentence_id(doc_id, sentence_index),
        "start": start,
        "end": end,
        "text": text[start:end],
        **labels,
        "in_boilerplate": kinds[segment_index] is not None,
        "label_source": source,
    }
