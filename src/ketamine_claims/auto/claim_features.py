"""Features of the learned classifiers (`claim_model`): one list of names per sentence or claim row.

The named rules of `auto.claims` come in as features (the deciding sentence rule, the type rule
that matched the sentence, the rule of the sentence before), beside lower-cased word unigrams and
bigrams and a few shape features.
Pure functions of their arguments: training and inference build features with the same code.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
FIRST_PERSON = frozenset({"i", "my", "me", "i'm", "i’m", "we", "our", "us"})
SECOND_PERSON = frozenset({"you", "your", "you're", "you’re", "yourself"})
# Sentence lengths in words are bucketed at these bounds.
LENGTH_BOUNDS = (4, 8, 15, 25, 40)


def _length_bucket(n: int) -> str:
    for bound in LENGTH_BOUNDS:
        if n < bound:
            return f"len<{bound}"
    return f"len>={LENGTH_BOUNDS[-1]}"


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def ngram_features(tokens: list[str], prefix: str) -> list[str]:
    """Unigrams and bigrams of the tokens, each with the prefix (padded with sentence boundaries)."""
    padded = ["<s>", *tokens, "</s>"]
    return [f"{prefix}w={t}" for t in tokens] + [f"{prefix}b={a}_{b}" for a, b in pairwise(padded)]


def sentence_features(
    lead: str, rule: str, *, named: bool, anaphor: bool, topic: bool, heading: bool, previous_rule: str, type_rule: str
) -> list[str]:
    """Features of one content sentence (`lead`: the sentence without bullets, labels and openers).

    `rule` is the deciding rule of `auto.claims.sentences.sentence_decision`, `type_rule` the type rule that
    matched the sentence, `previous_rule` the deciding rule of the sentence before it on the page.
    """
    tokens = words(lead)
    stripped = lead.rstrip()
    end = stripped[-1:] if stripped[-1:] in {".", "?", "!", ":", ";"} else "none"
    features = [
        "bias",
        f"rule={rule}",
        f"prev_rule={previous_rule}",
        f"type_rule={type_rule}",
        f"end={end}",
        _length_bucket(len(tokens)),
        f"named={named}",
        f"anaphor={anaphor}",
        f"topic={topic}",
        f"heading={heading}",
    ]
    if tokens:
        features.append(f"first={tokens[0]}")
        features.append(f"first2={'_'.join(tokens[:2])}")
    if FIRST_PERSON.intersection(tokens):
        features.append("first_person")
    if SECOND_PERSON.intersection(tokens):
        features.append("second_person")
    if any(ch.isdigit() for ch in lead):
        features.append("digit")
    if '"' in lead or "“" in lead or "”" in lead:
        features.append("quote")
    return features + ngram_features(tokens, "")


# Time frames that time an effect ("within hours", "for up to a week"): onset and duration cues of
# guidelines 3.3 `onset` (issue 20: a time frame that times the effect is `onset`, not `efficacy`).
TIME_FRAME = re.compile(
    r"\b(?:within|in as little as|after|for up to|up to|for)\s+(?:a |an |one |two |few |several |\d+\s*)?(?:\w+\s+)?"
    r"(?:minutes?|hours?|days?|weeks?|months?)\b"
)
# Wording of eligibility and contraindications (guidelines 3.3 `eligibility`; issue 20: contraindications
# are `eligibility`, not `adverse_effect`).
ELIGIBILITY_CUES = re.compile(
    r"\b(?:candidates?|eligib\w*|should not|not (?:be )?(?:suitable|recommended)|contraindicat\w*|history of)\b"
)


@lru_cache(maxsize=4096)
def _span_words(span: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The span's words and their unigram and bigram features (prefix `s:`), computed once per span: the row
    classifiers share them."""
    tokens = tuple(words(span))
    return tokens, tuple(ngram_features(list(tokens), "s:"))


@lru_cache(maxsize=4096)
def _word_features(text: str, prefix: str) -> tuple[tuple[str, str], ...]:
    """(word, `<prefix>w=word`) for each distinct word of a text, sorted; computed once per text (the rows of a
    sentence share its context)."""
    return tuple((t, f"{prefix}w={t}") for t in sorted(set(words(text))))


def label_features(span: str, rule_type: str, rule: str, conditions: int) -> list[str]:
    """Features of one claim row for the claim_type classifier: the named rules' type and deciding rule, the
    span's first words and word unigrams and bigrams, time-frame and eligibility cues, and how many
    conditions the span names."""
    tokens, ngrams = _span_words(span)
    lowered = span.lower()
    features = ["bias", f"rule_type={rule_type}", f"rule={rule}", f"conditions={min(conditions, 2)}"]
    if tokens:
        features += [f"first={tokens[0]}", f"first2={'_'.join(tokens[:2])}"]
    if TIME_FRAME.search(lowered):
        features.append("time_frame")
    if ELIGIBILITY_CUES.search(lowered):
        features.append("eligibility_cue")
    return features + list(ngrams)


def condition_features(
    span: str, around: tuple[str, ...], claim_type: str, rule_condition: str, sources: tuple[str, ...]
) -> list[str]:
    """Features of one claim row for the condition classifier: the named rules' condition and the rules that
    gave it, the row's type, the span's word unigrams and bigrams and the words around it (`around`: the
    previous sentence, the section heading and the title)."""
    ngrams = _span_words(span)[1]
    features = ["bias", f"rule_condition={rule_condition}", f"type={claim_type}", *(f"source={name}" for name in sources)]
    features += [f for _, f in _word_features(" ".join(around), "x:")]
    return features + list(ngrams)
