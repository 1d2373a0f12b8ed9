"""What the detector knows around one sentence (guidelines 3.7: the detector reads the document, not
only the sentence)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SentenceContext:
    """What the detector knows around one sentence: its paragraph, the previous sentence of that
    paragraph, the section heading above it, the title, the article's topic and the attribution of the
    last named speaker before it (`attribution.named_speaker`; `records.sentence_records` works it out only
    for sentences with claim pieces, the only ones whose rows read it)."""

    paragraph: str = ""
    previous: str = ""
    heading: str = ""
    title: str = ""
    topic: str | None = None
    speaker: str = "none"
