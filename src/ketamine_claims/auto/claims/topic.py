"""What the article and each of its sentences are about (guidelines 3.3 `intervention`, 3.7 "Article
topic"; issue 10 patterns 1 and 4, issue 20).

The article is about the intervention its title names (else one named in its content segments); a
sentence that does not repeat the drug's name inherits that topic when it speaks of the treatment,
unless its subject is a condition or another treatment.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ketamine_claims.auto.claims.attribution import after_frame
from ketamine_claims.auto.claims.claim_type import ADVERSE_CUES
from ketamine_claims.auto.claims.context import SentenceContext
from ketamine_claims.auto.claims.lead import main_clause
from ketamine_claims.auto.claims.words import SENTENCE_END, Words

# Interventions an article can be about, most specific first (guidelines 3.3, `intervention`).
TOPIC_NAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("esketamine", ("esketamine", "spravato")),
    ("ketamine", ("ketamine", "ketamina", "kétamine")),
)
# An article whose title names no intervention (many page excerpts start below the headline) is about the one named in
# the most content segments, when at least this many name it.
MIN_TOPIC_SEGMENTS = 1
# A line without final punctuation and at most this many words is heading-shaped (a title or section heading).
MAX_HEADING_WORDS = 20
# The title is looked for among this many first content segments (before the first paragraph).
MAX_TITLE_POSITION = 15
# Treatments other than the article's drug (guidelines 3: statements about them are not ketamine claims).
OTHER_TREATMENTS = Words(
    r"\b(?:(?:traditional|standard|conventional|existing|other|current|typical|first-line|prior|previous|multiple|most|"
    r"many|some|common)\s+(?:\w+\s+)?(?:treatments?|therapies|medications?|antidepressants|drugs|methods|approaches|options)|"
    r"antidepressants|antidepressant (?:medications?|drugs)|anti-anxiety medications?|ssris?|snris?|benzodiazepines?|"
    r"opioids|electroconvulsive|\bect\b|cognitive[- ]behavio\w* therapy|\bcbt\b|^medications|these approaches)\b"
)
# A main clause whose subject is a condition or its sufferers (guidelines 3: "PTSD often arises after …").
CONDITION_SUBJECT = re.compile(
    r"^(?:(?:many|some|most|these|this|the|such|severe|chronic|untreated|people|patients|individuals|those)\s+)*"
    r"(?:(?:with|suffering from|living with|who have)\s+)?(?:depress\w*|major depress\w*|mdd|trd|treatment-resistant|"
    r"anxiety|generali[sz]ed anxiety|social anxiety|panic|ptsd|post-traumatic|ocd|obsessive|bipolar|chronic pain|pain|"
    r"fibromyalgia|crps|complex regional pain|migraines?|(?:this|the) syndrome|"
    r"suicidal|mental (?:health|illness)|(?:this|the|these) (?:condition|disorder|illness)s?|conditions?|"
    r"disorders?|symptoms?)\b",
    re.I,
)
# A comparison's other side ("…, compared to the weeks antidepressants may require"): another treatment named only
# there is what the sentence compares with, not its subject (guidelines 3.3 `comparative`).
COMPARISON_TAIL = re.compile(r"[,;]?\s*\b(?:compared (?:to|with)|in contrast to|relative to|versus|vs\.?)\s.*$", re.I)
# Practices beside the treatment as a main clause's subject ("Journaling … will allow you to …"): the sentence is about
# that practice, not the drug (issue 20: another intervention pulled in by the page topic; guidelines 3.7).
OTHER_PRACTICES = ("journaling", "journalling", "meditation", "meditating", "yoga", "breathwork", "mindfulness", "exercise")
OTHER_PRACTICE_SUBJECT = Words(rf"^(?:(?:daily|regular|gentle|guided)\s+)?(?:{'|'.join(OTHER_PRACTICES)})\b")
# A main clause that defines something other than the drug ("Glutamate is a key neurotransmitter", "Buprenorphine is a
# synthetic opioid"): its subject is one or two words, not a pronoun, article or "there", and the sentence names neither
# the drug nor a paraphrase of it (guidelines 3: statements that say nothing about ketamine are not claims; 3.7: a
# sentence whose subject is another treatment).
OTHER_SUBJECT_DEFINITION = re.compile(
    r"^(?!(?:there|this|that|these|those|it|its|they|the|a|an|such|each|every|some|many|most|all)\b)[A-Z][\w-]*"
    r"(?:\s+[A-Za-z-]+)?\s+(?:is|are)\s+(?:a|an|one of)\b",
    re.I,
)
# Words that tie an unnamed sentence to the article's drug or its administration.
PROCEDURE_REFERENCE = Words(
    r"\b(?:it|its|it['’]s|infusions?|sessions?|dos(?:e|es|age|ing)|spray|injections?|(?:the|this) (?:treatment|therapy|drug|"
    r"medication|procedure))\b"
)
# "Patients with fibromyalgia may also benefit": a condition subject whose predicate is the drug's effect.
BENEFIT_PREDICATE = Words(
    r"\b(?:benefit\w*|respond\w* (?:well )?to (?:it|treatment|the treatment|this)|find relief|see improvement)\b"
)
# An unnamed sentence inherits the article's topic only when it speaks of the treatment, its use or its effects (3.7).
TREATMENT_CONTEXT = Words(
    r"\b(?:treatments?|therap\w*|infusions?|sessions?|dos(?:e|es|age|ing)|sprays?|injections?|administ\w*|side[- ]effects?|"
    r"adverse|effects|results|symptoms|relief|improv\w*|sensations?|monitor\w*|phases?|maintenance|visits?|clinics?|drug|"
    r"medication|use|misuse|abuse|dependence|addict\w*|nausea|dizz\w*|dissociat\w*|memory|intervals|assessments|procedure|"
    r"vital signs|vein|nose|staff|nurse|doctors?)\b"
)
# A sentence opening with a pronoun or paraphrase of the drug ("it", "this treatment") is about it (guidelines 3).
TOPIC_ANAPHOR = re.compile(
    r"^(?:it|its|it['’]s|this|these|they|the (?:treatment|therapy|drug|medication|infusion|procedure|(?:dissociative )?"
    r"(?:anesthetic|anaesthetic)))\b",
    re.I,
)
# Psychotherapy words: the row is about ketamine-assisted psychotherapy (guidelines 3.3 `intervention`).
KAP_CUES = Words(r"psychotherap\w*|counsel\w*|cognitive[- ]behavio\w*|talk therapy|therapeutic interventions")


def named_intervention(text: str) -> str | None:
    """The intervention a text names, most specific first (guidelines 3.3 `intervention`)."""
    folded = text.casefold()
    for name, terms in TOPIC_NAMES:
        for term in terms:
            if term in folded:
                return name
    return None


@lru_cache(maxsize=256)
def paragraph_intervention(paragraph: str) -> str | None:
    """named_intervention of a paragraph, worked out once for all of its sentences."""
    return named_intervention(paragraph)


def article_topic(title: str, content_segments: list[str]) -> str | None:
    """`article_topic_<name>`: the intervention the article is about: the one its title names, else one named
    in at least MIN_TOPIC_SEGMENTS content segments (guidelines 3.7 "Article topic"; issue 10 pattern 1)."""
    named = named_intervention(title)
    if named:
        return named
    counts = Counter(n for n in map(named_intervention, content_segments) if n)
    if counts and counts.most_common(1)[0][1] >= MIN_TOPIC_SEGMENTS:
        return counts.most_common(1)[0][0]
    return None


def article_title_segment(segments: list[str]) -> int:
    """Index of the article's title among the content segments: of the heading-shaped
    segments before the first paragraph (menu items and site names that the boilerplate rules kept come
    first on many pages), the one with the most words that names an intervention; else the first
    segment (guidelines 3.7: "The title is the article's headline, not the menu items or site name")."""
    best, best_words = 0, 0
    for index, segment in enumerate(segments[:MAX_TITLE_POSITION]):
        if not is_heading(segment) or segment.endswith("?"):
            if not is_heading(segment):
                break
            continue
        words = len(segment.split())
        if words > best_words and named_intervention(segment):
            best, best_words = index, words
    return best


def is_heading(segment: str) -> bool:
    """A question, or a short line without final punctuation (guidelines 3.5: a noun-phrase heading)."""
    words = segment.split()
    return segment.endswith("?") or (not segment.endswith((*SENTENCE_END, ":")) and len(words) <= MAX_HEADING_WORDS)


def topical(lead: str, context: SentenceContext) -> tuple[bool, str]:
    """Whether a sentence is about the article's drug, and the rule that decided: `topic_named` (it names
    the drug); `skip_other_treatment`, `skip_condition_only` (its main subject is another treatment, or a
    condition without the treatment's effect); `topic_anaphor` (a pronoun or paraphrase of the drug);
    `topic_in_paragraph`; `topic_of_article` or `skip_no_treatment_reference` (it speaks of the treatment
    or not, in an article about the drug); `skip_off_topic` (guidelines 3 "Not claims", 3.7 "Article topic")."""
    if named_intervention(lead):
        return True, "topic_named"
    main = main_clause(lead)
    if (OTHER_TREATMENTS.search(COMPARISON_TAIL.sub("", main)) or OTHER_PRACTICE_SUBJECT.search(main)) and not (
        TOPIC_ANAPHOR.match(main) or TOPIC_ANAPHOR.match(after_frame(lead))
    ):
        return False, "skip_other_treatment"
    if CONDITION_SUBJECT.match(main) and not (PROCEDURE_REFERENCE.search(main) or BENEFIT_PREDICATE.search(main)):
        return False, "skip_condition_only"
    if TOPIC_ANAPHOR.match(lead) or TOPIC_ANAPHOR.match(main) or TOPIC_ANAPHOR.match(after_frame(lead)):
        return True, "topic_anaphor"
    if OTHER_SUBJECT_DEFINITION.match(main):
        return False, "skip_other_subject"
    if paragraph_intervention(context.paragraph):
        return True, "topic_in_paragraph"
    if context.topic:
        if TREATMENT_CONTEXT.search(lead) or ADVERSE_CUES.search(lead):
            return True, "topic_of_article"
        return False, "skip_no_treatment_reference"
    return False, "skip_off_topic"


def intervention_of(span: str, context: SentenceContext) -> str:
    """`intervention`: ketamine-assisted psychotherapy when the span speaks of psychotherapy, else the
    intervention it names, else the article's topic (guidelines 3.3 `intervention`, 3.7)."""
    if KAP_CUES.search(span):
        return "ketamine_assisted_psychotherapy"
    return named_intervention(span) or context.topic or "unspecified"
