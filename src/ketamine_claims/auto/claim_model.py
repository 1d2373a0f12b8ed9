"""Inference of the learned claim-sentence classifier: a maximum-entropy (logistic) model, in pure Python.

The model file (`claim_model.json`, written by `scripts/train-claims`) is plain JSON:

- `format`: `"ketamine-claims claim-maxent 1"`;
- `sentence`: `labels` `["no_claim", "claim"]` and `features`: feature name → one weight per label
  (names from `claim_features.sentence_features`; a feature the file does not list weighs 0);
- `training`: what the model was trained on (data, sha256, parameters).

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
MODEL_FORMAT = "ketamine-claims claim-maxent 1"
SENTENCE_LABELS = ("no_claim", "claim")


@dataclass(frozen=True)
class ClaimModel:
    """The sentence model as one weight per feature: claim minus no_claim."""

    weights: dict[str, float]

    @classmethod
    def from_json(cls, data: dict) -> ClaimModel:
        if data.get("format") != MODEL_FORMAT or tuple(data["sentence"]["labels"]) != SENTENCE_LABELS:
            raise ValueError(f"not a {MODEL_FORMAT} model with sentence labels {SENTENCE_LABELS}")
        return cls({name: claim - no for name, (no, claim) in data["sentence"]["features"].items()})

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
