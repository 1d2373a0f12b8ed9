"""Stage 4: sentence spans inside each segment, with syntok's boundaries.

syntok (a pure-Python state machine that keeps offsets) decides every boundary; this module reaches
the same boundaries while running it on a small part of a page, in three steps derived from syntok's
source (its tokenizer and `_segmentation_states`):

1. `certain_cuts` cuts a segment where syntok always starts a sentence (CERTAIN_CUT): after a chunk
   ending in a terminal (".", "!", "?", ";", "..."), spaces, and a next token that syntok's decision
   never keeps in the sentence (an opening quote, a capitalised word, ...), depending on the token
   before the terminal, with brackets opened since the previous cut closed. syntok starts afresh
   there, so the pieces between cuts are independent.
2. `needs_syntok`: syntok starts a sentence only at one of its terminals or opening brackets. A piece
   is one sentence when each such character before its final terminal group is one on which syntok
   never cuts (`_never_cut_end`: a dot inside a token, a terminal before a lowercase word, an
   abbreviation or initial before a word that is not a sentence starter, a month before a day, a
   short bracketed text syntok moves over, ...). The rules may assume that syntok made no cut
   earlier in the piece: the first cut would be at a character no rule covers.
3. The other pieces go through syntok's segmenter, fed by `_tokens`: syntok's tokenizer, with plain
   chunks (ASCII words and trailing punctuation) tokenized directly into the same tokens.

`boundary_agreement` measures the agreement with syntok alone; the tests hold it at 100% on the
seeds, on every page of the boilerplate corpora and on a seeded fuzz, and `scripts/bench` reports it.

syntok does not split after abbreviations such as "Dr." or inside parentheses such as "(PTSD)".
A sentence runs from its first token to the start of the next sentence, trimmed of trailing
whitespace, so the sentences of a segment cover all of its text.
"""
from __future__ import annotations

import itertools
import re
from typing import NamedTuple

from syntok import segmenter
from syntok._segmentation_states import State
from syntok.tokenizer import Tokenizer

from ketamine_claims.text.segments import Segment

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
SYMBOLS_WITH_A_BRACKET = re.compile(
    rf"(?<!{_SYNTOK_NONSPACE})(?:{_SYMBOL}+{_BRACKET}{_SYMBOL}*|{_BRACKET}{_SYMBOL}+)(?!{_SYNTOK_NONSPACE})"
)
BRACKET = re.compile(_BRACKET)
# Where syntok always starts a new sentence (CERTAIN_CUT, then CERTAIN_LAST_WORD on the chunk before it): after a
# chunk ending in a terminal (".", "!", "?", ";" or "...", optionally followed by a closing quote), spaces, and a
# next token that syntok's decision (`State._move_and_maybe_extract_terminal`) never keeps in the sentence: an
# opening quote, a capitalised word, a word starting with two capitals, or a number of one or two digits, or an
# opening bracket when the token after its closing bracket is not ",", ";", ":" and not lowercase (syntok's test of
# a bracket after a terminal then cuts: "legend. (His final one)", "sacred. [M1 / MP]"); or, with
# no spacing, after a lowercase letter and a terminal, before a capitalised word of two or more letters that the
# tokenizer splits off ("salt.CreditHiroko", "it.Credit...Doug": syntok's test for a next token without spacing
# keeps only words that are not all letters in title case, or single letters).
# Which of those cut depends on the token before the terminal:
# - a word of two or more letters or a number of two or more digits (its last token, what syntok compares with
#   its lists: "ex-Prof" and "xProf" end in "Prof", "haven’t" in "n’t"), none of syntok's roman numerals; not one
#   of its abbreviations unless the next token is one of its sentence starters (tested first: "Inc. All"); no
#   month after it ("2019. May" is not cut), no number after an abbreviation, a month or "no" ("Nov. 28", "no. 5"
#   are not cut), no word of capitals (perhaps with digits) after "no";
# - a token that is neither a number nor a letter nor one of syntok's lists: digits joined by dashes or slashes
#   ("16-3.", "8/21/2018."), digits then letters ("1960s.");
# - a closing quote after a word ('"Series".'), which syntok makes a token of its own;
# - a closing parenthesis after a word ("(2012)."), when its opening parenthesis follows two chunks without
#   terminals or brackets: syntok is then inside a sentence and the parenthesis does not start its first test
#   ("Ketamine (K). The" at the start of a sentence is not cut).
# Brackets opened since the previous cut must be closed (_brackets_closed).
_TERMINAL_END = r"(?:[.!?;]|\.\.\.)"
_TOKEN_END = f"{_SYMBOL}*(?!{_SYNTOK_NONSPACE})"  # the rest of a chunk after a token: symbols only
CERTAIN_CUT = re.compile(
    r"[.!?;”\"’](?: +(?="  # the end of the chunk before the cut, spaces, then
    r"[“\"‘'«]|(?P<bracket>[(\[{])"  # an opening quote, an opening bracket
    r"|(?P<word>[A-Z][a-z]*)"  # a capitalised word; the token is that word (whole) when the tokenizer ends it:
    rf"(?:(?<=[a-z])(?=[A-Z])(?P<case>)|(?!\w)(?P<whole>{_TOKEN_END}|(?=['’][A-Za-z]))?)"  # case change, symbols, "'s"
    rf"|[A-Z]{{2}}|(?P<number>[0-9]{{1,2}}){_TOKEN_END})"  # two capitals, a number of one or two digits
    rf"|(?<=[a-z][.!?])(?=(?P<glued>[A-Z][a-z]+)(?:[A-Z]|\.\.\.|[.!?][A-Z]|['’][A-Za-z]|[-,;_][A-Za-z0-9]|{_TOKEN_END})))"
)
CERTAIN_LAST_WORD = re.compile(
    rf"[“\"‘]?(?P<word>[A-Za-z][A-Za-z'’-]*[A-Za-z]|(?:[A-Za-z]+-)?[0-9]{{2,}}){_TERMINAL_END}[”\"’]?"
    rf"|(?P<other>[0-9]+(?:[-–/][0-9]+)+|[0-9]+(?:[a-z]+|[A-Z]+)){_TERMINAL_END}[”\"’]?"  # "16-3." "1960s."
    rf"|(?P<quote>\S*[^\W_][”\"’]){_TERMINAL_END}"  # '"Series".'
    rf"|(?P<parenthesis>\S*[^\W_]\)){_TERMINAL_END}[”\"’]?"  # "(2012)."
)
LAST_TOKEN = re.compile(r"-|(?<=[a-z])(?=[A-Z])")
# syntok's own lists: abbreviations without inner dots ("Dr", "vs", "Fig"), roman numerals ("II", "XV"), months,
# sentence starters.
SYNTOK_ABBREVIATIONS = State.abbreviations
SYNTOK_ROMAN_NUMERALS = State.roman_numerals
SYNTOK_MONTHS = State.months
SYNTOK_STARTERS = State.starters
SYNTOK_NO = frozenset({"no", "No", "NO"})
# The terminal group syntok keeps in the sentence it closes: terminals and closing brackets, one closing quote
# right after them, more terminals and closing brackets.
_AFTER_TERMINAL = f"[{re.escape(_TERMINALS + _CLOSING)}]*"
_TERMINAL_GROUP = f"[{re.escape(_TERMINALS)}]{_AFTER_TERMINAL}[{re.escape(_QUOTES)}]?{_AFTER_TERMINAL}"
FINAL_TERMINAL_GROUP = re.compile(_TERMINAL_GROUP + "$")
_GROUP_CHARS = frozenset(_TERMINALS + _CLOSING + _QUOTES)
_TAIL = 12  # the final group is looked for in this many last characters (in all of them when it may be longer)
_PLAIN = f"[^{re.escape(_TERMINALS + _OPENING + _CLOSING)}]"
_PLAIN_NO_SPACE = f"[^\\s{re.escape(_TERMINALS + _OPENING + _CLOSING)}]"
# Occurrences of those characters on which syntok never cuts (`_never_cut_end`), each derived from syntok's
# tokenizer (`Tokenizer.tokenize`: text is split at whitespace into chunks; a chunk's leading and trailing symbols
# become one-character tokens, its word is sub-split only by `Tokenizer._separation`) and from its decision after a
# terminal or an opening bracket (`State._move_and_maybe_extract_terminal`, whose tests run in this order: next
# token lowercase, next token one of its sentence starters, token before an abbreviation, ..., a number of three
# digits or more, a month before a number, a dot inside the token before, a single capital letter). Each rule is
# anchored at the character (a regex with `match` at its offset, or at the start of its chunk).
_SP = r"[^\S\x1c-\x1f]+"  # the spacing between two chunks
_SPACING = frozenset(c for c in map(chr, range(0x3000 + 1)) if c.isspace()) - frozenset("\x1c\x1d\x1e\x1f")
_STARTERS = "|".join(sorted(State.starters, key=len, reverse=True))
# The next chunk starts with a token that is none of syntok's sentence starters: a lowercase letter, a digit, or a
# capitalised ASCII word followed by no letter (the token is then that word, or longer and not all letters).
_NEXT_NOT_A_STARTER = rf"(?={_SP}(?:[a-z0-9]|(?!(?:{_STARTERS})(?![^\W\d_]))[A-Z][a-z]*(?![^\W\d_])))"
_ABBREVIATIONS = "|".join(sorted(State.abbreviations, key=len, reverse=True))
_MONTHS = "|".join(sorted(State.months, key=len, reverse=True))
_ROMANS = "|".join(sorted(State.roman_numerals, key=len, reverse=True))
_APOSTROPHES = frozenset(Tokenizer._apostrophes)
_NONSPACE_SYMBOL = rf"[^\w\s\u200b{re.escape(_TERMINALS)}]"  # in a chunk, neither a letter, a digit nor a terminal
_PLAIN_CHUNK = rf"[^\s\u200b{re.escape(_TERMINALS + _OPENING + _CLOSING)}]+"
_NO_BRACKET = f"[^{re.escape(_OPENING + _CLOSING)}]"
_NO_BRACKET_NO_SPACE = rf"[^\s\u200b{re.escape(_OPENING + _CLOSING)}]"
_OPENING_SET = frozenset(_OPENING)
_OPENING_NOT_PARENTHESIS = _OPENING_SET - {"("}

# At a terminal:
# a dot inside a token: before a lowercase letter or digit ("3.5", "WSJ.com"), or between capitals or a digit and a
# capital ("U.S", "3.A"; the tokenizer splits off a dot only between a lowercase letter and a capital)
DOT_INSIDE_A_WORD = re.compile(r"(?<=\w)\.(?=[a-z0-9])|(?<=[A-Z0-9])\.(?=[A-Z])")
# a terminal group before spacing and a lowercase word: syntok never starts a sentence with one ("Dr. smith", "he
# asked?” she said")
GROUP_BEFORE_LOWERCASE = re.compile(rf"{_TERMINAL_GROUP}(?={_SP}[a-z])")
# at the start of a chunk: one of syntok's abbreviations, a dot, and a token that is no sentence starter ("Mr.
# Smith", "St. Paul", "vs. Chargers"): its abbreviation test keeps the sentence going; a single capital letter
# ("Kevin D. Williamson") or capitals joined by dots, one token with a dot inside ("U.S. Army", "N.Y.C. police"),
# then a dot and a token that is no sentence starter: its single-capital and dot-inside-the-token tests; a month,
# a dot and a number alone as a token ("Nov. 28,", "Dec. 12"): its month-before-a-number test; a token with dots
# inside before lowercase letters or digits ("AutoIndustriya.com. Visit", "a.m. Monday", "$164.99. Heck"), then a
# dot and no sentence starter: its dot-inside-the-token test; a single lowercase consonant ("p. 82"), then a dot
# and no sentence starter: its single-letter and single-consonant tests
WORD_BEFORE_A_DOT = re.compile(
    rf"(?:{_ABBREVIATIONS})\.{_NEXT_NOT_A_STARTER}|[A-Z](?:\.[A-Z])*\.{_NEXT_NOT_A_STARTER}"
    rf"|(?:{_MONTHS})\.(?={_SP}[0-9]+{_TOKEN_END})"
    rf"|[$€£]?[A-Za-z0-9]+(?:\.[a-z0-9]+)+\.{_NEXT_NOT_A_STARTER}|[bcdfghj-np-tv-z]\.{_NEXT_NOT_A_STARTER}"
)
# a single letter or digit or a roman numeral opening a piece (where syntok starts a sentence), then a dot, spacing
# and no terminal or bracket ("3. Get support", "A. Smith", "IV. Results"): syntok never cuts after the first token
# of a sentence when it is a single character or roman numeral and the next token has spacing (a bracket there
# would start syntok's first test of a sentence)
FIRST_WORD_BEFORE_A_DOT = re.compile(
    rf"(?:[^\W_]|{_ROMANS})\.(?={_SP}[^\s\u200b{re.escape(_TERMINALS + _OPENING + _CLOSING)}])"
)
# a terminal inside a token: symbols and then a letter or digit follow it in the chunk ("policy.[91]", "said;[3]"),
# and a letter or digit precedes it, the tokenizer keeps it in the word ("policy."), unless these are letters after
# an apostrophe ("it's.[1]" gives "it", "'s", "."); with an opening bracket right after it (see ATTACHED_BRACKET)
TERMINAL_INSIDE_A_TOKEN = re.compile(rf"[.!?;](?={_NONSPACE_SYMBOL}+[^\W_])")

# At an opening bracket:
# after a word, a plain parenthesis of at most 48 characters (so syntok can move over it: its closing bracket is
# among the next 50 tokens) before a lowercase word or a comma ("(PTSD) and", "(@handle),")
PARENTHESIS_BEFORE_LOWERCASE = re.compile(
    rf"(?<=[^\S\x1c-\x1f])\((?=[^)]{{0,48}}\))[\w\s,'’/@#&+%:.-]*[^\W_][,'’/@#&+%:.-]*\)(?={_SP}[a-z]|,)"
)
# after a word (and spacing), a short bracketed text without terminals at the end of a piece ("Gini (2014)",
# "References[edit]"): syntok moves over it and nothing follows. The closing bracket must follow a word's letters or
# digits: in a run of symbols alone ('"")') syntok's tokenizer does not make it a token.
BRACKETS_AT_THE_END = re.compile(
    rf"[{re.escape(_OPENING)}](?={_PLAIN}{{0,48}}[{re.escape(_CLOSING)}]$){_PLAIN}*[^\W_]{_PLAIN_NO_SPACE}*[{re.escape(_CLOSING)}]$"
)
# ATTACHED_BRACKET: an opening bracket other than "(" right after a letter or digit (perhaps with a comma or colon
# between: "word[1]", "said,[2]") or after a terminal inside a token ("policy.[91]"): syntok either moves over the
# bracketed text or, as the bracket has no spacing, does not cut before it ("(" may be a sentence's first test).
# After two chunks without terminals or brackets (syntok is then inside a sentence, past its first token), a short
# bracketed text (at most 48 characters, no other bracket, closed in a chunk with a letter or digit): syntok moves
# over it without a test ("the drug (esketamine) The", "as in (Art. 2) said"); the closing bracket may also be a
# chunk of its own, with spacing after it (before the final terminal group, ");" would be one token)
SHORT_BRACKETS = re.compile(
    rf"[{re.escape(_OPENING)}](?={_NO_BRACKET_NO_SPACE}*?[^\W_]|{_SP})(?={_NO_BRACKET}{{0,48}}[{re.escape(_CLOSING)}])"
    rf"{_NO_BRACKET}*?(?:[^\W_]{_NO_BRACKET_NO_SPACE}*[{re.escape(_CLOSING)}]|(?<=[^\S\x1c-\x1f])[{re.escape(_CLOSING)}](?={_SP}))"
)
# at the start of a piece, a bracket around one plain word ("(Reuters) — The"): syntok's first test of a sentence
# moves over it and cuts only after more than three tokens
FIRST_WORD_IN_BRACKETS = re.compile(rf"[{re.escape(_OPENING)}](?=[A-Za-z0-9])[A-Z0-9]*[a-z0-9]*[{re.escape(_CLOSING)}]")
# a piece that is one bracketed text, closed in a chunk with a letter or digit or alone, with no other bracket and
# no final terminal ("(Reporting by Greg Roumeliotis; Editing by Leslie Adler)"): when syntok can move over it
# (shorter than 70 characters, closed among the next 50 tokens), its first test of a sentence does so, and nothing
# follows to start another sentence
PIECE_IN_BRACKETS = re.compile(
    rf"[{re.escape(_OPENING)}](?={_NO_BRACKET_NO_SPACE}*?[^\W_]|{_SP}){_NO_BRACKET}*?"
    rf"(?:[^\W_]{_NO_BRACKET_NO_SPACE}*|(?<=[^\S\x1c-\x1f]))[{re.escape(_CLOSING)}]"
)
TWO_PLAIN_CHUNKS = re.compile(rf"{_PLAIN_CHUNK}{_SP}{_PLAIN_CHUNK}{_SP}\Z")


def _after_two_plain_chunks(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends with two chunks without terminals or brackets, each followed by spacing."""
    chunks = TWO_PLAIN_CHUNKS.search(text, max(start, end - 200), end)
    return chunks is not None and (chunks.start() == start or text[chunks.start() - 1] in _SPACING)


def _ends_inside_a_word(text: str, end: int) -> bool:
    """Whether the token holding text[end - 1] goes on at `end`: a digit, or letters that follow no apostrophe."""
    k = end - 1
    if k < 0 or not text[k].isalnum():
        return False
    if text[k].isdecimal():
        return True
    while k >= 0 and text[k].isalpha() and text[k] not in _APOSTROPHES:
        k -= 1
    return k < 0 or text[k] not in _APOSTROPHES


def _never_cut_end(body: str, i: int) -> int | None:
    """If syntok never cuts at the terminal or opening bracket body[i], the end of the text so covered."""
    char = body[i]
    if i == 0 and char in _TERMINALS:  # the first token of the sentence, moved without a test: one symbol, or the
        chunk = Tokenizer._spaces.match(body).group()  # whole chunk when it has no letter or digit
        return 1 if any(c.isalnum() for c in chunk) else len(chunk)
    if char in _OPENING:
        if char in _OPENING_NOT_PARENTHESIS and i and (
            body[i - 1].isalnum() or (body[i - 1] in ",:" and i > 1 and body[i - 2].isalnum())
        ):
            return i + 1
        k = i - 1
        while k >= 0 and body[k] in _SPACING:
            k -= 1
        after_a_word = k >= 0 and body[k].isalnum()  # not after a terminal, whose test would look at the bracket
        if after_a_word and (match := PARENTHESIS_BEFORE_LOWERCASE.match(body, i) or BRACKETS_AT_THE_END.match(body, i)):
            return match.end()
        if (match := SHORT_BRACKETS.match(body, i)) and _after_two_plain_chunks(body, 0, i):
            return match.end()
        if i == 0 and (match := FIRST_WORD_IN_BRACKETS.match(body)):
            return match.end()
        return None
    if match := DOT_INSIDE_A_WORD.match(body, i) or GROUP_BEFORE_LOWERCASE.match(body, i):
        return match.end()
    chunk_start = body.rfind(" ", 0, i) + 1
    if (match := WORD_BEFORE_A_DOT.match(body, chunk_start)) and match.end() > i:
        return match.end()
    if chunk_start == 0 and (match := FIRST_WORD_BEFORE_A_DOT.match(body)) and match.end() > i:
        return match.end()
    if TERMINAL_INSIDE_A_TOKEN.match(body, i) and _ends_inside_a_word(body, i):
        return i + 2 if body[i + 1] in _OPENING_NOT_PARENTHESIS else i + 1
    return None


class Sentence(NamedTuple):
    """One sentence of a document: its position, its segment and its span in the document's text."""

    index: int
    segment_index: int
    start: int
    end: int


def syntok_starts(segment_text: str) -> list[int]:
    """Offsets (within the text) where syntok alone starts a sentence."""
    return [sentence[0].offset for paragraph in segmenter.analyze(segment_text) for sentence in paragraph if sentence]


_TOKENIZER = Tokenizer(replace_not_contraction=False)  # the tokenizer segmenter.analyze uses
# A chunk (text between syntok's whitespace) of ASCII letters and digits with no lowercase letter before a capital,
# then plain trailing symbols: syntok's tokenizer makes one token of the word and one of each symbol (one of a
# leading "..."). Other chunks go through syntok's tokenizer one at a time.
PLAIN_WORD_CHUNK = re.compile(r"([A-Z0-9]*[a-z0-9]*)([.,;:!?)\]\"'”’]*)")


class _Token(NamedTuple):
    """What syntok's segmenter reads of its Token: spacing before it, its text, its offset."""

    spacing: str
    value: str
    offset: int


def _tokens(text: str) -> list[_Token]:
    """syntok's `Tokenizer.tokenize(text)` as used by segmenter.analyze (same spacing, values and offsets), faster."""
    tokens: list[_Token] = []
    append = tokens.append
    offset = 0
    for chunk in Tokenizer._spaces.finditer(text):
        start, end = chunk.span()
        plain = PLAIN_WORD_CHUNK.fullmatch(chunk.group())
        if plain and plain.end(1):
            word_end = start + plain.end(1)
            append(_Token(text[offset:start], text[start:word_end], start))
            if word_end < end:
                if text.startswith("...", word_end):
                    append(_Token("", "...", word_end))
                    word_end += 3
                tokens.extend(_Token("", text[i], i) for i in range(word_end, end))
        else:
            tokens.extend(_Token(t.spacing, t.value, t.offset + offset) for t in _TOKENIZER.tokenize(text[offset:end]))
        offset = end
    if offset < len(text):
        append(_Token(text[offset:], "", len(text)))
    return tokens


def _syntok_piece_starts(piece: str) -> list[int]:
    """syntok_starts for a piece without a line break (one paragraph): its tokenizer and segmenter without
    analyze's paragraph split."""
    if "\n" in piece:
        return syntok_starts(piece)
    return [sentence[0].offset for sentence in segmenter.segment(iter(_tokens(piece))) if sentence]


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


def _opened_inside_a_sentence(text: str, start: int, end: int) -> bool:
    """Whether the bracket that the closing bracket at `end` closes opens a chunk after two chunks without terminals or
    brackets since `start`, or there is no bracket before it since `start`."""
    brackets = list(BRACKET.finditer(text, start, end))
    if not brackets:
        return True
    opening = brackets[-1].start()
    return text[opening] in State.opening_brackets and _after_two_plain_chunks(text, start, opening)


def _continues_after_brackets(text: str, opening: int) -> bool:
    """Whether the token after the bracketed text opened at `opening` is neither ",", ";", ":" nor lowercase (or
    there is none), as syntok pairs brackets (`State.__find_next_token_after_bracket`)."""
    if SYMBOLS_WITH_A_BRACKET.search(text, opening):
        return False
    depth = 0
    for bracket in BRACKET.finditer(text, opening):
        depth += 1 if bracket.group() in _OPENING_SET else -1
        if depth == 0:
            k = bracket.end()
            while k < len(text) and (text[k] in _SPACING or text[k] == "\u200b"):
                k += 1
            return k == len(text) or not (text[k] in ",;:" or text[k].islower())
    return True  # never closed: syntok finds no token after it


def certain_cuts(segment_text: str) -> list[int]:
    """0 and the offsets where syntok is certain to start a sentence (see CERTAIN_CUT)."""
    cuts = [0]
    brackets = BRACKET.search(segment_text) is not None
    for match in CERTAIN_CUT.finditer(segment_text):
        end = match.start() + 1
        start = segment_text.rfind(" ", 0, end) + 1  # the chunk (with other whitespace in it, no rule matches)
        last = CERTAIN_LAST_WORD.fullmatch(segment_text, start, end)
        if not last:
            continue
        glued = match.group("glued")
        word, number = glued or match.group("word"), match.group("number")
        kind = last.lastgroup
        if kind == "word":
            token = last.group("word")
            if "-" in token or not token[1:].islower():  # else no hyphen and no capital after a lowercase letter
                token = LAST_TOKEN.split(token)[-1]
            if len(token) < 2 or token in SYNTOK_ROMAN_NUMERALS:  # syntok does not cut after a single letter ("PhD.")
                continue
            starter = word in SYNTOK_STARTERS and (glued or match.group("case") is not None or match.group("whole") is not None)
            if not starter and (
                token in SYNTOK_ABBREVIATIONS
                or word in SYNTOK_MONTHS
                or (number and token in SYNTOK_MONTHS)
                or (word is None and token in SYNTOK_NO)
            ):
                continue
        elif glued:  # only after a word
            continue
        if kind == "parenthesis" and not _opened_inside_a_sentence(segment_text, cuts[-1], last.end(kind) - 1):
            continue
        if match.group("bracket") and not _continues_after_brackets(segment_text, match.end()):
            continue
        if not brackets or _brackets_closed(segment_text[cuts[-1] : end]):
            cuts.append(match.end())
    return cuts


def needs_syntok(piece: str) -> bool:
    """Whether syntok might cut a piece somewhere other than at its end: a terminal or opening bracket before the
    final terminal group that no rule of `_never_cut_end` covers."""
    body = piece.rstrip()
    first = MAY_CUT.search(body)
    if first is None or (first.start() == len(body) - 1 and body[-1] in _TERMINALS):
        return False  # no terminal or bracket, or only a final terminal
    tail = body[-_TAIL:]
    final = FINAL_TERMINAL_GROUP.search(tail if len(body) <= _TAIL else body if tail[0] in _GROUP_CHARS else tail)
    if final:
        body = body[: len(body) - len(final.group())]
    if (
        body[:1] in _OPENING_SET
        and len(body) < 70
        and not final
        and PIECE_IN_BRACKETS.fullmatch(body)
        and (len(body) <= 50 or len(_tokens(body)) <= 50)
    ):
        return False
    covered = 0
    for trigger in MAY_CUT.finditer(body):
        if trigger.start() >= covered:
            end = _never_cut_end(body, trigger.start())
            if end is None:
                return True
            covered = end
    return False


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
