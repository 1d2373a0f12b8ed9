"""Stage 2: split an article into segments (one per non-blank line) and give each a block type."""

from __future__ import annotations

import re
from typing import NamedTuple

BULLET_PREFIX = re.compile(r"^(?:[•·▪◦●‣∙*\-–—]\s+|\d{1,2}[.)]\s+)")
TERMINAL_PUNCTUATION = tuple('.!?;…"”’)*')
MAX_HEADING_WORDS = 20


class Segment(NamedTuple):
    """A non-blank line: its position among the segments, its offsets in the text and its stripped text."""

    index: int
    start: int
    end: int
    text: str


def split_segments(text: str) -> list[Segment]:
    """One segment per line (split on "\\n") that is not blank, trimmed of whitespace incl. NBSP."""
    segments: list[Segment] = []
    line_start = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = line_start + (len(line) - len(line.lstrip()))
            segments.append(Segment(len(segments), start, start + len(stripped), stripped))
        line_start += len(line) + 1
    return segments


def block_type(text: str, is_title: bool) -> str:
    """Structural role of a segment from its shape (not a boilerplate decision)."""
    if is_title:
        return "title"
    if text.endswith("?"):
        return "question"
    if BULLET_PREFIX.match(text):
        return "list_item"
    if text.endswith(TERMINAL_PUNCTUATION) or len(text.split()) > MAX_HEADING_WORDS:
        return "paragraph"
    if text[0].isupper() and any(ch.isalpha() for ch in text):
        return "heading"
    return "other"
