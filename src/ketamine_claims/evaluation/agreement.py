"""Inter-annotator agreement between two folders of annotation files (first and second annotator).

Measures, per article and overall (units pooled over articles, not averaged):

- boilerplate: Cohen's kappa on the per-segment decision boilerplate/content, and on the kind
  (content or one of the boilerplate kinds);
- claim spans: precision, recall and F1 of the second annotator's distinct spans against the
  first's, where two spans match when they overlap by at least one character (one-to-one, largest
  overlap first, as in span-overlap scoring of claim and entity detection); the same with exact
  spans; and for rows, one row per (span, condition), matched the same way, same condition first;
- labels: Cohen's kappa on claim_type, condition, hedged, attribution and verdict over the matched
  rows (condition null counts as its own category).

Kappa is undefined (None, printed "n/a") when both annotators use one and the same category for
every unit. Neither annotator is gold here: precision and recall only say which way spans differ.
"""

from __future__ import annotations

import errno
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ketamine_claims.errors import InputError
from ketamine_claims.evaluation.score import Score
from ketamine_claims.evaluation.spans import iou, pair
from ketamine_claims.gold.annotations import Annotation, ResolvedClaim, load_annotations, resolve
from ketamine_claims.text.seeds import load_seeds
from ketamine_claims.text.segments import split_segments

LABELS = ("claim_type", "condition", "hedged", "attribution", "verdict")
CONTENT = "content"


def cohen_kappa(first: list, second: list) -> float | None:
    """Cohen's kappa of two equally long label sequences; None when undefined (no units, or chance agreement 1)."""
    if len(first) != len(second):
        raise ValueError("label sequences differ in length")
    n = len(first)
    if n == 0:
        return None
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    count_a, count_b = Counter(first), Counter(second)
    expected = sum(count_a[c] * count_b[c] for c in count_a) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def prf(matched: int, n_first: int, n_second: int) -> dict[str, float | None]:
    """Precision (of the second against the first), recall and F1; None where undefined."""
    return Score.of_matches(matched, predicted=n_second, gold=n_first).rates()


def match_rows(first: list[ResolvedClaim], second: list[ResolvedClaim]) -> list[tuple[ResolvedClaim, ResolvedClaim]]:
    """One-to-one pairs of claim rows with overlapping spans: same condition first, then largest overlap (IoU)."""
    spans_a = [(c.start, c.end) for c in first]
    spans_b = [(c.start, c.end) for c in second]

    def order(i: int, j: int) -> tuple:
        return first[i].entry.condition != second[j].entry.condition, -iou(spans_a[i], spans_b[j])

    return [(first[i], second[j]) for i, j in pair(spans_a, spans_b, order)]


@dataclass
class Units:
    """What two annotators said about one article (or several pooled)."""

    segments: list[tuple[str, str]] = field(default_factory=list)  # (first kind, second kind) per segment
    span_counts: list[int] = field(default_factory=lambda: [0, 0, 0])  # matched, first, second
    exact_counts: list[int] = field(default_factory=lambda: [0, 0, 0])
    row_counts: list[int] = field(default_factory=lambda: [0, 0, 0])
    pairs: list[dict[str, tuple]] = field(default_factory=list)  # per matched row: label -> (first, second)

    def add(self, other: Units) -> None:
        self.segments += other.segments
        for mine, theirs in (
            (self.span_counts, other.span_counts),
            (self.exact_counts, other.exact_counts),
            (self.row_counts, other.row_counts),
        ):
            mine[:] = [x + y for x, y in zip(mine, theirs, strict=True)]
        self.pairs += other.pairs

    def scores(self) -> dict:
        first_kinds = [a for a, _ in self.segments]
        second_kinds = [b for _, b in self.segments]
        return {
            "segments": len(self.segments),
            "boilerplate_kappa": cohen_kappa([k != CONTENT for k in first_kinds], [k != CONTENT for k in second_kinds]),
            "boilerplate_kind_kappa": cohen_kappa(first_kinds, second_kinds),
            "spans": {"first": self.span_counts[1], "second": self.span_counts[2], "matched": self.span_counts[0]}
            | prf(*self.span_counts),
            "exact_spans": {"matched": self.exact_counts[0]} | prf(*self.exact_counts),
            "rows": {"first": self.row_counts[1], "second": self.row_counts[2], "matched": self.row_counts[0]}
            | prf(*self.row_counts),
            "kappa": {
                label: cohen_kappa([p[label][0] for p in self.pairs], [p[label][1] for p in self.pairs]) for label in LABELS
            },
        }


def compare_document(text: str, first: Annotation, second: Annotation) -> Units:
    """Agreement units of one article annotated twice."""
    segments = split_segments(text)
    kinds_a, claims_a = resolve(first, text, segments)
    kinds_b, claims_b = resolve(second, text, segments)
    units = Units()
    units.segments = [(kinds_a.get(s.index, CONTENT), kinds_b.get(s.index, CONTENT)) for s in segments]
    spans_a = sorted({(c.start, c.end) for c in claims_a})
    spans_b = sorted({(c.start, c.end) for c in claims_b})
    units.span_counts = [len(pair(spans_a, spans_b)), len(spans_a), len(spans_b)]
    units.exact_counts = [len(set(spans_a) & set(spans_b)), len(spans_a), len(spans_b)]
    rows = match_rows(claims_a, claims_b)
    units.row_counts = [len(rows), len(claims_a), len(claims_b)]
    units.pairs = [{label: (getattr(a.entry, label), getattr(b.entry, label)) for label in LABELS} for a, b in rows]
    return units


def compare_folders(first: Path, second: Path, seeds: Path) -> dict:
    """Scores per article, and overall; InputError naming the file when an article is annotated in one folder only,
    has no seed, or its annotation is a symbolic link (which could point at the other annotator's file)."""
    for folder in (first, second):
        if not folder.is_dir():
            raise FileNotFoundError(errno.ENOENT, "no such folder of annotation files", str(folder))
    texts = {s.doc_id: s.text for s in load_seeds(seeds)}
    annotations_a, annotations_b = load_annotations(first), load_annotations(second)
    shared = sorted(set(annotations_a) & set(annotations_b) & set(texts))
    if not shared:
        raise InputError(second, f"no annotation file here shares a doc_id with {first}")
    for folder, mine, theirs in ((first, annotations_a, annotations_b), (second, annotations_b, annotations_a)):
        missing, seedless = sorted(set(theirs) - set(mine)), sorted(set(mine) - set(texts))
        if missing:
            other = theirs[missing[0]].path
            message = f"missing, but {other} annotates this article; compare both or neither"
            raise InputError(folder / f"{missing[0]}.yaml", message)
        if seedless:
            raise InputError(mine[seedless[0]].path, f"no seed file for doc_id {seedless[0]} in {seeds}")
    for annotation in [*annotations_a.values(), *annotations_b.values()]:
        path = Path(annotation.path)
        if path.is_symlink():
            raise InputError(path, f"is a symbolic link (to {os.readlink(path)}); each annotation must be its own file")
    overall, per_doc = Units(), {}
    for doc_id in shared:
        units = compare_document(texts[doc_id], annotations_a[doc_id], annotations_b[doc_id])
        per_doc[doc_id] = units.scores()
        overall.add(units)
    return {"documents": per_doc, "overall": overall.scores()}


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def agreement_markdown(result: dict) -> str:
    """Two Markdown tables (spans and boilerplate; label kappas), one row per article and one overall."""
    rows = [*result["documents"].items(), ("overall", result["overall"])]
    head = (
        "| article | segments | boilerplate κ | kind κ | spans (1st / 2nd / matched) | span P | span R | span F1 "
        "| exact-span F1 | rows (1st / 2nd / matched) | row F1 |\n|---|---|---|---|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for name, s in rows:
        sp, rw = s["spans"], s["rows"]
        lines.append(
            f"| {name} | {s['segments']} | {_fmt(s['boilerplate_kappa'])} | {_fmt(s['boilerplate_kind_kappa'])} "
            f"| {sp['first']} / {sp['second']} / {sp['matched']} | {_fmt(sp['precision'])} | {_fmt(sp['recall'])} "
            f"| {_fmt(sp['f1'])} | {_fmt(s['exact_spans']['f1'])} | {rw['first']} / {rw['second']} / {rw['matched']} "
            f"| {_fmt(rw['f1'])} |"
        )
    lines += ["", "| article | " + " | ".join(f"{label} κ" for label in LABELS) + " |", "|---" * (len(LABELS) + 1) + "|"]
    for name, s in rows:
        lines.append(f"| {name} | " + " | ".join(_fmt(s["kappa"][label]) for label in LABELS) + " |")
    return "\n".join(lines) + "\n"


def agreement_json(result: dict) -> str:
    return json.dumps(result, indent=2, sort_keys=True) + "\n"
