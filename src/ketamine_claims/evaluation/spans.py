"""The one span matcher: which character spans overlap, and one-to-one pairs of them.

Spans are half-open `(start, end)` code-point ranges. Two spans match when they share at least one
character (span-overlap scoring, as for claim and entity detection); their overlap is the IoU
(Jaccard index of their character sets).

- `pair` pairs overlapping spans one to one, greedily in a given order (default: largest IoU
  first), then by index. Claim rows (`evaluation.claims`) and the agreement of two annotations
  (`gold.agreement`) are paired this way, each with its own order for spans of equal overlap.
- `any_overlap_score` counts without pairing: a predicted span is right when it overlaps any gold
  span, a gold span is found when any predicted span overlaps it. `tp` counts the predicted side,
  `fn` the gold side, so when one span overlaps several on the other side, recall (tp / (tp + fn))
  mixes the two sides; it is the claim span score recorded in `auto/claim_metrics.json`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ketamine_claims.evaluation.score import Score

Span = tuple[int, int]


def overlap(a: Span, b: Span) -> int:
    """Characters two spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def iou(a: Span, b: Span) -> float:
    """Shared characters over the characters of either span (0.0 when they do not overlap)."""
    shared = overlap(a, b)
    return shared / (max(a[1], b[1]) - min(a[0], b[0])) if shared else 0.0


def overlapping(first: Sequence[Span], second: Sequence[Span]) -> list[tuple[int, int]]:
    """Every (index in first, index in second) of two spans that overlap."""
    return [(i, j) for i, a in enumerate(first) for j, b in enumerate(second) if overlap(a, b)]


def pair(
    first: Sequence[Span], second: Sequence[Span], order: Callable[[int, int], tuple] | None = None
) -> list[tuple[int, int]]:
    """One-to-one (i, j) pairs of overlapping spans, sorted; taken greedily by order(i, j) (default: largest IoU
    first), then i, then j."""
    rank = order or (lambda i, j: (-iou(first[i], second[j]),))
    used_first: set[int] = set()
    used_second: set[int] = set()
    pairs = []
    for *_, i, j in sorted((*rank(i, j), i, j) for i, j in overlapping(first, second)):
        if i not in used_first and j not in used_second:
            used_first.add(i)
            used_second.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def any_overlap_score(predicted: Sequence[Span], gold: Sequence[Span]) -> Score:
    """tp: predicted spans overlapping a gold span; fp: the other predicted spans; fn: gold spans none overlaps."""
    links = overlapping(predicted, gold)
    right = len({i for i, _ in links})
    found = len({j for _, j in links})
    return Score(right, len(predicted) - right, len(gold) - found)
