"""Which content sentences carry a claim: the named sentence filters (guidelines 3 "Not claims", 3.5,
3.6 rule 1, 3.7 "Not claims"; issue 10 patterns 3 and 5, issue 20).

`sentence_decision` runs the filters in order; the first that decides names the rule that is
counted. A sentence that survives every filter and is about the article's drug is a claim; an
advice, first-person or research-status sentence may keep only a clause of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from ketamine_claims.auto.claims.attribution import NOT_A_FINDING, RESEARCH_FINDING_FRAME, has_speech_cue
from ketamine_claims.auto.claims.claim_type import TYPE_RULES
from ketamine_claims.auto.claims.context import SentenceContext
from ketamine_claims.auto.claims.lead import SUBORDINATE_OPENER, main_clause, strip_lead
from ketamine_claims.auto.claims.negation import limits
from ketamine_claims.auto.claims.topic import TOPIC_ANAPHOR, named_intervention, paragraph_intervention, topical
from ketamine_claims.auto.claims.words import CLAIM_CUES, MIN_CLAIM_WORDS, PRONOUN, SENTENCE_END, Words

# Claim pieces of a sentence as (start, end) offsets into it, and the rule that decided.
Decision = tuple[list[tuple[int, int]], str]

# A line without final punctuation and at most this many words is a heading, not a claim.
MAX_UNPUNCTUATED_CLAIM_WORDS = 12
# A sentence that only counts the kinds, types or forms that follow ("There are two primary kinds of at-home ketamine."):
# it introduces a list, as a line ending in a colon does.
KINDS_COUNT = re.compile(
    r"^there (?:are|is) (?:\w+ ){0,2}(?:kinds|types|forms|categories)(?: of [^,;:.]+)?[.:]?$", re.I
)
SEMICOLON = re.compile(r";\s+")
# --- sentence filters (guidelines 3, 3.5, 3.6, 3.7) ---------------------------------------------
SELF_REFERENCE = Words(
    r"\b(?:this|our|the following) (?:article|post|blog|guide|page|section)\b|\bwe(?:'ll|’ll| will| are going to) "
    r"(?:explore|discuss|look|cover|go over|examine|review|explain)|\b(?:here(?:'s|’s| is| are)|let(?:'s|’s) (?:look|explore))\b|"
    r"\bthe following (?:are|is)\b|\bdiscussed below\b|\b(?:alerts?|articles?|posts?|links?|resources|items|list|"
    r"table|sections?) below\b|\bif you(?:'re|"
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
ADVICE = Words(
    r"\b(?:it is|it['’]s|it remains) (?:important|essential|crucial|vital|critical|advisable|wise|best|recommended|necessary)"
    r" (?!to (?:note|remember|understand|know|recognize|recognise) that)(?:to|for you to|that you)\b|"
    r"\byou(?:['’]ll| will)? (?:should|must|need to|have to|need (?:someone|somebody|a ride))\b(?! be (?:monitored|"
    r"observed|given|treated|screened|evaluated|assessed))|"
    r"\b(?:candidates|patients|people|individuals) (?:need|needs|should|must)\b|"
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
# One person's story told in the third person (a news piece's or a blog's account of what happened to him or her): a
# third-person pronoun ("he", "his"; not the generic "he or she") and a verb in the past. Like a first-person session
# report it is an account of one case, not a proposition about the drug (ketamine-pages README, hard cases); a speech
# frame ("he said", "she wrote") leaves the sentence to the attribution rules.
THIRD_PERSON = re.compile(r"\b(?:[Hh]e|[Ss]he|[Hh]im|[Hh]is)\b")
GENERIC_PERSON = Words(r"\b(?:he or she|she or he|his or her|her or his|him or her|he/she|his/her|s/he)\b")
PAST_TENSE = Words(r"\b(?:was|were|had|did|became|began|felt|grew|lost|went|took|got|came|died|\w{3,}ed)\b")
# How a study was run (design, recruitment, outcome measures, analysis), without a finding: not a claim (3: checkable
# propositions are about the drug, not about the paper).
STUDY_DESIGN = Words(
    r"\b(?:recruited|randomi[sz]ation|were (?:randomly )?assigned|(?:were|was) randomi[sz]ed|received either\b[^.]{0,80}\bor|"
    r"(?:primary|secondary) outcomes?|were followed (?:up )?for|"
    r"(?:this|the) (?:\d+-\w+ )?"
    r"(?:[\w-]+ )?study (?:included|compares|compared|examined|enrolled)|^method|was utili[sz]ed to analy[sz]e|"
    r"mixed-effects|underwent randomi[sz]ation)\b"
)
FINDING = Words(
    r"\b(?:found|showed|shown|associated with|reduc\w*|improv\w*|result\w* in|was (?:more|less|as)|were (?:more|less))\b"
)
# A list item that gives a price or an amount ("• Intramuscular Injections: $275-$800 per session") is not a heading.
AMOUNT = re.compile(r"[$€£]\s?\d|\b\d+(?:[-–]\d+)? (?:sessions|infusions|treatments|doses|weeks|days|hours|minutes|mg)\b")
# Provider marketing without a checkable proposition (guidelines 3: "Break free from the chains …").
MARKETING = Words(
    r"\b(?:we|our(?: \w+)? (?:team|staff|clinic|providers|doctors|mission|goal))\b[^.]{0,40}\b(?:believe|"
    r"dedicated|committed|passionate|proud|"
    r"strive|here to|care about|mission|glad to|happy to|would love to|ready to help)\b|\b(?:everyone|you) deserves?\b|"
    r"\byour (?:healing |wellness )?journey\b"
)
# A provider saying what it offers ("At [clinic] in [city], we administer IV ketamine infusions for depression"; "our
# pain management team offers ketamine infusions for CRPS"): provider marketing, about the clinic, not the drug
# (guidelines 3, 3.7).
SERVICE_OFFER = Words(
    r"\b(?:we|our(?: [\w-]+){0,3} (?:team|practice|clinic|providers|staff|doctors|physicians|office|center|centre))"
    r"(?: (?:also|now|proudly|currently|gladly))? (?:offers?|provides?|administers?|makes? [^.]{0,40}\bavailable)\b"
)
# How the provider gives the drug (time, amount, monitoring): an administration claim, not an offer (3.3).
SERVICE_DETAILS = Words(
    r"\b(?:monitor\w*|supervis\w*|observ\w*|over (?:\d+|an?|one|two) \w+|minutes|hours|mg|dose of|doses of|every \w+|per "
    r"(?:kg|kilogram|session|week))\b"
)
# A regulator announcing a warning without saying what it warns of ("The FDA issued a warning regarding the use of
# compounded ketamine products"; "the FDA alerted healthcare professionals to the potential risks of …"): an event,
# not the warning's content. What the regulator says ("warned that …") or why ("is issuing this alert due to …") is an
# attributed claim (guidelines 3, 3.3 `attribution`).
REGULATOR_ANNOUNCEMENT = Words(
    r"\b(?:fda|ema|dea|food and drug administration|agency)\b(?: \(\w+\))? (?:has |have )?(?:issued|issues|issuing|released|"
    r"published|alerted|alerts|warned|warns|cautioned|cautions)\b(?![^.]*\b(?:that|due to|because)\b)"
)
NAMING = Words(
    r"\b(?:referred to as|is (?:also )?called|also known as|stands for|(?:the|this|that) (?:phrase|term|word)|"
    r"(?:has|have|had|bears?|goes by) the name)\b"
)
POPULARITY = re.compile(
    r"\b(?:popular\w*|attention|(?:increased|increasing|growing|rising|renewed|surging) interest|spotlight|buzz|"
    r"recogni[sz]ed|recognition|acceptance|well[- ]known|trend\w*|traction|headlines|"
    r"hype|talk of the town|in the news|media coverage|(?:prescriptions|use|usage|sales|demand|clinics|centers|centres|"
    r"providers) (?:[\w.-]+ ){0,4}(?:doubled|tripled|quadrupled|rose|risen|rising|increased|grew|grown|surged|soared|"
    r"exploded|boomed)|(?:clinics|centers|centres|providers|practices|therapists) (?:[\w-]+ ){0,3}"
    r"(?:opened|open up|opening|began to open|sprung up|popped up|popping up|multiplied|proliferated|spread)|rapid rise of|"
    r"(?:redefin|chang|transform|revolutioni[sz])\w* (?:how|"
    r"the way) (?:we|healthcare|clinicians|doctors|"
    r"professionals|psychiatrists|people|providers))\b",
    re.I,
)
# Clauses of a research-status sentence (3.6 rule 1): split at commas and "until", openers dropped.
CLAUSE_BREAK = re.compile(r"(,\s+|\s+until\s+)")
CLAUSE_OPENER = re.compile(r"^(?:as|while|and|but|which|although|though)\s+", re.I)
RESEARCH_STATUS = Words(
    r"\b(?:(?:being|been|is|are|was|were) (?:\w+ )?(?:studied|explored|investigated|researched|tested|examined)|under "
    r"(?:investigation|study|review)|(?:more|further|ongoing|additional|future) (?:research|studies|evaluation|trials)|"
    r"(?:more|further|additional|future) \w+ (?:research|studies|trials) (?:is|are) (?:still )?(?:needed|required|necessary|"
    r"warranted)|"
    r"research (?:explores|is exploring|is ongoing|continues)|exploration of|(?:interest|interested) in (?:its|the|ketamine)|"
    r"sparks? interest|discovering new|trials are (?:underway|ongoing)|"
    r"(?:research|studies|trials|investigation|evidence|data)\b[^.;]{0,100}\b(?:is|are|remains?) (?:still )?(?:ongoing|underway|"
    r"under way|in progress|limited|(?:in its )?early|emerging))\b"
)
# Words naming an effect, benefit or ability: they turn a popularity or praise sentence into a claim (3.5, 3.7).
EFFECT_WORDS = Words(
    r"\b(?:relief|reliev\w*|effects?|effective\w*|efficacy|abilit\w*|benefit\w*|potential|promis\w*|improv\w*|alleviat\w*|"
    r"proven|helps?|works?|reduc\w*|potentially)\b"
)
# Hype words of guidelines 3.5; attached to a proposition they make it a claim.
HYPE_WORDS = Words(
    r"\b(?:breakthroughs?|revolutionary|revolutioni[sz]\w*|groundbreaking|game[- ]changer|transformative|transforming|miracle|"
    r"cure[sd]?|reset\w*|rewir\w*|re-wire|heal(?:s|ed|ing)?)\b"
)
# "… for its quick-acting benefits": interest or attention *because of* a stated property (3.7).
STATED_REASON = re.compile(r"\b(?:for|due to|because of) its\b", re.I)
MILD_PRAISE = re.compile(
    r"\b(?:offers?|offering|provides?|providing|brings?|bringing|gives?|giving) (?:new )?hope\b|\bavenue of hope\b", re.I
)


@dataclass(frozen=True)
class Candidate:
    """A content sentence under the filters: the sentence without trailing space (`body`), the same
    without bullets, labels and openers (`lead`), where `lead` starts in `body`, and its context."""

    body: str
    lead: str
    offset: int
    context: SentenceContext

    @cached_property
    def unquoted(self) -> str:
        """`lead` with quoted text blanked: what the sentence says in its own voice (read by the first- and
        third-person filters)."""
        return QUOTED.sub(" ", self.lead)

    def piece_from(self, start: int) -> list[tuple[int, int]]:
        """One claim piece from `start` (an offset into `lead`) to the end of the sentence."""
        return [(self.offset + start, len(self.body))]


def question(s: Candidate) -> Decision | None:
    """`skip_question`: a question is not a claim, even in an FAQ (guidelines 3)."""
    return ([], "skip_question") if s.body.endswith("?") else None


def list_introduction(s: Candidate) -> Decision | None:
    """`skip_list_introduction`: a line ending in a colon that introduces a list, or a sentence that only counts the
    kinds to come ("There are two primary kinds of at-home ketamine.") (guidelines 3.7)."""
    return ([], "skip_list_introduction") if s.body.endswith(":") or KINDS_COUNT.match(s.lead) else None


def fragment(s: Candidate) -> Decision | None:
    """`skip_fragment`: fewer than MIN_CLAIM_WORDS words cannot state a proposition (guidelines 3.1)."""
    return ([], "skip_fragment") if len(s.lead.split()) < MIN_CLAIM_WORDS else None


def heading(s: Candidate) -> Decision | None:
    """`skip_heading`: a short line without final punctuation is a noun-phrase heading (guidelines 3.5),
    unless it gives a price or an amount (a list item)."""
    lead = s.lead
    if not lead.endswith(SENTENCE_END) and len(lead.split()) <= MAX_UNPUNCTUATED_CLAIM_WORDS and not AMOUNT.search(lead):
        return [], "skip_heading"
    return None


def off_topic(s: Candidate) -> Decision | None:
    """`skip_off_topic`, a cheap guard: without an article topic, the drug named in the paragraph or a
    pronoun standing for it, nothing below can make the sentence about the drug (guidelines 3.7)."""
    lead = s.lead
    if s.context.topic or paragraph_intervention(s.context.paragraph):
        return None
    if TOPIC_ANAPHOR.match(lead) or TOPIC_ANAPHOR.match(main_clause(lead)):
        return None
    return [], "skip_off_topic"


def self_reference(s: Candidate) -> Decision | None:
    """`skip_self_reference`: a statement about the article or addressed to the reader about the reading
    (guidelines 3, 3.7; issue 10 pattern 3)."""
    return ([], "skip_self_reference") if SELF_REFERENCE.search(s.lead) else None


def without_note_frame(s: Candidate) -> Candidate:
    """Drop the frame of "It is important to note that X" so that X is judged (guidelines 3.7)."""
    note = NOTE_FRAME.match(s.lead)
    if not note:
        return s
    return Candidate(s.body, s.lead[note.end() :], s.offset + note.end(), s.context)


def advice(s: Candidate) -> Decision | None:
    """`skip_instruction`, `skip_advice`: instructions and advice are not claims, also after a leading
    clause; `advice_reason_clause`: only a reason about the drug is (guidelines 3, 3.7 "Advice with a
    reason"; issue 10 pattern 3)."""
    lead = s.lead
    instruction = bool(
        IMPERATIVE_OPENER.match(lead)
        or IMPERATIVE_TAIL.search(lead)
        or (SUBORDINATE_OPENER.match(lead) and IMPERATIVE_OPENER.match(main_clause(lead)))
    )
    if not (instruction or ADVICE.search(lead)):
        return None
    reason = REASON_CLAUSE.search(lead)
    if reason and CLAIM_CUES.search(lead[reason.end() :]) and named_intervention(lead[reason.end() :]):
        return s.piece_from(reason.end()), "advice_reason_clause"
    return [], "skip_instruction" if instruction else "skip_advice"


def first_person(s: Candidate) -> Decision | None:
    """`skip_first_person`: a first-person session report is not a claim; `first_person_reason_clause`:
    a general reason inside it about the drug is (ketamine-pages README, hard cases; issue 20)."""
    lead = s.lead
    if not FIRST_PERSON.search(s.unquoted):
        return None
    reason = FIRST_PERSON_REASON.search(lead)
    if reason and CLAIM_CUES.search(lead[reason.end() :]):
        return s.piece_from(reason.end()), "first_person_reason_clause"
    return [], "skip_first_person"


def personal_story(s: Candidate) -> Decision | None:
    """`skip_personal_story`: one person's story in the third person, in the past, without a speech frame
    (THIRD_PERSON; an account of one case, as a first-person session report is: ketamine-pages README, hard cases)."""
    lead = s.unquoted
    if not THIRD_PERSON.search(lead) or GENERIC_PERSON.search(lead) or not PAST_TENSE.search(lead):
        return None
    return None if has_speech_cue(lead) else ([], "skip_personal_story")


def study_design(s: Candidate) -> Decision | None:
    """`skip_study_design`: how a study was run, without a finding, is about the paper, not the drug
    (guidelines 3: a claim is a checkable proposition about ketamine)."""
    return ([], "skip_study_design") if STUDY_DESIGN.search(s.lead) and not FINDING.search(s.lead) else None


def naming(s: Candidate) -> Decision | None:
    """`skip_naming`: terminology ("also known as", "stands for") is no proposition about the drug's
    effects, use or regulation (guidelines 3)."""
    return ([], "skip_naming") if NAMING.search(s.lead) else None


def marketing(s: Candidate) -> Decision | None:
    """`skip_marketing`: provider marketing and offers to talk without a checkable proposition
    (guidelines 3, 3.7)."""
    return ([], "skip_marketing") if MARKETING.search(s.lead) else None


def service_offer(s: Candidate) -> Decision | None:
    """`skip_service_offer`: a provider saying what it offers or administers, without an effect of the drug or how it
    is given (SERVICE_DETAILS), is provider marketing (guidelines 3, 3.7: no checkable proposition about ketamine)."""
    lead = s.lead
    if SERVICE_OFFER.search(lead) and not _states_an_effect(lead) and not SERVICE_DETAILS.search(lead):
        return [], "skip_service_offer"
    return None


def regulator_announcement(s: Candidate) -> Decision | None:
    """`skip_regulator_announcement`: a regulator issuing a warning or an alert, without what it says or why, is an
    event, not a proposition about the drug (guidelines 3; its content, when given, is a claim attributed to it, 3.3)."""
    return ([], "skip_regulator_announcement") if REGULATOR_ANNOUNCEMENT.search(s.lead) else None


def popularity(s: Candidate) -> Decision | None:
    """`skip_popularity`: popularity, attention, prescribing trends and clinics spreading are not claims
    unless the rest of the sentence states an effect or uses a hype word (guidelines 3.5, 3.6 rule 1,
    3.7; issue 10 pattern 5)."""
    found = POPULARITY.search(s.lead)
    if found and not _states_an_effect(s.lead[: found.start()] + " " + s.lead[found.end() :]):
        return [], "skip_popularity"
    return None


def research_finding(s: Candidate) -> Decision | None:
    """`research_finding`: a sentence that says what research found about the drug is a claim, also when its frame
    calls the research ongoing, further or more (guidelines 3.6 rule 1: "A sentence that says what research *found*
    is a claim, with attribution"; the frame is cut from the span and gives the attribution). Not for a frame of
    research need or future ("more research is needed to confirm that"), nor one holding a negation or a limiting
    quantifier (`negation`)."""
    lead = s.lead
    if not RESEARCH_STATUS.search(lead):
        return None
    frame = RESEARCH_FINDING_FRAME.search(lead)
    if frame is None or NOT_A_FINDING.search(frame.group(0)) or limits(frame.group(0)):
        return None
    finding = lead[frame.end() :]
    if RESEARCH_STATUS.search(finding) or not (named_intervention(finding) or TOPIC_ANAPHOR.match(finding)):
        return None
    return s.piece_from(0), "research_finding"


def research_status(s: Candidate) -> Decision | None:
    """`skip_research_status`: that something is being studied is not a claim; `claim_beside_research_status`:
    a hype word or a stated effect keeps the sentence, else only its clauses that are claims of their own
    are kept (guidelines 3.6 rule 1, 3.7)."""
    lead = s.lead
    if not RESEARCH_STATUS.search(lead):
        return None
    reason = STATED_REASON.search(lead)
    if HYPE_WORDS.search(lead) or (reason and EFFECT_WORDS.search(lead[reason.end() :])):
        return s.piece_from(0), "claim_beside_research_status"
    pieces = clauses_beside(lead, s.offset, RESEARCH_STATUS)
    return (pieces, "claim_beside_research_status") if pieces else ([], "skip_research_status")


def mild_praise(s: Candidate) -> Decision | None:
    """`skip_mild_praise`: "offers hope" without an effect word or hype word (guidelines 3.5, 3.7)."""
    found = MILD_PRAISE.search(s.lead)
    if found and not _states_an_effect(s.lead[: found.start()] + " " + s.lead[found.end() :]):
        return [], "skip_mild_praise"
    return None


def no_claim_cue(s: Candidate) -> Decision | None:
    """`skip_no_claim_cue`: a sentence with none of the words a claim needs, nor any claim type's cue,
    is a fragment or a remark (guidelines 3)."""
    folded = s.lead.lower()
    if CLAIM_CUES.regex.search(folded) or any(cue.regex.search(folded) for _, _, cue in TYPE_RULES):
        return None
    return [], "skip_no_claim_cue"


def topical_claim(s: Candidate) -> Decision:
    """A sentence that passed the filters is a claim when it is about the article's drug (`topical`),
    split at semicolons into claim-sized clauses (guidelines 3.7)."""
    is_topical, rule = topical(s.lead, s.context)
    return (semicolon_clauses(s.body, s.offset), rule) if is_topical else ([], rule)


def _states_an_effect(text: str) -> bool:
    return bool(EFFECT_WORDS.search(text) or HYPE_WORDS.search(text))


# The filters in the order they run; the first that decides names the counted rule. NOTE_FRAME is
# dropped between the two groups.
FORM_FILTERS: tuple[Callable[[Candidate], Decision | None], ...] = (
    question, list_introduction, fragment, heading, off_topic, self_reference,
)  # fmt: skip
CONTENT_FILTERS: tuple[Callable[[Candidate], Decision | None], ...] = (
    advice, first_person, personal_story, study_design, naming, marketing, service_offer, regulator_announcement, popularity,
    research_finding, research_status, mild_praise, no_claim_cue,
)  # fmt: skip


def sentence_decision(sentence: str, context: SentenceContext) -> Decision:
    """Claim pieces of one content sentence as (start, end) offsets into it, and the deciding rule.

    Usually one piece (the sentence, to be trimmed); an advice sentence may keep only its reason
    clause, and a research-status sentence only the clauses beside the status.
    """
    body = sentence.rstrip()
    lead = strip_lead(body)
    candidate = Candidate(body, lead, len(body) - len(lead), context)
    for sentence_filter in FORM_FILTERS:
        if decided := sentence_filter(candidate):
            return decided
    candidate = without_note_frame(candidate)
    for sentence_filter in CONTENT_FILTERS:
        if decided := sentence_filter(candidate):
            return decided
    return topical_claim(candidate)


def semicolon_clauses(body: str, offset: int) -> list[tuple[int, int]]:
    """`semicolon_split`: a claim sentence split at semicolons when every part is a claim-sized clause
    (guidelines 3.1, 3.7 "Spans": one proposition per span)."""
    parts = []
    start = offset
    for match in SEMICOLON.finditer(body, offset):
        parts.append((start, match.start()))
        start = match.end()
    parts.append((start, len(body)))
    if len(parts) > 1 and all(len(body[a:b].split()) >= MIN_CLAIM_WORDS and CLAIM_CUES.search(body[a:b]) for a, b in parts):
        return parts
    return [(offset, len(body))]


def clauses_beside(lead: str, offset: int, status: Words) -> list[tuple[int, int]]:
    """Comma clauses of a research-status sentence that are claims of their own (guidelines 3.6 rule 1,
    3.7: "… sparks interest, as it may reset neural pathways" → `it may reset neural pathways`)."""
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
