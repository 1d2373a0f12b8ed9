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

The out-of-sample figure comes from the held-out articles in `tests/data/claims-heldout/` (their
README describes the format): written articles labelled sentence by sentence against the
guidelines, split into `dev` (studied when changing the rules) and `test` (scored once a change is
frozen). They are scored the same way, split by split; a gold row's span is its `quote`, or its
whole sentence.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import schema
from .annotations import Annotation
from .errors import InputError
from .metrics import Score
from .pipeline import process_doc
from .scoring import _overlap_score, score_sets
from .segments import split_segments
from .sentences import split_sentences

LABELS = ("claim_type", "condition", "hedged", "attribution", "intervention")
NO_ATTRIBUTION = "none"
HELDOUT_DIR = Path("tests") / "data" / "claims-heldout"  # relative to the repository root (Paths.claims_heldout)
HELDOUT_SPLITS = ("dev", "test")
HELDOUT_HEADER = "Claim detector on the held-out articles of tests/data/claims-heldout (out-of-sample):"
HELDOUT_ROW_KEYS = {"type", "condition", "hedged", "attribution", "intervention", "quote"}


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
    """Score the auto claim detector on (doc_id, text, annotation) triples, one held-out article at a time."""
    scores = ClaimScores()
    for doc_id, text, annotation in gold_docs:
        _add_document(scores, doc_id, process_doc(doc_id, text, annotation).rows, process_doc(doc_id, text).rows)
    return scores


@dataclass(frozen=True)
class HeldoutArticle:
    """One held-out article: its text and gold `sentences` / `claims` rows (offsets into `text`)."""

    article_id: str
    split: str
    text: str
    sentences: list[dict]
    claims: list[dict]


def _check_label(path: Path, where: str, column: str, value: object) -> None:
    allowed = schema.enum_values("claims", column)
    if value is not None and value not in allowed:
        raise InputError(path, f"unknown {column} {value!r} (allowed: {', '.join(allowed)})", entry=where)


def load_heldout_article(path: Path) -> HeldoutArticle:
    """Read one held-out article file; stops with the file and line entry when a label or a sentence is wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(path, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("lines"), list):
        raise InputError(path, "expected a mapping with id, split, intervention and a list `lines`")
    if data.get("split") not in HELDOUT_SPLITS:
        raise InputError(path, f"split must be one of {', '.join(HELDOUT_SPLITS)}, not {data.get('split')!r}")
    default_intervention = data.get("intervention", "ketamine")
    _check_label(path, "intervention", "intervention", default_intervention)
    line_items: list[list] = []
    for item in data["lines"]:
        line_items.append([] if isinstance(item, str) else list(item))
    text = (
        "\n".join(
            item if isinstance(item, str) else " ".join(s if isinstance(s, str) else str(s.get("text", "")) for s in item)
            for item in data["lines"]
        )
        + "\n"
    )
    segments = split_segments(text)
    by_segment: dict[int, list[tuple[int, int]]] = {}
    for sent in split_sentences(text, segments):
        by_segment.setdefault(sent.segment_index, []).append((sent.start, sent.end))
    sentences: list[dict] = []
    claims: list[dict] = []
    for line_number, (seg, items) in enumerate(zip(segments, line_items, strict=True), start=1):
        spans = by_segment[seg.index]
        if not items:
            sentences.extend({"start": a, "end": b, "has_claim": False} for a, b in spans)
            continue
        texts = [s if isinstance(s, str) else s.get("text", "") for s in items]
        if [text[a:b] for a, b in spans] != texts:
            raise InputError(
                path,
                f"the sentences do not match the sentence splitter's {[text[a:b] for a, b in spans]}",
                entry=f"line {line_number}",
            )
        for (start, end), item in zip(spans, items, strict=True):
            rows = [] if isinstance(item, str) else item.get("claims") or []
            sentences.append({"start": start, "end": end, "has_claim": bool(rows)})
            for row in rows:
                where = f"line {line_number}: {text[start:end][:40]!r}"
                if not isinstance(row, dict) or set(row) - HELDOUT_ROW_KEYS or not {"type", "hedged", "attribution"} <= set(row):
                    raise InputError(
                        path,
                        f"a claim row needs type, condition, hedged, attribution (and may have intervention, quote): {row!r}",
                        entry=where,
                    )
                quote = row.get("quote", text[start:end])
                offset = text[start:end].find(quote)
                if offset < 0 or not quote:
                    raise InputError(path, f"quote {quote!r} is not in its sentence", entry=where)
                labels = {
                    "claim_type": row["type"],
                    "condition": row.get("condition"),
                    "hedged": row["hedged"],
                    "attribution": row["attribution"],
                    "intervention": row.get("intervention", default_intervention),
                }
                for column in ("claim_type", "condition", "attribution", "intervention"):
                    _check_label(path, where, column, labels[column])
                if not isinstance(labels["hedged"], bool):
                    raise InputError(path, f"hedged must be true or false, not {labels['hedged']!r}", entry=where)
                claims.append({"start": start + offset, "end": start + offset + len(quote), **labels})
    return HeldoutArticle(str(data.get("id", path.stem)), data["split"], text, sentences, claims)


def load_heldout(folder: Path) -> list[HeldoutArticle]:
    """Every held-out article of a folder (`*.yaml`, in name order)."""
    if not folder.is_dir():
        raise FileNotFoundError(f"held-out claim articles: no folder {folder}")
    return [load_heldout_article(path) for path in sorted(folder.glob("*.yaml"))]


def score_heldout(articles: list[HeldoutArticle]) -> dict[str, ClaimScores]:
    """Scores of the auto claim detector on the held-out articles, one `ClaimScores` per split."""
    scores = {split: ClaimScores() for split in HELDOUT_SPLITS}
    for article in articles:
        auto = process_doc(article.article_id, article.text).rows
        _add_document(scores[article.split], article.article_id, {"sentences": article.sentences, "claims": article.claims}, auto)
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


def heldout_scores_markdown(scores: dict[str, ClaimScores]) -> str:
    """The held-out (out-of-sample) claim evaluation table, one row per split."""
    header = ["split", "articles", "sentences P", "R", "F1", "spans F1", *(f"`{label}`" for label in LABELS), "attribution found"]
    lines = ["| " + " | ".join(header) + " |", "|---" * len(header) + "|"]
    for split, s in scores.items():
        cells = [
            f"{split} ({s.matched}/{s.gold_rows} gold rows paired)",
            str(s.documents),
            f"{s.sentences.precision:.3f}",
            f"{s.sentences.recall:.3f}",
            f"{s.sentences.f1:.3f}",
            f"{s.spans.f1:.3f}",
            *(f"{s.accuracy(label):.3f}" for label in LABELS),
            f"{s.attribution_found_rate:.3f} of {s.attributed_gold}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
