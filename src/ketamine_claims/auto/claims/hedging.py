"""The `hedged` label: a modal or hedge cue in the span (guidelines 3.3 `hedged`; 3.5 "`hedged` looks
at the span only"; 3.6 "`hedged` is literal"; issue 20 added "thought to", "almost certainly",
"apparently").

Two word lists: the cues the guidelines name (HEDGE_CUES, with their spun synonyms) and epistemic
hedges from a published lexicon (LEXICON_HEDGES: Hyland 2005's list of hedges).
"""

from __future__ import annotations

from ketamine_claims.auto.claims.words import Words

HEDGE_CUES = Words(
    r"\b(?:can|could|may|might|potential\w*|promis\w*|suggest\w*|often|usually|typically|generally|likely|possibl[ey]|some|"
    r"many|(?<!the )most(?! \w+ly\b)|frequently|believed|considered|appears?|seems?|perhaps|hopeful|probably|lots of|"
    r"sometimes|tends? to|thought to|almost certainly|apparently|presumably|reportedly|possibly|arguably|encouraging)\b"
)
# Epistemic hedges of the list in Hyland, K. (2005), *Metadiscourse: Exploring Interaction in Writing*
# (London: Continuum), appendix "Metadiscourse items investigated", hedges. Left out: items that in
# web prose mostly state a quantity, a duty or a perception rather than doubt ("about", "around",
# "quite", "rather", "should", "would", "feel", "indicate", "largely", "claim"), which the
# guidelines' literal cue list (3.3) does not count either.
LEXICON_HEDGES = Words(
    r"\b(?:apparent|approximately|assum(?:e|ed|es)|broadly|doubt(?:ful)?|essentially|estimated?|fairly|in general|"
    r"in most (?:cases|instances)|mainly|maybe|mostly|on the whole|plausibl[ey]|presumabl[ey]|probable|"
    r"relatively|roughly|somewhat|suppos(?:e|ed|edly)|suspect(?:s|ed)?|tended to|typical|uncertain|unclear|unlikely|"
    r"to (?:my|our) knowledge)\b"
)


def hedge_rule(span: str) -> str | None:
    """The rule that finds the span hedged: `hedge_guideline_cue` (HEDGE_CUES), else `hedge_lexicon_cue`
    (LEXICON_HEDGES); None when the span holds no cue (guidelines 3.3, 3.5)."""
    if HEDGE_CUES.search(span):
        return "hedge_guideline_cue"
    if LEXICON_HEDGES.search(span):
        return "hedge_lexicon_cue"
    return None


def is_hedged(span: str) -> bool:
    """`hedged`: the span (never the frame cut from it) holds a cue of HEDGE_CUES or LEXICON_HEDGES."""
    return hedge_rule(span) is not None
