"""One claim span split into rows: a history appositive, a leading reason clause, a leading means
clause about the mechanism, two main clauses of different types and a trailing participle clause
("…, making it a valuable option") each get a row of their own
(guidelines 3.2: one proposition per span; 3.5 "History and drug class", "Overlapping spans"; 3.6
rule 2 "side by side"; 3.7 "Spans" and "claim_type").

Each splitter returns the rows it makes, or None to leave the span to the next; the first that
splits names the rule that is counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from ketamine_claims.auto.claims.claim_type import HISTORY_APPOSITIVE, HISTORY_LEAD, MECHANISM_CUES, claim_type_of
from ketamine_claims.auto.claims.negation import limits
from ketamine_claims.auto.claims.topic import named_intervention
from ketamine_claims.auto.claims.words import CLAIM_CUES, MIN_CLAIM_WORDS, PRONOUN, Words

HISTORY_CLAUSE = re.compile(
    r"^(?:while|although|though)\s+((?:ketamine|esketamine|it) (?:was|is) (?:originally|initially|first|primarily) (?:developed|"
    r"used|approved|introduced|known) (?:as|for) [^,]*\b(?:anesthe\w*|anaesthe\w*)\w*)",
    re.I,
)
# A leading means clause about the mechanism ("By blocking NMDA receptors, …"): a mechanism row beside the main clause.
MEANS_LEAD = re.compile(r"^(?:by|through)\s+[^,]+,\s+", re.I)
# A leading reason clause about the drug ("Because ketamine can be misused, it is only given in clinics"): its own row
# beside the main clause (3.5, overlapping spans; 3.7 keeps the reason of advice the same way).
REASON_LEAD = re.compile(r"^(?:because|since)\s+([^,]+),\s+", re.I)
# Two main clauses joined by ", so": separate rows when they are propositions of different types (3.2: a span states
# two propositions only when they cannot be separated).
CLAUSE_JOIN = re.compile(r",\s+so\s+(?=[a-z])")
# Two main clauses joined by ", and" / ", but" / ", whereas" / ", while": separate rows when each is a clause of its own
# (its own subject and verb) of at least MIN_COORDINATE_WORDS words (3.2: one proposition per span; 3.5: side by side).
COORDINATE_JOIN = re.compile(r",\s+(?:and|but|whereas|while)\s+(?=[a-z])")
MIN_COORDINATE_WORDS = 5
# A trailing participle clause ("…, making it a valuable option for …", "…, offering relief during depressive
# episodes"): a row of its own beside the main clause (guidelines 3.7: evaluative phrases with a named use are
# efficacy rows, "also as a trailing clause").
TRAILING_PARTICIPLE = re.compile(r",\s+(?=(?:making|offering|providing|allowing|helping|leading to|giving)\s)")
# The second clause's verb must come within this many words (a subject, not a list item; a subject with a list of
# examples, "most side effects such as dizziness, nausea, or dissociation fade", takes ten). Chosen on the train
# split's cross-validation among 8, 10 and 12.
MAX_SUBJECT_WORDS = 10
FINITE_VERB = Words(
    r"\b(?:is|are|was|were|can|may|might|could|will|would|has|have|had|does|do|did|lasts?|lasted|fades?|causes?|helps?|"
    r"works?|reduces?|seems?|appears?|tends?|remains?|shows?|showed)\b"
)


class RowSpan(NamedTuple):
    """One row's span (offsets into the document), the claim type the split forces on it (or None: typed
    from its text) and the rule that split it ("" when the span is not split)."""

    start: int
    end: int
    forced_type: str | None
    rule: str


def history_rows(span: str, start: int, end: int) -> list[RowSpan] | None:
    """`history_split` / `history_main`: a history or drug-class clause ("Ketamine, first used as an
    anesthetic in surgery, …") is a `regulatory` row of its own beside the main clause (guidelines 3.5,
    3.6 rule 2: the history may nest inside the outer span)."""
    lead = HISTORY_LEAD.match(span)
    if lead:
        subject = span.rfind(" ", 0, lead.end()) + 1
        return [
            RowSpan(start, start + lead.end(), "regulatory", "history_split"),
            RowSpan(start + subject, end, None, "history_main"),
        ]
    appositive = HISTORY_APPOSITIVE.match(span)
    if appositive:
        rows = [RowSpan(start, start + appositive.end(), "regulatory", "history_split")]
        if len(span[appositive.end() :].split()) > MIN_CLAIM_WORDS:
            rows.append(RowSpan(start, end, None, "history_main"))
        return rows
    clause = HISTORY_CLAUSE.match(span)
    if clause:
        rows = [RowSpan(start + clause.start(1), start + clause.end(1), "regulatory", "history_split")]
        comma = span.find(",", clause.end(1))
        if comma > 0:
            rest = span[comma + 1 :]
            rows.append(RowSpan(start + comma + 1 + len(rest) - len(rest.lstrip()), end, None, "history_main"))
        return rows
    return None


def reason_rows(span: str, start: int, end: int) -> list[RowSpan] | None:
    """`reason_split` / `reason_main`: a leading reason clause that is itself a claim about the drug is a
    row of its own beside the main clause (guidelines 3.7 "Spans")."""
    reason = REASON_LEAD.match(span)
    if (
        reason
        and len(reason[1].split()) >= MIN_CLAIM_WORDS
        and (named_intervention(reason[1]) or PRONOUN.search(reason[1]))
        and len(span[reason.end() :].split()) >= MIN_CLAIM_WORDS
    ):
        return [
            RowSpan(start + reason.start(1), start + reason.end(1), None, "reason_split"),
            RowSpan(start + reason.end(), end, None, "reason_main"),
        ]
    return None


def mechanism_rows(span: str, start: int, end: int) -> list[RowSpan] | None:
    """`mechanism_split` / `mechanism_main`: a leading "By <mechanism>, …" clause gives a `mechanism` row
    (the whole span) beside the row of the main clause (guidelines 3.5 overlapping spans, 3.7 "claim_type")."""
    means = MEANS_LEAD.match(span)
    if means and MECHANISM_CUES.search(means.group(0)) and claim_type_of(span[means.end() :])[0] != "mechanism":
        return [RowSpan(start, end, "mechanism", "mechanism_split"), RowSpan(start + means.end(), end, None, "mechanism_main")]
    return None


def consequence_rows(span: str, start: int, end: int) -> list[RowSpan] | None:
    """`clause_split`: "X, so Y" gives two rows when X and Y are propositions of different types
    (guidelines 3.2, 3.7 "Spans": "… not approved by the FDA, so most insurers do not cover them")."""
    if ", so " not in span:
        return None
    return _split_at_join(span, start, end, CLAUSE_JOIN, MIN_CLAIM_WORDS, _of_different_types, "clause_split")


def coordinate_rows(span: str, start: int, end: int) -> list[RowSpan] | None:
    """`coordinate_split`: two main clauses joined by ", and" / ", but" / ", whereas" / ", while", each with
    its own subject and verb, are rows side by side (guidelines 3.2, 3.6 rule 2), unless the second opens
    with a negation or a limiting word (guidelines 3.1; issue 20)."""
    return _split_at_join(span, start, end, COORDINATE_JOIN, MIN_COORDINATE_WORDS, _a_clause_of_its_own, "coordinate_split")


def _split_at_join(
    span: str, start: int, end: int, joins: re.Pattern[str], min_words: int, separable: Callable[[str, str], bool], rule: str
) -> list[RowSpan] | None:
    """Two rows either side of the first join whose sides both have `min_words` words and a claim cue and
    are `separable`; None without one."""
    for join in joins.finditer(span):
        first, second = span[: join.start()], span[join.end() :]
        if (
            len(first.split()) >= min_words
            and len(second.split()) >= min_words
            and CLAIM_CUES.search(first)
            and CLAIM_CUES.search(second)
            and separable(first, second)
        ):
            return [RowSpan(start, start + join.start(), None, rule), RowSpan(start + join.end(), end, None, rule)]
    return None


def _of_different_types(first: str, second: str) -> bool:
    return claim_type_of(first)[0] != claim_type_of(second)[0]


def _a_clause_of_its_own(first: str, second: str) -> bool:
    """The second part has a finite verb within MAX_SUBJECT_WORDS words and does not open with a negation."""
    words = second.split()
    return bool(FINITE_VERB.search(" ".join(words[:MAX_SUBJECT_WORDS]))) and not limits(words[0])


def trailing_clause_rows(span: str, start: int, end: int) -> list[RowSpan] | None:
    """`trailing_clause_split`: "X, making it a valuable option for Y" / "X, offering relief …" gives a row for the
    main clause X and one for the trailing participle clause (guidelines 3.7 "Evaluative phrases … also as a trailing
    clause"), when X has MIN_COORDINATE_WORDS words (it is already part of a claim span) and the trailing clause
    MIN_CLAIM_WORDS words with a claim cue."""
    if ", " not in span:
        return None
    for join in TRAILING_PARTICIPLE.finditer(span):
        first, second = span[: join.start()], span[join.end() :]
        if len(first.split()) >= MIN_COORDINATE_WORDS and len(second.split()) >= MIN_CLAIM_WORDS and CLAIM_CUES.search(second):
            return [
                RowSpan(start, start + join.start(), None, "trailing_clause_split"),
                RowSpan(start + join.end(), end, None, "trailing_clause_split"),
            ]
    return None


# The splitters in the order they are tried.
SPLITTERS: tuple[Callable[[str, int, int], list[RowSpan] | None], ...] = (
    history_rows, reason_rows, mechanism_rows, consequence_rows, coordinate_rows, trailing_clause_rows,
)  # fmt: skip


def split_rows(text: str, start: int, end: int) -> list[RowSpan]:
    """The rows of one claim span text[start:end]: those of the first splitter that splits it, else the span."""
    span = text[start:end]
    for splitter in SPLITTERS:
        rows = splitter(span, start, end)
        if rows is not None:
            return rows
    return [RowSpan(start, end, None, "")]
