"""Shared word lists and sentence shapes of the claim detector, and the `Words` matcher they use.

Only what several steps of the detector read lives here: the shape of a sentence (its final
punctuation, the fewest words a claim has), the words a claim needs at all, and the pronoun that
stands for the drug.
"""

from __future__ import annotations

import re


class Words:
    """A case-insensitive pattern matched on lower-cased text: several times faster than
    re.IGNORECASE on long word alternations. For yes/no tests only (offsets are those of the
    lower-cased text)."""

    def __init__(self, pattern: str) -> None:
        if re.search(r"[A-Z]", re.sub(r"\\[A-Za-z]", "", pattern)):
            raise ValueError(f"word pattern must be lower case: {pattern[:40]}")
        self.regex = re.compile(pattern)

    def search(self, text: str) -> re.Match[str] | None:
        return self.regex.search(text.lower())


# The characters outside ASCII that re.IGNORECASE matches to an ASCII letter or whose lower case holds one
# (dotted capital I, dotless i, long s, Kelvin sign; tests/auto/test_claims.py checks every code point).
ASCII_CASE_TWINS = re.compile("[\u0130\u0131\u017f\u212a]")


def lowered_search_is_exact(text: str) -> bool:
    """Whether a lower-case ASCII pattern searched in `text.lower()` finds exactly what it finds in `text` under
    re.IGNORECASE (lowering such a text keeps its length, its word characters and its matches)."""
    return text.isascii() or not ASCII_CASE_TWINS.search(text)


# Endings of a sentence (not a heading). A closing parenthesis ends one only after punctuation: "Side Effects of
# Spravato (esketamine)" is a noun-phrase heading (guidelines 3.5).
SENTENCE_END = (*'.!;…”"', ".)", "!)", "?)")
# A span or clause needs at least this many words to state a proposition (guidelines 3.1).
MIN_CLAIM_WORDS = 3
# Punctuation a span never ends with (guidelines 3.1: the final full stop is excluded).
TRAILING_PUNCTUATION = ".!;:,"
QUOTES = '"“”'
# The pronoun that stands for the drug in a clause without its name (guidelines 3).
PRONOUN = Words(r"\b(?:it|its|it['’]s)\b")
# How the drug is given that the other claim words miss (guidelines 3.3 `administration`: route, schedule, setting,
# screening; issue 20: plain administration statements): claim words, and `administration` cues of `claim_type`.
ADMINISTRATION_WORDS = (
    "nose", "mouth", "tongue", r"sublingual\w*", "office", "at-home", r"schedul\w*", "weekly", "twice", r"appointments?",
    r"evaluat\w*", r"assess\w*", "right for you",
)  # fmt: skip
# Verbs and nouns of an effect the other claim words miss ("can reliably decrease suicidal ideation", "prevents
# relapse"; guidelines 3.3 `efficacy`, `adverse_effect`, `mechanism`): claim words.
EFFECT_VERBS = (
    r"decreas\w*", r"lessen\w*", r"diminish\w*", r"prevent\w*", r"cur(?:e|es|ed|ing)", r"suppress\w*", r"relaps\w*",
    "remission", r"respon(?:d|ds|ded|se|ses|ders?)", r"worsen\w*", r"trigger\w*", r"inhibit\w*", r"restor\w*",
    r"protect\w*", r"antidepressant\w*",
)  # fmt: skip
# Words a claim needs at all (a guard against fragments): effects, harms, mechanism, use, access, regulation.
CLAIM_CUES = Words(
    rf"\b(?:treat\w*|reliev\w*|relief|alleviat\w*|reduc\w*|improv\w*|help\w*|work\w*|act\w*|block\w*|target\w*|boost\w*|"
    r"increas\w*|enhanc\w*|caus\w*|lead\w*|produc\w*|offer\w*|provid\w*|approv\w*|effective\w*|efficacy|safe\w*|unsafe|"
    r"risk\w*|side[- ]effects?|promis\w*|benefit\w*|manag\w*|administer\w*|infusion\w*|dos\w+|cost\w*|insurance|"
    r"modulat\w*|(?:up|down)[- ]?regulat\w*|influenc\w*|stabili[sz]\w*|rapid\w*|quick\w*|fast\w*|swift\w*|hours|option|"
    r"choice|tool|breakthrough|"
    r"potential|effects?|symptoms?|alter\w*|chang\w*|monitor\w*|observ\w*|watched|experienc\w*|sessions?|requir\w*|"
    r"short-lived|temporary|contribut\w*|support\w*|valuable|receptors?|antagonist|nmda|glutamate|addict\w*|abuse|"
    r"dependen\w*|blood pressure|heart rate|rais\w*|prescri\w*|used|utili[sz]ed|reserved|suitable|candidates?|feel\w*|"
    r"sensations?|state|spray\w*|vein|tube|teach|preferred|phases?|intervals|visits|results|differ|arise|persist|fade\w*|"
    r"include|impair\w*|versatil\w*|complement|anesthe\w*|anaesthe\w*|healing|nausea|dizz\w*|disrupt\w*|rewir\w*|re-wire|"
    r"reset\w*|encourag\w*|transform\w*|process\w*|resolve\w*|pass|calm|access|affordab\w*|expens\w*|clinics?|mood|lower\w*|"
    r"lift\w*|eas(?:e|es|ed|ing)|withdrawal|weeks|days|minutes|recommended|pregnan\w*|breast\w*|absorb\w*|reactions?|"
    rf"placebo|per session|per dose|tak(?:e|es|en|ing)|{'|'.join(ADMINISTRATION_WORDS)}|{'|'.join(EFFECT_VERBS)})\b|[$€£]\s?\d"
)
