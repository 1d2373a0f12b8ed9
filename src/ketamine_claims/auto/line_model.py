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
from functools import cached_property, lru_cache
from pathlib import Path

from ketamine_claims.auto.line_features import NEIGHBOUR_OFFSETS, PageFeatures, page_features

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

    @cached_property
    def shown_weights(self) -> dict[str, tuple[float, ...]]:
        """Feature name → its weight on the line itself, then as each neighbour (NEIGHBOUR_OFFSETS order)."""
        names = set(self.weights).union(*self.neighbour_weights.values())
        return {
            name: (self.weights.get(name, 0.0), *(self.neighbour_weights[offset].get(name, 0.0) for offset in NEIGHBOUR_OFFSETS))
            for name in sorted(names)
        }

    @property
    def absent_shown(self) -> tuple[float, ...]:
        return (0.0,) * (1 + len(NEIGHBOUR_OFFSETS))

    @cached_property
    def outside(self) -> tuple[float, ...]:
        """Per offset, the weight of a neighbour past the page's ends (`none`)."""
        return tuple(self.neighbour_weights[offset].get("none", 0.0) for offset in NEIGHBOUR_OFFSETS)

    def state_scores(self, page: PageFeatures) -> list[float]:
        """Per line, the boilerplate score minus the content score of its features.

        A line's score is the sum of its own and shown features' weights, then, neighbour by
        neighbour in NEIGHBOUR_OFFSETS order, the sum of that neighbour's shown features' weights
        for its offset (or the offset's `none` weight past the page's ends); each sum adds the
        weights in feature order.
        """
        get = self.weights.get
        shown_get = self.shown_weights.get
        absent = self.absent_shown
        outside = self.outside
        own_scores = []
        # Per line, the sum of its shown features' weights as itself and as each neighbour.
        shown_sums = []
        for own, shown in zip(page.own, page.shown, strict=True):
            own_sum = 0.0
            for f in own:
                own_sum += get(f, 0.0)
            s0 = s1 = s2 = s3 = s4 = 0.0
            for f in shown:
                w0, w1, w2, w3, w4 = shown_get(f, absent)
                s0 += w0
                s1 += w1
                s2 += w2
                s3 += w3
                s4 += w4
            own_scores.append(own_sum + s0)
            shown_sums.append((s1, s2, s3, s4))
        if NEIGHBOUR_OFFSETS != (-2, -1, 1, 2):
            raise ValueError(f"state_scores is written for neighbour offsets (-2, -1, 1, 2), not {NEIGHBOUR_OFFSETS}")
        # Two lines past each end weigh `none`; then add the neighbours' sums in NEIGHBOUR_OFFSETS order.
        padded = [outside, outside, *shown_sums, outside, outside]
        return [
            score + padded[i][0] + padded[i + 1][1] + padded[i + 3][2] + padded[i + 4][3]
            for i, score in enumerate(own_scores)
        ]

    def predict(self, lines: Sequence[str]) -> list[bool]:
        """Whether each line of a page is boilerplate (the Viterbi path)."""
        return self.viterbi(page_features(lines))

    def viterbi(self, page: PageFeatures) -> list[bool]:
        """The most likely labels of the lines (True: boilerplate) under the CRF.

        Subtracting the content score from both labels at every line leaves the best path unchanged,
        so content lines score 0 and boilerplate lines their score difference.
        """
        return self.best_path(self.state_scores(page))

    def best_path(self, scores: Sequence[float]) -> list[bool]:
        """The Viterbi path over the lines' `state_scores`."""
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
