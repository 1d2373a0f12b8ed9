"""The `hedged` label: a modal or hedge cue in the span (guidelines 3.3 `hedged`; 3.5 "`hedged` looks
at the span only"; 3.6 "`hedged` is literal"; issue 20 added "thought to", "almost certainly",
"apparently")."""

from __future__ import annotations

from ketamine_claims.auto.claims.words import Words

HEDGE_CUES = Words(
    r"\b(?:can|could|may|might|potential\w*|promis\w*|suggest\w*|often|usually|typically|generally|likely|possibl[ey]|some|"
    r"many|(?<!the )most|frequently|believed|considered|appears?|seems?|perhaps|hopeful|probably|lots of|sometimes|tends? to|"
    r"thought to|almost certainly|apparently|presumably|reportedly|possibly|arguably)\b"
)


def is_hedged(span: str) -> bool:
    """`hedged`: the span (never the frame cut from it) holds a cue of HEDGE_CUES (guidelines 3.3, 3.5)."""
    return bool(HEDGE_CUES.search(span))
