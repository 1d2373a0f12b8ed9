"""Inference of the learned claim classifiers: maximum-entropy (logistic) models, in pure Python.

The model file (`claim_model.json`, written by `scripts/train-claims`) is plain JSON:

- `format`: `"ketamine-claims claim-maxent 2"`;
- `sentence`: `labels` `["no_claim", "claim"]` and `features`: feature name → one weight per label
  (names from `claim_features.sentence_features`; a feature the file does not list weighs 0);
- `claim_type` (optional): the row-label classifier of `claim_type`, in the same form (`labels`: the
  claim types, names from `claim_features.label_features`), with `min_margin`: the model's type replaces
  the named rules' only when its score beats the rules' type by more than this margin;
- `condition` (optional): the row-label classifier of `condition`, in the same form (`labels`: the
  conditions and `none`, names from `claim_features.condition_features`), used on rows whose span
  names no condition and the named rules give one condition (or none);
- `training`: what the models were trained on (data, sha256, parameters).

A sentence the named rules propose as a claim keeps it when the summed weights of its features
favour `claim` (the classifier can veto a proposed sentence, never add one).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_FILE = Path(__file__).with_name("claim_model.json")
MODEL_FORMAT = "ketamine-claims claim-maxent 2"
SENTENCE_LABELS = ("no_claim", "claim")
# The row labels a model file may hold a classifier of, in the order they are chosen.
ROW_LABELS = ("claim_type", "condition")
# The condition model's label for a row without a condition.
NO_CONDITION = "none"


@dataclass(frozen=True)
class LabelModel:
    """A multi-class maxent model of one row label: one weight per label for each feature."""

    labels: tuple[str, ...]
    weights: dict[str, tuple[float, ...]]
    min_margin: float

    @classmethod
    def from_json(cls, data: dict) -> LabelModel:
        return cls(tuple(data["labels"]), {k: tuple(v) for k, v in data["features"].items()}, float(data["min_margin"]))

    def scores(self, features: Iterable[str]) -> list[float]:
        """The summed weights of the features, one per label."""
        known = [w for w in map(self.weights.get, features) if w is not None]
        return [sum(column) for column in zip(*known, strict=True)] if known else [0.0] * len(self.labels)

    def decide(self, features: Iterable[str], rule_label: str) -> str:
        """The model's label when it beats the rules' label by more than `min_margin`, else the rules' label."""
        totals = self.scores(features)
        best = totals.index(max(totals))
        if rule_label not in self.labels:
            return self.labels[best]
        return self.labels[best] if totals[best] - totals[self.labels.index(rule_label)] > self.min_margin else rule_label


@dataclass(frozen=True)
class ClaimModel:
    """The sentence model as one weight per feature (claim minus no_claim), and the optional row-label models."""

    weights: dict[str, float]
    claim_type: LabelModel | None = None
    condition: LabelModel | None = None

    @classmethod
    def from_json(cls, data: dict) -> ClaimModel:
        if data.get("format") != MODEL_FORMAT or tuple(data["sentence"]["labels"]) != SENTENCE_LABELS:
            raise ValueError(f"not a {MODEL_FORMAT} model with sentence labels {SENTENCE_LABELS}")
        rows = {label: LabelModel.from_json(data[label]) for label in ROW_LABELS if data.get(label)}
        return cls({name: claim - no for name, (no, claim) in data["sentence"]["features"].items()}, **rows)

    def score(self, features: Iterable[str]) -> float:
        """Claim minus no-claim score of a sentence's features (positive: a claim)."""
        get = self.weights.get
        return sum(get(f, 0.0) for f in features)

    def is_claim(self, features: Iterable[str]) -> bool:
        return self.score(features) > 0.0


def load_model(path: Path) -> ClaimModel:
    return ClaimModel.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def shipped_model() -> ClaimModel:
    """The model shipped in the package (read once per process)."""
    return load_model(MODEL_FILE)
