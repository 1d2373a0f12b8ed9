"""Stage 4: sentence spans inside each segment, from syntok's segmenter (which keeps offsets).

syntok does not split after abbreviations such as "Dr." or inside parentheses such as "(PTSD)".
A sentence runs from its first token to the start of the next sentence, trimmed of trailing
whitespace, so the sentences of a segment cover all of its text.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from syntok import segmenter

from .segments import Segment


@dataclass(frozen=True)
class Sentence:
    index: int
    segment_index: int
    start: int
    end: int


def sentence_starts(segment_text: str) -> list[int]:
    """Offsets (within the segment) where syntok starts a sentence."""
    return [sentence[0].offset for paragraph in segmenter.analyze(segment_text) for sentence in paragraph if sentence]


def split_sentences(text: str, segments: list[Segment]) -> list[Sentence]:
    """All sentences of a document, in order; none crosses a segment."""
    sentences: list[Sentence] = []
    for seg in segments:
        starts = sentence_starts(seg.text) or [0]
        starts[0] = 0
        bounds = [*starts, len(seg.text)]
        for a, b in itertools.pairwise(bounds):
            piece = seg.text[a:b].rstrip()
            if piece:
                sentences.append(Sentence(len(sentences), seg.index, seg.start + a, seg.start + a + len(piece)))
    return sentences
