"""Stage 5b: rule-based claim baseline for articles without gold labels.

A sentence carries a claim when it is article content about ketamine (named in the sentence or
in its paragraph, or referred to by an opening "it"/"its"/"this"/"these"), contains a claim cue
(an effect, mechanism, safety, dosing, regulatory or cost word) and is none of: a question, an
instruction, a heading, a statement about attention or research interest. The span drops the
attribution frame, a discourse opener and the final punctuation, as the guidelines ask of gold
spans. Labels come from keyword lists; every row is `auto` and carries no verdict.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .boilerplate import mentions_topic

CLAIM_CUES = re.compile(
    r"\b(treat\w*|reliev\w*|relief|alleviat\w*|reduc\w*|improv\w*|help\w*|work\w*|act\w*|block\w*|"
    r"target\w*|boost\w*|increas\w*|enhanc\w*|caus\w*|lead\w*|produc\w*|offer\w*|provid\w*|approv\w*|"
    r"effective\w*|efficacy|safe\w*|risk\w*|side effects?|promis\w*|benefit\w*|manag\w*|"
    r"administer\w*|infusion\w*|dos\w+|cost\w*|insurance|modulat\w*|influenc\w*|stabiliz\w*|"
    r"rapid\w*|quick\w*|fast\w*|swift\w*|within hours|option|breakthrough|potential|effects?|symptoms?|"
    r"alter\w*|chang\w*|monitor\w*|observ\w*|experienc\w*|sessions?|requir\w*|short-lived|temporary|"
    r"contribut\w*|support\w*|valuable|hope)\b",
    re.IGNORECASE,
)
REFERS_TO_TOPIC = re.compile(r"^(it|its|it’s|it's|this|these|they)\b", re.IGNORECASE)
RESEARCH_INTEREST = re.compile(
    r"\b(attention|interest|exploration|explored|investigated|referred to as|here’s how|here's how|the following)\b",
    re.IGNORECASE,
)
MAX_HEADING_WORDS = 12
INSTRUCTION_OPENERS = re.compile(
    r"^(consult|call|see|ask|check|make sure|look for|consider|contact|talk|speak|find out|learn|discover|read)\b",
    re.IGNORECASE,
)
ATTRIBUTION_FRAMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "regulator",
        re.compile(
            r"^(the )?(fda|ema|food and drug administration)\b[^,]*?\b(says|states|notes|warns|has approved)( that)?\s+", re.I
        ),
    ),
    ("named_study", re.compile(r"^(a|the) (\d{4} )?(study|trial|meta-analysis) (by|in|published in) [A-Z][^,]*?,\s*", re.I)),
    (
        "vague_research",
        re.compile(
            r"^((recent|emerging|ongoing|clinical|numerous|many|several|some) )?(research|studies|evidence|trials|data)"
            r"( has| have)? (indicates?|shows?|shown|suggests?|demonstrated?|reveals?|revealed|found|confirms?)( that)?\s+",
            re.I,
        ),
    ),
    (
        "clinicians",
        re.compile(
            r"^(doctors|clinicians|physicians|psychiatrists|experts)( often)? (say|report|note|believe|agree)( that)?\s+", re.I
        ),
    ),
    ("patients", re.compile(r"^(many |some )?(patients|people|individuals)( often)? (report|describe|say)( that)?\s+", re.I)),
)
DISCOURSE_OPENER = re.compile(
    r"^(additionally|however|moreover|furthermore|nevertheless|in addition|also|overall|in conclusion|yes|as a result),?\s+",
    re.I,
)
HEDGE_CUES = re.compile(
    r"\b(can|could|may|might|potential(ly)?|promis\w*|suggest\w*|often|usually|typically|some|many|believed|"
    r"appears?|perhaps|possibl[ey]|likely)\b",
    re.I,
)

# (claim_type, cue) in priority order; the first cue found decides.
CLAIM_TYPE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (t, re.compile(p, re.I))
    for t, p in (
        ("regulatory", r"\b(fda|approv\w*|schedule iii|controlled substance|off-label|legal)\b"),
        ("cost_access", r"\b(cost\w*|insurance|afford\w*|expens\w*|price|payment)\b"),
        (
            "adverse_effect",
            r"\b(side effects?|adverse|nausea|dizziness|dissociat\w*|hallucinat\w*|bladder|abuse|addict\w*|"
            r"dependence|blood pressure|vomiting|confusion)\b",
        ),
        ("safety", r"\b(safe\w*|risks?)\b"),
        ("mechanism", r"\b(receptors?|nmda|glutamate|bdnf|neuroplastic\w*|synap\w*|neural|circuits?|neurotransmi\w*)\b"),
        ("onset", r"\b(hours?|minutes|rapid\w*|quick\w*|fast\w*|swift\w*|immediate\w*)\b"),
        (
            "administration",
            r"\b(infusions?|intravenous\w*|iv|nasal|spray|dos(e|es|age)|sessions?|administer\w*|injections?|monitor\w*)\b",
        ),
        ("eligibility", r"\b(candidates?|suitable|reserved|adolescents|adults)\b"),
        ("comparative", r"\b(unlike|compared|versus|than|ect)\b"),
    )
)
CONDITION_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (c, re.compile(p, re.I))
    for c, p in (
        ("treatment_resistant_depression", r"\b(treatment[- ]resistant|trd)\b"),
        ("depression", r"\b(depress\w*|mdd)\b"),
        ("suicidal_ideation", r"\bsuicid\w*"),
        ("bipolar_disorder", r"\bbipolar\b"),
        ("anxiety_disorders", r"\banxi\w*"),
        ("ptsd", r"\b(ptsd|post-traumatic stress|trauma\w*)\b"),
        ("ocd", r"\b(ocd|obsessive)"),
        ("chronic_pain", r"\b(chronic pain|pain|fibromyalgia|neuropathic|crps)\b"),
        ("substance_use", r"\b(substance use|alcohol use|addiction treatment)\b"),
        ("mental_health_general", r"\b(mental health|psychiatric|mental illness\w*|mood disorders?)\b"),
    )
)
TRAILING_PUNCTUATION = ".!;:"


@dataclass(frozen=True)
class AutoClaim:
    start: int
    end: int
    claim_type: str
    condition: str | None
    intervention: str
    hedged: bool
    attribution: str


def is_claim_sentence(sentence: str, paragraph: str = "") -> tuple[bool, str]:
    """Whether a content sentence carries a claim, and the name of the rule that decided.

    `paragraph` is the segment the sentence stands in; naming the topic there makes its other
    sentences topical too.
    """
    if sentence.rstrip().endswith("?"):
        return False, "skip_question"
    body = DISCOURSE_OPENER.sub("", sentence.lstrip("•·-–—* ").strip())
    if INSTRUCTION_OPENERS.match(body):
        return False, "skip_instruction"
    if not body.endswith(tuple(TRAILING_PUNCTUATION)) and len(body.split()) <= MAX_HEADING_WORDS:
        return False, "skip_heading"
    if RESEARCH_INTEREST.search(body):
        return False, "skip_research_interest"
    if not CLAIM_CUES.search(body):
        return False, "skip_no_claim_cue"
    if mentions_topic(body):
        return True, "topic_and_claim_cue"
    if REFERS_TO_TOPIC.match(body):
        return True, "anaphor_and_claim_cue"
    if mentions_topic(paragraph):
        return True, "topical_paragraph_and_claim_cue"
    return False, "skip_off_topic"


def claim_span(text: str, start: int, end: int) -> tuple[int, int, str]:
    """Trim a sentence to its claim span: bullet, discourse opener, attribution frame, final punctuation."""
    piece = text[start:end]
    attribution = "none"
    changed = True
    while changed:
        changed = False
        stripped = piece.lstrip("•·-–—* ")
        match = DISCOURSE_OPENER.match(stripped)
        if match:
            stripped = stripped[match.end() :]
        for name, frame in ATTRIBUTION_FRAMES:
            found = frame.match(stripped)
            if found:
                attribution, stripped = name, stripped[found.end() :]
                break
        if stripped != piece:
            start += len(piece) - len(stripped)
            piece, changed = stripped, True
    trimmed = piece.rstrip(TRAILING_PUNCTUATION + " ")
    return start, start + len(trimmed), attribution


def auto_labels(span: str) -> tuple[str, list[str | None], str, bool]:
    """claim_type, conditions (one row each), intervention and hedged for a span."""
    claim_type = next((t for t, cue in CLAIM_TYPE_CUES if cue.search(span)), "efficacy")
    conditions: list[str | None] = [c for c, cue in CONDITION_CUES if cue.search(span)]
    if "treatment_resistant_depression" in conditions and "depression" in conditions:
        conditions.remove("depression")
    folded = span.casefold()
    if "esketamine" in folded or "spravato" in folded:
        intervention = "esketamine"
    elif "psychotherapy" in folded:
        intervention = "ketamine_assisted_psychotherapy"
    elif "ketamine" in folded:
        intervention = "ketamine"
    else:
        intervention = "unspecified"
    return claim_type, conditions or [None], intervention, bool(HEDGE_CUES.search(span))


def detect_claims(text: str, sentence_spans: list[tuple[int, int, int, int]]) -> tuple[list[tuple[int, AutoClaim]], Counter[str]]:
    """Auto claims as (sentence position, claim) pairs, and how often each rule fired.

    Each sentence span is (start, end, segment start, segment end); pass an empty span for
    sentences that must not carry a claim (boilerplate).
    """
    found: list[tuple[int, AutoClaim]] = []
    fired: Counter[str] = Counter()
    for position, (s, e, seg_start, seg_end) in enumerate(sentence_spans):
        if s == e:
            continue
        carries, rule = is_claim_sentence(text[s:e], text[seg_start:seg_end])
        fired[rule] += 1
        if not carries:
            continue
        start, end, attribution = claim_span(text, s, e)
        claim_type, conditions, intervention, hedged = auto_labels(text[start:end])
        for condition in conditions:
            found.append((position, AutoClaim(start, end, claim_type, condition, intervention, hedged, attribution)))
    return found, fired
