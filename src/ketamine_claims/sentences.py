"""Stage 4: sentence spans inside each segment, with syntok's boundaries.

syntok (a pure-Python state machine that keeps offsets) decides every boundary, but most of a
page never needs it. A segment is first cut where syntok always cuts: a lowercase word of two or
more letters (or a number of two or more digits) that is not one of syntok's abbreviations, a
terminal `.`, `!` or `?` (optionally followed by a closing quote), spaces, and a capitalised word
(optionally after an opening quote), with brackets balanced since the previous cut. Each piece is
then one sentence unless it still holds a character on which syntok may cut (a terminal, `;`, `…`,
a bracket); only such pieces go through syntok. `boundary_agreement` measures the agreement with
syntok alone; the tests hold it at 100% on the seeds and on every page of the boilerplate corpora,
and `scripts/bench` reports it.

syntok does not split after abbreviations such as "Dr." or inside parentheses such as "(PTSD)".
A sentence runs from its first token to the start of the next sentence, trimmed of trailing
whitespace, so the sentences of a segment cover all of its text.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from syntok import segmenter
from syntok._segmentation_states import State

from .segments import Segment

# Where syntok always starts a new sentence: after a terminal (and an optional closing quote) and
# spaces, before a capitalised word (optionally after an opening quote). The word before the
# terminal is checked with CERTAIN_LAST_WORD.
CERTAIN_CUT = re.compile(r"(?<=[.!?”\"’]) +(?=[“\"‘]?[A-Z][a-z]*[ ,])")
CERTAIN_LAST_WORD = re.compile(
    r"(?:^|\s)([A-Za-z'’-]*[a-z]{2}|[0-9]{2,})[.!?][”\"’]?$"  # "treatment." "2019." "said.”"
    r"|(?:^|\s)[\w'’-]*[A-Za-z]{2}()[!?]$"  # "YES!" "Rise?" (no abbreviation ends in ! or ?)
)
# syntok's own list of abbreviations without inner dots ("Dr", "vs", "Fig"): never a certain cut.
SYNTOK_ABBREVIATIONS = State.abbreviations
# Characters on which syntok may cut (its terminals, `;`, brackets): a piece holding one goes to syntok.
MAY_CUT = re.compile(r"[.!?;…\u203C-\u2049\u3002\uFE52\uFE57\uFF01\uFF0E\uFF1F\uFF61(\[{)\]}]")
# Occurrences of those characters on which syntok never cuts: a dot inside a token before a
# lowercase letter or digit ("3.5", "WSJ.com"), a semicolon before a lowercase word, a plain
# parenthesis before a lowercase word or a comma ("(PTSD) and", "(@handle),").
NEVER_CUT = re.compile(r"(?<=\w)\.(?=[a-z0-9])|;(?=\s+[a-z])|(?<=\s)\([\w\s,'’/@#&+%:.-]*\)(?=\s+[a-z]|,)")


@dataclass(frozen=True)
class Sentence:
    index: int
    segment_index: int
    start: int
    end: int


def syntok_starts(segment_text: str) -> list[int]:
    """Offsets (within the text) where syntok alone starts a sentence."""
    return [sentence[0].offset for paragraph in segmenter.analyze(segment_text) for sentence in paragraph if sentence]


def _brackets_balanced(piece: str) -> bool:
    return piece.count("(") == piece.count(")") and piece.count("[") == piece.count("]") and piece.count("{") == piece.count("}")


def certain_cuts(segment_text: str) -> list[int]:
    """0 and the offsets where syntok is certain to start a sentence (see the module docstring)."""
    cuts = [0]
    for match in CERTAIN_CUT.finditer(segment_text):
        before = segment_text[cuts[-1] : match.start()]
        last_word = CERTAIN_LAST_WORD.search(before)
        if last_word and last_word.group(1) not in SYNTOK_ABBREVIATIONS and _brackets_balanced(before):
            cuts.append(match.end())
    return cuts


def needs_syntok(piece: str) -> bool:
    """Whether syntok might cut a piece somewhere other than at its end."""
    body = piece.rstrip()
    if body[-1:] in (".", "!", "?"):
        body = body[:-1]
    return bool(MAY_CUT.search(NEVER_CUT.sub("", body)))


def sentence_starts(segment_text: str) -> list[int]:
    """Offsets (within the segment) where a sentence starts: syntok's, run only where it is needed."""
    cuts = certain_cuts(segment_text)
    starts: list[int] = []
    for a, b in itertools.pairwise([*cuts, len(segment_text)]):
        piece = segment_text[a:b]
        if needs_syntok(piece):
            starts.extend(a + offset for offset in syntok_starts(piece) or [0])
        else:
            starts.append(a)
    return starts


def boundary_agreement(segment_texts: list[str]) -> tuple[int, int, int]:
    """(boundaries of syntok alone, boundaries of sentence_starts, boundaries both have) over segments."""
    alone = fast = both = 0
    for text in segment_texts:
        reference, ours = set(syntok_starts(text)[1:]), set(sentence_starts(text)[1:])
        alone, fast, both = alone + len(reference), fast + len(ours), both + len(reference & ours)
    return alone, fast, both


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
