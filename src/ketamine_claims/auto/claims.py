"""Stage 5b: rule-based claim detector for articles without gold labels.

The detector reads the document, not only the sentence. It first settles what the article is
about (`article_topic`: the intervention its title names, else one named in several of its
segments); sentences that do not repeat the drug's name inherit that topic unless their subject
is a condition or another treatment. A content sentence then carries a claim when it survives the
named filters of the annotation guidelines (sections 3, 3.5, 3.6 and 3.7 of
`annotations/GUIDELINES.md`): questions, list introductions, headings, statements about the
article or addressed to the reader, instructions and advice, popularity and attention, research
status, mild praise, terminology, statements about a condition alone or about other treatments.

Spans drop bullets, labels, discourse openers, a leading contrast clause, attribution frames and
the final punctuation (guidelines 3.1). Labels follow section 3.3: `claim_type` from an ordered
decision list, `condition` from the span (harms, safety and history never take a condition;
efficacy-like rows without a named condition take it from the sentence, the paragraph, the
section heading or a title naming one condition), `hedged` from the span's cues, `attribution`
from the frame wherever it stands in the sentence. Every word list is a module constant; every
decision and label rule is counted by name. All rows are `auto` and carry no verdict.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ketamine_claims.auto.claim_features import sentence_features
from ketamine_claims.auto.claim_model import ClaimModel, shipped_model


class _Words:
    """A case-insensitive pattern matched on lower-cased text: several times faster than
    re.IGNORECASE on long word alternations. For yes/no tests only (offsets are those of the
    lower-cased text)."""

    def __init__(self, pattern: str) -> None:
        if re.search(r"[A-Z]", re.sub(r"\\[A-Za-z]", "", pattern)):
            raise ValueError(f"word pattern must be lower case: {pattern[:40]}")
        self.regex = re.compile(pattern)

    def search(self, text: str) -> re.Match[str] | None:
        return self.regex.search(text.lower())


def _words(pattern: str) -> _Words:
    return _Words(pattern)


# Interventions an article can be about, most specific first (guidelines 3.3, `intervention`).
TOPIC_NAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("esketamine", ("esketamine", "spravato")),
    ("ketamine", ("ketamine", "ketamina", "kétamine")),
)
# An article whose title names no intervention (many page excerpts start below the headline) is about the one named in
# the most content segments, when at least this many name it.
MIN_TOPIC_SEGMENTS = 1
MAX_HEADING_WORDS = 20
# The title is looked for among this many first content segments (before the first paragraph).
MAX_TITLE_POSITION = 15
# A line without final punctuation and at most this many words is a heading, not a claim.
MAX_UNPUNCTUATED_CLAIM_WORDS = 12
SENTENCE_END = tuple('.!;…”")')
MIN_CLAIM_WORDS = 3

BULLET_CHARS = "•·▪◦●‣∙*-–— "
# "Quick Action: The effect …": a short label before the sentence.
LABEL_PREFIX = re.compile(r"^(?:[A-Z][\w’'()-]*\s+){0,4}[A-Z]?[\w’'()-]+:\s+(?=[A-Z])")
DISCOURSE_OPENER = re.compile(
    r"^(?:additionally|however|moreover|furthermore|nevertheless|nonetheless|in addition|also|overall|in conclusion|"
    r"in summary|in short|(?:yes|no)(?=\s*[,—–-])|as a result|therefore|thus|importantly|notably|in fact|indeed|traditionally|"
    r"historically|in recent years|more recently|recently|today|nowadays|currently|then|finally|first|second|third|"
    r"that said|of course)\s*,?\s+",
    re.I,
)
# A leading clause about something else ("Unlike antidepressants that take weeks, …"): always cut.
LEAD_CONTRAST = re.compile(
    r"^(?:unlike|beyond|apart from|aside from|in addition to|compared (?:to|with)|rather than|instead of|like all|as with)\b"
    r"[^,]*,\s+",
    re.I,
)
# A leading noun-phrase appositive naming the drug's class ("A Schedule III controlled substance, ketamine …", "A
# dissociative anesthetic, the drug …"): cut from the span and ignored when typing (the class is not the proposition).
LEAD_APPOSITIVE = re.compile(
    r"^(?:an?|the)\s+[^,]{3,60},\s+(?=(?:ketamine|esketamine|spravato|it|the drug|the medication|this drug)\b)", re.I
)
# A leading concessive clause: cut when it is a proposition of its own (it names the topic or another treatment).
LEAD_CONCESSIVE = re.compile(r"^(?:while|although|though|even though|whereas|despite)\b([^,]*),\s+", re.I)
# A leading participle about how the drug is given ("Administered intravenously, …"): ignored when typing.
LEAD_PARTICIPLE = re.compile(
    r"^(?:(?:typically|usually|often|primarily|generally|commonly)\s+)?(?:administered|given|taken|delivered|used)\b[^,]*,\s+",
    re.I,
)
TRAILING_PUNCTUATION = ".!;:,"
# A negation or limiting quantifier: a frame that holds one is never cut from a span, since the span would state the
# opposite or more than the sentence ("Studies have not shown that …", "Few trials found that …"; guidelines 3.1).
LIMITING = _words(
    r"\b(?:no|not|never|none|nobody|nothing|neither|nor|few|little|hardly|rarely|seldom|barely|only|without|fail\w*|"
    r"\w+n['’]t|cannot|lack\w*|inconclusive|unclear|mixed)\b"
)
# Openers, contrast clauses and frames can stack ("However, research shows that …"); trimming stops after this many passes.
MAX_TRIM_PASSES = 6
SEMICOLON = re.compile(r";\s+")

# --- sentence filters (guidelines 3, 3.5, 3.6, 3.7) ---------------------------------------------
SELF_REFERENCE = _words(
    r"\b(?:this|our|the following) (?:article|post|blog|guide|page|section)\b|\bwe(?:'ll|’ll| will| are going to) "
    r"(?:explore|discuss|look|cover|go over|examine|review|explain)|\b(?:here(?:'s|’s| is| are)|let(?:'s|’s) (?:look|explore))\b|"
    r"\bthe following (?:are|is)\b|\bdiscussed below\b|\bif you(?:'re|"
    r"’re| are) (?:curious|wondering|interested|thinking|looking)|"
    r"\bif you (?:choose|decide|want) to (?:look|learn|explore)"
)
IMPERATIVE_OPENER = re.compile(
    r"^(?:have someone|consult|call|see|ask|check|make sure|be sure|look for|"
    r"consider|contact|talk|speak|find out|learn|discover|read|"
    r"remember|always|never|don['’]t|do not|avoid|seek|schedule|book|visit|choose|discuss|tell|get|try|keep|stay|plan|take|start|"
    r"begin|join|reach out|imagine)\b",
    re.I,
)
IMPERATIVE_TAIL = re.compile(r",\s*(?:ask|check|consult|call)\W*$", re.I)
ADVICE = _words(
    r"\b(?:it is|it['’]s|it remains) (?:important|essential|crucial|vital|critical|advisable|wise|best|recommended|necessary)"
    r" (?!to (?:note|remember|understand|know|recognize|recognise) that)(?:to|for you to|that you)\b|"
    r"\byou (?:should|must|need to|have to)\b(?! be (?:monitored|observed|given|treated|screened|evaluated|"
    r"assessed))|\b(?:candidates|patients|people|individuals) (?:need|needs|should|must)\b|"
    r"\b(?:consultation|evaluation|screening|assessment) [^.]{0,60}\bis (?:essential|important|necessary|recommended|crucial)\b|"
    r"\bthe importance of\b|\bcheck with your\b"
)
# "It is important to note that X": the frame is dropped, X is judged.
NOTE_FRAME = re.compile(
    r"^(?:it is|it['’]s) (?:important|worth|essential|crucial) (?:to )?(?:note|noting|remember|understand|know)(?:ing)? that\s+",
    re.I,
)
REASON_CLAUSE = re.compile(r"\b(?:since|because)\s+", re.I)
# A first-person account (guidelines README of the corpus, 3.7: first-person session reports are not claims); text inside
# quotation marks is left out, and a reason clause about the drug is kept as in advice ("… as the ketamine can cause nausea").
FIRST_PERSON = re.compile(r"\b(?:I|I['’](?:m|ve|d|ll)|me|my|myself)\b")
QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]")
FIRST_PERSON_REASON = re.compile(
    r"\b(?:since|because|as)\s+(?=(?:the\s+)?(?:ketamine|esketamine|spravato|it|these|this)\b)", re.I
)
# How a study was run (design, recruitment, outcome measures, analysis), without a finding: not a claim (3: checkable
# propositions are about the drug, not about the paper).
STUDY_DESIGN = _words(
    r"\b(?:recruited|randomi[sz]ation|were (?:randomly )?assigned|primary outcome|secondary outcome|(?:this|the) (?:\d+-\w+ )?"
    r"(?:[\w-]+ )?study (?:included|compares|compared|examined|enrolled)|^method|was utili[sz]ed to analy[sz]e|"
    r"mixed-effects|underwent randomi[sz]ation)\b"
)
FINDING = _words(
    r"\b(?:found|showed|shown|associated with|reduc\w*|improv\w*|result\w* in|was (?:more|less|as)|were (?:more|less))\b"
)
# A list item that gives a price or an amount ("• Intramuscular Injections: $275-$800 per session") is not a heading.
AMOUNT = re.compile(r"[$€£]\s?\d|\b\d+(?:[-–]\d+)? (?:sessions|infusions|treatments|doses|weeks|days|hours|minutes|mg)\b")
# Provider marketing without a checkable proposition (guidelines 3: "Break free from the chains …").
MARKETING = _words(
    r"\b(?:we|our(?: \w+)? (?:team|staff|clinic|providers|doctors|mission|goal))\b[^.]{0,40}\b(?:believe|"
    r"dedicated|committed|passionate|proud|"
    r"strive|here to|care about|mission|glad to|happy to|would love to|ready to help)\b|\b(?:everyone|you) deserves?\b|"
    r"\byour (?:healing |wellness )?journey\b"
)
NAMING = _words(r"\b(?:referred to as|is (?:also )?called|also known as|stands for)\b")
POPULARITY = re.compile(
    r"\b(?:popular\w*|attention|spotlight|buzz|recogni[sz]ed|recognition|acceptance|well[- ]known|trend\w*|traction|headlines|"
    r"hype|talk of the town|in the news|media coverage|(?:prescriptions|"
    r"use|usage|sales|demand) (?:[\w-]+ ){0,4}(?:doubled|tripled|rose|risen|"
    r"rising|increased|grew|grown|surged|soared)|(?:clinics|centers|centres|providers|practices|therapists) (?:[\w-]+ ){0,3}"
    r"(?:opened|open up|opening|began to open|sprung up|popped up|popping up|multiplied|proliferated|spread)|rapid rise of|"
    r"(?:redefin|chang|transform|revolutioni[sz])\w* (?:how|"
    r"the way) (?:we|healthcare|clinicians|doctors|"
    r"professionals|psychiatrists|people|providers))\b",
    re.I,
)
# Clauses of a research-status sentence (3.6 rule 1): split at commas and "until", openers dropped.
CLAUSE_BREAK = re.compile(r"(,\s+|\s+until\s+)")
CLAUSE_OPENER = re.compile(r"^(?:as|while|and|but|which|although|though)\s+", re.I)
PRONOUN = _words(r"\b(?:it|its|it['’]s)\b")
RESEARCH_STATUS = _words(
    r"\b(?:(?:being|been|is|are|was|were) (?:\w+ )?(?:studied|explored|investigated|researched|tested|examined)|under "
    r"(?:investigation|study|review)|(?:more|further|ongoing|additional|future) (?:research|studies|evaluation|trials)|"
    r"research (?:explores|is exploring|is ongoing|continues)|exploration of|(?:interest|interested) in (?:its|the|ketamine)|"
    r"sparks? interest|discovering new|trials are (?:underway|ongoing)|"
    r"(?:research|studies|trials|investigation|evidence)\b[^.;]{0,60}\b(?:is|are|remains?) (?:still )?(?:ongoing|underway|"
    r"under way|in progress|limited|(?:in its )?early|emerging))\b"
)
# Words naming an effect, benefit or ability: they turn a popularity or praise sentence into a claim (3.5, 3.7).
EFFECT_WORDS = _words(
    r"\b(?:relief|reliev\w*|effects?|effective\w*|efficacy|abilit\w*|benefit\w*|potential|promis\w*|improv\w*|alleviat\w*|"
    r"proven|helps?|works?|reduc\w*|potentially)\b"
)
# Hype words of guidelines 3.5; attached to a proposition they make it a claim.
HYPE_WORDS = _words(
    r"\b(?:breakthroughs?|revolutionary|revolutioni[sz]\w*|groundbreaking|game[- ]changer|transformative|transforming|miracle|"
    r"cure[sd]?|reset\w*|rewir\w*|re-wire|heal(?:s|ed|ing)?)\b"
)
# "… for its quick-acting benefits": interest or attention *because of* a stated property (3.7).
STATED_REASON = re.compile(r"\b(?:for|due to|because of) its\b", re.I)
MILD_PRAISE = re.compile(
    r"\b(?:offers?|offering|provides?|providing|brings?|bringing|gives?|giving) (?:new )?hope\b|\bavenue of hope\b", re.I
)
# Treatments other than the article's drug (guidelines 3: statements about them are not ketamine claims).
OTHER_TREATMENTS = _words(
    r"\b(?:(?:traditional|standard|conventional|existing|other|current|typical|first-line|prior|previous|multiple|most|"
    r"common)\s+(?:\w+\s+)?(?:treatments?|therapies|medications?|antidepressants|drugs|methods|approaches|options)|"
    r"antidepressants|antidepressant (?:medications?|drugs)|anti-anxiety medications?|ssris?|snris?|benzodiazepines?|"
    r"opioids|electroconvulsive|\bect\b|cognitive[- ]behavio\w* therapy|\bcbt\b|^medications|these approaches)\b"
)
# A main clause whose subject is a condition or its sufferers (guidelines 3: "PTSD often arises after …").
CONDITION_SUBJECT = re.compile(
    r"^(?:(?:many|some|most|these|this|the|such|severe|chronic|untreated|people|patients|individuals|those)\s+)*"
    r"(?:(?:with|suffering from|living with|who have)\s+)?(?:depress\w*|major depress\w*|mdd|trd|treatment-resistant|"
    r"anxiety|generali[sz]ed anxiety|social anxiety|panic|ptsd|post-traumatic|ocd|obsessive|bipolar|chronic pain|pain|"
    r"fibromyalgia|suicidal|mental (?:health|illness)|(?:this|the|these) (?:condition|disorder|illness)s?|conditions?|"
    r"disorders?|symptoms?)\b",
    re.I,
)
# Words that tie an unnamed sentence to the article's drug or its administration.
PROCEDURE_REFERENCE = _words(
    r"\b(?:it|its|it['’]s|infusions?|sessions?|dos(?:e|es|age|ing)|spray|injections?|(?:the|this) (?:treatment|therapy|drug|"
    r"medication|procedure))\b"
)
# "Patients with fibromyalgia may also benefit": a condition subject whose predicate is the drug's effect.
BENEFIT_PREDICATE = _words(
    r"\b(?:benefit\w*|respond\w* (?:well )?to (?:it|treatment|the treatment|this)|find relief|see improvement)\b"
)
# An unnamed sentence inherits the article's topic only when it speaks of the treatment, its use or its effects (3.7).
TREATMENT_CONTEXT = _words(
    r"\b(?:treatments?|therap\w*|infusions?|sessions?|dos(?:e|es|age|ing)|sprays?|injections?|administ\w*|side[- ]effects?|"
    r"adverse|effects|results|symptoms|relief|improv\w*|sensations?|monitor\w*|phases?|maintenance|visits?|clinics?|drug|"
    r"medication|use|misuse|abuse|dependence|addict\w*|nausea|dizz\w*|dissociat\w*|memory|intervals|assessments|procedure|"
    r"vital signs|vein|nose|staff|nurse|doctors?)\b"
)
TOPIC_ANAPHOR = re.compile(
    r"^(?:it|its|it['’]s|this|these|they|the (?:treatment|therapy|drug|medication|infusion|procedure))\b", re.I
)
SUBORDINATE_OPENER = re.compile(
    r"^(?:while|although|though|even though|unlike|since|because|if|when|as|for|in|during|after|before|despite|beyond|"
    r"apart from|especially|by|through|with|without|compared|particularly|once|originally|initially|administered)\b[^,]*,\s+",
    re.I,
)
# Words a claim needs at all (a guard against fragments): effects, harms, mechanism, use, access, regulation.
CLAIM_CUES = _words(
    r"\b(?:treat\w*|reliev\w*|relief|alleviat\w*|reduc\w*|improv\w*|help\w*|work\w*|act\w*|block\w*|target\w*|boost\w*|"
    r"increas\w*|enhanc\w*|caus\w*|lead\w*|produc\w*|offer\w*|provid\w*|approv\w*|effective\w*|efficacy|safe\w*|unsafe|"
    r"risk\w*|side[- ]effects?|promis\w*|benefit\w*|manag\w*|administer\w*|infusion\w*|dos\w+|cost\w*|insurance|"
    r"modulat\w*|influenc\w*|stabili[sz]\w*|rapid\w*|quick\w*|fast\w*|swift\w*|hours|option|choice|tool|breakthrough|"
    r"potential|effects?|symptoms?|alter\w*|chang\w*|monitor\w*|observ\w*|watched|experienc\w*|sessions?|requir\w*|"
    r"short-lived|temporary|contribut\w*|support\w*|valuable|receptors?|antagonist|nmda|glutamate|addict\w*|abuse|"
    r"dependen\w*|blood pressure|heart rate|rais\w*|prescri\w*|used|utili[sz]ed|reserved|suitable|candidates?|feel\w*|"
    r"sensations?|state|spray\w*|vein|tube|teach|preferred|phases?|intervals|visits|results|differ|arise|persist|fade\w*|"
    r"include|impair\w*|versatil\w*|complement|anesthe\w*|anaesthe\w*|healing|nausea|dizz\w*|disrupt\w*|rewir\w*|re-wire|"
    r"reset\w*|encourag\w*|transform\w*|process\w*|resolve\w*|pass|calm|access|affordab\w*|expens\w*|clinics?|mood|lower\w*|"
    r"lift\w*|eas(?:e|es|ed|ing)|withdrawal|weeks|days|minutes|recommended|pregnan\w*|breast\w*|absorb\w*|reactions?|"
    r"placebo|per session|per dose)\b|[$€£]\s?\d"
)

# --- spans and attribution (guidelines 3.1, 3.3) ------------------------------------------------
_RESEARCH_NOUN = (
    r"(?:(?:recent|emerging|ongoing|clinical|numerous|many|several|some|growing|new|preliminary|early|scientific|published|"
    r"current|more|other|small|large)\s+)*(?:research|studies|study|evidence|trials|data|findings|researchers|scientists)"
    r"(?:\s+and\s+clinical\s+(?:use|experience|practice))?"
)
_FINDING_VERB = (
    r"(?:indicates?|indicated|shows?|shown|showed|suggests?|suggested|demonstrates?|demonstrated|reveals?|revealed|found|"
    r"finds?|confirms?|confirmed|points? to|supports?|supporting|warn(?:s|ed)?|reported|reports?|noted|notes|says?|said|"
    r"believed?|think|thought|propose[sd]?|hypothesi[sz]e[sd]?|suspect(?:s|ed)?)"
)
# Frames at the start of a span, cut from it (the frame goes into `attribution`).
FRAMES_AT_START: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "regulator",
        re.compile(
            r"^(?:according to the (?:fda|ema|food and drug administration|"
            r"label|prescribing information),\s*|(?:the\s+)?(?:u\.?s\.?\s+)?(?:fda|ema|food and "
            r"drug administration|agency|drug label|label|prescribing information)\s+(?:has\s+)?(?:says?|said|"
            r"states?|stated|warns?|warned|notes?|noted|cautions?|cautioned|advises?|advised)\b[^,]{0,30}?\s+that\s+|"
            r"[^,]{0,60}?\b(?:carry|carries|has|have|comes? with)\s+(?:a|an)\s+(?:boxed\s+|black[- ]box\s+)?warning\s+that\s+)",
            re.I,
        ),
    ),
    (
        "named_study",
        re.compile(
            r"^(?:(?:a|the|one|their|this|that|his|her)\s+(?:\d{4}\s+)?[^.;]{0,60}?(?:study|trial|meta-analysis|"
            r"review|analysis)\s+(?:(?:(?:conducted|carried out|led|published|run|done)\s+)?(?:by|in|at|from|of)\s+[^,]+?,?\s+)?"
            r"(?:has\s+|have\s+)?(?:found|finds|showed|shows|shown|reported|reports|concluded|concludes|suggests|suggested|"
            r"demonstrated|revealed|indicated)\s+(?:that\s+)?|^(?:according to|in) (?:a|the|one|their)\s+(?:\d{4}\s+)?"
            r"[^,]{0,60}?(?:study|trial|meta-analysis|review) (?:(?:conducted|published|led) )?(?:by|in|at|from|of) [^,]+,\s*)",
            re.I,
        ),
    ),
    (
        "vague_research",
        re.compile(
            rf"^(?:(?:in|according to) (?:a|one|an|two|several|recent|some|many) (?:\w+ )?(?:trials?|stud(?:y|ies)|"
            rf"analys[ie]s|reviews?),\s*|according to {_RESEARCH_NOUN},\s*|{_RESEARCH_NOUN}\s+(?:has\s+|have\s+|"
            rf"had\s+)?(?:consistently\s+|also\s+)?"
            rf"{_FINDING_VERB}\s+(?:that\s+)?)",
            re.I,
        ),
    ),
    (
        "clinicians",
        re.compile(
            r"^(?:(?:many|some|most)\s+)?(?:doctors|clinicians|physicians|psychiatrists|experts|specialists)(?:\s+often)?\s+"
            r"(?:say|report|note|believe|agree)\s+(?:that\s+)?|^dr\.? \w+(?: \w+)? (?:said|"
            r"says|explains|explained|notes|noted)\s+"
            r"(?:that\s+)?|^according to (?:doctors|clinicians|physicians|psychiatrists|experts),\s*",
            re.I,
        ),
    ),
    (
        "patients",
        re.compile(
            r"^(?:(?:many|some|most)\s+(?:of (?:our|my|the|their)\s+)?)?(?:patients|people|individuals|users|clients)"
            r"(?:\s+often|\s+commonly|\s+frequently)?\s+"
            r"(?:report|reports|describe|describes|say|says)\s+(?:that\s+)?",
            re.I,
        ),
    ),
)
# A speech frame after a quotation ('"…," an FDA spokesperson said'): cut from the span; it names the attribution.
_SPEECH_VERB = r"(?:said|says|told [\w ]+|explained|added|noted|notes|warned|warns|stated|states|wrote|writes|reported|reports)"
TRAILING_SPEECH = re.compile(
    rf"[,\"”]+\s+(?:(?P<before>(?:an?\s+|the\s+)?(?:[\w.’'&-]+\s+){{0,6}}?){_SPEECH_VERB}|{_SPEECH_VERB}\s+"
    rf"(?P<after>[^\"“”]{{2,120}}?))\W*$",
    re.I,
)
# A trailing "according to X" (", according to a coroner's report"): cut from the span; X names the attribution.
TRAILING_ACCORDING = re.compile(r",?\s+according to (?P<source>[^,\"“”]{2,120}?)\W*$", re.I)
# A leading "According to X," or "X said (that)" frame not matched by FRAMES_AT_START: cut, and X names the attribution.
LEADING_SOURCE = re.compile(
    r"^(?:according to (?P<source>[^,]{2,120}),\s*|(?P<speaker>(?:[\w.’'&-]+\s+){0,6}?[\w.’'&-]+),?\s+(?:said|says|told "
    r"(?:\w+ ){0,3}?|stated|states|explained|explains|noted|notes|warned|warns|wrote|writes|reported|reports)\s+(?:that\s+)?)",
    re.I,
)
# Who a speech or "according to" frame names, checked in this order (guidelines 3.3 `attribution`, 3.7).
SOURCE_KINDS: tuple[tuple[str, _Words], ...] = (
    (
        "regulator",
        _words(
            r"\b(?:fda|ema|food and drug administration|the agency|agency|regulators?|label|prescribing information|"
            r"press release|health (?:authorities|officials|department)|cdc|mhra|dea)\b"
        ),
    ),
    (
        "named_study",
        _words(
            r"\b(?:journal|lancet|jama|nejm|bmj|et al|university|institute|school of medicine|lead (?:investigator|author|"
            r"researcher)|principal investigator|(?:study|trial) "
            r"(?:at|by|in|from|of|published|conducted|led))\b|\b[a-z]+-?\d+ trial\b|\b(?:their|this|the) [^,]{0,40}"
            r"(?:study|trial)\b"
        ),
    ),
    ("vague_research", _words(rf"\b(?:{_RESEARCH_NOUN.lower()}|scientific|the literature)\b")),
    ("patients", _words(r"\b(?:patients?|users?|clients?|people|participants|he|she|i)\b")),
    (
        "clinicians",
        _words(
            r"\b(?:dr|doctors?|clinicians?|physicians?|psychiatrists?|experts?|specialists?|nurses?|coroner|medical|"
            r"spokes\w+|officials?|director|professor|president|chief|officer|[a-z]+ of [a-z]+)\b"
        ),
    ),
)
# A speaker or source that none of the kinds names (a person's name, an organisation) is a clinician-type expert (3.7).
DEFAULT_SOURCE = "clinicians"


# A speaker named by first and last name ("said Jane Roe of …"): an expert quoted by name (3.7: a quoted doctor).
PERSON_NAME = re.compile(r"^(?:dr\.?\s+)?[A-Z][a-z’'-]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z’'-]+\b(?!\s+(?:University|Institute|Journal))")


def source_attribution(source: str) -> str:
    """The attribution a speech or "according to" frame gives, from the words of its speaker or source."""
    regulator = SOURCE_KINDS[0][1]
    if PERSON_NAME.match(source.strip()) and not regulator.search(source):
        return DEFAULT_SOURCE
    for name, cue in SOURCE_KINDS:
        if cue.search(source):
            return name
    return DEFAULT_SOURCE
QUOTES = '"“”'
# Frames anywhere in the sentence: they give `attribution` even when the span keeps them.
# Cheap guard: a sentence without any of these words has no attribution frame.
FRAME_WORDS = (
    "research", "stud", "evidence", "trial", "data", "finding", "scientist", "et al", "published", "fda", "ema", "food and drug",
    "label", "prescribing", "doctor", "dr", "clinician", "physician", "psychiatrist", "expert", "specialist", "patient", "people",
    "individual", "user", "client", "those", "testimonial", "review", "meta-analysis", "warning", "said", "says", "according",
    "found", "shown", "note", "told", "journal", "report", "community", "agency", "concern", "alert", "state", "wrote",
    "documented", "proven",
)  # fmt: skip
FRAMES_ANYWHERE: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "named_study",
        re.compile(
            r"\bconfidence interval|\b95% ci\b|\bp ?[<=] ?0?\.\d|\b(?:two|both) (?:trial|treatment|study) groups\b|"
            r"\bet al\b|\b(?:study|trial|meta-analysis|review) (?:published )?(?:in|"
            r"by) (?:the )?[A-Z]|\bpublished in (?:the )?[A-Z]"
        ),
    ),
    (
        "regulator",
        re.compile(
            r"\baccording to the (?:fda|ema|food and drug administration|label|"
            r"prescribing information)\b|\bthe (?:fda|ema|food and "
            r"drug administration|drug label|label|prescribing information) (?:says|states|warns|notes|lists|cautions|advises)\b|"
            r"\b(?:fda|food and drug administration|agency|ema)\b(?: [\w.]+){0,3}? (?:said|says|warned|warns|stated|"
            r"states|cautioned|noted|notes)\b|\bfda (?:spokes\w+|officials?) (?:said|says)\b|"
            r"\b(?:carry|carries|comes? with) (?:a|an) (?:boxed |black[- ]box )?warning\b|"
            r"\b(?:fda|agency)\b[^.;]{0,20}\b(?:expressed concern|is issuing|issued|alerted)\b|\bwarning from the fda\b",
            re.I,
        ),
    ),
    (
        "clinicians",
        re.compile(
            r"\bmedical community\b|"
            r"\bdr\.? \w+(?: \w+)? (?:said|says|explains|explained|notes|noted|told)\b|"
            r"\b(?:doctors|clinicians|physicians|psychiatrists|experts|specialists)\b(?: \w+){0,2}? (?:say|"
            r"said|report|reported|note|"
            r"noted|believe|agree|are (?:increasingly )?interested)\b|\baccording to (?:doctors|"
            r"clinicians|physicians|psychiatrists|experts)",
            re.I,
        ),
    ),
    (
        "patients",
        re.compile(
            r"\b(?:patients|people|individuals|users|clients)\b(?: [\w’']+){0,6}? (?:often |"
            r"commonly |frequently |also )?(?:report|reports|"
            r"reported|describe|describes|described|say|says|said)\b|\b(?:patients|people|individuals|those)\b[^,.;]{0,60}? "
            r"(?:often |usually )?find (?:it|ketamine|the treatment|this)\b|\btestimonials?\b",
            re.I,
        ),
    ),
    (
        "vague_research",
        re.compile(
            rf"\b{_RESEARCH_NOUN}\b(?: [\w’']+){{0,4}}? {_FINDING_VERB}\b|\bbody of evidence\b|\b(?:has|have|had) been "
            rf"(?:found|shown|proven|demonstrated|reported) to\b|\b(?:was|were|is|are) (?:found|shown|proven|demonstrated) to\b|"
            rf"\bscientific community\b|\bextensively documented\b",
            re.I,
        ),
    ),
)
# A research frame with "that" inside the sentence: the span starts after it.
THAT_FRAME = re.compile(rf"\b{_RESEARCH_NOUN}\b(?: [\w’']+){{0,4}}? {_FINDING_VERB} that\s+", re.I)

HEDGE_CUES = _words(
    r"\b(?:can|could|may|might|potential\w*|promis\w*|suggest\w*|often|usually|typically|generally|likely|possibl[ey]|some|"
    r"many|(?<!the )most|frequently|believed|considered|appears?|seems?|perhaps|hopeful|probably|lots of|sometimes|tends? to|"
    r"thought to|almost certainly|apparently|presumably|reportedly|possibly|arguably)\b"
)

# --- history split (guidelines 3.5: history and drug class are `regulatory`) ---------------------
HISTORY_LEAD = re.compile(
    r"^(?:(?:originally|initially|once|first|primarily)\s+)+(?:developed|used|meant|known|approved|introduced|created|"
    r"synthesi[sz]ed)\b[^,]*\b(?:anesthe\w*|anaesthe\w*|surg\w*)[^,]*,\s+(?:ketamine|esketamine|it)\b",
    re.I,
)
HISTORY_APPOSITIVE = re.compile(
    r"^(?:ketamine|esketamine|it|this (?:dissociative )?(?:anesthetic|anaesthetic|drug)),\s+[^,]*\b(?:anesthe\w*|anaesthe\w*|"
    r"analgesic|surg\w*)\b[^,]*(?=,)",
    re.I,
)
HISTORY_CLAUSE = re.compile(
    r"^(?:while|although|though)\s+((?:ketamine|esketamine|it) (?:was|is) (?:originally|initially|first|primarily) (?:developed|"
    r"used|approved|introduced|known) (?:as|for) [^,]*\b(?:anesthe\w*|anaesthe\w*)\w*)",
    re.I,
)
# A leading descriptive participle ("Often associated with …, ketamine"): ignored when typing the main clause.
DESCRIPTIVE_LEAD = re.compile(
    r"^(?:(?:often|once|originally|initially|sometimes|commonly)\s+)?(?:associated|"
    r"known|regarded|described|developed|meant)\b[^,]*,\s+",
    re.I,
)
# A leading means clause about the mechanism ("By blocking NMDA receptors, …"): a mechanism row beside the main clause.
MEANS_LEAD = re.compile(r"^(?:by|through)\s+[^,]+,\s+", re.I)
# A leading reason clause about the drug ("Because ketamine can be misused, it is only given in clinics"): its own row
# beside the main clause (3.5, overlapping spans; 3.7 keeps the reason of advice the same way).
# Two main clauses joined by ", so" / ", and" / ", but": separate rows when they are propositions of different types
# (3.2: a span states two propositions only when they cannot be separated).
CLAUSE_JOIN = re.compile(r",\s+so\s+(?=[a-z])")
# Two main clauses joined by ", and" / ", but" / ", whereas" / ", while": separate rows when each is a clause of its own
# (its own subject and verb) of at least MIN_COORDINATE_WORDS words (3.2: one proposition per span; 3.5: side by side).
COORDINATE_JOIN = re.compile(r",\s+(?:and|but|whereas|while)\s+(?=[a-z])")
MIN_COORDINATE_WORDS = 5
# The second clause's verb must come within this many words (a subject, not a list item).
MAX_SUBJECT_WORDS = 8
FINITE_VERB = _words(
    r"\b(?:is|are|was|were|can|may|might|could|will|would|has|have|had|does|do|did|lasts?|lasted|fades?|causes?|helps?|"
    r"works?|reduces?|seems?|appears?|tends?|remains?|shows?|showed)\b"
)
REASON_LEAD = re.compile(r"^(?:because|since)\s+([^,]+),\s+", re.I)

# --- claim_type decision list (guidelines 3.3; order matters) ------------------------------------
TYPE_RULES: tuple[tuple[str, str, _Words], ...] = tuple(
    (name, claim_type, _words(pattern))
    for name, claim_type, pattern in (
        (
            "type_history",
            "regulatory",
            r"\b(?:has been|have been|was|were) (?:first |originally |also )?(?:used|utili[sz]ed|employed|developed|"
            r"synthesi[sz]ed|"
            r"discovered|introduced)\b[^.;]{0,60}\b(?:since|in the (?:\d{4}s|medical field)|for decades|\d{4}s?|as an? "
            r"(?:sedative|anesthetic|anaesthetic|analgesic|pain reliever))\b|^developed in\b|\bveterinary\b|"
            r"\b(?:became|become|is now) (?:generic|available as a generic)",
        ),
        (
            "type_onset_of_relief",
            "onset",
            r"\b(?:reduc|alleviat|reliev|eas|lessen|improv|lift|lower)\w*\b[^.]{0,60}\bwithin (?:minutes|"
            r"hours|a few hours|a day|days|"
            r"24 hours)\b",
        ),
        (
            "type_efficacy_on_symptoms",
            "efficacy",
            r"\b(?:reduc\w*|alleviat\w*|reliev\w*|eas(?:e|es|ing)|lessen\w*|improv\w*|lift\w*|lower\w*)\s+(?:the\s+)?(?:\w+\s+)?"
            r"(?:symptoms|signs|pain|depress\w*|anxiety|suicidal \w+|mood)\b|"
            r"\brole in (?:improving|treating|managing|reducing|addressing)\b|\b(?:suicid\w*|symptoms?|depress\w*|anxiety|pain)\b"
            r"[^.;]{0,40}\b(?:decreased|declined|reduced|improved|fell|dropped|dropped)\b|"
            r"\b(?:shown|shows|show|showing) (?:promise|potential|"
            r"promising|efficacy|effectiveness)\b|\b(?:confirm|demonstrat|"
            r"prove|support)\w* (?:its|the) (?:effectiveness|efficacy)\b",
        ),
        (
            "type_benefit_duration",
            "onset",
            r"\b(?:improvements?|benefits?|relief|antidepressant effects?|(?:mood|symptom) (?:improvement|lift)|results?)\b"
            r"[^.;]{0,50}\b(?:fad(?:e|es|ed|ing)|wears? off|wore off|diminish\w*|subsid\w*|lasts?|lasted|lasting|persist\w*)\b",
        ),
        (
            "type_dose_comparison",
            "administration",
            r"\b(?:doses?|dosages?|dosing)\b[^.;]{0,20}\b(?:is|are|was|were) (?:much |far |many times )?(?:lower|higher|smaller|"
            r"larger) than\b",
        ),
        (
            "type_administration_monitoring",
            "administration",
            r"\b(?:effects|patients|vital signs|responses)\b[^.]{0,20}\b(?:are|"
            r"is) (?:closely |carefully |constantly )?(?:monitored|"
            r"watched|observed|under (?:constant |close )?(?:attention|observation|"
            r"monitoring))|\b(?:monitored|observed|watched) for\b",
        ),
        (
            "type_contraindication",
            "eligibility",
            r"\bnot (?:recommended|suitable|appropriate|advised) (?:for|during|in|while|with)\b|"
            r"\bnot (?:be )?(?:an? )?(?:good |suitable |ideal |"
            r"right )?candidates?\b|\bcontraindicat\w*|"
            r"\bshould not (?:receive|take|use|be given|have)\b",
        ),
        (
            "type_cost_access",
            "cost_access",
            r"\b(?:costs?|costly|price\w*|pricing|expens\w*|afford\w*|insurance|insurer\w*|insured|reimburs\w*|payment|"
            r"out[- ]of[- ]pocket|accessib\w*|access to|availab\w*|cover(?:s|ed|age)?|"
            r"prior authori[sz]ation)\b|\bclinics?\b[^.]{0,40}\b(?:offer|provide)|[$€£]\s?\d",
        ),
        (
            "type_regulatory",
            "regulatory",
            r"\b(?:fda|ema|approv\w*|schedule (?:iii|3)|controlled substance|off[- ]label|legal\w*|illegal|"
            r"prescription[- ]only)\b",
        ),
        (
            "type_safety_interaction",
            "safety",
            r"\bconcomitant use\b|\bdrug interactions?\b|"
            r"\binteract\w* (?:negatively )?with (?:other |certain |some |your )?(?:\w+ )?(?:medications?|drugs?|alcohol|"
            r"benzodiazepines|antidepressants|opioids|stimulants|sedatives)|\b(?:mix\w*|combin\w*)\b[^.;]{0,30}\bwith "
            r"(?:other |certain |some )?(?:alcohol|sedatives|opioids|benzodiazepines|drugs|medications|substances|depressants)",
        ),
        (
            "type_comparative",
            "comparative",
            r"\b(?:works? differently|different(?:ly)? (?:from|than)|not like (?:that of )?|"
            r"more effective than|better than|superior to|"
            r"non-?inferior|outperform\w*|as effective as|as good (?:as|or better than)|faster,? more effective|alternative to|"
            r"similar in (?:the|both) (?:two )?(?:trial |treatment )?groups|(?:than|by) (?:a )?placebo|as likely as|"
            r"compared (?:with|to) (?:traditional |conventional "
            r"|standard |other )?(?:antidepressants|treatments|medications|ect|therapy|placebo))\b",
        ),
        (
            "type_adverse_effect",
            "adverse_effect",
            r"\b(?:side[- ]effects?|adverse|(?<!self-)harm(?:s|ful)?|nausea|nauseous|vomit\w*|dizz\w*|dissociat\w*|hallucinat\w*|"
            r"drows\w*|sleepy|foggy|bewilder\w*|confus\w*|disorient\w*|memory (?:issues|"
            r"problems|impairment|loss)|cognitive (?:issues|"
            r"effects|impairment|problems)|bladder|urinat\w*|(?:ab|mis)us(?:e|es|ed|ing)|"
            r"addict\w*|dependen\w*|unwanted effects|toxic\w*|overdose|"
            r"recreational|party drug|unsettling|out[- ]of[- ]body|detach\w*|disconnect\w*|dream-?like|vivid dreams|distort\w*|"
            r"altered sense|changes in perception|sensations|serious consequences|"
            r"long-term effects|psychos[ie]s|psychotic|agitation|"
            r"headaches?|sedat\w*|tolerance|withdrawal|cystitis|euphori\w*|fades?|resolves?|subsides?|wears? off|"
            r"injur\w*|numb\w*|damage\w*|death|died|dying|lethal|fatal\w*|bad reactions?|date rape|psychoactive effects|"
            r"delirium|amnesia|impaired|(?:reduc|slow|depress)\w* (?:heart rate|breathing|respirat\w*)|dangerously|"
            r"needs? (?:more|higher doses|larger doses) to (?:get|feel|achieve) the same|"
            r"unconscious\w*|los(?:e|es|ing|t) (?:the ability|consciousness|control|coordination)|"
            r"unable to (?:move|speak|talk|walk)|(?:feel\w*|felt|become|becoming|get|gets|getting) (?:\w+ )?(?:anxious|nervous|"
            r"uneasy|panicky|panicked|agitated|restless|paranoid|sick|low|tired|scared|frightened|overwhelmed)|"
            r"(?:chang|alter|distort)\w* (?:how (?:you|people|patients|they|we) perceive|(?:your |the )?perception)|"
            r"go(?:es)? away|passe?s? after|"
            r"(?:long-term|prolonged|chronic|heavy|frequent|repeated) use|habit[- ]forming|float\w*)\b|"
            r"\b(?:these|the|such|its) (?:side )?effects (?:are|were) (?:usually |often |typically |generally )?(?:short-lived|"
            r"temporary|transient|mild)|\b(?:rais\w*|increas\w*|elevat\w*|spik\w*)\b[^.]{0,30}\b(?:blood pressure|heart rate)|"
            r"\b(?:caus\w*|trigger\w*|worsen\w*|increas\w*|induc\w*)\b[^.]{0,25}\b(?:anxiety|"
            r"suicid\w*|depress\w*|panic|psychos[ie]s|"
            r"paranoia|mania|agitation)",
        ),
        (
            "type_safety_predicate",
            "safety",
            r"\b(?:is|are|be|been|remains?)\s+(?:not\s+|generally\s+|considered\s+|"
            r"usually\s+|very\s+|relatively\s+|quite\s+)*(?:safe|unsafe|dangerous|risky|"
            r"well[- ]tolerated)\b|\bnot without (?:risks?|considerations|side effects)\b|\bsafety profile\b|\bunsafe\b|"
            r"\bsafe (?:for|when|if|under|option)\b|\btolerat\w* (?:\w+ ){0,2}well\b|\bsafety record\b|"
            r"\b(?:is|are|be) (?:much |far |even |a lot )?(?:riskier|safer|more dangerous|less safe)\b",
        ),
        (
            "type_anaesthetic_use",
            "regulatory",
            r"\b(?:anesthe\w*|anaesthe\w*|surg(?:ery|ical))\b",
        ),
        (
            "type_onset_time",
            "onset",
            r"\bwithin (?:minutes|hours|a few hours|\d+ hours|a day|days|24 hours|"
            r"a few days)\b|\b(?:hours|minutes) (?:to|or) (?:a )?days?\b|"
            r"\bonset\b|\bnear[- ]immediate\w*|\bimmediate(?:ly)? (?:relief|effects?|improvements?)|"
            r"\b(?:feel\w*|improv\w*|relief|better|alleviation)\b[^.]{0,30}\b(?:hours|a day) (?:after|of)\b|"
            r"\b(?:feel\w*|felt|improv\w*|relief|better)\b[^.]{0,30}\bafter (?:the|their|a|one) (?:first|single|second|few)"
            r"(?: or (?:second|two|three))? (?:treatment|session|infusion|dose)s?\b|"
            r"\b(?:relief|effects?) (?:for|lasting) (?:a few|several|up to|\d+)\b|\b(?:manifest|appear|work|start|begin)\w* "
            r"(?:within |in )?(?:hours|minutes)\b|\b(?:effects?|benefits?|relief|"
            r"results?|improvements?) (?:can |may |often |usually |typically )?"
            r"(?:last|persist)",
        ),
        (
            "type_administration_screening",
            "administration",
            r"\b(?:doctors?|professional|clinician|provider|evaluation|screening|assessment|check\w*)\b[^.]{0,60}\b(?:suitable|"
            r"candidate|matches|appropriate)\b",
        ),
        (
            "type_eligibility",
            "eligibility",
            r"\b(?:is|be|as) an? (?:\w+ ){0,2}option for (?!treat(?:ing)?\b)|"
            r"\bmay be an option\b|\bis a choice\b|\breserved for\b|"
            r"\brecommended (?:only |limited )?(?:for|to)\b|\blimited to\b|\bcan be used in\b|\bsuitable (?:for|candidates)\b|"
            r"\bcandidates for\b|\b(?:be|are|is) an? (?:\w+ )?candidates?\b|\b(?:used|utili[sz]ed|"
            r"prescribed) (?:for|in)\b|\bis prescribed\b|\bin adolescents\b|"
            r"\b(?:considered|offered) (?:for|to) (?:adults|patients|people|individuals|those|children|adolescents|teens)\b|"
            r"\b(?:is|are) (?:\w+ )?offered (?:ketamine|esketamine|it|this|the (?:treatment|therapy|spray|infusions?))\b",
        ),
        (
            "type_evaluative_use",
            "efficacy",
            r"\b(?:makes?|made|positioned)\b[^.]{0,40}\b(?:option|tool|treatment|intervention|alternative|choice|approach|"
            r"breakthrough|valuable)\b|\b(?:recognition|known|recogni[sz]ed|acclaimed|praised|attention)(?: \w+)? for its\b|"
            r"\b(?:significant|encouraging|beneficial) for\b|\bis (?:quite |very |particularly )?encouraging\b|"
            r"\b(?:approach|option|alternative|tool) (?:to|for) (?:managing|treating|addressing)\b|"
            r"\bhelps? (?:patients|people|individuals|them) (?:to )?(?:engage|process|cope)",
        ),
        (
            "type_mechanism",
            "mechanism",
            r"\b(?:receptors?|nmda|glutamat\w*|gaba|bdnf|neurotrophic|neuroplastic\w*|"
            r"plasticity|synap\w*|neural|neurons?|neurones?|"
            r"neurotransmi\w*|brain (?:circuits?|cells?|chemistry|regions?)|"
            r"circuits?|pathways?|neurobiolog\w*|mechanism|antagonis\w*|"
            r"mtor|dopamine|serotonin|rewir\w*|re-wire|reset\w*|inflammation|signal(?:l)?ing|connections? in the brain|"
            r"brain['’]s sensitivity|cascade)\b",
        ),
        (
            "type_onset_speed",
            "onset",
            r"\b(?:rapid(?:ly)?|quick(?:ly)?|fast|swift(?:ly)?|prompt(?:ly)?|speed|(?:fast|quick|rapid)[- ]acting)\b",
        ),
        (
            "type_administration_predicate",
            "administration",
            r"\b(?:requires?|required|needs?|indicated|aims? to|sustain|maintain (?:\w+ )?(?:results|"
            r"improvements|benefits|gains)|way to (?:treat|administer|give)|is (?:often |usually |"
            r"typically )?combined with)\b|\b(?:must|should|has to|have to|"
            r"will|is|are) (?:be )?(?:typically |usually |always |often |only |"
            r"carefully |continually )?(?:administered|given|delivered|monitored|"
            r"observed|supervised)\b|\b(?:clinicians|doctors?|staff|"
            r"professionals|providers|nurses|clinics)\b[^.]{0,30}\b(?:monitor|"
            r"adjust|observe|watch|check|control|teach|make|put|set)\w*",
        ),
        (
            "type_efficacy_predicate",
            "efficacy",
            r"\b(?:effective\w*|efficacy|alleviat\w*|reliev\w*|relief|improv\w*|"
            r"benefit\w*|helps?|treats?|treating|heal(?:s|ed|ing)?|"
            r"sense of|outcomes)\b",
        ),
        (
            "type_administration",
            "administration",
            r"\b(?:administ\w*|intravenous\w*|iv|intranasal\w*|nasal|sprays?|spray\w*|injections?|intramuscular\w*|infusions?|"
            r"lozenges?|oral(?:ly)?|tablets?|dos(?:e|es|age|ages|ing)|sessions?|"
            r"phases?|maintenance|monitor\w*|observ\w*|supervis\w*|"
            r"vital signs|clinical (?:setting|environment)|medical (?:setting|"
            r"environment)|vein|tube|frequency|intervals?|visits?|"
            r"treatments|combined with|protocols?|adjust\w*|calculated|watched|"
            r"procedure|course of treatment|treatment plan|follow-up|"
            r"teach\w*|way of giving|how to use)\b",
        ),
        ("type_safety", "safety", r"\b(?:safe\w*|risks?|risky|caution|dangerous)\b"),
    )
)
# Condition names that look like harm words ("substance abuse" as a treated condition): removed before typing.
TYPE_NOISE = re.compile(r"\b(?:substance|alcohol|drug|opioid) (?:ab)?use(?: disorders?)?\b")
# Cheap guards: a rule whose pattern needs one of these substrings is skipped without running it.
TYPE_RULE_GUARDS: dict[str, tuple[str, ...]] = {
    "type_onset_of_relief": ("within",),
    "type_benefit_duration": ("fad", "wear", "wore", "diminish", "subsid", "last", "persist"),
    "type_dose_comparison": (" than",),
    "type_administration_monitoring": ("monitored", "watched", "observ", "under "),
    "type_contraindication": ("not", "contraindicat"),
    "type_history": ("used", "utili", "employed", "developed", "synthesi", "discovered", "introduced", "veterinary", "generic"),
    "type_safety_interaction": ("interact", " with", "concomitant"),
    "type_regulatory": (
        "fda",
        "ema",
        "approv",
        "schedule",
        "controlled",
        "label",
        "legal",
        "prescription",
    ),
    "type_anaesthetic_use": ("anesthe", "anaesthe", "surg"),
    "type_comparative": (
        "differ",
        "not like",
        "than",
        "faster",
        "superior",
        "inferior",
        "outperform",
        "as effective",
        "compared",
        "as good",
        "alternative to",
        "similar in",
        "placebo",
        "as likely",
    ),
    "type_administration_screening": ("suitable", "candidate", "matches", "appropriate"),
}
DEFAULT_CLAIM_TYPE = "efficacy"
MECHANISM_CUES = next(cue for name, _, cue in TYPE_RULES if name == "type_mechanism")
ADVERSE_CUES = next(cue for name, _, cue in TYPE_RULES if name == "type_adverse_effect")
# Types whose rows never take a condition: harms are not conditions (3.5); history is not a use.
NO_CONDITION_TYPES = frozenset({"adverse_effect", "safety"})
# Types whose rows without a named condition take the condition of their context (3.7).
CONTEXT_CONDITION_TYPES = frozenset({"efficacy", "onset", "eligibility"})
RESULT_WORDS = _words(r"\b(?:improv\w*|results?|relief|symptoms?|outcomes?|benefits?)\b")

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
    r"(?:respiratory|cns|central nervous system|breathing) depression|"
    r"psychological dependence)\b"
)
TRD_PHRASE = re.compile(r"treatment[- ]resistant\s+(?:conditions?\s+(?:like|such as)\s+)?(?:major\s+)?depress\w*")
BIPOLAR_EPISODES = re.compile(r"depressive (?:or|and) manic|depressive (?:episodes?|phases?)")
MOOD = _words(r"\bmood\b(?! (?:disorders?|swings))|\bemotional stability\b")
# Populations defined by treatment failure (3.5): TRD in a passage about depression, else mental health in general.
TREATMENT_FAILURE = _words(
    r"\b(?:tried [^.]{0,40}without (?:success|relief|improvement)|(?:not|haven['’]t|"
    r"have not|n['’]t) (?:responded|found (?:success|relief|rest))|"
    r"struggled with (?:conventional|traditional)|resistant to (?:conventional|traditional|other|existing)|unresponsive to|"
    r"(?:has|have|had) not (?:improved|responded|got(?:ten)? better) (?:with|to|after)|"
    r"(?:standard|other|conventional|traditional) (?:approaches|treatments|therapies|medications|methods) (?:have )?"
    r"(?:fail\w*|fallen short))"
)
# Depression itself described as not responding to treatment ("whose depression has not responded to …") is TRD.
UNRESPONSIVE_DEPRESSION = _words(
    r"\b(?:whose )?depress\w*,? (?:that |which )?(?:has|have|had) not (?:improved|responded|got(?:ten)? better)\b|"
    r"\bdepress\w* (?:that|which) (?:did|does|do) not (?:improve|respond)\b"
)
CONTEXT_DEPRESSION = _words(r"\bdepress\w*|antidepressant|\bmdd\b")
KAP_CUES = _words(r"psychotherap\w*|counsel\w*|cognitive[- ]behavio\w*|talk therapy|therapeutic interventions")


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


@dataclass(frozen=True)
class SentenceContext:
    """What the detector knows around one sentence: its paragraph, the previous sentence of that
    paragraph, the section heading above it, the title and the article's topic."""

    paragraph: str = ""
    previous: str = ""
    heading: str = ""
    title: str = ""
    topic: str | None = None


def named_intervention(text: str) -> str | None:
    folded = text.casefold()
    for name, terms in TOPIC_NAMES:
        for term in terms:
            if term in folded:
                return name
    return None


@lru_cache(maxsize=256)
def _paragraph_intervention(paragraph: str) -> str | None:
    """named_intervention of a paragraph, worked out once for all of its sentences."""
    return named_intervention(paragraph)


def article_topic(title: str, content_segments: list[str]) -> str | None:
    """The intervention the article is about: the one its title names, else one named in at least
    MIN_TOPIC_SEGMENTS content segments."""
    named = named_intervention(title)
    if named:
        return named
    counts = Counter(n for n in map(named_intervention, content_segments) if n)
    if counts and counts.most_common(1)[0][1] >= MIN_TOPIC_SEGMENTS:
        return counts.most_common(1)[0][0]
    return None


def _strip_lead(piece: str) -> str:
    """Bullets, a short label and discourse openers off the front of a sentence."""
    while True:
        stripped = piece.lstrip(BULLET_CHARS)
        stripped = LABEL_PREFIX.sub("", stripped, count=1) if ":" in stripped[:45] else stripped
        stripped = DISCOURSE_OPENER.sub("", stripped, count=1)
        if stripped == piece:
            return piece
        piece = stripped


def _main_clause(body: str) -> str:
    """The sentence without a leading subordinate clause (a cheap approximation of the main clause)."""
    while found := SUBORDINATE_OPENER.match(body):
        body = body[found.end() :]
    return body


def sentence_decision(sentence: str, context: SentenceContext) -> tuple[list[tuple[int, int]], str]:
    """Claim pieces of one content sentence as (start, end) offsets into it, and the deciding rule.

    Usually one piece (the sentence, to be trimmed); an advice sentence may keep only its reason
    clause, and a research-status sentence only the clauses beside the status.
    """
    body = sentence.rstrip()
    if body.endswith("?"):
        return [], "skip_question"
    if body.endswith(":"):
        return [], "skip_list_introduction"
    lead = _strip_lead(body)
    offset = len(body) - len(lead)
    words = lead.split()
    if len(words) < MIN_CLAIM_WORDS:
        return [], "skip_fragment"
    if not lead.endswith(SENTENCE_END) and len(words) <= MAX_UNPUNCTUATED_CLAIM_WORDS and not AMOUNT.search(lead):
        return [], "skip_heading"
    if not (
        context.topic
        or _paragraph_intervention(context.paragraph)
        or TOPIC_ANAPHOR.match(lead)
        or TOPIC_ANAPHOR.match(_main_clause(lead))
    ):
        return [], "skip_off_topic"  # cheap guard: nothing below can make it topical
    if SELF_REFERENCE.search(lead):
        return [], "skip_self_reference"
    note = NOTE_FRAME.match(lead)
    if note:
        offset, lead = offset + note.end(), lead[note.end() :]
    instruction = bool(
        IMPERATIVE_OPENER.match(lead)
        or IMPERATIVE_TAIL.search(lead)
        or (SUBORDINATE_OPENER.match(lead) and IMPERATIVE_OPENER.match(_main_clause(lead)))
    )
    if instruction or ADVICE.search(lead):
        reason = REASON_CLAUSE.search(lead)
        if reason and CLAIM_CUES.search(lead[reason.end() :]) and named_intervention(lead[reason.end() :]):
            return [(offset + reason.end(), len(body))], "advice_reason_clause"
        return [], "skip_instruction" if instruction else "skip_advice"
    if FIRST_PERSON.search(QUOTED.sub(" ", lead)):
        reason = FIRST_PERSON_REASON.search(lead)
        if reason and CLAIM_CUES.search(lead[reason.end() :]):
            return [(offset + reason.end(), len(body))], "first_person_reason_clause"
        return [], "skip_first_person"
    if STUDY_DESIGN.search(lead) and not FINDING.search(lead):
        return [], "skip_study_design"
    if NAMING.search(lead):
        return [], "skip_naming"
    if MARKETING.search(lead):
        return [], "skip_marketing"
    popularity = POPULARITY.search(lead)
    if popularity:
        rest = lead[: popularity.start()] + " " + lead[popularity.end() :]
        if not (EFFECT_WORDS.search(rest) or HYPE_WORDS.search(rest)):
            return [], "skip_popularity"
    if RESEARCH_STATUS.search(lead):
        reason = STATED_REASON.search(lead)
        if HYPE_WORDS.search(lead) or (reason and EFFECT_WORDS.search(lead[reason.end() :])):
            return [(offset, len(body))], "claim_beside_research_status"
        pieces = _clauses_beside(lead, offset, RESEARCH_STATUS)
        if not pieces:
            return [], "skip_research_status"
        return pieces, "claim_beside_research_status"
    praise = MILD_PRAISE.search(lead)
    if praise:
        rest = lead[: praise.start()] + " " + lead[praise.end() :]
        if not (EFFECT_WORDS.search(rest) or HYPE_WORDS.search(rest)):
            return [], "skip_mild_praise"
    folded = lead.lower()
    if not (CLAIM_CUES.regex.search(folded) or any(cue.regex.search(folded) for _, _, cue in TYPE_RULES)):
        return [], "skip_no_claim_cue"
    topical, rule = _topical(lead, context)
    return (_semicolon_clauses(body, offset), rule) if topical else ([], rule)


def _semicolon_clauses(body: str, offset: int) -> list[tuple[int, int]]:
    """Split a claim sentence at semicolons when every part is a claim-sized clause (3.1: one proposition per span)."""
    parts = []
    start = offset
    for match in SEMICOLON.finditer(body, offset):
        parts.append((start, match.start()))
        start = match.end()
    parts.append((start, len(body)))
    if len(parts) > 1 and all(len(body[a:b].split()) >= MIN_CLAIM_WORDS and CLAIM_CUES.search(body[a:b]) for a, b in parts):
        return parts
    return [(offset, len(body))]


def _topical(lead: str, context: SentenceContext) -> tuple[bool, str]:
    """Whether a sentence is about the article's drug, and why (guidelines 3 and 3.7)."""
    if named_intervention(lead):
        return True, "topic_named"
    main = _main_clause(lead)
    if OTHER_TREATMENTS.search(main) and not TOPIC_ANAPHOR.match(main):
        return False, "skip_other_treatment"
    if CONDITION_SUBJECT.match(main) and not (PROCEDURE_REFERENCE.search(main) or BENEFIT_PREDICATE.search(main)):
        return False, "skip_condition_only"
    if TOPIC_ANAPHOR.match(lead) or TOPIC_ANAPHOR.match(main) or TOPIC_ANAPHOR.match(_after_frame(lead)):
        return True, "topic_anaphor"
    if _paragraph_intervention(context.paragraph):
        return True, "topic_in_paragraph"
    if context.topic:
        if TREATMENT_CONTEXT.search(lead) or ADVERSE_CUES.search(lead):
            return True, "topic_of_article"
        return False, "skip_no_treatment_reference"
    return False, "skip_off_topic"


def _after_frame(lead: str) -> str:
    """The sentence after an attribution frame at its start ("Researchers believe this …" → "this …")."""
    for _name, frame in FRAMES_AT_START:
        found = frame.match(lead)
        if found:
            return lead[found.end() :]
    return lead


def _clauses_beside(lead: str, offset: int, status: _Words) -> list[tuple[int, int]]:
    """Comma clauses of a research-status sentence that are claims of their own (3.6 rule 1)."""
    pieces = []
    position = 0
    for chunk in CLAUSE_BREAK.split(lead):
        start = position
        position += len(chunk)
        if not chunk or chunk.isspace() or chunk.lstrip().startswith(",") or chunk.strip() == "until":
            continue
        if status.search(chunk) or MILD_PRAISE.search(chunk) or not CLAIM_CUES.search(chunk):
            continue
        if not (named_intervention(chunk) or PRONOUN.search(chunk)):
            continue
        if len(chunk.split()) < MIN_CLAIM_WORDS:
            continue
        chunk_start = start + len(chunk) - len(CLAUSE_OPENER.sub("", chunk, count=1))
        pieces.append((offset + chunk_start, offset + start + len(chunk)))
    return pieces


def claim_span(piece: str) -> tuple[int, int, str]:
    """Trim a claim piece to its span (offsets into the piece) and name its attribution frame."""
    attribution = _attribution(piece)
    text = piece
    for _ in range(MAX_TRIM_PASSES):
        before = text
        text = _strip_lead(text)
        contrast = LEAD_CONTRAST.match(text)
        if contrast and len(text[contrast.end() :].split()) >= MIN_CLAIM_WORDS:
            text = text[contrast.end() :]
        appositive = LEAD_APPOSITIVE.match(text)
        if appositive and len(text[appositive.end() :].split()) >= MIN_CLAIM_WORDS:
            text = text[appositive.end() :]
        concession = LEAD_CONCESSIVE.match(text)
        if concession and (
            named_intervention(concession[1]) or PRONOUN.search(concession[1]) or OTHER_TREATMENTS.search(concession[1])
        ):
            text = text[concession.end() :]
        for _name, frame in FRAMES_AT_START:
            found = frame.match(text)
            if found and len(text[found.end() :].split()) >= MIN_CLAIM_WORDS and not LIMITING.search(found.group(0)):
                text = text[found.end() :]
                break
        else:
            source = LEADING_SOURCE.match(text)
            if source and len(text[source.end() :].split()) >= MIN_CLAIM_WORDS and not LIMITING.search(source.group(0)):
                text = text[source.end() :]
        that = THAT_FRAME.search(text) if " that " in text else None
        if that and that.start() < len(text) // 2 and not LIMITING.search(text[: that.end()]):
            text = text[that.end() :]
        if text == before:
            break
    text = text.lstrip(QUOTES)
    start = len(piece) - len(text)
    for trailing_frame in (TRAILING_SPEECH, TRAILING_ACCORDING):
        trailing = trailing_frame.search(text)
        if trailing and len(text[: trailing.start()].split()) >= MIN_CLAIM_WORDS:
            text = text[: trailing.start()]
    trimmed = text.rstrip(TRAILING_PUNCTUATION + " ")
    while trimmed and trimmed[-1] in QUOTES and sum(trimmed[:-1].count(q) for q in QUOTES) % 2 == 0:
        trimmed = trimmed[:-1].rstrip(TRAILING_PUNCTUATION + " ")  # a closing quote whose opening quote was cut
    return start, start + len(trimmed), attribution


def _attribution(piece: str) -> str:
    folded = piece.lower()
    if not any(word in folded for word in FRAME_WORDS):
        return "none"
    lead = _strip_lead(piece)
    for name, frame in FRAMES_AT_START:
        if frame.match(lead):
            return name
    source = LEADING_SOURCE.match(lead)
    if source:
        return source_attribution(source["source"] or source["speaker"])
    for trailing_frame in (TRAILING_SPEECH, TRAILING_ACCORDING):
        trailing = trailing_frame.search(piece.rstrip())
        if trailing:
            return source_attribution(next(g for g in trailing.groups() if g is not None))
    for name, frame in FRAMES_ANYWHERE:
        if frame.search(piece):
            return name
    return "none"


@lru_cache(maxsize=1024)
def claim_type_of(span: str) -> tuple[str, str]:
    """The claim type of a span and the rule that decided (first match in TYPE_RULES)."""
    main = LEAD_PARTICIPLE.sub("", span, count=1)
    main = HISTORY_APPOSITIVE.sub("", main, count=1)
    main = HISTORY_LEAD.sub("", main, count=1)
    main = DESCRIPTIVE_LEAD.sub("", main, count=1)
    main = LEAD_APPOSITIVE.sub("", main, count=1)
    folded = TYPE_NOISE.sub(" ", main.lower())
    for name, claim_type, cue in TYPE_RULES:
        guard = TYPE_RULE_GUARDS.get(name)
        if guard and not any(word in folded for word in guard):
            continue
        if cue.regex.search(folded):
            return claim_type, name
    return DEFAULT_CLAIM_TYPE, "type_default_efficacy"


def conditions_in(text: str) -> list[str]:
    """Conditions named in a text, one per row (3.2), with the 3.3 and 3.5 decisions applied."""
    return list(_conditions_in(text))


@lru_cache(maxsize=1024)
def _conditions_in(text: str) -> tuple[str, ...]:
    """conditions_in, worked out once per text (the title, a heading or a sentence is read for many rows)."""
    clean = CONDITION_NOISE.sub(" ", text.lower())
    found = [c for c, cue in CONDITION_CUES if cue.search(clean)]
    # "treatment-resistant depression" is TRD only; "depressive episodes" of bipolar disorder are bipolar only.
    depression = DEPRESSION_CUE
    trd_only = "treatment_resistant_depression" in found and not depression.search(TRD_PHRASE.sub(" ", clean))
    bipolar_only = "bipolar_disorder" in found and not depression.search(BIPOLAR_EPISODES.sub(" ", clean))
    if "depression" in found and (trd_only or bipolar_only):
        found.remove("depression")
    if "mental_health_general" in found and SPECIFIC_PSYCHIATRIC.intersection(found):
        found.remove("mental_health_general")
    return tuple(found)


def _context_conditions(sentence_rest: str, context: SentenceContext) -> tuple[list[str], str]:
    """Conditions an unnamed efficacy-like row takes from its surroundings, and where they came from."""
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


def labels(span: str, sentence: str, context: SentenceContext) -> tuple[str, list[str | None], str, bool, Counter[str]]:
    """claim_type, conditions (one row each), intervention and hedged for one span, with the rules used."""
    fired: Counter[str] = Counter()
    claim_type, rule = claim_type_of(span)
    fired[rule] += 1
    conditions: list[str | None] = []
    if claim_type not in NO_CONDITION_TYPES:
        named = conditions_in(span)
        if rule == "type_contraindication" and named:
            named = []  # the conditions of a contraindication are not what is treated (3.5)
            fired["condition_contraindication_not_target"] += 1
        if "depression" in named and UNRESPONSIVE_DEPRESSION.search(span):
            named = ["treatment_resistant_depression" if c == "depression" else c for c in named]
            fired["condition_depression_treatment_failure"] += 1
        passage = " ".join((sentence, context.previous, context.heading, context.title))
        if MOOD.search(span) and not SPECIFIC_PSYCHIATRIC.intersection(named):
            named.append("depression" if CONTEXT_DEPRESSION.search(passage) else "mental_health_general")
            fired["condition_from_mood"] += 1
        if (
            not named
            and claim_type in CONTEXT_CONDITION_TYPES | {"administration"}
            and (claim_type != "administration" or RESULT_WORDS.search(span))
        ):
            if TREATMENT_FAILURE.search(span) and CONTEXT_DEPRESSION.search(passage):
                named, source = ["treatment_resistant_depression"], "condition_treatment_failure"
            else:
                named, source = _context_conditions(sentence.replace(span, " "), context)
                if not named and TREATMENT_FAILURE.search(span):
                    named, source = ["mental_health_general"], "condition_treatment_failure"
            if source:
                fired[source] += 1
        conditions = list(dict.fromkeys(named))
    intervention = _intervention(span, context)
    return claim_type, conditions or [None], intervention, bool(HEDGE_CUES.search(span)), fired


def _intervention(span: str, context: SentenceContext) -> str:
    if KAP_CUES.search(span):
        return "ketamine_assisted_psychotherapy"
    return named_intervention(span) or context.topic or "unspecified"


def _split_rows(text: str, start: int, end: int) -> list[tuple[int, int, str | None, str]]:
    """Spans of one claim piece: (start, end, forced claim_type or None, rule).

    Splits off a history appositive as its own `regulatory` row (3.5) and a leading mechanism
    means clause as a `mechanism` row beside the main clause (3.5, overlapping spans).
    """
    span = text[start:end]
    lead = HISTORY_LEAD.match(span)
    if lead:
        subject = span.rfind(" ", 0, lead.end()) + 1
        return [(start, start + lead.end(), "regulatory", "history_split"), (start + subject, end, None, "history_main")]
    appositive = HISTORY_APPOSITIVE.match(span)
    if appositive:
        rows: list[tuple[int, int, str | None, str]] = [(start, start + appositive.end(), "regulatory", "history_split")]
        if len(span[appositive.end() :].split()) > MIN_CLAIM_WORDS:
            rows.append((start, end, None, "history_main"))
        return rows
    clause = HISTORY_CLAUSE.match(span)
    if clause:
        rows = [(start + clause.start(1), start + clause.end(1), "regulatory", "history_split")]
        comma = span.find(",", clause.end(1))
        if comma > 0:
            rest = span[comma + 1 :]
            rows.append((start + comma + 1 + len(rest) - len(rest.lstrip()), end, None, "history_main"))
        return rows
    reason = REASON_LEAD.match(span)
    if (
        reason
        and len(reason[1].split()) >= MIN_CLAIM_WORDS
        and (named_intervention(reason[1]) or PRONOUN.search(reason[1]))
        and len(span[reason.end() :].split()) >= MIN_CLAIM_WORDS
    ):
        return [
            (start + reason.start(1), start + reason.end(1), None, "reason_split"),
            (start + reason.end(), end, None, "reason_main"),
        ]
    means = MEANS_LEAD.match(span)
    if means and MECHANISM_CUES.search(means.group(0)):
        main_start = start + means.end()
        main_type, _ = claim_type_of(text[main_start:end])
        if main_type != "mechanism":
            return [(start, end, "mechanism", "mechanism_split"), (main_start, end, None, "mechanism_main")]
    if ", so " in span:
        for join in CLAUSE_JOIN.finditer(span):
            first, second = span[: join.start()], span[join.end() :]
            if (
                len(first.split()) >= MIN_CLAIM_WORDS
                and len(second.split()) >= MIN_CLAIM_WORDS
                and CLAIM_CUES.search(first)
                and CLAIM_CUES.search(second)
                and claim_type_of(first)[0] != claim_type_of(second)[0]
            ):
                return [(start, start + join.start(), None, "clause_split"), (start + join.end(), end, None, "clause_split")]
    for join in COORDINATE_JOIN.finditer(span):
        first, second = span[: join.start()], span[join.end() :]
        if (
            len(first.split()) >= MIN_COORDINATE_WORDS
            and len(second.split()) >= MIN_COORDINATE_WORDS
            and CLAIM_CUES.search(first)
            and CLAIM_CUES.search(second)
            and FINITE_VERB.search(" ".join(second.split()[:MAX_SUBJECT_WORDS]))
            and not LIMITING.search(second.split()[0])
        ):
            return [(start, start + join.start(), None, "coordinate_split"), (start + join.end(), end, None, "coordinate_split")]
    return [(start, end, None, "")]


def _rows_for_piece(
    text: str,
    piece_start: int,
    piece_end: int,
    sentence: str,
    context: SentenceContext,
    fired: Counter[str],
) -> list[AutoClaim]:
    s, e, attribution = claim_span(text[piece_start:piece_end])
    if e - s <= 0:
        return []
    if attribution != "none":
        fired[f"attribution_{attribution}"] += 1
    claims = []
    for start, end, forced, rule in _split_rows(text, piece_start + s, piece_start + e):
        if rule:
            fired[rule] += 1
        end = start + len(text[start:end].rstrip(TRAILING_PUNCTUATION + " "))
        span = text[start:end]
        if len(span.split()) < MIN_CLAIM_WORDS:
            continue
        if forced == "regulatory":
            claims.append(
                AutoClaim(
                    start, end, "regulatory", None, _intervention(span, context), bool(HEDGE_CUES.search(span)), attribution
                )
            )
            continue
        claim_type, conditions, intervention, hedged, label_rules = labels(span, sentence, context)
        fired.update(label_rules)
        if forced:
            claim_type = forced
            conditions = [c for c in conditions_in(span)] or [None]
        for condition in conditions:
            claims.append(AutoClaim(start, end, claim_type, condition, intervention, hedged, attribution))
    return [c for c in claims if not any(_nested_duplicate(c, other) for other in claims)]


def _nested_duplicate(inner: AutoClaim, outer: AutoClaim) -> bool:
    """A span inside another span of the same type and condition (guidelines 3.6 rule 2 forbids it)."""
    return (
        inner is not outer
        and (inner.claim_type, inner.condition) == (outer.claim_type, outer.condition)
        and outer.start <= inner.start
        and inner.end <= outer.end
        and (inner.start, inner.end) != (outer.start, outer.end)
    )


def article_title_segment(segments: list[str]) -> int:
    """Index of the article's title among the content segments: of the heading-shaped segments before the first
    paragraph (menu items and site names that the boilerplate rules kept come first on many pages), the one with
    the most words that names an intervention; else the first segment."""
    best, best_words = 0, 0
    for index, segment in enumerate(segments[:MAX_TITLE_POSITION]):
        if not _is_heading(segment) or segment.endswith("?"):
            if not _is_heading(segment):
                break
            continue
        words = len(segment.split())
        if words > best_words and named_intervention(segment):
            best, best_words = index, words
    return best


def _is_heading(segment: str) -> bool:
    words = segment.split()
    return segment.endswith("?") or (not segment.endswith((*SENTENCE_END, ":")) and len(words) <= MAX_HEADING_WORDS)


def _sentence_records(
    text: str, sentence_spans: list[tuple[int, int, int, int]], fired: Counter[str]
) -> Iterator[SentenceRecord]:
    """Every content sentence with its context, the named rules' decision and the classifier's features.

    Each sentence span is (start, end, segment start, segment end); an empty span marks a sentence
    that must not carry a claim (boilerplate). The title is found among the content segments;
    content segments shaped like headings or questions open a section.
    """
    segments: list[tuple[int, int]] = list(dict.fromkeys((a, b) for s, e, a, b in sentence_spans if s != e))
    if not segments:
        return
    segment_texts = [text[a:b] for a, b in segments]
    title_segment = article_title_segment(segment_texts)
    title = segment_texts[title_segment]
    topic = article_topic(title, segment_texts[title_segment + 1 :])
    fired[f"article_topic_{topic or 'none'}"] += 1
    heading = ""
    previous_segment: tuple[int, int] | None = None
    previous = ""
    previous_rule = "start"
    for position, (s, e, seg_start, seg_end) in enumerate(sentence_spans):
        if s == e:
            continue
        is_heading = False
        if (seg_start, seg_end) != previous_segment:
            paragraph = text[seg_start:seg_end]
            previous = ""
            is_heading = (seg_start, seg_end) == segments[title_segment] or _is_heading(paragraph)
            if (seg_start, seg_end) != segments[title_segment] and _is_heading(paragraph):
                heading = paragraph
        previous_segment = (seg_start, seg_end)
        sentence = text[s:e]
        context = SentenceContext(paragraph, previous, heading, title, topic)
        pieces, rule = sentence_decision(sentence, context)
        fired[rule] += 1
        yield SentenceRecord(position, s, sentence, context, pieces, rule, is_heading, previous_rule)
        previous = sentence
        previous_rule = rule


@dataclass(frozen=True)
class SentenceRecord:
    """One content sentence as the detector sees it: where it is, its context, the named rules' claim
    pieces and deciding rule, whether its segment is a heading and the rule of the sentence before."""

    position: int
    start: int
    sentence: str
    context: SentenceContext
    pieces: list[tuple[int, int]]
    rule: str
    heading: bool
    previous_rule: str

    def features(self) -> list[str]:
        """The sentence classifier's features of this sentence."""
        lead = _strip_lead(self.sentence.rstrip())
        return sentence_features(
            lead,
            self.rule,
            named=named_intervention(lead) is not None,
            anaphor=bool(TOPIC_ANAPHOR.match(lead) or TOPIC_ANAPHOR.match(_main_clause(lead))),
            topic=self.context.topic is not None,
            heading=self.heading,
            previous_rule=self.previous_rule,
            type_rule=claim_type_of(lead)[1],
        )


_SHIPPED = object()


def detect_claims(
    text: str, sentence_spans: list[tuple[int, int, int, int]], model: ClaimModel | object | None = _SHIPPED
) -> tuple[list[tuple[int, AutoClaim]], Counter[str]]:
    """Auto claims as (sentence position, claim) pairs, and how often each rule fired.

    Each sentence span is (start, end, segment start, segment end); pass an empty span for
    sentences that must not carry a claim (boilerplate). The named rules propose the claim
    sentences, their pieces and spans; with a model (the shipped one by default) its sentence
    classifier may veto a proposed sentence; with `model=None` the named rules alone decide.
    """
    classifier = shipped_model() if model is _SHIPPED else model
    assert classifier is None or isinstance(classifier, ClaimModel)
    found: list[tuple[int, AutoClaim]] = []
    seen: set[tuple[int, int, str | None]] = set()
    fired: Counter[str] = Counter()
    for record in _sentence_records(text, sentence_spans, fired):
        if not record.pieces:
            continue
        if classifier is not None and not classifier.is_claim(record.features()):
            fired["model_vetoes_claim"] += 1
            continue
        for piece_start, piece_end in record.pieces:
            start, end = record.start + piece_start, record.start + piece_end
            rows = _rows_for_piece(text, start, end, record.sentence, record.context, fired)
            for claim in rows:
                if (claim.start, claim.end, claim.condition) not in seen:  # one row per (span, condition), 3.2
                    seen.add((claim.start, claim.end, claim.condition))
                    found.append((record.position, claim))
    return found, fired
