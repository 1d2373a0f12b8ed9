"""Evaluation: the rule-based claim baseline scored against the gold labels; jusText for boilerplate.

Claims are scored on every gold document at sentence level (P/R/F1 of has_claim) and at span level
(a predicted span counts when it overlaps a gold span, and a gold span is found when a predicted
span overlaps it). Boilerplate scores (the line model, jusText, "lines < 10 words") live in
`boilerplate_scoring`: the model was trained on the gold articles, so they are only scored
leave-one-article-out. jusText 3 runs one escaped `<p>` per segment, mapped back by position.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ketamine_claims.evaluation.score import Score
from ketamine_claims.gold.annotations import Annotation
from ketamine_claims.pipeline import process_doc

JUSTEXT_LANGUAGE = "English"


def score_sets(predicted: set, gold: set) -> Score:
    return Score(len(predicted & gold), len(predicted - gold), len(gold - predicted))


def justext_boilerplate(segment_texts: list[str]) -> list[bool]:
    """jusText's boilerplate decision for each segment (one escaped <p> per segment)."""
    import justext

    body = "".join(f"<p>{html.escape(text)}</p>" for text in segment_texts)
    page = f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>"
    decisions = [True] * len(segment_texts)
    for paragraph in justext.justext(page.encode("utf-8"), justext.get_stoplist(JUSTEXT_LANGUAGE), encoding="utf-8"):
        found = re.search(r"/p\[(\d+)\]$", paragraph.xpath)
        if found:
            decisions[int(found[1]) - 1] = paragraph.is_boilerplate
    return decisions


def _overlap_score(predicted: set[tuple[int, int]], gold: set[tuple[int, int]]) -> Score:
    def overlaps(a: tuple[int, int], spans: set[tuple[int, int]]) -> bool:
        return any(a[0] < b[1] and b[0] < a[1] for b in spans)

    tp = sum(overlaps(p, gold) for p in predicted)
    found = sum(overlaps(g, predicted) for g in gold)
    return Score(tp, len(predicted) - tp, len(gold) - found)


@dataclass
class BaselineScores:
    claim_sentences: Score
    claim_spans: Score
    documents: int


def score_baselines(gold_docs: list[tuple[str, str, Annotation]]) -> BaselineScores:
    """Score the auto detectors and jusText against gold on (doc_id, text, annotation) triples."""
    totals = {k: Score(0, 0, 0) for k in ("sent", "span")}
    for doc_id, text, annotation in gold_docs:
        gold = process_doc(doc_id, text, annotation).rows
        auto = process_doc(doc_id, text).rows
        totals["sent"] += score_sets(
            {s["index"] for s in auto["sentences"] if s["has_claim"]}, {s["index"] for s in gold["sentences"] if s["has_claim"]}
        )
        totals["span"] += _overlap_score(
            {(c["start"], c["end"]) for c in auto["claims"]}, {(c["start"], c["end"]) for c in gold["claims"]}
        )
    return BaselineScores(totals["sent"], totals["span"], len(gold_docs))


def scores_markdown(scores: BaselineScores) -> str:
    """The claim baseline table for the dataset card and `ketamine-claims score`."""

    def row(task: str, system: str, s: Score) -> str:
        return f"| {task} | {system} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |"

    lines = [
        f"Scored on the {scores.documents} gold documents (`ketamine-claims score` reruns it).",
        "",
        "| task | system | precision | recall | F1 |",
        "|---|---|---|---|---|",
        row("claim sentences (has_claim)", "rules (`auto`)", scores.claim_sentences),
        row("claim spans (any overlap)", "rules (`auto`)", scores.claim_spans),
    ]
    return "\n".join(lines)
