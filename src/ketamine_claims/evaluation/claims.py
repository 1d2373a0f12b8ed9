"""Evaluation of the auto claim detector: on the gold articles, and on the ketamine-pages corpus.

Each gold article is run through `process_doc` without its annotation (so the detector sees only
the text) and compared with its gold rows:

- claim sentences: precision, recall and F1 of `has_claim`;
- claim spans: a predicted span counts when it overlaps a gold span, a gold span is found when a
  predicted span overlaps it (`spans.any_overlap_score`);
- labels on matched claims: gold and predicted rows of one article are paired one to one, best
  character overlap (IoU) first; equal overlaps (the rows of one span, §3.2) pair same condition,
  then same type, first (`spans.pair`). On the pairs: accuracy of `claim_type`, `condition`, `hedged`,
  `attribution` and `intervention`, and a `claim_type` confusion table;
- attribution found: the share of gold rows with an attribution whose paired row has the same one
  (an unpaired gold row counts as not found).

The detector's rules were written while reading these articles and its sentence classifier was
trained on them, so these numbers are in-sample and optimistic for unseen pages.

`ketamine-claims score` records these scores in `evaluation/results/claims_gold.json` (`gold_results`),
which the dataset card reads. The out-of-sample figures come from the real pages of the ketamine-pages
corpus (`corpora.claim_pages`), scored by `scripts/train-claims` (`training.claims`, with the same
`ClaimScores`) and recorded in `auto/claim_metrics.json`.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ketamine_claims import schema
from ketamine_claims.evaluation.score import Score
from ketamine_claims.evaluation.spans import any_overlap_score, iou, pair
from ketamine_claims.gold.annotations import Annotation
from ketamine_claims.pipeline import process_doc
from ketamine_claims.publish.card_claims import GOLD_RESULTS_FILE
from ketamine_claims.staging import write_atomically

LABELS = ("claim_type", "condition", "hedged", "attribution", "intervention")
NO_ATTRIBUTION = "none"


@dataclass
class ClaimScores:
    documents: int = 0
    sentences: Score = field(default_factory=Score)
    sentences_unambiguous: Score = field(default_factory=Score)  # leaving out sentences the gold marks `amb`
    spans: Score = field(default_factory=Score)
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

    def merge(self, other: ClaimScores) -> None:
        """Add another set of scores (another fold) to these."""
        self.documents += other.documents
        self.sentences += other.sentences
        self.sentences_unambiguous += other.sentences_unambiguous
        self.spans += other.spans
        for name in ("gold_rows", "auto_rows", "matched", "attributed_gold", "attribution_found"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.correct.update(other.correct)
        self.confusion.update(other.confusion)
        self.per_document.extend(other.per_document)


def scores_dict(scores: ClaimScores) -> dict:
    """The pooled scores as JSON-ready data (sentence and span P/R/F1, label accuracies, attribution found)."""
    return {
        "documents": scores.documents,
        "claim_sentences": scores.sentences.as_dict(),
        "claim_sentences_without_amb": scores.sentences_unambiguous.as_dict(),
        "claim_spans": scores.spans.as_dict(),
        "gold_rows": scores.gold_rows,
        "auto_rows": scores.auto_rows,
        "matched_rows": scores.matched,
        "label_accuracy": {label: round(scores.accuracy(label), 4) for label in LABELS},
        "attribution_found": {
            "rate": round(scores.attribution_found_rate, 4),
            "found": scores.attribution_found,
            "gold_rows_with_attribution": scores.attributed_gold,
        },
    }


def match_claims(gold: list[dict], auto: list[dict]) -> list[tuple[dict, dict]]:
    """One-to-one pairs of overlapping gold and auto rows: best IoU first, then same condition, then same type."""
    gold_spans = [(g["start"], g["end"]) for g in gold]
    auto_spans = [(a["start"], a["end"]) for a in auto]

    def order(i: int, j: int) -> tuple:
        g, a = gold[i], auto[j]
        return -iou(gold_spans[i], auto_spans[j]), g["condition"] != a["condition"], g["claim_type"] != a["claim_type"]

    return [(gold[i], auto[j]) for i, j in pair(gold_spans, auto_spans, order)]


def _add_document(scores: ClaimScores, doc_id: str, gold: dict[str, list[dict]], auto: dict[str, list[dict]]) -> None:
    """Add one article's comparison (gold and auto `sentences` and `claims` rows) to the running scores."""
    sentences = Score.of_sets(
        {s["start"] for s in auto["sentences"] if s["has_claim"]}, {s["start"] for s in gold["sentences"] if s["has_claim"]}
    )
    scores.documents += 1
    scores.per_document.append((doc_id, sentences))
    scores.sentences += sentences
    ambiguous = {s["start"] for s in gold["sentences"] if s.get("amb")}
    scores.sentences_unambiguous += Score.of_sets(
        {s["start"] for s in auto["sentences"] if s["has_claim"]} - ambiguous,
        {s["start"] for s in gold["sentences"] if s["has_claim"]} - ambiguous,
    )
    scores.spans += any_overlap_score(
        sorted({(c["start"], c["end"]) for c in auto["claims"]}), sorted({(c["start"], c["end"]) for c in gold["claims"]})
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


def score_claims(gold_docs: list[tuple[str, str, Annotation]]) -> ClaimScores:
    """Score the auto claim detector on (doc_id, text, annotation) triples, each article labelled without its annotation."""
    scores = ClaimScores()
    for doc_id, text, annotation in gold_docs:
        _add_document(scores, doc_id, process_doc(doc_id, text, annotation).rows, process_doc(doc_id, text).rows)
    return scores


def gold_results(gold_docs: list[tuple[str, str, Annotation]]) -> dict:
    """The claim detector's scores on the gold articles as recorded in `evaluation/results/claims_gold.json`:
    pooled scores, claim sentences per article and the `claim_type` confusion of matched rows (gold -> auto -> n)."""
    scores = score_claims(gold_docs)
    types = schema.enum_values("claims", "claim_type")
    confusion = {g: {a: scores.confusion[(g, a)] for a in types if scores.confusion[(g, a)]} for g in types}
    return {
        "format": "ketamine-claims evaluation results 1",
        "unit": f"the {scores.documents} gold articles, each labelled end to end by `process_doc` without its annotation "
        "and compared with its gold rows; in-sample: the detector's rules were written while reading these articles "
        "and its sentence classifier was trained on them",
        **scores_dict(scores),
        "claim_sentences_per_document": {doc_id: s.as_dict() for doc_id, s in scores.per_document},
        "claim_type_confusion": {g: row for g, row in confusion.items() if row},
    }


def write_gold_results(results: dict, folder: Path | None = None) -> Path:
    """Write the gold-article results into folder (default: the package's copy, which the dataset card reads)."""
    path = (folder or GOLD_RESULTS_FILE.parent) / GOLD_RESULTS_FILE.name
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically((json.dumps(results, indent=1, ensure_ascii=False) + "\n").encode("utf-8"), path)
    return path
