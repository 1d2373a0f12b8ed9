"""The auto claim detector on sentences written for these tests, one group per error pattern of
issue 10 (claims found on real pages that the earlier baseline got wrong)."""

from __future__ import annotations

import re
from collections import Counter

from ketamine_claims.auto.claims import AutoClaim, article_topic, detect_claims, sentence_spans
from ketamine_claims.auto.claims.attribution import SPEECH_CUE, has_speech_cue, named_speaker
from ketamine_claims.auto.claims.claim_type import claim_type_of
from ketamine_claims.auto.claims.records import last_named_speaker
from ketamine_claims.auto.claims.rows import SPLITTERS
from ketamine_claims.auto.claims.sentences import CONTENT_FILTERS, FORM_FILTERS, topical_claim
from ketamine_claims.auto.claims.words import ASCII_CASE_TWINS
from ketamine_claims.text.segments import split_segments
from ketamine_claims.text.sentences import split_sentences


def run(article: str) -> tuple[list[AutoClaim], Counter[str]]:
    """Auto rows and rule counts for an article whose lines are all content."""
    segments = split_segments(article)
    sentences = split_sentences(article, segments)
    found, fired = detect_claims(article, sentence_spans(segments, sentences, [False] * len(segments)))
    return [c for _, c in found], fired


def rows_for(article: str, sentence_start: str) -> list[AutoClaim]:
    """Auto rows whose span lies in the line starting with `sentence_start`."""
    line_start = article.index(sentence_start)
    line_end = article.index("\n", line_start)
    return [c for c in run(article)[0] if line_start <= c.start < line_end]


def article(*lines: str, title: str = "Ketamine Treatment: A Patient Guide") -> str:
    body = "\n".join((title, "Ketamine is offered by our clinic as a series of infusions.", *lines))
    return body + "\n"


# 1. Claims that do not repeat the drug's name, in an article about it.
def test_unnamed_sentences_take_the_article_topic():
    text = article(
        "A course is usually four infusions of about 40 minutes spread across two weeks.",
        "Some of the dreamy sensations grow weaker with each visit.",
        "Plenty of people wait years before they look for help.",
    )
    (course,) = rows_for(text, "A course is usually")
    assert (course.claim_type, course.intervention, course.hedged) == ("administration", "ketamine", True)
    (sensations,) = rows_for(text, "Some of the dreamy")
    assert sensations.claim_type == "adverse_effect" and sensations.condition is None
    assert rows_for(text, "Plenty of people") == []


def test_unnamed_sentences_carry_no_claim_without_a_topic():
    text = "Gardening for Beginners\nA usual course is four sessions of about 40 minutes spread across two weeks.\n"
    assert article_topic("Gardening for Beginners", []) is None
    assert run(text)[0] == []


# 2. Plain harm and pharmacology statements that name the drug.
def test_harm_and_pharmacology_statements_are_claims():
    text = article(
        "Ketamine can raise blood pressure and pulse for a short time.",
        "Yes, ketamine is habit-forming when it is used outside a clinic.",
        "Ketamine is an NMDA receptor antagonist.",
    )
    assert [c.claim_type for c in rows_for(text, "Ketamine can raise")] == ["adverse_effect"]
    assert [c.claim_type for c in rows_for(text, "Yes, ketamine")] == ["adverse_effect"]
    (mechanism,) = rows_for(text, "Ketamine is an NMDA")
    assert mechanism.claim_type == "mechanism" and mechanism.condition is None


# 3. Advice and statements about the article.
def test_advice_and_self_reference_are_not_claims():
    text = article(
        "Ask your insurer whether infusions are covered before you book a visit.",
        "In this guide we will look at how ketamine changes the brain.",
        "It is important to talk to your psychiatrist before starting ketamine.",
        "It is important to note that ketamine can raise blood pressure.",
        "Have someone drive you home, since ketamine can leave you drowsy for hours.",
        "The alerts below may be about ketamine or about drugs that can cause sedation like it.",
    )
    assert rows_for(text, "The alerts below") == []
    assert rows_for(text, "Ask your insurer") == []
    assert rows_for(text, "In this guide") == []
    assert rows_for(text, "It is important to talk") == []
    (noted,) = rows_for(text, "It is important to note")
    assert text[noted.start : noted.end] == "ketamine can raise blood pressure"
    (reason,) = rows_for(text, "Have someone")
    assert (text[reason.start : reason.end], reason.claim_type) == ("ketamine can leave you drowsy for hours", "adverse_effect")


# 4. Statements about the condition alone or about other drugs.
def test_condition_and_other_drug_statements_are_not_ketamine_claims():
    text = article(
        "Depression can be triggered by long periods of stress.",
        "SSRIs can also cause withdrawal symptoms when they are stopped.",
        "Unlike SSRIs, ketamine does not need weeks to lift mood.",
    )
    assert rows_for(text, "Depression can be") == []
    assert rows_for(text, "SSRIs can also") == []
    (contrast,) = rows_for(text, "Unlike SSRIs")
    assert text[contrast.start : contrast.end] == "ketamine does not need weeks to lift mood"


# 5. Popularity and attention (guidelines 3.5, 3.6).
def test_popularity_and_attention_are_not_claims_unless_an_effect_is_stated():
    text = article(
        "Esketamine is gaining popularity among psychiatrists.",
        "Ketamine has enjoyed a lot of media attention lately.",
        "Ketamine has gained recognition for its fast relief of depressive symptoms.",
        "Its use in older adults is still being studied.",
        "The number of ketamine clinics in the U.S. has tripled since 2019.",
        "There is increased interest in compounded ketamine products for psychiatric disorders.",
    )
    assert rows_for(text, "There is increased interest") == []
    assert rows_for(text, "The number of ketamine clinics") == []
    assert rows_for(text, "Esketamine is gaining") == []
    assert rows_for(text, "Ketamine has enjoyed") == []
    assert rows_for(text, "Its use in older") == []
    assert {c.condition for c in rows_for(text, "Ketamine has gained")} == {"depression"}


# 6. Type confusion: session length, dose words, "FDA" in insurance sentences, experiences.
def test_claim_types_follow_what_the_proposition_is_about():
    text = article(
        "Each infusion lasts roughly forty minutes.",
        "Higher doses of ketamine can cause nausea and confusion.",
        "Insurance plans often pay for the FDA-approved nasal spray but not for ketamine infusions.",
        "Patients often say the first session felt like floating.",
        "Stopping ketamine after heavy use can bring on withdrawal.",
    )
    assert [c.claim_type for c in rows_for(text, "Each infusion")] == ["administration"]
    assert [c.claim_type for c in rows_for(text, "Higher doses")] == ["adverse_effect"]
    assert [c.claim_type for c in rows_for(text, "Insurance plans")] == ["cost_access"]
    (floating,) = rows_for(text, "Patients often say")
    assert (floating.claim_type, floating.attribution) == ("adverse_effect", "patients")
    assert text[floating.start : floating.end] == "the first session felt like floating"
    assert [c.claim_type for c in rows_for(text, "Stopping ketamine")] == ["adverse_effect"]


def test_type_rules_read_the_proposition_not_a_harm_or_class_word():
    """Written spans of forms read off the dev split's rows (guidelines 3.3): a receptor action is `mechanism` before a
    harm word ("pain sensations"); "helpful", "downregulate … brain structures", "anti-inflammatory", "the central
    nervous system", "AEs", "hangover", "inferior to", "short acting", an effect that lasts days, lowering the risk of
    self-harm, the federal government's rules and a patient given sedation."""
    cases = {
        "Ketamine blocks NMDA receptors to reduce the severity of the pain sensations": ("mechanism", "type_receptor_action"),
        "Ketamine infusions have been shown to be helpful with severe depression": ("efficacy", "type_efficacy_predicate"),
        "Ketamine appears to downregulate brain structures involved in rumination": ("mechanism", "type_mechanism"),
        "It works on the brain through anti-inflammatory processes": ("mechanism", "type_mechanism"),
        "Treatment-emergent AEs were more frequent with ketamine": ("adverse_effect", "type_adverse_effect"),
        "Some people find the hangover unpleasant": ("adverse_effect", "type_adverse_effect"),
        "Ketamine was inferior to ECT": ("comparative", "type_comparative"),
        "Ketamine is short acting": ("onset", "type_onset_speed"),
        "Its effect can last up to two weeks": ("onset", "type_onset_time"),
        "Ketamine may lower the risk of suicide": ("efficacy", "type_efficacy_on_symptoms"),
        "Telehealth prescribing depends on rules set by the federal government": ("regulatory", "type_regulatory"),
        "The patient is given sedation during the procedure": ("administration", "type_administration_monitoring"),
    }
    assert {span: claim_type_of(span) for span in cases} == cases
    # A harm named beside the receptor without the drug acting on it stays a harm; a session's hours are not onset.
    assert claim_type_of("Dissociation is common at anesthetic doses")[0] == "adverse_effect"
    assert claim_type_of("The infusion lasts about forty minutes")[0] == "administration"


# 7. Conditions: harms never in `condition`; a condition clear from context is kept.
def test_harms_are_not_conditions_and_context_conditions_are_kept():
    text = article(
        "Ketamine may cause anxiety in some patients.",
        "Ketamine might increase suicidal thoughts in rare cases.",
        "Its antidepressant effects often show up within a day.",
        title="Ketamine for Depression: What the Evidence Says",
    )
    assert [(c.claim_type, c.condition) for c in rows_for(text, "Ketamine may cause")] == [("adverse_effect", None)]
    assert [(c.claim_type, c.condition) for c in rows_for(text, "Ketamine might increase")] == [("adverse_effect", None)]
    assert [(c.claim_type, c.condition) for c in rows_for(text, "Its antidepressant")] == [("onset", "depression")]


def test_attribution_frames_are_trimmed_and_labelled():
    text = article(
        "Recent clinical trials have shown that ketamine lowers suicidal thinking within a day.",
        "Some research suggests ketamine helps people with alcohol use disorder.",
        '"Ketamine bought online is not safe to take at home," a state health official said.',
    )
    (trial,) = rows_for(text, "Recent clinical")
    assert text[trial.start : trial.end] == "ketamine lowers suicidal thinking within a day"
    assert (trial.attribution, trial.condition, trial.claim_type) == ("vague_research", "suicidal_ideation", "onset")
    (research,) = rows_for(text, "Some research")
    assert (research.attribution, research.condition) == ("vague_research", "substance_use")
    (quoted,) = rows_for(text, '"Ketamine bought')
    assert (text[quoted.start : quoted.end], quoted.claim_type) == (
        "Ketamine bought online is not safe to take at home",
        "safety",
    )


def test_rule_counts_name_every_decision():
    _, fired = run(article("Ketamine may relieve depression within hours.", "See your doctor first."))
    assert fired["article_topic_ketamine"] == 1
    assert fired["skip_instruction"] == 1 and fired["topic_named"] == 2
    assert fired["type_onset_of_relief"] == 1


def test_history_appositive_is_its_own_row_but_never_a_nested_duplicate():
    text = article(
        "Ketamine, first used as an anesthetic in surgery, can ease depressive symptoms within a day.",
        "Ketamine, an anesthetic drug, was approved by the FDA in 1970.",
    )
    rows = rows_for(text, "Ketamine, first used")
    assert sorted((text[c.start : c.end], c.claim_type) for c in rows) == [
        ("Ketamine, first used as an anesthetic in surgery", "regulatory"),
        ("Ketamine, first used as an anesthetic in surgery, can ease depressive symptoms within a day", "onset"),
    ]
    (approval,) = rows_for(text, "Ketamine, an anesthetic")
    assert approval.claim_type == "regulatory"


# Rules added from the written dev articles (sentences below are new, written for these tests).
def test_title_is_found_after_menu_lines_the_boilerplate_rules_kept():
    text = (
        "Main menu\nOur Clinic\nEsketamine Spray\nKetamine for Depression: A Guide for New Patients\n"
        "Most people notice their mood lifting within a day of the first visit.\n"
    )
    (row,) = run(text)[0]
    assert (row.claim_type, row.condition, row.intervention) == ("onset", "depression", "ketamine")


def test_research_beliefs_and_label_warnings_are_attributed_and_cut():
    text = article(
        "Scientists think this sets off a wave of glutamate signalling in the brain.",
        "The spray's label carries a warning that it may raise blood pressure for a few hours.",
    )
    (belief,) = rows_for(text, "Scientists think")
    assert (text[belief.start : belief.end], belief.attribution) == (
        "this sets off a wave of glutamate signalling in the brain",
        "vague_research",
    )
    (warning,) = rows_for(text, "The spray's label")
    assert warning.attribution == "regulator" and text[warning.start : warning.end].startswith("it may raise")
    assert (warning.claim_type, warning.condition) == ("adverse_effect", None)


def test_fading_benefit_is_onset_and_fading_side_effects_are_harms():
    text = article(
        "The mood benefit of one infusion usually wears off after about ten days.",
        "The floaty feeling wears off soon after the drip is stopped.",
        title="Ketamine Infusions for Depression",
    )
    (benefit,) = rows_for(text, "The mood benefit")
    assert (benefit.claim_type, benefit.condition) == ("onset", "depression")
    (feeling,) = rows_for(text, "The floaty feeling")
    assert (feeling.claim_type, feeling.condition) == ("adverse_effect", None)


def test_feelings_injuries_and_interactions_are_harms_or_safety_never_conditions():
    text = article(
        "A few patients become nervous when the session starts.",
        "Since it dulls sensation, users can hurt themselves and suffer injuries without noticing.",
        "Combining ketamine with opioids or other depressants raises the danger of slowed breathing.",
        "Taken recreationally, it is far riskier than in a clinic.",
    )
    (nervous,) = rows_for(text, "A few patients")
    assert (nervous.claim_type, nervous.condition) == ("adverse_effect", None)
    assert {(r.claim_type, r.condition) for r in rows_for(text, "Since it dulls")} >= {("adverse_effect", None)}
    (mixing,) = rows_for(text, "Combining ketamine")
    assert mixing.claim_type == "safety"
    (riskier,) = rows_for(text, "Taken recreationally")
    assert riskier.claim_type == "safety"


def test_contraindications_take_the_treated_condition_and_unresponsive_depression_is_trd():
    text = article(
        "Ketamine is not recommended for people with a history of psychosis or alcohol use disorder.",
        "It is generally considered for adults whose depression has not responded to two medicines.",
        title="Ketamine Infusions for Depression",
    )
    (contra,) = rows_for(text, "Ketamine is not recommended")
    assert (contra.claim_type, contra.condition) == ("eligibility", "depression")
    (population,) = rows_for(text, "It is generally considered")
    assert (population.claim_type, population.condition) == ("eligibility", "treatment_resistant_depression")


def test_advice_after_a_leading_clause_offers_to_talk_and_clinic_growth_are_not_claims():
    text = article(
        "If the drowsiness worries you, ask the nurse for a quiet room.",
        "If you feel ketamine might suit you, our staff would be happy to help.",
        "New ketamine clinics have sprung up in most large towns.",
        "Research into ketamine for teenagers is still at an early stage.",
    )
    for start in ("If the drowsiness", "If you feel", "New ketamine clinics", "Research into ketamine"):
        assert rows_for(text, start) == [], start


def test_reason_clause_and_consequence_of_another_type_are_separate_rows():
    text = article(
        "Because ketamine can be abused, it is only given in the clinic under supervision.",
        "Ketamine is not approved for anxiety, so insurers rarely pay for the infusions.",
    )
    reason = {(text[r.start : r.end], r.claim_type) for r in rows_for(text, "Because ketamine")}
    assert reason == {
        ("ketamine can be abused", "adverse_effect"),
        ("it is only given in the clinic under supervision", "administration"),
    }
    consequence = {(text[r.start : r.end], r.claim_type) for r in rows_for(text, "Ketamine is not approved")}
    assert consequence == {
        ("Ketamine is not approved for anxiety", "regulatory"),
        ("insurers rarely pay for the infusions", "cost_access"),
    }


def test_boilerplate_sentences_never_carry_a_claim_nor_give_the_title():
    text = (
        "Ketamine Infusions for Depression\n"
        "Ketamine may relieve depressive symptoms within hours.\n"
        "Ketamine can raise blood pressure for a short time.\n"
    )
    segments = split_segments(text)
    sentences = split_sentences(text, segments)
    spans = sentence_spans(segments, sentences, [False, True, False])
    assert [s.boilerplate for s in spans] == [False, True, False]
    assert all(text[s.segment_start : s.segment_end] == segments[i].text for i, s in enumerate(spans))
    found, fired = detect_claims(text, spans)
    assert [(position, text[c.start : c.end]) for position, c in found] == [
        (2, "Ketamine can raise blood pressure for a short time")
    ]
    assert (fired["skip_heading"], fired["topic_named"]) == (1, 1)  # the boilerplate sentence is never decided
    everything_boilerplate = sentence_spans(segments, sentences, [True] * len(segments))
    assert detect_claims(text, everything_boilerplate) == ([], Counter())


def test_every_sentence_filter_and_row_splitter_is_named_and_cites_its_source():
    steps = [*FORM_FILTERS, *CONTENT_FILTERS, topical_claim, *SPLITTERS]
    assert len({step.__name__ for step in steps}) == len(steps)
    for step in steps:
        assert re.search(r"guidelines \d|issue \d+|README", step.__doc__ or ""), step.__name__


def test_ascii_case_twins_are_every_code_point_that_folds_to_ascii() -> None:
    """Lowering a text without ASCII_CASE_TWINS keeps its length and word characters, and no other character
    matches an ASCII letter under re.IGNORECASE: a lowered search is then exact."""
    ascii_letter = re.compile("[a-z]", re.I)
    twins, changed = set(), []
    for code in range(128, 0x110000):
        char = chr(code)
        lowered = char.lower()
        if ascii_letter.fullmatch(char) or any(c < "\x80" for c in lowered):
            twins.add(char)
        elif len(lowered) != 1 or char.isalnum() != lowered.isalnum():
            changed.append(char)
    assert twins == set(ASCII_CASE_TWINS.pattern[1:-1]) and not changed


def test_speech_cue_screen_agrees_with_the_case_insensitive_cue() -> None:
    for text in ("He SAID so.", "Dr. Roe ſaid so.", "Roe saıd so.", "“It helps,” she Says.", "Sayings abound.",
                 "She wrote: „yes“.", "İt was told.", "No cue here.", "ADDİNG"):
        assert has_speech_cue(text) == bool(SPEECH_CUE.search(text)), text


def test_last_named_speaker_is_the_speaker_read_sentence_by_sentence() -> None:
    sentences = ["Ketamine is an anaesthetic.", "Dr. Jane Roe said it eases depression.", "It acts fast.",
                 "“It is not for everyone,” she said.", "According to the FDA, it needs monitoring.", "It is sold."]
    for end in range(len(sentences) + 1):
        speaker = "none"
        for sentence in sentences[:end]:
            speaker = named_speaker(sentence) or speaker
        assert last_named_speaker(sentences[:end], "none") == speaker
