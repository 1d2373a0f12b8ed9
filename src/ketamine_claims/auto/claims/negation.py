"""Negation and limiting quantifiers: what a span must never lose (guidelines 3.1; issue 20).

A frame or clause that holds a negation or a limiting quantifier ("Studies have not shown that …",
"Few trials found that …", "No difference …") is never cut from a span, since the span would
state the opposite of the sentence, or more than it.
"""

from __future__ import annotations

from ketamine_claims.auto.claims.words import Words

# A negation or limiting quantifier: a frame that holds one is never cut from a span, since the span would state the
# opposite or more than the sentence ("Studies have not shown that …", "Few trials found that …"; guidelines 3.1).
LIMITING = Words(
    r"\b(?:no|not|never|none|nobody|nothing|neither|nor|few|little|hardly|rarely|seldom|barely|only|without|fail\w*|"
    r"\w+n['’]t|cannot|lack\w*|inconclusive|unclear|mixed)\b"
)


def limits(text: str) -> bool:
    """Whether a frame or clause holds a negation or a limiting quantifier, so that
    cutting it would change what the sentence states (guidelines 3.1; issue 20, "a span dropped its
    negation")."""
    return LIMITING.search(text) is not None
