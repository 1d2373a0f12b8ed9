"""Inference of the boilerplate line model: a linear-chain CRF over the lines of a page, in pure Python.

The model file (`boilerplate_model.json`, written by `scripts/train-boilerplate`) is plain JSON:

- `format`: `"ketamine-claims line-crf 1"`;
- `labels`: `["content", "boilerplate"]`;
- `transitions`: a 2×2 list, `transitions[a][b]` the weight of label `b` following label `a`;
- `features`: feature name → `[weight for content, weight for boilerplate]` (names from
  `line_features.page_features`; a feature the file does not list weighs 0);
- `decisive_rules`: names of the named rules that mark a line as boilerplate on their own;
- `training`: what the model was trained on (corpora, their sha256, parameters).

A page's labels are the Viterbi path: the sequence that maximises the sum of the weights of each
line's features for its label plus the transition weights between consecutive labels.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .line_features import page_features

MODEL_FILE = Path(__file__).with_name("boilerplate_model.json")
MODEL_FORMAT = "ketamine-claims line-crf 1"
LABELS = ("content", "boilerplate")


@dataclass(frozen=True)
class LineModel:
    transitions: tuple[tuple[float, float], tuple[float, float]]
    features: dict[str, tuple[float, float]]
    decisive_rules: frozenset[str]

    @classmethod
    def from_json(cls, data: dict) -> LineModel:
        if data.get("format") != MODEL_FORMAT or tuple(data.get("labels", ())) != LABELS:
            raise ValueError(f"not a {MODEL_FORMAT} model with labels {LABELS}")
        (a, b), (c, d) = data["transitions"]
        return cls(((a, b), (c, d)), {k: (v[0], v[1]) for k, v in data["features"].items()}, frozenset(data["decisive_rules"]))

    def state_scores(self, features: list[list[str]]) -> list[tuple[float, float]]:
        weights = self.features
        zero = (0.0, 0.0)
        out = []
        for names in features:
            content = boilerplate = 0.0
            for name in names:
                w = weights.get(name, zero)
                content += w[0]
                boilerplate += w[1]
            out.append((content, boilerplate))
        return out

    def predict(self, lines: Sequence[str]) -> list[bool]:
        """Whether each line of a page is boilerplate: the Viterbi path, then the decisive rules."""
        return self.predict_features(page_features(lines))

    def predict_features(self, features: list[list[str]]) -> list[bool]:
        """Whether each line is boilerplate, from the lines' features (`line_features.page_features`)."""
        decisive = {"r=" + name for name in self.decisive_rules}
        return [flag or not decisive.isdisjoint(names) for flag, names in zip(self.viterbi(features), features, strict=True)]

    def viterbi(self, features: list[list[str]]) -> list[bool]:
        """The most likely labels of the lines (True: boilerplate) under the CRF."""
        if not features:
            return []
        scores = self.state_scores(features)
        (cc, cb), (bc, bb) = self.transitions
        best = list(scores[0])
        back: list[tuple[int, int]] = []
        for content, boilerplate in scores[1:]:
            from_c = (best[0] + cc, best[1] + bc)
            from_b = (best[0] + cb, best[1] + bb)
            arg_c = 0 if from_c[0] >= from_c[1] else 1
            arg_b = 0 if from_b[0] >= from_b[1] else 1
            back.append((arg_c, arg_b))
            best = [from_c[arg_c] + content, from_b[arg_b] + boilerplate]
        label = 0 if best[0] >= best[1] else 1
        path = [label]
        for pointers in reversed(back):
            label = pointers[label]
            path.append(label)
        path.reverse()
        return [label == 1 for label in path]


def load_model(path: Path) -> LineModel:
    return LineModel.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def shipped_model() -> LineModel:
    """The model shipped in the package (read once per process)."""
    return load_model(MODEL_FILE)
