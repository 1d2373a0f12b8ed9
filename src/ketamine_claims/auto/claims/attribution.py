"""The `attribution` label and the frames that carry it (guidelines 3.1, 3.3 `attribution`, 3.7
"Attribution anywhere"; issue 20 "Attribution as extraction").

A frame at the start of a span ("Research indicates that", "A 2020 study at X found that",
"According to the FDA,") is cut from the span and names the attribution; so is a speech frame after
a quotation ('"…," an FDA spokesperson said') or a trailing "according to X". A frame elsewhere in
the sentence names the attribution without being cut.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ketamine_claims.auto.claims.lead import strip_lead
from ketamine_claims.auto.claims.words import Words, lowered_search_is_exact

# Who or what reports a finding ("recent clinical trials", "researchers") and how ("show", "suggest", "believe").
_RESEARCH_NOUN = (
    r"(?:(?:years|decades) of\s+)?(?:(?:recent|emerging|ongoing|clinical|numerous|many|most|multiple|several|some|growing|new|"
    r"preliminary|early|scientific|published|"
    r"current|more|other|small|large)\s+)*(?:research|studies|study|evidence|trials|data|findings|researchers|scientists)"
    r"(?:\s+and\s+clinical\s+(?:use|experience|practice))?"
)
# A remark set off by commas between the research noun and its verb ("Several small studies, some performed in the
# ED setting, have demonstrated that"): part of the frame.
_RESEARCH_ASIDE = r"(?:,[^,;.]{1,60},)?"
_FINDING_VERB = (
    r"(?:indicates?|indicated|shows?|shown|showed|suggests?|suggested|demonstrates?|demonstrated|reveals?|revealed|found|"
    r"finds?|confirms?|confirmed|points? to|hint(?:s|ed)? at|supports?|supporting|warn(?:s|ed)?|reported|reports?|noted|"
    r"notes|says?|said|believed?|think|thought|propose[sd]?|hypothesi[sz]e[sd]?|suspect(?:s|ed)?)"
)
# "have (also) been found to", "were shown to": a finding credited to research that the sentence does not name
# (guidelines 3.3 `vague_research`: "studies show"); the span keeps the verb phrase, which is the proposition's predicate.
_FOUND_TO = (
    r"\b(?:has|have|had) (?:also |consistently |repeatedly |since |now )?been (?:\w+ly )?(?:found|shown|proven|"
    r"demonstrated|reported) to\b|\b(?:was|were|is|are) (?:also )?(?:found|shown|proven|demonstrated) to\b|"
    # "(which has been) demonstrated in clinical trials", "as shown in several studies": unnamed studies after the claim.
    r"\b(?:demonstrated|shown|proven|documented|confirmed|established|observed) (?:in|by) (?:(?:several|many|numerous|"
    r"multiple|recent|large|small|controlled|randomi[sz]ed|clinical|published|scientific) )*(?:studies|trials|research)\b"
)
# "In clinical trials,", "According to a 2021 review,", "In one small study,": the studies a sentence opens with, with
# or without a determiner and with up to two words describing them (`desc`); cut from the span like every frame at the
# start (guidelines 3.1) and `vague_research`, unless `desc` names the study (`names_a_study`: "In a 2019 study,").
_STUDY_OPENER = (
    r"(?:in|according to|from) (?:(?:a|an|one|two|three|several|recent|some|many|multiple|numerous|various)\s+)?"
    r"(?P<desc>(?:[\w’'-]+\s+){0,2}?)(?:trials?|stud(?:y|ies)|analys[ie]s|reviews?|meta-analys[ie]s),\s*"
)
# Frames at the start of a span, cut from it (the frame goes into `attribution`).
FRAMES_AT_START: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "regulator",
        re.compile(
            r"^(?:according to the (?:fda|ema|food and drug administration|"
            r"label|prescribing information),\s*|(?:the\s+)?(?:u\.?s\.?\s+)?(?:fda|ema|food and "
            r"drug administration|agency|drug label|label|prescribing information)\s+(?:has\s+|is\s+)?(?:says?|said|"
            r"states?|stated|warns?|warned|notes?|noted|cautions?|cautioned|advises?|advised|expressed concerns?|"
            r"(?:is\s+)?concerned)\b[^,]{0,30}?\s+that\s+|"
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
            r"[^,]{0,60}?(?:study|trial|meta-analysis|review) (?:(?:conducted|published|led) )?(?:by|in|at|from|of) [^,]+,\s*|"
            r"^in (?:the|their|this)\s+[^,]{0,60}?(?:study|trial|meta-analysis|review),\s*)",
            re.I,
        ),
    ),
    (
        "vague_research",
        re.compile(
            rf"^(?:{_STUDY_OPENER}|according to {_RESEARCH_NOUN},\s*|{_RESEARCH_NOUN}{_RESEARCH_ASIDE}\s+(?:has\s+|have\s+|"
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
# "X found/concluded/warned/believes that" at the start of a span, X a speaker of a few words ("Roe and colleagues
# found that", "The study authors concluded that"): cut, and X names the attribution (guidelines 3.1, 3.7; issue 20).
# "that" is required: without it "found" is a verb of the claim ("many patients found relief").
LEADING_FINDING = re.compile(
    r"^(?P<speaker>(?:[\w.’'&-]+\s+){0,5}?[\w.’'&-]+)\s+(?:has\s+|have\s+)?(?:also\s+)?(?:found|find|finds|concluded|"
    r"concludes|conclude|warned|warn|warns|cautioned|caution|cautions|believe|believes|argued|argue|argues|observed|"
    r"emphasi[sz]ed)\s+that\s+",
    re.I,
)
# A leading "According to X," or "X said (that)" frame not matched by FRAMES_AT_START: cut, and X names the attribution.
# The speaker may carry an appositive ("Jane Roe, a psychiatrist at X, said"), which opens with a determiner.
LEADING_SOURCE = re.compile(
    r"^(?:according to (?P<source>[^,]{2,120}),\s*|(?P<speaker>(?:[\w.’'&-]+\s+){0,6}?[\w.’'&-]+)(?:,\s+(?:an?|the)\s+"
    r"[^,;\"“”]{2,80}?,|,)?\s+(?:said|says|told "
    r"(?:\w+ ){0,3}?|stated|states|explained|explains|noted|notes|warned|warns|wrote|writes|reported|reports)(?:\s*[,:])?\s+"
    r"(?:that\s+)?[\"“]?)",
    re.I,
)
# Words that show a would-be speaker of a speech frame is the claim itself ("Ketamine can be addictive, warns Dr. Roe":
# the words before "warns" are the claim; "…, said ketamine can …": the words after "said" are): the drug's name, a modal
# or a form of "be" or "do" (issue 20: the span keeps the claim, the frame names who said it).
NOT_A_SPEAKER = Words(
    r"\b(?:ketamine|esketamine|spravato|can|could|may|might|will|would|should|must|is|are|was|were|does|do|did)\b"
)
# Who a speech or "according to" frame names, checked in this order (guidelines 3.3 `attribution`, 3.7).
SOURCE_KINDS: tuple[tuple[str, Words], ...] = (
    (
        "regulator",
        Words(
            r"\b(?:fda|ema|food and drug administration|the agency|agency|regulators?|label|prescribing information|"
            r"press release|health (?:authorities|officials|department)|cdc|mhra|dea)\b"
        ),
    ),
    (
        "named_study",
        Words(
            r"\b(?:journal|lancet|jama|nejm|bmj|et al|university|institute|school of medicine|lead (?:investigator|author|"
            r"researcher)|principal investigator|(?:study|trial) "
            r"(?:at|by|in|from|of|published|conducted|led))\b|\b[a-z]+-?\d+ trial\b|\b(?:their|this|the) [^,]{0,40}"
            r"(?:study|trial)\b"
        ),
    ),
    ("vague_research", Words(rf"\b(?:{_RESEARCH_NOUN.lower()}|scientific|the literature)\b")),
    ("patients", Words(r"\b(?:patients?|users?|clients?|people|participants|he|she|i)\b")),
    (
        "clinicians",
        Words(
            r"\b(?:dr|doctors?|clinicians?|physicians?|psychiatrists?|experts?|specialists?|nurses?|coroner|medical|"
            r"spokes\w+|officials?|director|professor|president|chief|officer|[a-z]+ of [a-z]+)\b"
        ),
    ),
)
# A speaker or source that none of the kinds names (a person's name, an organisation) is a clinician-type expert (3.7).
DEFAULT_SOURCE = "clinicians"

# A speaker named by first and last name ("said Jane Roe of …"): an expert quoted by name (3.7: a quoted doctor).
PERSON_NAME = re.compile(r"^(?:dr\.?\s+)?[A-Z][a-z’'-]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z’'-]+\b(?!\s+(?:University|Institute|Journal))")
# Cheap guard: a sentence without any of these words has no attribution frame.
FRAME_WORDS = (
    "research", "stud", "evidence", "trial", "data", "finding", "scientist", "et al", "published", "fda", "ema", "food and drug",
    "label", "prescribing", "doctor", "dr", "clinician", "physician", "psychiatrist", "expert", "specialist", "patient", "people",
    "individual", "user", "client", "those", "testimonial", "review", "meta-analysis", "warning", "said", "says", "according",
    "found", "shown", "note", "told", "journal", "report", "community", "agency", "concern", "alert", "state", "wrote",
    "documented", "proven", "explain", "warn", "conclude", "argue", "stating", "saying", "noting", "adding", "writing",
    "added", "adds", "university", "investigator", "team", "demonstrated", "analysis", "survey", "paper", "experiment",
    "emphasi", "caution", "believe", "observed",
)  # fmt: skip
FRAME_CUE = re.compile("|".join(re.escape(word) for word in FRAME_WORDS))
# Cheap guard of the speech frames: a text without any of these has no speaker (SPEECH_SOURCES).
SPEECH_WORDS = (
    "said", "says", "told", "according to", "stated", "states", "explained", "explains", "noted", "notes", "reported",
    "reports", "wrote", "writes", "warned", "warns", "added", "adds", "concluded", "concludes", "argued", "argues",
    "emphasized", "emphasised", "cautioned", "stating", "saying", "noting", "adding", "explaining", "reporting",
    "warning", "concluding", "writing",
)  # fmt: skip
SPEECH_CUE = re.compile(r"\b(?:" + "|".join(SPEECH_WORDS) + r")\b", re.I)
# The same cue, case-sensitive, for lowercased text (three times faster than SPEECH_CUE; see has_speech_cue).
SPEECH_CUE_LOWER = re.compile(r"\b(?:" + "|".join(SPEECH_WORDS) + r")\b")
# Frames anywhere in the sentence: they give `attribution` even when the span keeps them.
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
            rf"\b{_RESEARCH_NOUN}\b{_RESEARCH_ASIDE}(?: [\w’']+){{0,4}}? {_FINDING_VERB}\b|\bbody of evidence\b|{_FOUND_TO}|"
            rf"\bscientific community\b|\bextensively documented\b",
            re.I,
        ),
    ),
)
# A research frame with "that" inside the sentence: the span starts after it.
THAT_FRAME = re.compile(rf"\b{_RESEARCH_NOUN}\b{_RESEARCH_ASIDE}(?: [\w’']+){{0,4}}? {_FINDING_VERB} that\s+", re.I)
# A research frame with or without "that" ("Ongoing research shows (that) ketamine …"): what research found.
RESEARCH_FINDING_FRAME = re.compile(rf"\b{_RESEARCH_NOUN}\b(?: [\w’']+){{0,4}}? {_FINDING_VERB}(?: that)?\s+", re.I)
# Words that make such a frame a research need or a future, not a finding ("more research is needed to confirm that").
NOT_A_FINDING = Words(r"\b(?:needs?|needed|requires?|required|necessary|to|will|would|should|must|could|may|might)\b")


class Guarded:
    """A costly pattern tried only on text where a cheap cue (its key words) occurs; `search` as re.Pattern's."""

    def __init__(self, cue: str, pattern: str, flags: int = 0) -> None:
        self.cue = re.compile(cue, re.I)
        self.pattern = re.compile(pattern, flags)

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self.cue.search(text) else None


# Words naming a journal or a named trial: a finding "published in" one, or a trial called by its name, is
# `named_study` (guidelines 3.3 `attribution`: "a named trial, author or journal"; issue 20).
JOURNAL_WORDS = (
    "journal", "jama", "lancet", "nejm", "new england journal", "bmj", "nature medicine", "nature neuroscience",
    "molecular psychiatry", "biological psychiatry", "cochrane", "psychopharmacology", "neuropsychopharmacology",
    "frontiers in", "plos", "annals of", "archives of", "proceedings of",
)  # fmt: skip
JOURNAL = Words(r"\b(?:" + "|".join(re.escape(word) for word in JOURNAL_WORDS) + r")\b")
PUBLISHED_IN = re.compile(r"\b(?:published|appeared|reported) (?:\w+ )?in (?:the )?(?:journal\b|[A-Z])", re.I)
# Acronyms that name a condition, a route or a regulator, never a trial ("a PTSD trial", "an FDA study").
NOT_TRIAL_NAMES = ("PTSD", "OCD", "TRD", "MDD", "GAD", "ECT", "IV", "IM", "FDA", "EMA", "US", "UK", "CDC", "DEA", "SSRI", "NMDA")
TRIAL_NAME = re.compile(
    rf"\b(?!(?:{'|'.join(NOT_TRIAL_NAMES)})\b)[A-Z][A-Z0-9]{{2,}}(?:-[A-Za-z0-9]+)*\b (?:trials?|stud(?:y|ies)|program)\b"
)
# "A (year) study (conducted) (at/by/in X) found (that)" (issue 20): a study told apart by a year, a place, an author,
# a journal or a possessive is `named_study`; "a study" or "one trial" with nothing that names it is `vague_research`.
STUDY_DETERMINERS = ("a", "an", "one", "the", "this", "that", "their", "his", "her", "our", "another", "recent")
STUDY_NOUNS = ("study", "trial", "meta-analysis", "analysis", "review", "survey", "experiment", "paper")
STUDY_VERBS = (
    "found", "finds", "showed", "shows", "shown", "reported", "reports", "concluded", "concludes", "suggests",
    "suggested", "demonstrated", "demonstrates", "revealed", "reveals", "indicated", "indicates", "confirmed",
)  # fmt: skip
STUDY_FOUND = Guarded(
    rf"\b(?:{'|'.join(STUDY_NOUNS)})\b",
    rf"\b(?P<det>{'|'.join(STUDY_DETERMINERS)})\s+(?P<desc>(?:[\w’'-]+,?\s+){{0,5}}?)(?:{'|'.join(STUDY_NOUNS)})\s+"
    r"(?:(?:conducted|carried out|led|published|run|done|funded|performed)\s+)?(?:(?P<where>(?:at|by|in|from|of)\s+"
    rf"[^,;]{{2,80}}?),?\s+)?(?:has\s+|have\s+|had\s+)?(?:{'|'.join(STUDY_VERBS)})\b",
    re.I,
)
# A year ("a 2019 study", "Roe 2021"): it tells a study or a source apart (`named_study`).
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# Determiners that point to one study already named ("their study", "the study"): that study is named (3.3).
NAMING_DETERMINERS = ("the", "this", "that", "their", "his", "her", "our")
# "Researchers at Yale found", "a team led by Dr. Roe": research tied to a named place or person (issue 20).
NAMED_RESEARCHERS = re.compile(
    r"\b(?i:researchers|scientists|investigators|authors|a team|a group)\s+(?:at|from|of|led by|with)\s+(?:the\s+)?[A-Z]"
)
# A speech frame anywhere ("X said/explained/reported that …", "with X stating …", "according to X" inside the sentence),
# issue 20 and guidelines 3.7 "Attribution anywhere"; a pronoun for a thing is no speaker.
SPEECH_VERBS = (
    "said", "says", "stated", "states", "explained", "explains", "noted", "notes", "reported", "reports", "wrote",
    "writes", "warned", "warns", "added", "adds", "concluded", "concludes", "argued", "argues", "emphasized",
    "emphasised", "cautioned", "told [\\w ]{1,30}?",
)  # fmt: skip
NOT_SPEAKERS = Words(r"^(?:it|this|that|which|there|what|ketamine|the drug|the treatment)$")
SPEECH_THAT = Guarded(
    rf"\b(?:{'|'.join(SPEECH_VERBS[:-1])}|told [\w ]{{1,30}}?)(?:\s*,)?\s+that\b",
    rf"(?<![\w.’'&-])(?P<speaker>(?:[\w.’'&-]+\s+){{0,5}}?[\w.’'&-]+)\s+(?:has\s+|have\s+)?(?:{'|'.join(SPEECH_VERBS)})"
    r"(?:\s*,)?\s+that\b",
    re.I,
)
SPEECH_PARTICIPLES = ("stating", "saying", "noting", "adding", "explaining", "reporting", "warning", "concluding", "writing")
WITH_SPEAKER = Guarded(
    rf"\b(?:{'|'.join(SPEECH_PARTICIPLES)})\b",
    rf"\bwith (?P<speaker>(?:[\w.’'&-]+\s+){{0,8}}?[\w.’'&-]+),?\s+(?:{'|'.join(SPEECH_PARTICIPLES)})\b",
    re.I,
)
SPEECH_INSIDE = re.compile(
    rf"[,\"”]\s+(?:(?:{'|'.join(SPEECH_VERBS[:12])})\s+(?P<after>[^,\"“”]{{2,80}}?)|(?P<before>(?:[\w.’'&-]+\s+){{1,6}}?)"
    rf"(?:{'|'.join(SPEECH_VERBS[:12])}))[,.:]\s*[\"“]",
    re.I,
)
# A speech frame set off by commas inside the sentence ("Ketamine, the doctor says, can …").
SPEECH_PARENTHESIS = re.compile(
    rf",\s*(?P<speaker>(?:[\w.’'&-]+\s+){{0,5}}?[\w.’'&-]+)\s+(?:{'|'.join(SPEECH_VERBS[:12])}),\s", re.I
)
ACCORDING_INSIDE = re.compile(r"\baccording to (?P<source>[^,;\"“”]{2,100}?)(?:[,;]|\W*$)", re.I)
FOUND_TO = re.compile(_FOUND_TO, re.I)
# A numbered reference marker that closes the sentence or a clause of it ("… after infusion (4).", "… therapy [8]",
# "(3-10)", "(1, 2)"): the sentence cites an entry of the page's reference list, a study the page names there
# (guidelines 3.3 `named_study`: "a named trial, author or journal"). Up to three digits, so a year "(2019)" is no
# marker; tried after every frame the sentence states in words.
CITATION_MARKER = re.compile(
    r"(?:\(\d{1,3}(?:\s*[-–,]\s*\d{1,3})*\)|\[\d{1,3}(?:\s*[-–,]\s*\d{1,3})*\])(?=\s*[.,;:]|\s*$)"
)


def source_attribution(source: str) -> str:
    """The attribution a speech or "according to" frame gives, from the words of
    its speaker or source; a person named by first and last name is a quoted expert (guidelines 3.7
    "a quoted doctor … is `clinicians`"; issue 20)."""
    regulator = SOURCE_KINDS[0][1]
    if PERSON_NAME.match(source.strip()) and not regulator.search(source):
        return DEFAULT_SOURCE
    if JOURNAL.search(source) or TRIAL_NAME.search(source) or YEAR.search(source):
        return "named_study"
    for name, cue in SOURCE_KINDS:
        if cue.search(source):
            return name
    return DEFAULT_SOURCE


def names_a_study(desc: str) -> bool:
    """Whether the words describing a study tell it apart: a year ("a 2019 study") or a capitalised word that is no
    condition's, route's or regulator's acronym (NOT_TRIAL_NAMES; "a Yale study") — `named_study` (3.3; issue 20)."""
    return bool(YEAR.search(desc)) or any(
        word[:1].isupper() and word.strip(",") not in NOT_TRIAL_NAMES for word in desc.split()
    )


def _study_found(piece: str, lead: str) -> str | None:
    """ "A (year) study (conducted) (at/by/in X) found that" and "researchers at X found" (issue 20; 3.3)."""
    if NAMED_RESEARCHERS.search(piece):
        return "named_study"
    study = STUDY_FOUND.search(piece)
    if not study:
        return None
    named = (
        study["det"].lower() in NAMING_DETERMINERS
        or names_a_study(study["desc"])
        or (study["where"] and re.search(r"[A-Z0-9]", study["where"]))
    )
    return "named_study" if named else "vague_research"


def _frame_at_start(piece: str, lead: str) -> str | None:
    """A frame at the start of the span (FRAMES_AT_START; guidelines 3.1, 3.3); a study the sentence opens with that
    its words name ("In a 2019 study,": the `desc` of _STUDY_OPENER, `names_a_study`) is `named_study`."""
    for name, frame in FRAMES_AT_START:
        found = frame.match(lead)
        if found:
            opened = name == "vague_research" and found["desc"] is not None
            return "named_study" if opened and names_a_study(found["desc"]) else name
    return None


def frame_source(found: re.Match[str] | None) -> str | None:
    """The speaker or source a speech frame's match names (its first group that matched), or None when there is no
    match, or when the would-be speaker is a pronoun for a thing (NOT_SPEAKERS) or the claim itself (NOT_A_SPEAKER;
    an "according to" source may name the drug: "according to the Spravato label")."""
    if not found:
        return None
    names = found.groupdict()
    source = next((g for g in found.groups() if g is not None), None)
    if source is None or NOT_SPEAKERS.search(source.strip()):
        return None
    if names.get("source") is None and NOT_A_SPEAKER.search(source):
        return None
    return source.strip()


def _speech_before(piece: str, lead: str) -> str | None:
    """A leading "According to X," or "X said/says/reported/explained (that)" (issue 20; 3.7)."""
    speaker = frame_source(LEADING_SOURCE.match(lead))
    return source_attribution(speaker) if speaker else None


def _finding_before(piece: str, lead: str) -> str | None:
    """A leading "X found/concluded/warned/believes that" (LEADING_FINDING; guidelines 3.1, 3.7; issue 20)."""
    speaker = frame_source(LEADING_FINDING.match(lead))
    return source_attribution(speaker) if speaker else None


def _speech_after(piece: str, lead: str) -> str | None:
    """A speech frame after a quote ('"…," X said', '"…," said X') or a trailing "according to X" (3.7; issue 20)."""
    for trailing_frame in (TRAILING_SPEECH, TRAILING_ACCORDING, SPEECH_INSIDE):
        source = frame_source(trailing_frame.search(piece.rstrip()))
        if source:
            return source_attribution(source)
    return None


def _speech_inside(piece: str, lead: str) -> str | None:
    """ "X reported/noted/stated/explained that", "with X stating", ", X says,", "according to X" inside the sentence
    (issue 20; 3.7 "Attribution anywhere")."""
    for pattern in (ACCORDING_INSIDE, WITH_SPEAKER, SPEECH_PARENTHESIS, SPEECH_THAT):
        found = pattern.search(piece)
        if found:
            speaker = found.group(1).strip()
            if not NOT_SPEAKERS.search(speaker) and not NOT_SPEAKERS.search(speaker.split()[-1]):
                return source_attribution(speaker)
    return None


def _published_in(piece: str, lead: str) -> str | None:
    """A named journal or trial ("published in JAMA", "the ELEKT-D trial"): `named_study` (3.3; issue 20)."""
    return "named_study" if PUBLISHED_IN.search(piece) or TRIAL_NAME.search(piece) or JOURNAL.search(piece) else None


def _found_to(piece: str, lead: str) -> str | None:
    """ "have been found to", "were shown to": unnamed research, `vague_research` (3.3; issue 20)."""
    return "vague_research" if FOUND_TO.search(piece) else None


def _frame_anywhere(piece: str, lead: str) -> str | None:
    """Any other frame in the sentence (FRAMES_ANYWHERE; guidelines 3.7 "Attribution anywhere")."""
    return next((name for name, frame in FRAMES_ANYWHERE if frame.search(piece)), None)


def _numbered_citation(piece: str, lead: str) -> str | None:
    """A numbered reference marker ("(4)", "[8]") closing the sentence or a clause: `named_study` (CITATION_MARKER)."""
    return "named_study" if CITATION_MARKER.search(piece) else None


# The attribution rules in the order they are tried; the first that fires names the row's attribution and is counted
# as `attribution_rule_<name>` by the detector.
ATTRIBUTION_RULES: tuple[tuple[str, Callable[[str, str], str | None]], ...] = (
    ("study_found", _study_found),
    ("frame_at_start", _frame_at_start),
    ("speech_before", _speech_before),
    ("finding_before", _finding_before),
    ("speech_after", _speech_after),
    ("published_in", _published_in),
    ("speech_inside", _speech_inside),
    ("found_to", _found_to),
    ("frame_anywhere", _frame_anywhere),
    ("numbered_citation", _numbered_citation),
)


def attribution_rule(piece: str) -> tuple[str, str]:
    """`attribution` and the name of the rule that gave it (ATTRIBUTION_RULES, first that fires); `none` and ""
    without a frame (guidelines 3.3, 3.7; issue 20)."""
    if not FRAME_CUE.search(piece.lower()):
        return ("named_study", "numbered_citation") if _numbered_citation(piece, piece) else ("none", "")
    lead = strip_lead(piece)
    for name, rule in ATTRIBUTION_RULES:
        found = rule(piece, lead)
        if found:
            return found, name
    return "none", ""


# A speaker named by a pronoun ("she added") is the speaker named before it in the article (guidelines 3.7: the
# detector reads the document; issue 20).
PRONOUN_SPEAKERS = Words(r"^(?:he|she|they|him|her|them|we)$")
SPEECH_SOURCES = (LEADING_SOURCE, TRAILING_SPEECH, TRAILING_ACCORDING, SPEECH_INSIDE, ACCORDING_INSIDE, WITH_SPEAKER,
                  SPEECH_PARENTHESIS, SPEECH_THAT)  # fmt: skip
QUOTE_OPENERS = ('"', "“")
QUOTE_CLOSERS = ('"', "”")


def has_speech_cue(text: str) -> bool:
    """Whether the text has a word of SPEECH_WORDS: SPEECH_CUE's answer, found in the lowercased text by
    SPEECH_CUE_LOWER (faster) when that is exact (`lowered_search_is_exact`)."""
    if lowered_search_is_exact(text):
        return SPEECH_CUE_LOWER.search(text.lower()) is not None
    return SPEECH_CUE.search(text) is not None


def speech_source(text: str) -> str | None:
    """The speaker or source of the first speech or "according to" frame in the text (SPEECH_SOURCES), if any."""
    if not has_speech_cue(text):
        return None
    lead = strip_lead(text)
    for pattern in SPEECH_SOURCES:
        source = frame_source(pattern.match(lead) if pattern is LEADING_SOURCE else pattern.search(text.rstrip()))
        if source:
            return source
    return None


def named_speaker(text: str) -> str | None:
    """The attribution a speech frame of the text gives when its speaker is named (not a pronoun); None otherwise."""
    source = speech_source(text)
    return source_attribution(source) if source and not PRONOUN_SPEAKERS.search(source) else None


def quoted(sentence: str) -> bool:
    """A sentence that opens with a quotation mark, or closes one it never opened (inside a quotation)."""
    text = sentence.strip()
    opens = text.startswith(QUOTE_OPENERS)
    closes = text.rstrip(".!?;,").endswith(QUOTE_CLOSERS) and not any(q in text[:-1] for q in QUOTE_OPENERS)
    return opens or closes


def speaker_in_context(piece: str, sentence: str, paragraph: str, last_speaker: str) -> str | None:
    """The attribution a quotation or pronoun speaker takes from around it (issue 20; guidelines 3.7 "Attribution
    anywhere"): a frame whose speaker is a pronoun ('"…," she added') names the speaker named before it in the
    article; a quoted sentence without a frame of its own takes its paragraph's named speaker, else the speaker named
    before it. None when neither applies."""
    source = speech_source(piece)
    if source and PRONOUN_SPEAKERS.search(source):
        return last_speaker if last_speaker != "none" else None
    if source is None and quoted(sentence) and attribution_of(piece) == "none":
        in_paragraph = named_speaker(paragraph) if paragraph != sentence else None
        return in_paragraph or (last_speaker if last_speaker != "none" else None)
    return None


def attribution_of(piece: str) -> str:
    """`attribution` of a claim piece (`attribution_rule`)."""
    return attribution_rule(piece)[0]


def after_frame(lead: str) -> str:
    """The sentence after an attribution frame at its start ("Researchers believe this …" → "this …")."""
    for _name, frame in FRAMES_AT_START:
        found = frame.match(lead)
        if found:
            return lead[found.end() :]
    return lead
