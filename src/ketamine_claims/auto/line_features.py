"""Features of every line of a page for the boilerplate line model (shared by training and inference).

A line is described by named, binary features: its shape (words, stopword density as in jusText,
end punctuation, capitals, digits, URLs, e-mail addresses, phone numbers), the named rules of
`boilerplate_rules` that match it, its position in the page, its distance to the page's prose
(lines long and function-word-rich enough to be article text, jusText's "good" paragraphs) and
whether it repeats on the page; then the same for its neighbours. Feature names are strings such
as `w=10-14` or `-1:r=share_bar`; the model gives each a weight per class.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from .boilerplate_rules import LINE_RULES, PHONE_NUMBER, _norm

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
# Features copied from a neighbour (by prefix of their names).
NEIGHBOUR_PREFIXES = ("w=", "sw=", "end=", "r=", "prose", "cap=", "first=")
URL = re.compile(r"https?://|www\.|\.com\b|\.org\b", re.IGNORECASE)
EMAIL = re.compile(r"\S+@\S+\.\w+")
MONTHS = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}\b|\b\d{1,2}:\d{2}\b|\b(19|20)\d{2}\b",
    re.IGNORECASE,
)
WORD_EDGE = "\"'“”‘’()[]{}.,;:!?«»…-–—*•|"


def _bin(value: float, bins: tuple[tuple[float, str], ...], last: str) -> str:
    for limit, name in bins:
        if value < limit:
            return name
    return last


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """jusText's English stoplist (shipped with jusText, a runtime dependency)."""
    import justext

    return frozenset(justext.get_stoplist("English"))


def _end_class(text: str) -> str:
    last = text[-1]
    if text.endswith(("...", "…")):
        return "ellipsis"
    if last in ".!?:;,":
        return last
    if last in "\"”’'":
        return "quote"
    if last.isalnum():
        return "digit" if last.isdigit() else "alnum"
    return "other"


def line_shape(text: str, stops: frozenset[str]) -> tuple[list[str], bool]:
    """Features of one line on its own, and whether it is prose."""
    words = text.split()
    n = len(words)
    folded = [w.strip(WORD_EDGE).casefold() for w in words]
    density = sum(w in stops for w in folded) / n
    capitals = sum(w[:1].isupper() for w in words) / n
    letters = sum(c.isalpha() for c in text)
    digits = sum(c.isdigit() for c in text)
    prose = n >= PROSE_MIN_WORDS and density >= PROSE_MIN_STOPWORD_DENSITY
    first = text[0]
    features = [
        "w=" + _bin(n, WORD_BINS, "50+"),
        "sw=" + _bin(density, STOPWORD_BINS, ".5+"),
        "end=" + _end_class(text),
        "cap=" + _bin(capitals, CAPITAL_BINS, "all"),
        "first=" + ("upper" if first.isupper() else "lower" if first.islower() else "digit" if first.isdigit() else "punct"),
    ]
    if prose:
        features.append("prose")
    if digits and digits >= letters:
        features.append("digits>letters")
    elif digits:
        features.append("digits")
    if "@" in text and EMAIL.search(text):
        features.append("email")
    if URL.search(text):
        features.append("url")
    if digits >= 7 and PHONE_NUMBER.search(text):
        features.append("phone")
    if digits and MONTHS.search(text):
        features.append("date")
    if "|" in text or " · " in text or " • " in text:
        features.append("separators")
    if letters and text.upper() == text:
        features.append("upper")
    if folded[0] == "by":
        features.append("by")
    if n <= 3:
        features.append("short:" + _norm(text)[:30])
    features.extend("r=" + rule.name for rule in LINE_RULES if rule.applies(text))
    return features, prose


def page_features(lines: Sequence[str]) -> list[list[str]]:
    """Feature names of every line of a page (lines are non-blank and stripped)."""
    stops = stopwords()
    shapes = [line_shape(text, stops) for text in lines]
    n = len(lines)
    prose_at = [i for i, (_, prose) in enumerate(shapes) if prose]
    first_prose, last_prose = (prose_at[0], prose_at[-1]) if prose_at else (n, -1)
    prose_cumulative = [0]
    for _, prose in shapes:
        prose_cumulative.append(prose_cumulative[-1] + prose)
    repeats = Counter(lines)
    out = []
    for i, (own, _) in enumerate(shapes):
        features = ["bias", *own, "pos=" + str(min(9, i * 10 // n))]
        if i < first_prose:
            features.append("before_prose=" + _bin(first_prose - i, DISTANCE_BINS, "21+"))
        elif i > last_prose:
            features.append("after_prose=" + _bin(i - last_prose, DISTANCE_BINS, "21+"))
        else:
            features.append("within_prose")
        for radius in (2, 5, 10):
            near = prose_cumulative[min(n, i + radius + 1)] - prose_cumulative[max(0, i - radius)]
            features.append(f"prose±{radius}=" + str(min(near, 4)))
        if repeats[lines[i]] > 1:
            features.append("repeated")
        for offset in NEIGHBOUR_OFFSETS:
            j = i + offset
            if 0 <= j < n:
                features.extend(f"{offset:+d}:{f}" for f in shapes[j][0] if f.startswith(NEIGHBOUR_PREFIXES))
            else:
                features.append(f"{offset:+d}:none")
        out.append(features)
    return out
