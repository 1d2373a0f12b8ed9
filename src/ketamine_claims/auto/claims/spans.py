"""Claim spans: a claim piece trimmed to the shortest text that states the proposition (guidelines
3.1, 3.7 "Spans" and "Attribution anywhere"; issue 10, issue 20).

The front loses bullets, labels, discourse openers, a leading clause about something else, a class
appositive, a concessive clause naming the drug or another treatment and attribution frames; the
end loses a trailing speech or "according to" frame, a numbered reference marker ("(4)") and the
final punctuation. A frame that holds a negation or a limiting quantifier is never cut (`negation`).
"""

from __future__ import annotations

import re
from collections import Counter

from ketamine_claims.auto.claims.attribution import (
    CITATION_MARKER,
    FRAMES_AT_START,
    LEADING_FINDING,
    LEADING_SOURCE,
    THAT_FRAME,
    TRAILING_ACCORDING,
    TRAILING_SPEECH,
    attribution_rule,
    frame_source,
)
from ketamine_claims.auto.claims.lead import LEAD_APPOSITIVE, strip_lead
from ketamine_claims.auto.claims.negation import limits
from ketamine_claims.auto.claims.topic import OTHER_TREATMENTS, named_intervention
from ketamine_claims.auto.claims.words import MIN_CLAIM_WORDS, PRONOUN, QUOTES, TRAILING_PUNCTUATION

# A leading clause about something else ("Unlike antidepressants that take weeks, …"): always cut.
LEAD_CONTRAST = re.compile(
    r"^(?:unlike|beyond|apart from|aside from|in addition to|compared (?:to|with)|rather than|instead of|like all|as with)\b"
    r"[^,]*,\s+",
    re.I,
)
# A leading concessive clause: cut when it is a proposition of its own (it names the topic or another treatment).
LEAD_CONCESSIVE = re.compile(r"^(?:while|although|though|even though|whereas|despite)\b([^,]*),\s+", re.I)
# A numbered reference marker at the end of the piece ("… after infusion (4)."): cut from the span.
TRAILING_CITATION = re.compile(CITATION_MARKER.pattern + r"[\s" + re.escape(TRAILING_PUNCTUATION) + r"]*$")
# Openers, contrast clauses and frames can stack ("However, research shows that …"); trimming stops after this many passes.
MAX_TRIM_PASSES = 6


def claim_span(piece: str, fired: Counter[str] | None = None) -> tuple[int, int, str]:
    """Trim a claim piece to its span (offsets into the piece) and name its attribution frame (the rule that named it
    is counted in `fired` as `attribution_rule_<name>`)."""
    attribution, rule = attribution_rule(piece)
    if rule and fired is not None:
        fired[f"attribution_rule_{rule}"] += 1
    text = piece
    for _ in range(MAX_TRIM_PASSES):
        trimmed = _trim_front(text)
        if trimmed == text:
            break
        text = trimmed
    text = text.lstrip(QUOTES)
    start = len(piece) - len(text)
    for trailing_frame in (TRAILING_SPEECH, TRAILING_ACCORDING):
        trailing = trailing_frame.search(text)
        if frame_source(trailing) and _leaves_a_claim(text[: trailing.start()]):
            text = text[: trailing.start()]
    cited = TRAILING_CITATION.search(text)
    if cited:
        text = text[: cited.start()]
    trimmed = text.rstrip(TRAILING_PUNCTUATION + " ")
    while trimmed and trimmed[-1] in QUOTES and sum(trimmed[:-1].count(q) for q in QUOTES) % 2 == 0:
        trimmed = trimmed[:-1].rstrip(TRAILING_PUNCTUATION + " ")  # a closing quote whose opening quote was cut
    return start, start + len(trimmed), attribution


def _trim_front(text: str) -> str:
    """One pass over the front of a span: openers, a leading contrast clause ("Unlike antidepressants
    that take weeks,"), a class appositive, a concessive clause naming the drug or another treatment
    (guidelines 3.7 "Spans"), then an attribution frame at the start or after a research noun (3.1, 3.7)."""
    text = strip_lead(text)
    contrast = LEAD_CONTRAST.match(text)
    if contrast and _leaves_a_claim(text[contrast.end() :]):
        text = text[contrast.end() :]
    appositive = LEAD_APPOSITIVE.match(text)
    if appositive and _leaves_a_claim(text[appositive.end() :]):
        text = text[appositive.end() :]
    concession = LEAD_CONCESSIVE.match(text)
    if concession and (
        named_intervention(concession[1]) or PRONOUN.search(concession[1]) or OTHER_TREATMENTS.search(concession[1])
    ):
        text = text[concession.end() :]
    text = _cut_leading_frame(text)
    that = THAT_FRAME.search(text) if " that " in text else None
    if that and that.start() < len(text) // 2 and not limits(text[: that.end()]):
        text = text[that.end() :]
    return text


def _cut_leading_frame(text: str) -> str:
    """The text after an attribution frame at its start (FRAMES_AT_START, else a leading "According to
    X," or "X said that"), unless the frame holds a negation or too little would remain (3.1; issue 20)."""
    for _name, frame in FRAMES_AT_START:
        found = frame.match(text)
        if found and _leaves_a_claim(text[found.end() :]) and not limits(found.group(0)):
            return text[found.end() :]
    for leading_frame in (LEADING_SOURCE, LEADING_FINDING):
        source = leading_frame.match(text)
        if frame_source(source) and _leaves_a_claim(text[source.end() :]) and not limits(source.group(0)):
            return text[source.end() :]
    return text


def _leaves_a_claim(rest: str) -> bool:
    return len(rest.split()) >= MIN_CLAIM_WORDS
