"""The sentence fast path: each exact rule of sentences.py against syntok alone, its tokenizer, and a seeded fuzz."""

from __future__ import annotations

import random

import pytest

from conftest import corpus_segment_texts
from ketamine_claims.text.sentences import (
    _TOKENIZER,
    SYNTOK_ABBREVIATIONS,
    SYNTOK_MONTHS,
    SYNTOK_ROMAN_NUMERALS,
    SYNTOK_STARTERS,
    _tokens,
    certain_cuts,
    needs_syntok,
    sentence_starts,
    syntok_starts,
)


@pytest.mark.parametrize(
    "text",
    [
        "They left; Indonesian troops came.",  # ";" is one of syntok's terminals
        'He said it was "Series". The end.',  # a closing quote before the terminal is a token of its own
        'It ended in 2012). "Mozilla is here.',  # a closing parenthesis, opened after two plain chunks; an opening quote
        "The drug ketamine (K). The drug works.",
        "Trials of Inc. All rights reserved.",  # an abbreviation before one of syntok's sentence starters
        "It rose in month. 12 people came.",  # a number of one or two digits
        "It rose in 2019. REUTERS/Brendan",  # two capitals
        "It was 16-3. Valtteri won.",  # digits joined by a dash
        "The 1960s. At the time",  # digits then letters
        "It was the company... Ive said so.",  # "..." is one of syntok's terminals
        "They haven’t. But they will.",  # the token before is "n’t"
        "It was salt.CreditHiroko Masuike",  # no spacing: the tokenizer splits "salt", ".", "Credit"
        "It was notable. MagSafe is new.",  # a case change ends the token "Mag"
        'It was over. "Yes," he said.',
        "It is legend. (His final one was a visit.)",  # an opening bracket whose closing bracket no "," or lowercase follows
        "The stars. [M1 / MP]",
        "It was the IL-25. The end.",
    ],
)
def test_certain_cuts_are_syntoks_cuts(text):
    cuts = certain_cuts(text)
    assert len(cuts) == 2, cuts
    assert sentence_starts(text) == syntok_starts(text) == cuts


@pytest.mark.parametrize(
    "text",
    [
        "Ketamine (K). The drug works.",  # the parenthesis opens syntok's first test of the sentence: no cut
        "It rose. May 12",  # a month after the terminal is left to syntok
        "It ended. (see above), then more.",  # the token after the bracket is lowercase or a comma
        "It ended. (See above), then more.",
        "Trials on Nov. 28, 2019 ended.",  # a month before a number
        "He said no. 5 people came.",  # "no" before a number
        "Ask Mr. Smith today. It works.",  # an abbreviation before a word that is no sentence starter
        "Chapter IV. Smith came.",  # a roman numeral
    ],
)
def test_no_certain_cut_where_syntok_may_not_cut(text):
    reference = syntok_starts(text)
    assert set(certain_cuts(text)) <= set(reference)
    assert sentence_starts(text) == reference


@pytest.mark.parametrize(
    "text",
    [
        "Ask Mr. Smith today",  # an abbreviation, then no sentence starter
        "Man dies in St. Paul, flipping vehicle",
        "By Kevin D. Williamson",  # a single capital
        "The U.S. Army said so",  # capitals joined by dots: one token with a dot inside
        "More in U.S",
        "Trials on Nov. 28, it rained",  # a month before a number
        "3. Get support now",  # a single character or roman numeral opening a piece
        "IV. Results were good",
        "It is policy.[91] The rest is history",  # a terminal inside a token, an attached bracket
        "said,[2] and left",
        "They took the drug (esketamine) The rest",  # a short bracket after two plain chunks
        "set to lose its autonomy (Image: getty ) in the end",
        "A review of AutoIndustriya.com. Visit our site",  # a token with dots inside
        "At 9 a.m. Monday it began",
        "Down to $164.99. Heck, even more",
        "Penguin Books, p. 82",  # a lowercase consonant
        "(Reuters) — The New York",  # one plain word in brackets opening a piece
        ". The Seattle Times",  # a terminal as the first token
        "(Reporting by Greg Roumeliotis; Editing by Leslie Adler)",  # a piece in brackets
    ],
)
def test_never_cut_rules_skip_syntok(text):
    assert not needs_syntok(text), text
    assert sentence_starts(text) == syntok_starts(text) == [0]


@pytest.mark.parametrize(
    "text",
    [
        "Ask Mr. The end is near",  # a sentence starter after an abbreviation
        "Ask Dr. A. Smith",
        "It is it's.[1] Next one",  # letters after an apostrophe: the dot is a token
        "Ketamine (K). The drug works.",  # one chunk before the parenthesis
        "Word (Title " + "a, " * 30 + "b) and more.",  # more than 50 tokens in the parenthesis
        "(Reporting by Greg Roumeliotis).",  # a terminal after the bracketed piece
        "..Word is here",
        "By Kevin a. Williamson",  # a lowercase vowel
        "The U.S. The end",
        "Trials on Nov. 28th, it rained",  # "28th" is no number
        "It was Ph.A. The end",  # a lowercase letter before a capital: the tokenizer splits the dot off
        "3. (x y), z",  # a bracket after the first word's dot starts syntok's first test of a sentence
        ". (see above), then",  # a bracket after a terminal goes into that terminal's test
        "3. ) (see above), then",
        "Foo The ( x );",  # ");" is one token, not a closing bracket
    ],
)
def test_near_misses_go_to_syntok(text):
    assert needs_syntok(text), text
    assert sentence_starts(text) == syntok_starts(text)


def _syntok_tokens(text: str) -> list[tuple[str, str, int]]:
    return [(t.spacing, t.value, t.offset) for t in _TOKENIZER.tokenize(text)]


def test_tokens_are_syntoks_on_awkward_text():
    for text in ["", " ", " a. b ", "x...", "A...B", "a.... b", "end)...", "It's WeWork's (x).", "hyphen-ated words",
                 "a\u200bb", "a\x1cb.", "“Quote”.", "n't don’t", "1,000.5 3.A U.S. e.g.", "Mc Donald’s\tMcDonald"]:
        assert [tuple(t) for t in _tokens(text)] == _syntok_tokens(text), text



def test_tokens_are_syntoks_on_every_corpus_segment():
    for text in set(corpus_segment_texts()):
        assert [tuple(t) for t in _tokens(text)] == _syntok_tokens(text), text


# A seeded fuzz of chunks built from syntok's own lists and the shapes the rules look at (prefixes, suffixes,
# spacing, brackets), to hold the rules exact beyond the texts they were checked on.
_CORES = [
    ["treatment", "said", "it", "people", "salt", "a", "no", "x", "b", "p", "e", "y", ""],
    ["Smith", "Ketamine", "Credit", "Mag", "Report", "May", "Nov", "No", "NO", "(Reuters)", "(McD)"],
    sorted(SYNTOK_STARTERS), sorted(SYNTOK_ABBREVIATIONS), sorted(SYNTOK_MONTHS), sorted(SYNTOK_ROMAN_NUMERALS),
    list("ABCDXYZ"), ["U.S", "N.Y.C", "e.g", "Ph.D", "A.B", "a.m", "x.com", "$164.99", "3.A", ""],
    ["1", "5", "12", "28", "100", "2019", "16-3", "8/21/2018", "1960s", "3D", "IL-25", "2nd"],
    ["haven’t", "don't", "it's", "O'Brien", "MagSafe", "CreditHiroko", "TheWorks", "COVID19", "The/x"],
    ["Théo", "También", "ʹs", "x²"],
]
_PREFIXES = ["", "", "", "", ",", ";", "“", '"', "‘", "'", "(", "[", "«", "—", "$", "(“"]
_SUFFIXES = ["", "", "", ".", ".", ".", "!", "?", ";", "...", "…", ".”", '."', '".', "’.", ").", ".)", "].", ".[1]", ".[12][13]",
             "[1]", ",", ":", ")", "]", "?!", "..", "....", "’s.", "(s)", "(x).", ".(", ",[2]", ";[3]"]
_SPACINGS = [" "] * 14 + ["", "  ", "\t", "\u00a0", " \u200b", "\x1c", "\u200b"]


def _fuzz_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)

    def chunk() -> str:
        return rng.choice(_PREFIXES) + rng.choice(rng.choice(_CORES)) + rng.choice(_SUFFIXES)

    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 14)):
            if rng.random() < 0.08:
                inner = " ".join(chunk() for _ in range(rng.choice([1, 2, 3, 8, 25])))
                parts.append(rng.choice("([{") + inner + rng.choice([")", "]", "}", ""]))
            else:
                parts.append(chunk())
            parts.append(rng.choice(_SPACINGS))
        texts.append("".join(parts).strip() or "x")
    return texts


def test_sentence_starts_are_syntoks_on_a_fuzz():
    texts = _fuzz_texts(3000, seed=14)
    differ = [t for t in texts if sentence_starts(t)[1:] != syntok_starts(t)[1:]]
    assert not differ, differ[:5]
    assert all([tuple(t) for t in _tokens(t)] == _syntok_tokens(t) for t in texts)


def _template_texts(count: int, seed: int) -> list[str]:
    """Short texts around the start of a piece and a bracketed text, where syntok's state matters."""
    rng = random.Random(seed)
    firsts = ["3", "A", "x", "b", "IV", "Dr", "Nov", "It", "said", "U.S", "", "...", ".", "(x)"]
    firsts += sorted(SYNTOK_ABBREVIATIONS)[:10]
    terminals = [".", ". ", "", "!", "?", ";", "...", ".”", ".)", ").", " ."]
    middles = ["", "", ")", ".", "x", "see", "See", "The", "(", "]", "“", "3.", "A.", "a b", "a b c", "U.S."]
    brackets = ["(see above)", "(See above)", "(x)", "(x y)", "[1]", "[M1 / MP]", "(a, b)", "(" + "a " * 30 + ")", "(A. B.)",
                "(x.)", "( x )", "(x", "{x}"]
    afters = ["", ",", ";", ":", ".", ")", " then", " Then", " the", " The", ", then", " 12", " (y)"]
    tails = ["", " end.", " End.", " (z), more", " x. Y", " a. b"]
    spacings = [" ", " ", " ", "", "  ", "\u00a0"]
    texts = []
    for _ in range(count):
        text = (rng.choice(["", "Word. ", "It works. ", "x "]) + rng.choice(firsts) + rng.choice(terminals) + rng.choice(spacings)
                + rng.choice(middles) + rng.choice(spacings) + rng.choice(brackets) + rng.choice(afters) + rng.choice(tails))
        texts.append(text.strip() or "x")
    return texts


def test_sentence_starts_are_syntoks_around_brackets():
    texts = _template_texts(3000, seed=3)
    differ = [t for t in texts if sentence_starts(t)[1:] != syntok_starts(t)[1:]]
    assert not differ, differ[:5]


_SHAPES = [
    "3.", "A.", "x.", "b.", "IV.", "Dr.", "Nov.", "It", "The", "the", "said.", "U.S.", ".", "...", "(x)", "(x", "x)", ")", "(",
    "[1]", "policy.[1]", "(see", "above),", "),", ");", ").", "then", "Then", "12", "2019.", "May", "no.", "5", '"Series".',
    "(2012).", "Inc.", "All", "salt.Credit", "p.", "(Reuters)", "—", ",", "it's.[1]", "(PTSD)", "and", "[M1", "MP]", "1.", "etc.",
]


def test_sentence_starts_are_syntoks_on_short_texts_of_chunk_shapes():
    rng = random.Random(1)
    spacings = " " * 8 + "\u00a0"
    texts = ["".join(rng.choice(_SHAPES) + rng.choice(spacings) for _ in range(rng.randint(1, 7))).strip() for _ in range(5000)]
    differ = [t for t in texts if t and sentence_starts(t)[1:] != syntok_starts(t)[1:]]
    assert not differ, differ[:5]
