"""Stage 3: boilerplate detection for articles without gold labels: a trained line model plus named rules.

The line model (`line_model.py`, a linear-chain CRF over the page's lines trained by
`scripts/train-boilerplate`) decides content or boilerplate for every segment from the text alone.
The named rules of `boilerplate_rules.py` explain its decisions: a boilerplate segment's kind is
that of the first rule matching it, `duplicate_title` for a later copy of the title, else `other`.
Near-certain rules (`DECISIVE_RULES`) and a later copy of the title mark a segment as boilerplate
on their own. The prose guard (`article_prose`) speaks for article prose: the model's path is decoded
again with every line that reads as prose pulled towards content by PROSE_GUARD_MARGIN, so a run of
flags does not swallow a paragraph unless the model's own evidence against the paragraph is strong
(a reader's comment under a comments header, a teaser in a list of teasers). Every run counts how
often each rule gave a kind, how often the model's call had no named rule (`line_model`), how many
flagged lines the guard kept (`prose_guard`), how often a title rule chose the title
(`title_above_byline`, `title_at_top`), and how many numeric dates and authors' names beside a byline
and lines of a counted sequence (a table of contents without its header) were flagged after decoding (`numeric_date`,
`author_beside_byline`, `counted_sequence`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence

from ketamine_claims.auto.boilerplate_rules import (
    AUTHOR_NAME,
    COUNTED_LINE,
    COUNTED_LINE_MAX_WORDS,
    COUNTED_RUN_MIN_LINES,
    LINE_RULES,
    NUMERIC_DATE,
    RULE_NAMES,
    matching_rules,
    mentions_topic,
)
from ketamine_claims.auto.line_features import (
    HEADLINE_MIN_WORDS,
    RULE_MAX_WORDS,
    TOKEN,
    PageFeatures,
    model_view,
    reads_as_title,
    stopwords,
)
from ketamine_claims.auto.line_model import LineModel, shipped_model
from ketamine_claims.text.segments import Segment

__all__ = [
    "RULE_NAMES",
    "article_prose",
    "classify_lines",
    "detect_boilerplate",
    "detect_boilerplate_and_title",
    "find_title",
    "mentions_topic",
    "reads_as_title",
]

RULE_KINDS = {rule.name: rule.kind for rule in LINE_RULES}
RULE_TESTS = {rule.name: rule.applies for rule in LINE_RULES}
# A page shorter than this that the model leaves without content is left to the named rules (the shortest zyte
# page has 8 non-blank lines; shorter pages are rare among the training pages).
MODEL_MIN_LINES = 8
# The prose guard: jusText's "good" paragraph (Pomikálek 2011, "Removing Boilerplate and Duplicate Content
# from Web Corpora", ch. 3, jusText's context-free paragraph classification, default parameters): longer than
# length_high characters, stopword density at least stopwords_high (jusText's English stoplist). Plain text has
# no links, so jusText's link-density test has nothing to read; in its place the line must end a sentence
# (a full stop, question or exclamation mark, not an ellipsis, maybe followed by closing quotes or brackets).
PROSE_GUARD_MIN_CHARS = 200
PROSE_GUARD_MIN_STOPWORD_DENSITY = 0.32
SENTENCE_END = re.compile(r"(?<![.…])[.!?][\"'”’»)\]]*$")
# The guard lowers a prose line's boilerplate score (the model's boilerplate minus content weight) by this much
# before the path is decoded again: a paragraph stays content unless the model's evidence for boilerplate beats
# it. Chosen on the site-grouped cross-validation over the training data among 0.5, 1, 1.5, 2 and holding every
# prose line to content (docs/model-cards.md).
PROSE_GUARD_MARGIN = 1.0
# Two copies of a title differ at most by this many characters of spacing and punctuation (a cheap screen
# before comparing their words).
TITLE_COPY_SLACK = 8
# A near copy of the title (the page `<title>` with the site's suffix, or the `<h1>` cut short): one copy's words
# begin the other's and cover at least this share of them; neither copy ends a sentence.
NEAR_COPY_MIN_SHARE = 0.8
# The title rules (`find_title`): a headline sits at most this many lines above its byline (an author's name may
# come between), and the rules that mark a byline or a date line.
BYLINE_HEADLINE_REACH = 2
BYLINE_RULES = frozenset({"byline"})
# A heading that opens the page may end in one full stop when it is this short ("Frequently asked questions.").
OPENING_HEADING_MAX_WORDS = 6
# ... and if fewer of its words than this share are stopwords (jusText's stopwords_low, see PROSE_GUARD_MIN_CHARS).
OPENING_HEADING_MAX_STOPWORD_DENSITY = 0.30
# An author's credit above a byline's date is not the headline: a line starting "By" or naming a writer's role
# or a wire service (the credit lines of news pages, e.g. "Jane Doe, Staff Writer", "Associated Press").
AUTHOR_CREDIT = re.compile(
    r"^by\b|\b(writer|reporter|correspondent|columnist|editor|editor-at-large|contributor|staff|associated press|"
    r"wire services?|press)\b",
    re.IGNORECASE,
)


def title_words(text: str) -> list[str]:
    """The case-folded words of a line: two copies of a title compare equal whatever their spacing and punctuation."""
    return TOKEN.findall(text.casefold())


def title_copy(title: Sequence[str], words: Sequence[str]) -> bool:
    """Whether a line's words copy the title's: the same words, or one a prefix of the other covering at least
    NEAR_COPY_MIN_SHARE of the longer and HEADLINE_MIN_WORDS words (a near copy)."""
    if list(words) == list(title):
        return True
    short, long = sorted((title, words), key=len)
    return (len(short) >= HEADLINE_MIN_WORDS and len(short) >= NEAR_COPY_MIN_SHARE * len(long)
            and list(long[: len(short)]) == list(short))


def headline_shaped(text: str) -> bool:
    """A line that reads as a title (`reads_as_title`) with at least HEADLINE_MIN_WORDS words (a site name,
    an author's name or a menu item is shorter) that is no author's credit (AUTHOR_CREDIT)."""
    return len(text.split()) >= HEADLINE_MIN_WORDS and reads_as_title(text) and not AUTHOR_CREDIT.search(text)


def top_of_page(lines: Sequence[str]) -> int:
    """Index of the first line of article prose (`article_prose`) below the first headline-shaped line (an image's
    alt text or a notice in sentences above every heading does not start the article), or the number of lines."""
    first = next((i for i, line in enumerate(lines) if headline_shaped(line)), len(lines))
    return next((i for i in range(first + 1, len(lines)) if article_prose(lines[i])), len(lines))


def headline_above_byline(lines: Sequence[str]) -> int | None:
    """`title_above_byline`: the headline-shaped line at most BYLINE_HEADLINE_REACH lines above the first byline
    or date line above the article prose (a news headline sits over its byline; issue #19, invariant 3)."""
    top = top_of_page(lines)
    byline_at = next((i for i in range(top) if any(RULE_TESTS[name](lines[i]) for name in BYLINE_RULES)), None)
    if byline_at is None:
        return None
    reach = range(byline_at - 1, max(byline_at - 1 - BYLINE_HEADLINE_REACH, -1), -1)
    return next((i for i in reach if headline_shaped(lines[i])), None)


def opens_as_title(text: str) -> bool:
    """A line that reads as a title (`reads_as_title`), or a heading of at most OPENING_HEADING_MAX_WORDS words, with
    fewer stopwords than OPENING_HEADING_MAX_STOPWORD_DENSITY, that would but for one final full stop."""
    if reads_as_title(text):
        return True
    if len(text.split()) > OPENING_HEADING_MAX_WORDS or not text.endswith(".") or text.endswith("..") or len(text) < 2:
        return False
    tokens = TOKEN.findall(text.lower())
    stops = stopwords()
    # A sentence ("We are open today.") is mostly stopwords; a heading ("Frequently asked questions.") is not.
    return sum(map(stops.__contains__, tokens)) < OPENING_HEADING_MAX_STOPWORD_DENSITY * len(tokens) and reads_as_title(text[:-1])


def find_title(
    lines: Sequence[str], kinds: Sequence[str | None], headline: int | None = None, model_flagged: Collection[int] = ()
) -> tuple[int | None, str | None]:
    """Index of the title, and the title rule that chose it (`title_above_byline` or `title_at_top`; else None). A
    headline over the page's byline (`headline_above_byline`) even if the model flagged it; else the page's first
    content line when only named rules' lines are above it (the model flagged none) and it opens as a title
    (`opens_as_title`: an FAQ's or a "How it works" page's short heading, which the headline candidate passes over
    for a longer heading below); else the headline candidate if it is content, else the first content line that reads
    as a title, else the first content line that no named rule matches (None if there is none). The title never
    matches a named rule: it is never a breadcrumb, menu, category label, teaser or cookie line (issue #19,
    invariant 3)."""
    over_byline = headline_above_byline(lines)
    if over_byline is not None and kinds[over_byline] in (None, "other"):
        return over_byline, "title_above_byline"
    content = [i for i, kind in enumerate(kinds) if kind is None]
    opening = content[0] if content else None
    if (opening is not None and opening != headline and not any(i < opening for i in model_flagged)
            and opens_as_title(lines[opening])):
        return opening, "title_at_top"
    if headline is not None and kinds[headline] is None:
        return headline, None
    titled = next((i for i in content if reads_as_title(lines[i])), None)
    return (titled if titled is not None else next((i for i in content if not matching_rules(lines[i])), None)), None


def bylines_after_decoding(lines: Sequence[str], kinds: Sequence[str | None], headline: int | None = None) -> dict[int, str]:
    """Content lines that are post metadata, flagged after the model has decoded (the model and its training data stay
    as they are), by rule: `numeric_date`, a date alone written with dashes or dots (NUMERIC_DATE); then
    `author_beside_byline`, a person's name alone (AUTHOR_NAME) right above or below a byline or such a date: the
    author's credit of a blog or news theme on its own line ("Jane Doe" over "04-18-2025"), never the headline
    candidate nor a line naming the topic (a short title-case headline over its date). On the zyte and readability
    train pages 57 of the 59 names beside a byline are boilerplate; the other two start with "By", which the `byline`
    rule already flags."""
    found = {i: "numeric_date" for i, line in enumerate(lines) if kinds[i] is None and NUMERIC_DATE.match(line)}

    def dated(j: int) -> bool:
        return 0 <= j < len(lines) and (j in found or RULE_TESTS["byline"](lines[j]))

    for i, line in enumerate(lines):
        if (kinds[i] is None and i not in found and i != headline and AUTHOR_NAME.match(line)
                and not mentions_topic(line) and (dated(i - 1) or dated(i + 1))):
            found[i] = "author_beside_byline"
    return found


def counted_sequence(lines: Sequence[str]) -> list[int]:
    """`counted_sequence`: the lines of every run of at least COUNTED_RUN_MIN_LINES consecutive lines of at most
    COUNTED_LINE_MAX_WORDS words that end in numbers counting up by one after the same words (COUNTED_LINE: "Infusion
    Session 1", "Infusion Session 2", "Infusion Session 3"; a pager's "1", "2", "3"). Article headings that count
    ("Session 1") stand apart, each over its own text; in a row with nothing between them they are a table of contents
    without its header or a pager (kind `table_of_contents`)."""
    counted = [COUNTED_LINE.match(line) if line[-1:].isdigit() and len(line.split()) <= COUNTED_LINE_MAX_WORDS else None
               for line in lines]  # a line ending in no digit is screened out before it is split

    def counts_on(i: int) -> bool:
        before, line = counted[i - 1], counted[i]
        return (before is not None and line is not None and line["words"] == before["words"]
                and int(line["number"]) == int(before["number"]) + 1)

    found: list[int] = []
    run_start = 0
    for i in range(1, len(lines) + 1):
        if i < len(lines) and counts_on(i):
            continue
        if i - run_start >= COUNTED_RUN_MIN_LINES:
            found.extend(range(run_start, i))
        run_start = i
    return found


def article_prose(text: str) -> bool:
    """A line that reads as article prose (jusText's "good" paragraph, see PROSE_GUARD_MIN_CHARS): more than
    PROSE_GUARD_MIN_CHARS characters, ends a sentence, a stopword density of at least
    PROSE_GUARD_MIN_STOPWORD_DENSITY, and no named rule matches it (a legal footer or a newsletter box written
    in sentences stays the model's to judge)."""
    if len(text) <= PROSE_GUARD_MIN_CHARS or not SENTENCE_END.search(text):
        return False
    tokens = TOKEN.findall(text.lower())
    stops = stopwords()
    dense = bool(tokens) and sum(map(stops.__contains__, tokens)) >= PROSE_GUARD_MIN_STOPWORD_DENSITY * len(tokens)
    return dense and not matching_rules(text)


def guarded_path(model: LineModel, kept_lines: Sequence[str], features: PageFeatures) -> tuple[list[bool], int]:
    """The model's labels of the lines it reads, decoded with every line of article prose pulled towards content
    (its boilerplate score lowered by PROSE_GUARD_MARGIN), and how many lines of prose the unguarded path flagged
    and the guarded one keeps (the prose guard's count). The path is decoded again only when the first one flags a
    line of prose."""
    scores = model.state_scores(features)
    flags = model.best_path(scores)
    if not any(flag and len(line) > PROSE_GUARD_MIN_CHARS for flag, line in zip(flags, kept_lines, strict=True)):
        return flags, 0
    prose = frozenset(j for j, line in enumerate(kept_lines) if article_prose(line))
    if not any(flags[j] for j in prose):
        return flags, 0
    guarded = model.best_path([score - PROSE_GUARD_MARGIN if j in prose else score for j, score in enumerate(scores)])
    return guarded, sum(flags[j] and not guarded[j] for j in prose)


def settle_title(
    lines: Sequence[str], kinds: list[str | None], headline: int | None, by_model: dict[int, str], fired: Counter[str]
) -> int | None:
    """The title's index (`find_title`), kept as content; in `kinds`, an earlier copy of it the model flagged becomes
    the title and content, and later copies become `duplicate_title` (counts in `fired`, the model's calls in
    `by_model` updated)."""
    title, title_rule = find_title(lines, kinds, headline, by_model)
    if title_rule is not None:
        fired[title_rule] += 1
        if title in by_model:
            # The title is content (the guidelines): a headline the model flagged is kept.
            fired[by_model.pop(title)] -= 1
            kinds[title] = None
    if title is not None:
        words, length = title_words(lines[title]), len(lines[title])
        low, high = length - TITLE_COPY_SLACK, length + TITLE_COPY_SLACK
        near_low, near_high = NEAR_COPY_MIN_SHARE * length - TITLE_COPY_SLACK, length / NEAR_COPY_MIN_SHARE + TITLE_COPY_SLACK
        first = words[0] if words else ""
        copies = [i for i, line in enumerate(lines)
                  if near_low <= len(line) <= near_high and first in line.casefold()
                  and ((low <= len(line) <= high and title_words(line) == words)
                       or (i != title and not SENTENCE_END.search(line) and title_copy(words, title_words(line))))]
        # The first copy of the title is the title (the guidelines): an earlier copy the model flagged becomes content.
        earlier = next((i for i in copies if i < title and i in by_model), None)
        if earlier is not None:
            fired[by_model.pop(earlier)] -= 1
            kinds[earlier], title = None, earlier
        for i in copies:
            if i > title and (kinds[i] is None or i in by_model):
                if i in by_model:
                    fired[by_model.pop(i)] -= 1
                kinds[i] = "duplicate_title"
                fired["duplicate_title"] += 1
    return title


def classify_lines(
    lines: Sequence[str], model: LineModel | None = None
) -> tuple[list[str | None], Counter[str], int | None]:
    """Boilerplate kind (or None for content) of every line of a page, how often each rule gave a kind, and the title's index.

    A line is boilerplate when a decisive rule matches it, when the line model says so (it reads the
    other lines) unless it is the page's headline candidate (`line_features.headline_candidate`), or
    when it repeats the title further down (`duplicate_title`; of two copies, the first is the title even if the
    model flagged it). A numeric date and a person's name alone beside a byline are post metadata, flagged after the
    model has decoded (`bylines_after_decoding`), and so are the lines of a run that counts up ("Session 1", "Session 2",
    "Session 3": `counted_sequence`). A headline over the page's byline is the title and content even if
    the model flagged it (`headline_above_byline`). The model's path is pulled towards content on lines of article
    prose (`guarded_path`). When the model leaves no content at all on a page shorter than MODEL_MIN_LINES lines, the
    named rules decide alone.
    """
    model = model or shipped_model()
    decisive, kept, features = model_view(lines)
    kinds: list[str | None] = [None] * len(lines)
    fired: Counter[str] = Counter()
    for i, rule in enumerate(decisive):
        if rule is not None:
            kinds[i] = RULE_KINDS[rule]
            fired[rule] += 1
    flags, guarded = guarded_path(model, [lines[i] for i in kept], features)
    if guarded:
        fired["prose_guard"] += guarded
    by_model: dict[int, str] = {}
    for i, shown, own, flag in zip(kept, features.shown, features.own, flags, strict=True):
        if flag and "headline" not in own:
            matched = [name[2:] for name in shown if name.startswith("r=")]
            if not matched and len(lines[i].split()) > RULE_MAX_WORDS:
                matched = [r.name for r in LINE_RULES if r.applies(lines[i])][:1]
            rule = by_model[i] = matched[0] if matched else "line_model"
            kinds[i] = RULE_KINDS.get(rule, "other")
            fired[rule] += 1
    if kinds and all(kinds) and len(lines) < MODEL_MIN_LINES:
        # Nothing left of a short page: fall back to the named rules alone (lines no rule matches are content).
        for i in kept:
            if kinds[i] == "other":
                kinds[i] = None
                fired[by_model.pop(i)] -= 1
    headline = next((kept[j] for j, own in enumerate(features.own) if "headline" in own), None)
    for i, rule in bylines_after_decoding(lines, kinds, headline).items():
        kinds[i] = RULE_KINDS["byline"]
        fired[rule] += 1
    for i in counted_sequence(lines):
        if kinds[i] is None and i != headline:
            kinds[i] = RULE_KINDS["table_of_contents"]
            fired["counted_sequence"] += 1
    title = settle_title(lines, kinds, headline, by_model, fired)
    return kinds, +fired, title


def detect_boilerplate(segments: Sequence[Segment]) -> tuple[list[str | None], Counter[str]]:
    """Boilerplate kind (or None for content) of every segment, and how often each rule gave a kind."""
    kinds, fired, _ = classify_lines([seg.text for seg in segments])
    return kinds, fired


def detect_boilerplate_and_title(segments: Sequence[Segment]) -> tuple[list[str | None], Counter[str], int | None]:
    """`detect_boilerplate`, and the index of the title segment (None when no segment is content)."""
    return classify_lines([seg.text for seg in segments])
