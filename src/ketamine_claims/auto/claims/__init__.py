"""Stage 5b: rule-based claim detector for articles without gold labels.

The detector reads the document, not only the sentence. It first settles what the article is
about (`topic`: the intervention its title names, else one named in several of its segments);
sentences that do not repeat the drug's name inherit that topic unless their subject is a
condition or another treatment. A content sentence then carries a claim when it survives the named
filters of the annotation guidelines (`sentences`; sections 3, 3.5, 3.6 and 3.7 of
`annotations/GUIDELINES.md`) and the learned sentence classifier (`learned`) does not veto it.

Spans (`spans`) drop bullets, labels, discourse openers, a leading contrast clause, attribution
frames and the final punctuation, never a negation (`negation`); a span may split into rows
(`rows`). Labels follow section 3.3: `claim_type` from an ordered decision list (`claim_type`),
`condition` from the span or its context (`condition`), `hedged` from the span's cues (`hedging`),
`attribution` from the frame wherever it stands in the sentence (`attribution`); learned row-label
classifiers (`learned`) may override `claim_type`, `condition` and `hedged` by a margin. Every word
list is a module constant; every decision and label rule is counted by name. All rows are `auto` and carry
no verdict.

    found, fired = detect_claims(text, sentence_spans(segments, sentences, boilerplate))
"""

from ketamine_claims.auto.claims.detector import AutoClaim, detect_claims
from ketamine_claims.auto.claims.learned import SHIPPED, record_features
from ketamine_claims.auto.claims.records import SentenceRecord, SentenceSpan, sentence_records, sentence_spans
from ketamine_claims.auto.claims.topic import article_topic

__all__ = [
    "SHIPPED",
    "AutoClaim",
    "SentenceRecord",
    "SentenceSpan",
    "article_topic",
    "detect_claims",
    "record_features",
    "sentence_records",
    "sentence_spans",
]
