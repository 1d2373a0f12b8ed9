"""The one score counter: precision, recall and F1 from true-positive, false-positive and false-negative counts.

Every figure of the project is one: boilerplate characters and segments, claim sentences and spans, and the
agreement of two annotations (the second scored against the first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Score:
    """Counts of one class (boilerplate segments or characters, claim sentences or spans) and their rates."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @classmethod
    def of_sets(cls, predicted: set, gold: set) -> Score:
        """Items predicted and gold, predicted only, gold only."""
        return cls(len(predicted & gold), len(predicted - gold), len(gold - predicted))

    @classmethod
    def of_flags(cls, gold: Sequence[bool], predicted: Sequence[bool], weights: Sequence[int] | None = None) -> Score:
        """Counts of aligned yes/no decisions (each unit weighted, e.g. by its characters; 1 without weights)."""
        tp = fp = fn = 0
        for i, (g, p) in enumerate(zip(gold, predicted, strict=True)):
            n = 1 if weights is None else weights[i]
            tp += n if p and g else 0
            fp += n if p and not g else 0
            fn += n if g and not p else 0
        return cls(tp, fp, fn)

    @classmethod
    def of_matches(cls, matched: int, predicted: int, gold: int) -> Score:
        """Counts of a one-to-one matching: matched pairs out of the predicted and the gold units."""
        return cls(matched, predicted - matched, gold - matched)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall, 2 tp / (2 tp + fp + fn)."""
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def rates(self) -> dict[str, float | None]:
        """Precision, recall and F1 unrounded, None where undefined (nothing predicted, nothing gold, or neither)."""
        return {
            "precision": self.precision if self.tp + self.fp else None,
            "recall": self.recall if self.tp + self.fn else None,
            "f1": self.f1 if self.tp + self.fp + self.fn else None,
        }

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }
