"""Evaluation of the auto claim detector: on the gold articles, and on the ketamine-pages corpus.

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

The detector's rules were written while reading these articles and its sentence classifier was
trained on them, so these numbers are in-sample and optimistic for unseen pages.

The out-of-sample figures come from the real pages of the ketamine-pages corpus
(`claim_corpus`), scored by `scripts/train-claims` and recorded in `auto/claim_metrics.json`
(`claim_metrics_markdown` renders them for the card and `ketamine-claims score`).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ketamine_claims import schema
from ketamine_claims.evaluation.baselines import _overlap_score, score_sets
from ketamine_claims.evaluation.score import Score
from ketamine_claims.gold.annotations import Annotation
from ketamine_claims.pipeline import process_doc

LABELS = ("claim_type", "condition", "hedged", "attribution", "intervention")
NO_ATTRIBUTION = "none"
METRICS_FILE = Path(__file__).parents[1] / "auto" / "claim_metrics.json"
PAGES_HEADER = "Claim detector on the real pages of the ketamine-pages corpus (recorded by scripts/train-claims):"


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


def _add_document(scores: ClaimScores, doc_id: str, gold: dict[str, list[dict]], auto: dict[str, list[dict]]) -> None:
    """Add one article's comparison (gold and auto `sentences` and `claims` rows) to the running scores."""
    sentences = score_sets(
        {s["start"] for s in auto["sentences"] if s["has_claim"]}, {s["start"] for s in gold["sentences"] if s["has_claim"]}
    )
    scores.documents += 1
    scores.per_document.append((doc_id, sentences))
    scores.sentences += sentences
    ambiguous = {s["start"] for s in gold["sentences"] if s.get("amb")}
    scores.sentences_unambiguous += score_sets(
        {s["start"] for s in auto["sentences"] if s["has_claim"]} - ambiguous,
        {s["start"] for s in gold["sentences"] if s["has_claim"]} - ambiguous,
    )
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


def score_claims(gold_docs: list[tuple[str, str, Annotation]]) -> ClaimScores:
    """Score the auto claim detector on (doc_id, text, annotation) triples, each article labelled without its annotation."""
    scores = ClaimScores()
    for doc_id, text, annotation in gold_docs:
        _add_document(scores, doc_id, process_doc(doc_id, text, annotation).rows, process_doc(doc_id, text).rows)
    return scores


def claim_scores_markdown(scores: ClaimScores) -> str:
    """The claim evaluation tables for the dataset card and `ketamine-claims score`."""

    def prf(name: str, s: Score) -> str:
        return f"| {name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |"

    lines = [
        f"The {scores.documents} gold articles, each labelled by the detector without its annotation and compared with "
        "its gold rows. The detector's rules were written while reading these articles and its sentence classifier "
        "was trained on them, so these numbers are **in-sample** and optimistic for unseen pages.",
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
        "Claim sentences per gold article (each labelled by the detector without its annotation):",
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


def load_claim_metrics(path: Path = METRICS_FILE) -> dict:
    """The claim metrics recorded by `scripts/train-claims` (`auto/claim_metrics.json`)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def claim_metrics_markdown(metrics: dict) -> str:
    """The ketamine-pages claim evaluation recorded at training, one row per data set and way of scoring."""
    pages = metrics["training"]["pages"]
    rows = [
        ("dev split, scored once after the model was frozen", "detector, gold chrome", metrics["dev_once"]["model_detector"]),
        ("dev split, scored once", "end to end (`process_doc`)", metrics["dev_once"]["model_end_to_end"]),
        ("dev split, scored once", "named rules alone, gold chrome", metrics["dev_once"]["rules_alone_detector"]),
        ("train + dev, site-grouped CV (frozen choices)", "detector, gold chrome", metrics["train_dev_cv"]["model_detector"]),
        (
            "train + dev, site-grouped CV (frozen choices)",
            "end to end (`process_doc`)",
            metrics["train_dev_cv"]["model_end_to_end"],
        ),
        (
            "train split, site-grouped CV (development: rules and c2 chosen here)",
            "detector, gold chrome",
            metrics["train_cv"]["model_by_c2"][str(metrics["train_cv"]["chosen_c2"])],
        ),
        (
            "train split (in-sample: the rules were written reading it)",
            "named rules alone, gold chrome",
            metrics["train_cv"]["rules_alone"],
        ),
        ("gold articles (in-sample: in the training data)", "detector, gold chrome", metrics["gold_in_sample"]["model"]),
    ]
    header = ["data", "scored", "pages", "sentences P", "R", "F1", "F1 without `amb`", "`claim_type`", "`condition`", "`hedged`",
              "attribution found"]  # fmt: skip
    lines = [
        f"`ketamine-pages` corpus (`{pages['file']}`, sha256 `{pages['sha256'][:16]}…`); model trained on its "
        f"{pages['pages']} train pages and the {len(metrics['training']['gold_articles'])} gold articles.",
        "",
        "| " + " | ".join(header) + " |",
        "|---" * len(header) + "|",
    ]
    for data, scored, s in rows:
        sentences, labels, found = s["claim_sentences"], s["label_accuracy"], s["attribution_found"]
        cells = [
            data,
            scored,
            str(s["documents"]),
            f"{sentences['precision']:.3f}",
            f"{sentences['recall']:.3f}",
            f"**{sentences['f1']:.3f}**",
            f"{s['claim_sentences_without_amb']['f1']:.3f}",
            f"{labels['claim_type']:.3f}",
            f"{labels['condition']:.3f}",
            f"{labels['hedged']:.3f}",
            f"{found['rate']:.3f} ({found['found']} of {found['gold_rows_with_attribution']})",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
