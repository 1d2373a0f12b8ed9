"""Inference of the learned claim classifiers: two maximum-entropy (logistic) models, in pure Python.

The model file (`claim_model.json`, written by `scripts/train-claims`) is plain JSON:

- `format`: `"ketamine-claims claim-maxent 1"`;
- `sentence`: whether a content sentence carries a claim; `labels` `["no_claim", "claim"]` and
  `features`: feature name → one weight per label (names from `claim_features.sentence_features`);
- `claim_type`: the type of a claim span; `labels` the claim types and `features`: feature name →
  one weight per label (names from `claim_features.span_features`);
- `training`: what the models were trained on (data, sha256, parameters).

A feature the file does not list weighs 0. A sentence carries a claim when the summed weights of
its features favour `claim`; a span's type is the label with the highest sum (the first in
`labels` on a tie).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_FILE = Path(__file__).with_name("claim_model.json")
MODEL_FORMAT = "ketamine-claims claim-maxent 1"
SENTENCE_LABELS = ("no_claim", "claim")


@dataclass(frozen=True)
class ClaimModel:
    """The sentence model as one weight per feature (claim minus no_claim), the type model per label."""

    sentence_weights: dict[str, float]
    type_labels: tuple[str, ...]
    type_weights: dict[str, tuple[float, ...]]

    @classmethod
    def from_json(cls, data: dict) -> ClaimModel:
        if data.get("format") != MODEL_FORMAT or tuple(data["sentence"]["labels"]) != SENTENCE_LABELS:
            raise ValueError(f"not a {MODEL_FORMAT} model with sentence labels {SENTENCE_LABELS}")
        sentence = {name: claim - no for name, (no, claim) in data["sentence"]["features"].items()}
        labels = tuple(data["claim_type"]["labels"])
        types = {name: tuple(weights) for name, weights in data["claim_type"]["features"].items()}
        if any(len(w) != len(labels) for w in types.values()):
            raise ValueError(f"{MODEL_FORMAT}: every claim_type feature needs one weight per label")
        return cls(sentence, labels, types)

    def sentence_score(self, features: Iterable[str]) -> float:
        """Claim minus no-claim score of a sentence's features (positive: a claim)."""
        get = self.sentence_weights.get
        return sum(get(f, 0.0) for f in features)

    def is_claim(self, features: Iterable[str]) -> bool:
        return self.sentence_score(features) > 0.0

    def claim_type(self, features: Iterable[str]) -> str:
        totals = [0.0] * len(self.type_labels)
        get = self.type_weights.get
        for f in features:
            weights = get(f)
            if weights:
                for i, w in enumerate(weights):
                    totals[i] += w
        return self.type_labels[max(range(len(totals)), key=totals.__getitem__)]


def load_model(path: Path) -> ClaimModel:
    return ClaimModel.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def shipped_model() -> ClaimModel | None:
    """The model shipped in the package (read once per process), or None when no model file exists."""
    return load_model(MODEL_FILE) if MODEL_FILE.exists() else None
