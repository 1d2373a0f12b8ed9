"""The `condition` label: conditions named in the span, one row each, else taken from the context
(guidelines 3.2, 3.3 `condition`, 3.5, 3.7 "condition"; issue 10 pattern 7).

Harms are never conditions: `adverse_effect` and `safety` rows are null. An `efficacy`, `onset` or
`eligibility` row that names no condition takes it from the rest of its sentence, the previous
sentence of its paragraph, the section heading or a title naming one condition; `administration`
rows do so only when they speak of results.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ketamine_claims.auto.claims.claim_type import claim_type_of
from ketamine_claims.auto.claims.context import SentenceContext
from ketamine_claims.auto.claims.words import Words

# Types whose rows never take a condition: harms are not conditions (3.5); history is not a use.
NO_CONDITION_TYPES = frozenset({"adverse_effect", "safety"})
# Types whose rows without a named condition take the condition of their context (3.7).
CONTEXT_CONDITION_TYPES = frozenset({"efficacy", "onset", "eligibility"})
RESULT_WORDS = Words(r"\b(?:improv\w*|results?|relief|symptoms?|outcomes?|benefits?)\b")

# --- conditions (guidelines 3.3, 3.5) -----------------------------------------------------------
CONDITION_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (c, re.compile(p))
    for c, p in (
        (
            "treatment_resistant_depression",
            r"treatment[- ]resistant|\btrd\b|\bresistant depression|"
            r"resistant to (?:traditional|conventional|standard|other) antidepressants|"
            r"depression that[’']?s hard to treat|(?:hard|difficult)[- ]to[- ]treat depression",
        ),
        ("depression", r"\bdepress\w*|\bmdd\b|antidepressant (?:effects?|action|properties|response|benefits?)|\blow mood\b"),
        ("suicidal_ideation", r"\b(?:anti)?suicid\w*|self[- ]harm|\bin (?:acute )?crisis\b"),
        ("bipolar_disorder", r"\bbipolar\b|\bmanic\b|\bmania\b|\bmood swings\b"),
        ("anxiety_disorders", r"\banxi\w*|\bpanic\b|\bgad\b"),
        ("ptsd", r"\bptsd\b|post[- ]traumatic|\btrauma\w*|flashbacks|hypervigilance|nightmares"),
        ("ocd", r"\bocd\b|\bobsessive"),
        ("chronic_pain", r"\bpain\b|fibromyalgia|\bcrps\b|physical suffering"),
        (
            "substance_use",
            r"substance (?:ab)?use|alcohol use|(?:alcohol|opioid|cocaine) (?:use disorder|dependence|addiction)|"
            r"addiction treatment",
        ),
        (
            "mental_health_general",
            r"\bmental (?:health|illness\w*|disorders?|wellness|well-being)|psychiatr\w*|"
            r"mood disorders?|psycholog\w*|emotional well-being",
        ),
    )
)
DEPRESSION_CUE = dict(CONDITION_CUES)["depression"]
SPECIFIC_PSYCHIATRIC = frozenset(
    {
        "depression",
        "treatment_resistant_depression",
        "suicidal_ideation",
        "bipolar_disorder",
        "anxiety_disorders",
        "ptsd",
        "ocd",
        "substance_use",
    }
)
# Phrases removed before reading conditions: other drugs' names and words that only look like a condition.
CONDITION_NOISE = re.compile(
    r"\b(?:antidepressants|antidepressant (?:medications?|drugs)|anti-anxiety medications?|pain receptors|painful|pain reliever|"
    r"(?:respiratory|cns|central nervous system|breathing) depression|(?:emotional|psychological|mental|inner) pain|"
    r"feelings of pain|psychological dependence)\b"
)
TRD_PHRASE = re.compile(r"treatment[- ]resistant\s+(?:conditions?\s+(?:like|such as)\s+)?(?:major\s+)?depress\w*")
BIPOLAR_EPISODES = re.compile(r"depressive (?:or|and) manic|depressive (?:episodes?|phases?)")
MOOD = Words(r"\bmood\b(?! (?:disorders?|swings))|\bemotional stability\b")
# Populations defined by treatment failure (3.5): TRD in a passage about depression, else mental health in general.
TREATMENT_FAILURE = Words(
    r"\b(?:tried [^.]{0,40}without (?:success|relief|improvement)|(?:not|haven['’]t|"
    r"have not|n['’]t) (?:responded|found (?:success|relief|rest))|"
    r"struggled with (?:conventional|traditional)|resistant to (?:conventional|traditional|other|existing)|unresponsive to|"
    r"(?:has|have|had) not (?:improved|responded|got(?:ten)? better) (?:with|to|after)|"
    r"(?:standard|other|conventional|traditional) (?:approaches|treatments|therapies|medications|methods) (?:have )?"
    r"(?:fail\w*|fallen short)|(?:who|that) (?:have |has |had )?failed\b|not been helped by|"
    r"(?:medications?|treatments?|therapies|antidepressants?|drugs) (?:are|were|have been|prove[dn]?) ineffective)"
)
# Depression itself described as not responding to treatment ("whose depression has not responded to …") is TRD.
UNRESPONSIVE_DEPRESSION = Words(
    r"\b(?:whose )?depress\w*,? (?:that |which )?(?:has|have|had) not (?:improved|responded|got(?:ten)? better)\b|"
    r"\bdepress\w* (?:that|which) (?:did|does|do) not (?:improve|respond)\b"
)
# Patients whom treatment failed, named beside depression ("relieve depression symptoms in patients who have failed
# standard antidepressant therapy", "severe depression where anti-depressant medications are ineffective"): the
# depression is TRD. A fronted qualifier ("For those who have not found success with traditional therapies, …") is
# not read this way (the gold articles keep `depression` there).
FAILED_POPULATION = Words(
    r"\b(?:patients|people|individuals|adults|those)\b[^,.;]{0,60}?\b(?:who|that) (?:have |has |had )?(?:failed\b|not "
    r"(?:responded|been helped)\b|did not respond\b)|\bwhere (?:\S+ ){0,2}(?:medications|treatments|therapies|"
    r"antidepressants) (?:are|were|have been|proved) ineffective\b"
)
CONTEXT_DEPRESSION = Words(r"\bdepress\w*|antidepressant|\bmdd\b")


def conditions_in(text: str) -> list[str]:
    """Conditions named in a text, one per row (3.2), with the 3.3 and 3.5 decisions applied."""
    return list(_conditions_in(text))


@lru_cache(maxsize=1024)
def _conditions_in(text: str) -> tuple[str, ...]:
    """conditions_in, worked out once per text (the title, a heading or a sentence is read for many rows).
    "Treatment-resistant depression" is TRD only, "depressive episodes" of bipolar disorder are bipolar
    only, and mental health in general is not added beside a specific psychiatric condition (3.3, 3.7)."""
    clean = CONDITION_NOISE.sub(" ", text.lower())
    found = [c for c, cue in CONDITION_CUES if cue.search(clean)]
    depression = DEPRESSION_CUE
    trd_only = "treatment_resistant_depression" in found and not depression.search(TRD_PHRASE.sub(" ", clean))
    bipolar_only = "bipolar_disorder" in found and not depression.search(BIPOLAR_EPISODES.sub(" ", clean))
    if "depression" in found and (trd_only or bipolar_only):
        found.remove("depression")
    if "mental_health_general" in found and SPECIFIC_PSYCHIATRIC.intersection(found):
        found.remove("mental_health_general")
    return tuple(found)


def row_conditions(
    span: str, type_rule: str, claim_type: str, sentence: str, context: SentenceContext, fired: Counter[str]
) -> list[str | None]:
    """`condition` of one span's rows (one row each, or [None]), counting the rules that fired: harms take
    none (3.5); `condition_from_mood`: mood is depression in a passage about depression, else mental
    health in general (3.3, 3.7), except in a mechanism row, where mood is what a brain system does
    ("neurotransmitters … responsible for mood regulation"), not a condition it treats (3.5: mechanism rows
    take a condition only when the span ties the mechanism to treating it); `condition_service_words_not_target`:
    an administration row that names only mental health in general, in the words of a service ("a psychological
    evaluation"), and no result takes none (3.7 "Administration rows"); a row that names no condition takes its
    context's (3.7)."""
    if claim_type in NO_CONDITION_TYPES:
        return [None]
    named = _named_conditions(span, type_rule, fired)
    if claim_type == "administration" and named == ["mental_health_general"] and not RESULT_WORDS.search(span):
        # "a psychological evaluation", "your Psychiatric Clinician", "mental health appointments": the words of a
        # service, not a condition the schedule is tied to a result for (guidelines 3.7 "Administration rows").
        named = []
        fired["condition_service_words_not_target"] += 1
    passage = " ".join((sentence, context.previous, context.heading, context.title))
    if claim_type != "mechanism" and MOOD.search(span) and not SPECIFIC_PSYCHIATRIC.intersection(named):
        named.append("depression" if CONTEXT_DEPRESSION.search(passage) else "mental_health_general")
        fired["condition_from_mood"] += 1
    if not named and _takes_context_condition(span, claim_type):
        named, source = _condition_from_context(span, sentence, passage, context)
        if source:
            fired[source] += 1
    return list(dict.fromkeys(named)) or [None]


def _takes_context_condition(span: str, claim_type: str) -> bool:
    """An `efficacy`, `onset` or `eligibility` row, or an `administration` row that speaks of results,
    takes the condition of its context when it names none (guidelines 3.6 "Administration rows", 3.7)."""
    if claim_type == "administration":
        return RESULT_WORDS.search(span) is not None
    return claim_type in CONTEXT_CONDITION_TYPES


def _named_conditions(span: str, type_rule: str, fired: Counter[str]) -> list[str]:
    """Conditions the span names; `condition_contraindication_not_target`: not those of a contraindication
    (not what is treated); `condition_depression_treatment_failure`: depression that has not responded to
    treatment, or named beside patients whom treatment failed (FAILED_POPULATION), is TRD (guidelines 3.7
    "condition"; annotations/AMBIGUITIES.md, "Conditions")."""
    named = conditions_in(span)
    if type_rule == "type_contraindication" and named:
        named = []
        fired["condition_contraindication_not_target"] += 1
    if "depression" in named and (UNRESPONSIVE_DEPRESSION.search(span) or FAILED_POPULATION.search(span)):
        named = ["treatment_resistant_depression" if c == "depression" else c for c in named]
        fired["condition_depression_treatment_failure"] += 1
    return named


def _condition_from_context(span: str, sentence: str, passage: str, context: SentenceContext) -> tuple[list[str], str]:
    """Conditions of a row that names none, and the rule that found them: `condition_treatment_failure`,
    a population defined by treatment failure (TRD in a passage about depression, else mental health in
    general; guidelines 3.5), else the row's context (3.7)."""
    if TREATMENT_FAILURE.search(span) and CONTEXT_DEPRESSION.search(passage):
        return ["treatment_resistant_depression"], "condition_treatment_failure"
    named, source = context_conditions(sentence.replace(span, " "), context)
    if not named and TREATMENT_FAILURE.search(span):
        return ["mental_health_general"], "condition_treatment_failure"
    return named, source


def context_conditions(sentence_rest: str, context: SentenceContext) -> tuple[list[str], str]:
    """`condition_from_sentence`, `_previous_sentence`, `_heading`, `_title`: conditions an unnamed
    efficacy-like row takes from its surroundings, and where they came from: the rest of its sentence,
    the previous sentence of its paragraph (unless that sentence is about a harm, 3.5), the section
    heading, a title naming one specific condition (guidelines 3.7 "condition")."""
    rest = conditions_in(sentence_rest)
    if "antidepressant" in sentence_rest.casefold() and "depression" not in rest:
        rest.append("depression")
    if rest:
        return rest, "condition_from_sentence"
    for source, text in (("condition_from_previous_sentence", context.previous), ("condition_from_heading", context.heading)):
        found = conditions_in(text)
        if found and source == "condition_from_previous_sentence" and claim_type_of(text)[0] in NO_CONDITION_TYPES:
            continue  # a harm named in a harm sentence is not the condition of the passage (3.5)
        if found:
            return found, source
    title = conditions_in(context.title)
    if len(title) == 1 and title[0] != "mental_health_general":
        return title, "condition_from_title"
    return [], ""
