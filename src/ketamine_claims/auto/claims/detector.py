"""The detector's entry: the named rules propose claim sentences and their pieces, the learned veto may
turn a sentence down, and each piece becomes spans and labelled rows (guidelines 3, 3.1-3.3, 3.5-3.7)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ketamine_claims.auto.claim_model import ClaimModel
from ketamine_claims.auto.claims.attribution import speaker_in_context
from ketamine_claims.auto.claims.claim_type import claim_type_of
from ketamine_claims.auto.claims.condition import conditions_in, row_conditions
from ketamine_claims.auto.claims.context import SentenceContext
from ketamine_claims.auto.claims.hedging import hedge_rule, is_hedged
from ketamine_claims.auto.claims.learned import SHIPPED, learned_conditions, learned_type, veto_model, vetoes
from ketamine_claims.auto.claims.records import SentenceSpan, sentence_records
from ketamine_claims.auto.claims.rows import RowSpan, split_rows
from ketamine_claims.auto.claims.spans import claim_span
from ketamine_claims.auto.claims.topic import intervention_of
from ketamine_claims.auto.claims.words import MIN_CLAIM_WORDS, TRAILING_PUNCTUATION


@dataclass(frozen=True)
class AutoClaim:
    """One auto claim row: a span (offsets into the document) and its labels."""

    start: int
    end: int
    claim_type: str
    condition: str | None
    intervention: str
    hedged: bool
    attribution: str


def labels(
    span: str, sentence: str, context: SentenceContext, classifier: ClaimModel | None = None
) -> tuple[str, list[str | None], str, bool, Counter[str]]:
    """claim_type and conditions (one row each; the named rules', or the learned classifiers' where they
    override them), intervention and hedged for one span, with the rules used."""
    fired: Counter[str] = Counter()
    claim_type, rule = claim_type_of(span)
    fired[rule] += 1
    claim_type = learned_type(classifier, span, claim_type, rule, fired)
    sources: Counter[str] = Counter()
    conditions = row_conditions(span, rule, claim_type, sentence, context, sources)
    fired.update(sources)
    conditions = learned_conditions(classifier, span, context, claim_type, conditions, tuple(sorted(sources)), fired)
    hedged_by = hedge_rule(span)
    if hedged_by:
        fired[hedged_by] += 1
    return claim_type, conditions, intervention_of(span, context), hedged_by is not None, fired


def rows_for_piece(
    text: str,
    piece_start: int,
    piece_end: int,
    sentence: str,
    context: SentenceContext,
    fired: Counter[str],
    classifier: ClaimModel | None = None,
) -> list[AutoClaim]:
    """The labelled rows of one claim piece text[piece_start:piece_end]: its span and attribution, split
    into rows, without nested duplicates (guidelines 3.6 rule 2)."""
    s, e, attribution = claim_span(text[piece_start:piece_end], fired)
    if e - s <= 0:
        return []
    from_context = speaker_in_context(text[piece_start:piece_end], sentence, context.paragraph, context.speaker)
    if from_context:
        fired["attribution_rule_speaker_in_context"] += 1
        attribution = from_context
    if attribution != "none":
        fired[f"attribution_{attribution}"] += 1
    claims: list[AutoClaim] = []
    for row in split_rows(text, piece_start + s, piece_start + e):
        if row.rule:
            fired[row.rule] += 1
        claims.extend(_labelled(text, row, attribution, sentence, context, fired, classifier))
    return [c for c in claims if not any(nested_duplicate(c, other) for other in claims)]


def _labelled(
    text: str,
    row: RowSpan,
    attribution: str,
    sentence: str,
    context: SentenceContext,
    fired: Counter[str],
    classifier: ClaimModel | None,
) -> list[AutoClaim]:
    """One row span without its final punctuation, labelled: one AutoClaim per condition; none when too
    short to state a proposition (guidelines 3.1, 3.2)."""
    start = row.start
    end = start + len(text[start : row.end].rstrip(TRAILING_PUNCTUATION + " "))
    span = text[start:end]
    if len(span.split()) < MIN_CLAIM_WORDS:
        return []
    if row.forced_type == "regulatory":
        return [AutoClaim(start, end, "regulatory", None, intervention_of(span, context), is_hedged(span), attribution)]
    claim_type, conditions, intervention, hedged, label_rules = labels(span, sentence, context, classifier)
    fired.update(label_rules)
    if row.forced_type:
        claim_type, conditions = row.forced_type, conditions_in(span) or [None]
    return [AutoClaim(start, end, claim_type, condition, intervention, hedged, attribution) for condition in conditions]


def nested_duplicate(inner: AutoClaim, outer: AutoClaim) -> bool:
    """A span inside another span of the same type and condition (guidelines 3.6 rule 2 forbids it)."""
    return (
        inner is not outer
        and (inner.claim_type, inner.condition) == (outer.claim_type, outer.condition)
        and outer.start <= inner.start
        and inner.end <= outer.end
        and (inner.start, inner.end) != (outer.start, outer.end)
    )


def detect_claims(
    text: str, sentences: Sequence[SentenceSpan], model: ClaimModel | object | None = SHIPPED
) -> tuple[list[tuple[int, AutoClaim]], Counter[str]]:
    """Auto claims as (sentence position, claim) pairs, and how often each rule fired.

    `sentences` are every sentence of the document in order (`sentence_spans`); those marked
    boilerplate never carry a claim. The named rules propose the claim sentences, their pieces and
    spans; with a model (the shipped one by default) its sentence classifier may veto a proposed
    sentence and its claim_type classifier may override the rules' type; with `model=None` the named
    rules alone decide.
    """
    classifier = veto_model(model)
    found: list[tuple[int, AutoClaim]] = []
    seen: set[tuple[int, int, str | None]] = set()
    fired: Counter[str] = Counter()
    for record in sentence_records(text, sentences, fired):
        if not record.pieces:
            continue
        if vetoes(classifier, record, fired):
            fired["model_vetoes_claim"] += 1
            continue
        for piece_start, piece_end in record.pieces:
            start, end = record.start + piece_start, record.start + piece_end
            for claim in rows_for_piece(text, start, end, record.sentence, record.context, fired, classifier):
                if (claim.start, claim.end, claim.condition) not in seen:  # one row per (span, condition), 3.2
                    seen.add((claim.start, claim.end, claim.condition))
                    found.append((record.position, claim))
    return found, fired
