"""Features of every line of a page for the boilerplate line model (shared by training and inference).

A line is described by named, binary features: its shape (words, stopword density as in jusText,
end punctuation, capitals, digits, URLs, e-mail addresses, phone numbers), the named rules of
`boilerplate_rules` that match it, its position in the page, its distance to the page's prose
(lines long and function-word-rich enough to be article text, jusText's "good" paragraphs) and
whether it repeats on the page; then the same for its neighbours. How much chrome the page shows
at all (`chrome_level`: how many of its lines a named rule matches) is a feature of every line, so
that the features relative to the page can weigh differently on a page with no chrome to contrast with
(a list or a table after the last paragraph of such a page is the article's, not a footer). Feature
names are strings such as `w=10-14` or `-1:r=share_bar`; the model gives each a weight per class.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ketamine_claims.auto.boilerplate_rules import (
    DECISIVE_RULES,
    PHONE_NUMBER,
    SUPPORT_APPEAL_CUE,
    _norm,
    matching_rules,
    support_appeal,
)

DECISIVE = frozenset(DECISIVE_RULES)

# Word-count bins (upper bounds, exclusive) and their names.
WORD_BINS = ((1, "1"), (2, "2"), (3, "3"), (4, "4"), (6, "5"), (10, "6-9"), (15, "10-14"), (25, "15-24"), (50, "25-49"))
# Stopword-density bins as in jusText (its "low" 0.30 and "high" 0.32 thresholds fall in 0.3).
STOPWORD_BINS = ((0.0001, "0"), (0.1, ".0"), (0.2, ".1"), (0.3, ".2"), (0.4, ".3"), (0.5, ".4"))
CAPITAL_BINS = ((0.0001, "0"), (0.3, "low"), (0.7, "mid"), (0.9999, "high"))
DISTANCE_BINS = ((1, "0"), (2, "1"), (3, "2"), (4, "3"), (7, "4-6"), (11, "7-10"), (21, "11-20"))
# A prose line: at least this many words and this stopword density (jusText's length_high 200
# characters and stopwords_high 0.32, read in words for text without markup).
PROSE_MIN_WORDS = 15
PROSE_MIN_STOPWORD_DENSITY = 0.3
NEIGHBOUR_OFFSETS = (-2, -1, 1, 2)
# The named rules describe short lines (labels, buttons, notices); longer lines are left to the
# other features, which keeps the cost of a page low.
RULE_MAX_WORDS = 30
# The page's topic words: content words (3+ letters, not stopwords) found in this many prose lines;
# a line's share of topic words among its content words is binned.
TOPIC_MIN_LINES = 2
TOPIC_BINS = ((0.0001, "0"), (0.34, "low"), (0.67, "mid"))
# The page's chrome level: how many of its lines a named rule matches (those a decisive rule took out of the model's
# view included), binned (upper bounds, exclusive).
CHROME_BINS = ((1, "0"), (3, "1-2"), (10, "3-9"))
# Word tokens (for stopword density) and capitalised words, counted by regex (fast on long lines).
TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
CAPITALISED = re.compile(r"(?<!\S)[A-ZÀ-ÖØ-Þ]")
DIGIT = re.compile(r"\d")
EMAIL = re.compile(r"\S+@\S+\.\w+")
# A date or time in a lower-cased line: "nov. 18", "11:03", a year 1900-2099.
DATE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}\b|\b\d{1,2}:\d\d\b|\b(?:19|20)\d\d\b")
SAMPLE_CHARS = 200


# A line on its own: features shown to neighbours, its other features, whether it is prose, its content words.
Shape = tuple[list[str], list[str], bool, frozenset[str]]


# A headline: a few words, not a sentence (no final period) nor cut by a colon or comma.
TITLE_MIN_WORDS = 2
TITLE_MAX_WORDS = 25
TITLE_BAD_ENDINGS = (".", ",", ";", ":", "…")
HEADLINE_MIN_WORDS = 4


def reads_as_title(text: str) -> bool:
    """A line shaped like a headline: 2-25 words, not starting with a lower-case letter, not ending in a period,
    comma, colon or ellipsis, more letters than digits, and matching no named rule (a breadcrumb, menu, category
    label, cookie notice, caption or byline is never the title)."""
    words = text.split()
    return (
        TITLE_MIN_WORDS <= len(words) <= TITLE_MAX_WORDS
        and not text[0].islower()
        and not text.endswith(TITLE_BAD_ENDINGS)
        and sum(c.isalpha() for c in text) > sum(c.isdigit() for c in text)
        and not matching_rules(text)
    )


def _bin(value: float, bins: tuple[tuple[float, str], ...], last: str) -> str:
    for limit, name in bins:
        if value < limit:
            return name
    return last


# Names of integer-valued features, looked up rather than binned line by line: `"w=" + _bin(n,
# WORD_BINS, "50+")` for every word count below the last bound; the distance to the prose (the last
# entry stands for every larger distance); the count of prose lines within each radius (capped); bin and
# class names with their prefixes.
WORD_BIN_NAMES = tuple("w=" + _bin(n, WORD_BINS, "50+") for n in range(WORD_BINS[-1][0]))
BEFORE_PROSE_NAMES = tuple("before_prose=" + _bin(d, DISTANCE_BINS, "21+") for d in range(DISTANCE_BINS[-1][0] + 1))
AFTER_PROSE_NAMES = tuple("after_prose=" + _bin(d, DISTANCE_BINS, "21+") for d in range(DISTANCE_BINS[-1][0] + 1))
# Bin limits and names for `bisect_right`: `names[bisect_right(limits, value)]` is `_bin(value, bins, last)`.
STOPWORD_LIMITS = tuple(limit for limit, _ in STOPWORD_BINS)
STOPWORD_BIN_NAMES = (*("sw=" + name for _, name in STOPWORD_BINS), "sw=.5+")
CAPITAL_LIMITS = tuple(limit for limit, _ in CAPITAL_BINS)
CAPITAL_BIN_NAMES = (*("cap=" + name for _, name in CAPITAL_BINS), "cap=all")
END_NAMES = {end: "end=" + end for end in ("ellipsis", *".!?:;,", "quote", "digit", "alnum", "other")}
FIRST_NAMES = {first: "first=" + first for first in ("upper", "lower", "digit", "punct")}
PROSE_NEAR_RADII = (2, 5, 10)
PROSE_NEAR_MAX = 4
PROSE_NEAR_NAMES = tuple(
    (radius, tuple(f"prose±{radius}={min(k, PROSE_NEAR_MAX)}" for k in range(2 * radius + 2))) for radius in PROSE_NEAR_RADII
)
TOPIC_LIMITS = tuple(limit for limit, _ in TOPIC_BINS)
TOPIC_BIN_NAMES = (*("topic=" + name for _, name in TOPIC_BINS), "topic=high")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """jusText's English stoplist (shipped with jusText, a runtime dependency)."""
    import justext

    return frozenset(justext.get_stoplist("English"))


ELLIPSES = ("...", "…")


def _last_class(last: str) -> str:
    """End class of a line that does not end in an ellipsis, from its last character."""
    if last in ".!?:;,":
        return last
    if last in "\"”’'":
        return "quote"
    if last.isalnum():
        return "digit" if last.isdigit() else "alnum"
    return "other"


def _first_class(text: str) -> str:
    """Class of a line's first character."""
    first = text[0]
    return "upper" if first.isupper() else "lower" if first.islower() else "digit" if first.isdigit() else "punct"


class _NameByChar(dict[str, str]):
    """Feature name of a character, computed on first use (`_last_class` of a line's last character, `_first_class` of
    its first)."""

    def __init__(self, classify: Callable[[str], str], names: dict[str, str]):
        super().__init__()
        self.classify, self.names = classify, names

    def __missing__(self, char: str) -> str:
        name = self[char] = self.names[self.classify(char)]
        return name


# The end feature of a line that does not end in an ellipsis depends on its last character alone, the first
# character feature on its first character.
END_NAME_BY_LAST = _NameByChar(_last_class, END_NAMES)
FIRST_NAME_BY_CHAR = _NameByChar(_first_class, FIRST_NAMES)


def line_shape(text: str, stops: frozenset[str]) -> Shape:
    """Features of one line on its own: those also shown to its neighbours, the others, and whether it is prose.

    Densities (stopwords, capitals) are read from the first SAMPLE_CHARS characters; the lexical
    features and named rules only on lines of at most RULE_MAX_WORDS words (a reader-funding appeal,
    `support_appeal`, on every line).
    """
    n = len(text.split())
    short_line = len(text) <= SAMPLE_CHARS
    sample = text if short_line else text[:SAMPLE_CHARS]
    lower = text.lower() if short_line or n <= RULE_MAX_WORDS else ""
    tokens = TOKEN.findall(lower if short_line else sample.lower())
    density = sum(map(stops.__contains__, tokens)) / len(tokens) if tokens else 0.0
    capitals = len(CAPITALISED.findall(sample)) / (n if short_line else min(n, len(sample.split())))
    prose = n >= PROSE_MIN_WORDS and density >= PROSE_MIN_STOPWORD_DENSITY
    word_bin = WORD_BIN_NAMES[n] if n < len(WORD_BIN_NAMES) else "w=50+"
    shown = [word_bin, STOPWORD_BIN_NAMES[bisect_right(STOPWORD_LIMITS, density)]]
    end = END_NAMES["ellipsis"] if text.endswith(ELLIPSES) else END_NAME_BY_LAST[text[-1]]
    own: list[str] = [end, CAPITAL_BIN_NAMES[bisect_right(CAPITAL_LIMITS, capitals)], FIRST_NAME_BY_CHAR[text[0]]]
    words = frozenset([t for t in tokens if len(t) > 2]).difference(stops)
    if prose:
        shown.append("prose")
    if n > RULE_MAX_WORDS:
        # A reader-funding appeal is written in long sentences too: the one named rule read on long lines.
        if SUPPORT_APPEAL_CUE.search(text.lower()) and support_appeal(text):
            shown.append("r=support_appeal")
        return shown, own, prose, words
    digits = len(DIGIT.findall(text))
    shown.extend(["r=" + name for name in matching_rules(text, n, digits, lower)])
    if digits:
        own.append("digits>half" if digits * 2 >= len(text) else "digits")
        if DATE.search(lower):
            own.append("date")
        if digits >= 7 and PHONE_NUMBER.search(text):
            own.append("phone")
    if "@" in text and EMAIL.search(text):
        own.append("email")
    if "http" in lower or "www." in lower or ".com" in lower or ".org" in lower:
        own.append("url")
    if "|" in text or " · " in text or " • " in text:
        own.append("separators")
    if text.isupper():
        own.append("upper")
    if tokens and tokens[0] == "by":
        own.append("by")
    if n <= 3:
        own.append("short:" + _norm(text)[:30])
    return shown, own, prose, words


@dataclass(frozen=True)
class PageFeatures:
    """Features of a page's lines: per line, those it shows its neighbours and those of its own."""

    shown: list[list[str]]
    own: list[list[str]]

    def names(self) -> list[list[str]]:
        """Every feature name of every line, neighbours' features prefixed by their offset (`-1:w=3`)."""
        n = len(self.shown)
        out = []
        for i in range(n):
            names = [*self.own[i], *self.shown[i]]
            for offset in NEIGHBOUR_OFFSETS:
                j = i + offset
                names.extend([f"{offset:+d}:{f}" for f in self.shown[j]] if 0 <= j < n else [f"{offset:+d}:none"])
            out.append(names)
        return out


def headline_candidate(lines: Sequence[str], topic_shares: Sequence[float | None], first_prose: int) -> int | None:
    """The line most likely to be the headline: above the first prose line, shaped like a title, with at
    least HEADLINE_MIN_WORDS words, and the highest share of topic words (the first on a tie)."""
    best, best_share = None, 0.0
    for i in range(min(first_prose, len(lines))):
        share = topic_shares[i]
        if share is not None and share > best_share and len(lines[i].split()) >= HEADLINE_MIN_WORDS and reads_as_title(lines[i]):
            best, best_share = i, share
    return best


def line_shapes(lines: Sequence[str]) -> list[Shape]:
    """`line_shape` of every line of a page; a line that repeats on the page (a fifth of the lines of real pages)
    is described once and shares that shape, which nothing changes afterwards."""
    stops = stopwords()
    known: dict[str, Shape] = {}
    shapes = []
    for text in lines:
        shape = known.get(text)
        if shape is None:
            shape = known[text] = line_shape(text, stops)
        shapes.append(shape)
    return shapes


def chrome_level(shapes: Sequence[Shape], rule_lines: int = 0) -> str:
    """The page's `chrome=` feature: the CHROME_BINS bin of its lines that a named rule matches (`rule_lines` more
    that are not among the shapes, the lines the decisive rules took out)."""
    matched = rule_lines + sum(1 for shape in shapes if shape_rules(shape))
    return "chrome=" + _bin(matched, CHROME_BINS, "10+")


def page_features(lines: Sequence[str], shapes: Sequence[Shape] | None = None, rule_lines: int = 0) -> PageFeatures:
    """Features of every line of a page (lines are non-blank and stripped; shapes from `line_shapes` if known;
    `rule_lines` lines of the page that a decisive rule matched are not among them)."""
    shapes = shapes if shapes is not None else line_shapes(lines)
    n = len(lines)
    chrome = chrome_level(shapes, rule_lines)
    prose_at = [i for i, shape in enumerate(shapes) if shape[2]]
    first_prose, last_prose = (prose_at[0], prose_at[-1]) if prose_at else (n, -1)
    # Prose lines before each line, padded with the totals past both ends, and per line the
    # names of the (capped) counts of prose lines within each radius.
    pad = PROSE_NEAR_RADII[-1] + 1
    prose_cumulative = [0] * (pad + 1)
    for shape in shapes:
        prose_cumulative.append(prose_cumulative[-1] + shape[2])
    prose_cumulative.extend([prose_cumulative[-1]] * pad)
    prose_near = list(
        zip(
            *(
                [names[prose_cumulative[i + radius + 1 + pad] - prose_cumulative[i - radius + pad]] for i in range(n)]
                for radius, names in PROSE_NEAR_NAMES
            ),
            strict=True,
        )
    )
    repeats = Counter(lines)
    topic_counts = Counter(w for shape in shapes if shape[2] for w in shape[3])
    topic = {w for w, count in topic_counts.items() if count >= TOPIC_MIN_LINES}
    shares = [len(shape[3] & topic) / len(shape[3]) if shape[3] and topic else None for shape in shapes]
    headline = headline_candidate(lines, shares, first_prose)
    own_all = []
    last_distance = len(BEFORE_PROSE_NAMES) - 1
    for i, (_, own, _, _) in enumerate(shapes):
        features = ["bias", *own]
        share = shares[i]
        if share is not None:
            features.append(TOPIC_BIN_NAMES[bisect_right(TOPIC_LIMITS, share)])
        if i == headline:
            features.append("headline")
        if i < first_prose:
            features.append(BEFORE_PROSE_NAMES[min(first_prose - i, last_distance)])
        elif i > last_prose:
            features.append(AFTER_PROSE_NAMES[min(i - last_prose, last_distance)])
        else:
            features.append("within_prose")
        features.append(chrome)
        features.extend(prose_near[i])
        if repeats[lines[i]] > 1:
            features.append("repeated")
        own_all.append(features)
    return PageFeatures([shape[0] for shape in shapes], own_all)


def shape_rules(shape: Shape) -> list[str]:
    """The named rules matching a line, in order, from its shape (its `r=` features)."""
    shown = shape[0]
    if len(shown) <= 2:  # only the word and stopword bins: no rule matched
        return []
    return [name[2:] for name in shown if name.startswith("r=")]


def decisive_rule(shape: Shape) -> str | None:
    """The first decisive rule (`boilerplate_rules.DECISIVE_RULES`) matching a line, from its shape."""
    return next((name for name in shape_rules(shape) if name in DECISIVE), None)


def model_view(lines: Sequence[str]) -> tuple[list[str | None], list[int], PageFeatures]:
    """The decisive rule of every line, and the lines the model sees (no decisive rule) with their features.

    Lines that a decisive rule marks are taken out before the model reads the page, in training and
    in inference, so that their sure labels do not pull their neighbours along the chain.
    """
    shapes = line_shapes(lines)
    decisive = [decisive_rule(shape) for shape in shapes]
    kept = [i for i, rule in enumerate(decisive) if rule is None]
    return decisive, kept, page_features([lines[i] for i in kept], [shapes[i] for i in kept], len(lines) - len(kept))
