"""Inference of the boilerplate line model: a linear-chain CRF over the lines of a page, in pure Python.

The model file (`boilerplate_model.json`, written by `scripts/train-boilerplate`) is plain JSON:

- `format`: `"ketamine-claims line-crf 1"`;
- `labels`: `["content", "boilerplate"]`;
- `transitions`: a 2×2 list, `transitions[a][b]` the weight of label `b` following label `a`;
- `features`: feature name → `[weight for content, weight for boilerplate]` (names from
  `line_features.page_features`; a feature the file does not list weighs 0);
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

from .line_features import NEIGHBOUR_OFFSETS, PageFeatures, page_features

MODEL_FILE = Path(__file__).with_name("boilerplate_model.json")
MODEL_FORMAT = "ketamine-claims line-crf 1"
LABELS = ("content", "boilerplate")


@dataclass(frozen=True)
class LineModel:
    """The CRF, kept as one weight per feature: boilerplate minus content (all that the Viterbi path needs)."""

    transitions: tuple[tuple[float, float], tuple[float, float]]
    weights: dict[str, float]
    neighbour_weights: dict[int, dict[str, float]]

    @classmethod
    def from_json(cls, data: dict) -> LineModel:
        if data.get("format") != MODEL_FORMAT or tuple(data.get("labels", ())) != LABELS:
            raise ValueError(f"not a {MODEL_FORMAT} model with labels {LABELS}")
        (a, b), (c, d) = data["transitions"]
        weights: dict[str, float] = {}
        neighbours: dict[int, dict[str, float]] = {offset: {} for offset in NEIGHBOUR_OFFSETS}
        prefixes = {f"{offset:+d}:": offset for offset in NEIGHBOUR_OFFSETS}
        for name, (content, boilerplate) in data["features"].items():
            offset = prefixes.get(name[:3])
            if offset is None:
                weights[name] = boilerplate - content
            else:
                neighbours[offset][name[3:]] = boilerplate - content
        return cls(((a, b), (c, d)), weights, neighbours)

    def state_scores(self, page: PageFeatures) -> list[float]:
        """Per line, the boilerplate score minus the content score of its features."""
        get = self.weights.get
        n = len(page.shown)
        scores = [
            sum(get(f, 0.0) for f in own) + sum(get(f, 0.0) for f in shown)
            for own, shown in zip(page.own, page.shown, strict=True)
        ]
        for offset, weights in self.neighbour_weights.items():
            get = weights.get
            outside = get("none", 0.0)
            for i in range(n):
                j = i + offset
                scores[i] += sum(get(f, 0.0) for f in page.shown[j]) if 0 <= j < n else outside
        return scores

    def predict(self, lines: Sequence[str]) -> list[bool]:
        """Whether each line of a page is boilerplate (the Viterbi path)."""
        return self.viterbi(page_features(lines))

    def viterbi(self, page: PageFeatures) -> list[bool]:
        """The most likely labels of the lines (True: boilerplate) under the CRF.

        Subtracting the content score from both labels at every line leaves the best path unchanged,
        so content lines score 0 and boilerplate lines their score difference.
        """
        scores = self.state_scores(page)
        if not scores:
            return []
        (cc, cb), (bc, bb) = self.transitions
        best_c, best_b = 0.0, scores[0]
        back: list[tuple[bool, bool]] = []
        for score in scores[1:]:
            c_from_c, c_from_b = best_c + cc, best_b + bc
            b_from_c, b_from_b = best_c + cb, best_b + bb
            back.append((c_from_b > c_from_c, b_from_b > b_from_c))
            best_c = max(c_from_c, c_from_b)
            best_b = max(b_from_c, b_from_b) + score
        label = best_b > best_c
        path = [label]
        for pointers in reversed(back):
            label = pointers[label]
            path.append(label)
        path.reverse()
        return path


def load_model(path: Path) -> LineModel:
    return LineModel.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def shipped_model() -> LineModel:
    """The model shipped in the package (read once per process)."""
    return load_model(MODEL_FILE)
