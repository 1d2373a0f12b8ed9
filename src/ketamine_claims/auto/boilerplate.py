"""Stage 3: boilerplate detection for articles without gold labels: a trained line model plus named rules.

The line model (`line_model.py`, a linear-chain CRF over the page's lines trained by
`scripts/train-boilerplate`) decides content or boilerplate for every segment from the text alone.
The named rules of `boilerplate_rules.py` explain its decisions: a boilerplate segment's kind is
that of the first rule matching it, `duplicate_title` for a later copy of the title, else `other`.
Rules that were near-certain on the training pages (the model file's `decisive_rules`) mark a
segment as boilerplate on their own. Every run counts how often each rule gave a kind, and how
often the model's call had no named rule (`line_model`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..segments import Segment
from .boilerplate_rules import LINE_RULES, RULE_NAMES, mentions_topic
from .line_features import page_features
from .line_model import shipped_model

__all__ = ["RULE_NAMES", "detect_boilerplate", "find_title", "mentions_topic", "reads_as_title"]

RULE_KINDS = {rule.name: rule.kind for rule in LINE_RULES}
# A headline: a few words, not a sentence cut by a colon or comma, and not a list bullet.
TITLE_MIN_WORDS = 2
TITLE_MAX_WORDS = 25
TITLE_BAD_ENDINGS = (",", ";", ":", "…", "...")


def reads_as_title(text: str) -> bool:
    """A line shaped like a headline: 2-25 words, not ending in a comma, colon or ellipsis, not all digits."""
    words = text.split()
    return (
        TITLE_MIN_WORDS <= len(words) <= TITLE_MAX_WORDS
        and not text.endswith(TITLE_BAD_ENDINGS)
        and sum(c.isalpha() for c in text) > sum(c.isdigit() for c in text)
    )


def find_title(segments: Sequence[Segment], kinds: Sequence[str | None]) -> int | None:
    """Index of the headline: the first content segment that reads as a title, else the first content segment."""
    content = [seg.index for seg, kind in zip(segments, kinds, strict=True) if kind is None]
    return next((i for i in content if reads_as_title(segments[i].text)), content[0] if content else None)


def detect_boilerplate(segments: Sequence[Segment]) -> tuple[list[str | None], Counter[str]]:
    """Boilerplate kind (or None for content) of every segment, and how often each rule gave a kind."""
    lines = [seg.text for seg in segments]
    features = page_features(lines)
    model = shipped_model()
    flags = model.predict_features(features)
    kinds: list[str | None] = [None] * len(segments)
    fired: Counter[str] = Counter()
    for i, names in enumerate(features):
        matched = [name[2:] for name in names if name.startswith("r=")]
        if flags[i]:
            rule = matched[0] if matched else "line_model"
            kinds[i] = RULE_KINDS.get(rule, "other")
            fired[rule] += 1
    title = find_title(segments, kinds)
    if title is not None:
        folded = lines[title].casefold()
        for i in range(title + 1, len(segments)):
            if kinds[i] == "other" and lines[i].casefold() == folded:
                kinds[i] = "duplicate_title"
                fired["line_model"] -= 1
                fired["duplicate_title"] += 1
    return kinds, +fired
