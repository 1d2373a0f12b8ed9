"""The learned parts of the detector (`auto.claim_model`, trained by `scripts/train-claims`; issue 20): the
sentence classifier may turn down a sentence the named rules propose as a claim (never one with an
attribution frame), never add one; the claim_type and condition classifiers may override the labels
the named rules give a row.

Their features (`auto.claim_features`) include the named rules' own decisions, so training and
inference build them here, from the same `SentenceRecord` or row span.
"""

from __future__ import annotations

import re
from collections import Counter

from ketamine_claims.auto.claim_features import condition_features, label_features, sentence_features
from ketamine_claims.auto.claim_model import NO_CONDITION, ClaimModel, shipped_model
from ketamine_claims.auto.claims.attribution import attribution_rule
from ketamine_claims.auto.claims.claim_type import claim_type_of
from ketamine_claims.auto.claims.condition import conditions_in
from ketamine_claims.auto.claims.context import SentenceContext
from ketamine_claims.auto.claims.lead import main_clause, strip_lead
from ketamine_claims.auto.claims.records import SentenceRecord
from ketamine_claims.auto.claims.topic import TOPIC_ANAPHOR, named_intervention

# `detect_claims(model=SHIPPED)`: the model shipped in the package.
SHIPPED = object()


def record_features(record: SentenceRecord) -> list[str]:
    """The sentence classifier's features of one content sentence."""
    lead = strip_lead(record.sentence.rstrip())
    return sentence_features(
        lead,
        record.rule,
        named=named_intervention(lead) is not None,
        anaphor=bool(TOPIC_ANAPHOR.match(lead) or TOPIC_ANAPHOR.match(main_clause(lead))),
        topic=record.context.topic is not None,
        heading=record.heading,
        previous_rule=record.previous_rule,
        type_rule=claim_type_of(lead)[1],
    )


def veto_model(model: ClaimModel | object | None) -> ClaimModel | None:
    """The classifier to use: the shipped one for SHIPPED, none (the named rules alone) for None."""
    classifier = shipped_model() if model is SHIPPED else model
    if classifier is not None and not isinstance(classifier, ClaimModel):
        raise TypeError(f"model must be a ClaimModel, None or SHIPPED, not {type(classifier).__name__}")
    return classifier


# A price: an amount of money (guidelines 3.3 `cost_access`: "price, insurance, availability").
PRICE = re.compile(r"[$€£]\s?\d")


def vetoes(classifier: ClaimModel | None, record: SentenceRecord, fired: Counter[str]) -> bool:
    """`model_vetoes_claim`: the classifier turns down a sentence whose named rules found claim pieces;
    `veto_spares_attributed`: never one with an attribution frame (guidelines 3.3 `attribution`: what a
    study, a regulator or a speaker is said to have found or said is an attributed claim, not a non-claim);
    `veto_spares_price`: never one that states a price (3.3 `cost_access`: a price of the treatment is a checkable
    proposition, whatever its words; the classifier's word features do not see amounts)."""
    if classifier is None or classifier.is_claim(record_features(record)):
        return False
    if attribution_rule(record.sentence)[0] != "none":
        fired["veto_spares_attributed"] += 1
        return False
    if PRICE.search(record.sentence):
        fired["veto_spares_price"] += 1
        return False
    return True


def row_features(span: str, claim_type: str, rule: str) -> list[str]:
    """The claim_type classifier's features of one row span (`claim_type`, `rule`: the named rules' decision)."""
    return label_features(span, claim_type, rule, len(conditions_in(span)))


def learned_type(classifier: ClaimModel | None, span: str, claim_type: str, rule: str, fired: Counter[str]) -> str:
    """`model_types_claim`: the claim_type classifier's type of a row where it beats the named rules' by
    more than the model's margin; the rules' type otherwise, or without a claim_type model."""
    if classifier is None or classifier.claim_type is None:
        return claim_type
    decided = classifier.claim_type.decide(row_features(span, claim_type, rule), claim_type)
    if decided != claim_type:
        fired["model_types_claim"] += 1
    return decided


def condition_row_features(
    span: str, context: SentenceContext, claim_type: str, condition: str | None, sources: tuple[str, ...]
) -> list[str]:
    """The condition classifier's features of one row span (`condition`, `sources`: the named rules' decision)."""
    around = (context.previous, context.heading, context.title)
    return condition_features(span, around, claim_type, condition or NO_CONDITION, sources)


def takes_learned_condition(classifier: ClaimModel | None, span: str, conditions: list[str | None]) -> bool:
    """Whether the condition classifier may relabel a row: one with one condition or none, whose span names none."""
    return classifier is not None and classifier.condition is not None and len(conditions) == 1 and not conditions_in(span)


def learned_conditions(
    classifier: ClaimModel | None,
    span: str,
    context: SentenceContext,
    claim_type: str,
    conditions: list[str | None],
    sources: tuple[str, ...],
    fired: Counter[str],
) -> list[str | None]:
    """`model_conditions_claim`: the condition classifier's condition of a row whose span names no condition
    and that the named rules give one condition from its context (or none), where it beats theirs by more
    than the model's margin; the rules' otherwise (a condition the span names decides, guidelines 3.3)."""
    if not takes_learned_condition(classifier, span, conditions):
        return conditions
    rule_label = conditions[0] or NO_CONDITION
    features = condition_row_features(span, context, claim_type, conditions[0], sources)
    decided = classifier.condition.decide(features, rule_label)
    if decided == rule_label:
        return conditions
    fired["model_conditions_claim"] += 1
    return [None if decided == NO_CONDITION else decided]
