"""Evaluation of the auto claim detector against the gold articles, one held-out article at a time.

Each gold article is run through `process_doc` without its annotation (so the detector sees only
the text) and compared with its gold rows:

- claim sentences: precision, recall and F1 of `has_claim`;
- claim spans: a predicted span counts when it overlaps a gold span, a gold span is found when a
  predicted span overlaps it;
- labels on matched claims: gold and predicted rows of one article are paired one to one, best
  character overlap (IoU) first; equal overlaps (the rows of one span, §3.2) pair same condition,
  then same type, first. On the pairs: accuracy of `claim_type`, `condition`, `hedged`,
  `attribution` and `intervention`, and a `claim_type` confusion table;
- attribution found: the share of gold rows with an attribution whose paired row has the same one
  (an unpaired gold row counts as not found).

The detector has no parameters fitted to data, so leave-one-article-out is scoring each article
with the same rules; the rules were written while reading these articles and the guidelines, so
the numbers are in-sample and optimistic for unseen pages.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from . import schema
from .annotations import Annotation
from .pipeline import process_doc
from .scoring import Score, _overlap_score, score_sets

LABELS = ("claim_type", "condition", "hedged", "attribution", "intervention")
NO_ATTRIBUTION = "none"


@dataclass
class ClaimScores:
    documents: int = 0
    sentences: Score = field(default_factory=lambda: Score(0, 0, 0))
    spans: Score = field(default_factory=lambda: Score(0, 0, 0))
    gold_rows: int = 0
    auto_rows: int = 0
    matched: int = 0
    correct: Counter[str] = field(default_factory=Counter)
    attributed_gold: int = 0
    attribution_found: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    per_document: list[tuple[str, Score]] = field(default_factory=list)

    def accuracy(self, label: str) -> float:
        return self.correct[label] / self.matched if self.matched else 0.0

    @property
    def attribution_found_rate(self) -> float:
        return self.attribution_found / self.attributed_gold if self.attributed_gold else 0.0


def _iou(a: dict, b: dict) -> float:
    inter = min(a["end"], b["end"]) - max(a["start"], b["start"])
    return inter / (max(a["end"], b["end"]) - min(a["start"], b["start"])) if inter > 0 else 0.0


def match_claims(gold: list[dict], auto: list[dict]) -> list[tuple[dict, dict]]:
    """One-to-one pairs of overlapping gold and auto rows: best IoU first, then same condition, then same type."""
    candidates = sorted(
        (
            (-_iou(g, a), g["condition"] != a["condition"], g["claim_type"] != a["claim_type"], i, j)
            for i, g in enumerate(gold)
            for j, a in enumerate(auto)
            if _iou(g, a) > 0
        ),
    )
    used_gold: set[int] = set()
    used_auto: set[int] = set()
    pairs = []
    for *_, i, j in candidates:
        if i not in used_gold and j not in used_auto:
            used_gold.add(i)
            used_auto.add(j)
            pairs.append((gold[i], auto[j]))
    return pairs


def score_claims(gold_docs: list[tuple[str, str, Annotation]]) -> ClaimScores:
    """Score the auto claim detector on (doc_id, text, annotation) triples, one held-out article at a time."""
    scores = ClaimScores()
    for doc_id, text, annotation in gold_docs:
        gold = process_doc(doc_id, text, annotation).rows
        auto = process_doc(doc_id, text).rows
        sentences = score_sets(
            {s["index"] for s in auto["sentences"] if s["has_claim"]}, {s["index"] for s in gold["sentences"] if s["has_claim"]}
        )
        scores.documents += 1
        scores.per_document.append((doc_id, sentences))
        scores.sentences += sentences
        scores.spans += _overlap_score(
            {(c["start"], c["end"]) for c in auto["claims"]}, {(c["start"], c["end"]) for c in gold["claims"]}
        )
        scores.gold_rows += len(gold["claims"])
        scores.auto_rows += len(auto["claims"])
        pairs = match_claims(gold["claims"], auto["claims"])
        paired = {id(g): a for g, a in pairs}
        scores.matched += len(pairs)
        for g, a in pairs:
            scores.correct.update(label for label in LABELS if g[label] == a[label])
            scores.confusion[(g["claim_type"], a["claim_type"])] += 1
        for g in gold["claims"]:
            if g["attribution"] != NO_ATTRIBUTION:
                scores.attributed_gold += 1
                a = paired.get(id(g))
                scores.attribution_found += a is not None and a["attribution"] == g["attribution"]
    return scores


def claim_scores_markdown(scores: ClaimScores) -> str:
    """The claim evaluation tables for the dataset card and `ketamine-claims score`."""

    def prf(name: str, s: Score) -> str:
        return f"| {name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |"

    lines = [
        f"Leave-one-article-out on the {scores.documents} gold articles: each article is labelled by the detector "
        "without its annotation and compared with its gold rows. The detector has no parameters fitted to data, so "
        "every fold runs the same rules; those rules were written while reading these articles and the guidelines, "
        "so these numbers are **in-sample** and optimistic for unseen pages.",
        "",
        "| claims | precision | recall | F1 |",
        "|---|---|---|---|",
        prf("claim sentences (has_claim)", scores.sentences),
        prf("claim spans (any overlap)", scores.spans),
        "",
        f"Labels on matched claims ({scores.matched} of {scores.gold_rows} gold rows paired with one of "
        f"{scores.auto_rows} auto rows, best overlap first):",
        "",
        "| label | accuracy |",
        "|---|---|",
        *(f"| `{label}` | {scores.accuracy(label):.3f} |" for label in LABELS),
        f"| attribution found (gold rows with an attribution: {scores.attributed_gold}) | {scores.attribution_found_rate:.3f} |",
        "",
        "Claim sentences per held-out article:",
        "",
        "| article | precision | recall | F1 |",
        "|---|---|---|---|",
        *(prf(f"`{doc_id}`", s) for doc_id, s in scores.per_document),
        "",
        "`claim_type` on matched claims (rows: gold, columns: auto):",
        "",
    ]
    types = schema.enum_values("claims", "claim_type")
    lines.append("| gold \\ auto | " + " | ".join(types) + " |")
    lines.append("|---|" + "---|" * len(types))
    for g in types:
        lines.append(f"| {g} | " + " | ".join(str(scores.confusion[(g, a)]) for a in types) + " |")
    return "\n".join(lines)
