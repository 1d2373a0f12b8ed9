"""Stage 4: sentence spans inside each segment, with syntok's boundaries.

syntok (a pure-Python state machine that keeps offsets) decides every boundary, but most of a
page never needs it. A segment is first cut where syntok always cuts: a word of two or more
letters (or a number of two or more digits) whose last token is none of syntok's abbreviations or
roman numerals, a terminal `.`, `!` or `?` (optionally followed by a closing quote), spaces, and a
capitalised word that is not one of syntok's months (optionally after an opening quote), with
brackets balanced since the previous cut. Each piece is then one sentence unless it still holds a
character on which syntok may start a sentence (one of its terminals or opening brackets) other
than where it never does: the piece's final terminal group, a terminal group before a lowercase
word, a short bracket at the end of the piece; only such pieces go through syntok.
`boundary_agreement` measures the agreement with syntok alone; the tests hold it at 100% on the
seeds and on every page of the boilerplate corpora, and `scripts/bench` reports it.

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
from syntok.tokenizer import Tokenizer

from .segments import Segment

# Where syntok always starts a new sentence: after a terminal (and an optional closing quote) and
# spaces, before a capitalised word (optionally after an opening quote) that is not one of syntok's
# month abbreviations ("2019. May" is not cut). The word before the terminal is checked with
# CERTAIN_LAST_WORD; its last token (what syntok compares with its abbreviations: "ex-Prof" and
# "xProf" end in "Prof") with LAST_TOKEN.
CERTAIN_CUT = re.compile(r"(?<!\S)(\S*[.!?”\"’]) +(?=[“\"‘]?([A-Z][a-z]*)(?!\w))")  # group 1: the word before
CERTAIN_LAST_WORD = re.compile(
    r"([A-Za-z'’-]*[A-Za-z]{2}|[0-9]{2,})[.!?][”\"’]?"  # "treatment." "2019." "said.”" "WSJ."
    r"|([A-Za-z'’-]*[A-Za-z]{2})[!?]"  # "YES!" "Rise?"
)
LAST_TOKEN = re.compile(r"-|(?<=[a-z])(?=[A-Z])")
# syntok's own lists of abbreviations without inner dots ("Dr", "vs", "Fig") and of roman numerals ("II",
# "XV") before the terminal, and of months after it: never a certain cut.
SYNTOK_ABBREVIATIONS = State.abbreviations
SYNTOK_NEVER_BEFORE_A_CUT = State.abbreviations | State.roman_numerals
SYNTOK_MONTHS = State.months
# syntok starts a sentence only after one of its terminal tokens or at one of its opening brackets
# (`_segmentation_states.State`): a piece without these characters is one sentence.
_TERMINALS = "".join(sorted({c for terminal in State.terminals for c in terminal}))
_OPENING = "".join(sorted(State.opening_brackets))
_CLOSING = "".join(sorted(State.closing_brackets))
_QUOTES = "".join(sorted(State.closing_quotes))
MAY_CUT = re.compile(f"[{re.escape(_TERMINALS + _OPENING)}]")
# syntok's tokenizer splits text at the `regex` module's whitespace and the zero-width space (not at \x1c-\x1f,
# which `re` counts as whitespace); a run of symbols without a letter or digit is one token.
_SYNTOK_NONSPACE = r"(?:[^\s\u200b]|[\x1c-\x1f])"
_SYMBOL = r"(?:[^\w\s\u200b]|_|[\x1c-\x1f])"
_BRACKET = f"[{re.escape(_OPENING + _CLOSING)}]"
SYMBOLS_WITH_A_BRACKET = re.compile(rf"(?<!{_SYNTOK_NONSPACE})(?:{_SYMBOL}+{_BRACKET}{_SYMBOL}*|{_BRACKET}{_SYMBOL}+)(?!{_SYNTOK_NONSPACE})")
BRACKET = re.compile(_BRACKET)
# The terminal group syntok keeps in the sentence it closes: terminals and closing brackets, one closing quote
# right after them, more terminals and closing brackets.
_AFTER_TERMINAL = f"[{re.escape(_TERMINALS + _CLOSING)}]*"
_TERMINAL_GROUP = f"[{re.escape(_TERMINALS)}]{_AFTER_TERMINAL}[{re.escape(_QUOTES)}]?{_AFTER_TERMINAL}"
FINAL_TERMINAL_GROUP = re.compile(_TERMINAL_GROUP + "$")
_GROUP_CHARS = frozenset(_TERMINALS + _CLOSING + _QUOTES)
_TAIL = 12  # the final group is looked for in this many last characters (in all of them when it may be longer)
# Occurrences of those characters on which syntok never cuts: a dot inside a token before a lowercase letter or
# digit ("3.5", "WSJ.com"), a terminal group before spaces and a lowercase word (syntok never starts a sentence
# with one: "Dr. smith", "he asked?” she said"), a plain parenthesis before a lowercase word or a comma
# ("(PTSD) and", "(@handle),"), and a short bracketed text without terminals at the end of a piece after a word
# ("Gini (2014)", "References[edit]"): syntok moves over it and nothing follows. The closing bracket must follow
# a word's letters or digits: in a run of symbols alone ('"")') syntok's tokenizer does not make it a token.
_PLAIN = f"[^{re.escape(_TERMINALS + _OPENING + _CLOSING)}]"
_PLAIN_NO_SPACE = f"[^\\s{re.escape(_TERMINALS + _OPENING + _CLOSING)}]"
NEVER_CUT = re.compile(
    rf"(?<=\w)\.(?=[a-z0-9])|{_TERMINAL_GROUP}(?=\s+[a-z])|(?<=\s)\([\w\s,'’/@#&+%:.-]*[^\W_][,'’/@#&+%:.-]*\)(?=\s+[a-z]|,)"
    rf"|(?<=[^\W_])\s*[{re.escape(_OPENING)}](?={_PLAIN}{{0,48}}[{re.escape(_CLOSING)}]$){_PLAIN}*[^\W_]{_PLAIN_NO_SPACE}*"
    rf"[{re.escape(_CLOSING)}]$"
)


@dataclass(frozen=True)
class Sentence:
    index: int
    segment_index: int
    start: int
    end: int


def syntok_starts(segment_text: str) -> list[int]:
    """Offsets (within the text) where syntok alone starts a sentence."""
    return [sentence[0].offset for paragraph in segmenter.analyze(segment_text) for sentence in paragraph if sentence]


_TOKENIZER = Tokenizer(replace_not_contraction=False)  # the tokenizer segmenter.analyze uses


def _syntok_piece_starts(piece: str) -> list[int]:
    """syntok_starts for a piece without a line break (one paragraph): its tokenizer and segmenter without
    analyze's paragraph split."""
    if "\n" in piece:
        return syntok_starts(piece)
    return [sentence[0].offset for sentence in segmenter.segment(_TOKENIZER.tokenize(piece)) if sentence]


def _brackets_closed(piece: str) -> bool:
    """Whether every opening bracket of the piece is closed in it, as syntok pairs them when it moves over bracketed
    text (`State.__find_end_of_bracketed_text`: one stack for all its brackets, any closing bracket closes; a
    closing bracket with nothing open is an ordinary token). A bracket in a run of symbols alone ("—(", ")."), which
    syntok's tokenizer does not make a token, leaves the answer to syntok."""
    if not BRACKET.search(piece):
        return True
    if SYMBOLS_WITH_A_BRACKET.search(piece):
        return False
    depth = 0
    for bracket in BRACKET.findall(piece):
        if bracket in State.opening_brackets:
            depth += 1
        elif depth:
            depth -= 1
    return depth == 0


def certain_cuts(segment_text: str) -> list[int]:
    """0 and the offsets where syntok is certain to start a sentence (see the module docstring)."""
    cuts = [0]
    for match in CERTAIN_CUT.finditer(segment_text):
        last_word = CERTAIN_LAST_WORD.fullmatch(match.group(1))
        if not last_word:
            continue
        last_token = LAST_TOKEN.split(last_word.group(1) or last_word.group(2))[-1]
        if (
            len(last_token) > 1  # syntok does not cut after a single letter ("PhD." ends in the token "D")
            and last_token not in SYNTOK_NEVER_BEFORE_A_CUT
            and match.group(2) not in SYNTOK_MONTHS
            and _brackets_closed(segment_text[cuts[-1] : match.end(1)])
        ):
            cuts.append(match.end())
    return cuts


def needs_syntok(piece: str) -> bool:
    """Whether syntok might cut a piece somewhere other than at its end."""
    body = piece.rstrip()
    tail = body[-_TAIL:]
    final = FINAL_TERMINAL_GROUP.search(tail if len(body) <= _TAIL else body if tail[0] in _GROUP_CHARS else tail)
    if final:
        body = body[: len(body) - len(final.group())]
    return bool(MAY_CUT.search(body) and MAY_CUT.search(NEVER_CUT.sub("", body)))


def sentence_starts(segment_text: str) -> list[int]:
    """Offsets (within the segment) where a sentence starts: syntok's, run only where it is needed."""
    if not MAY_CUT.search(segment_text):
        return [0]  # no terminal and no bracket: one sentence (and no certain cut, which needs a terminal)
    cuts = certain_cuts(segment_text)
    starts: list[int] = []
    for a, b in itertools.pairwise([*cuts, len(segment_text)]):
        piece = segment_text[a:b]
        if needs_syntok(piece):
            starts.extend(a + offset for offset in _syntok_piece_starts(piece) or [0])
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
        if len(starts) == 1:  # most segments: one sentence
            length = len(seg.text.rstrip())
            if length:
                sentences.append(Sentence(len(sentences), seg.index, seg.start, seg.start + length))
            continue
        starts[0] = 0
        bounds = [*starts, len(seg.text)]
        for a, b in itertools.pairwise(bounds):
            piece = seg.text[a:b].rstrip()
            if piece:
                sentences.append(Sentence(len(sentences), seg.index, seg.start + a, seg.start + a + len(piece)))
    return sentences
