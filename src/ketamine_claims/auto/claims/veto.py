"""The learned veto: the sentence classifier (`auto.claim_model`, trained by `scripts/train-claims`) may
turn down a sentence the named rules propose as a claim, never add one (issue 20).

Its features (`auto.claim_features`) include the named rules' own decisions, so training and
inference build them here, from the same `SentenceRecord`.
"""

from __future__ import annotations

from ketamine_claims.auto.claim_features import sentence_features
from ketamine_claims.auto.claim_model import ClaimModel, shipped_model
from ketamine_claims.auto.claims.claim_type import claim_type_of
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


def vetoes(classifier: ClaimModel | None, record: SentenceRecord) -> bool:
    """`model_vetoes_claim`: the classifier turns down a sentence whose named rules found claim pieces."""
    return classifier is not None and not classifier.is_claim(record_features(record))
