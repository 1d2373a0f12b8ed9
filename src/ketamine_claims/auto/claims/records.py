"""The detector's input and its walk over a document: every content sentence with its context and the
named rules' decision (guidelines 3.7: the detector reads the document, not only the sentence)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple

from ketamine_claims.auto.claims.attribution import named_speaker
from ketamine_claims.auto.claims.context import SentenceContext
from ketamine_claims.auto.claims.sentences import sentence_decision
from ketamine_claims.auto.claims.topic import article_title_segment, article_topic, is_heading

if TYPE_CHECKING:
    from ketamine_claims.text.segments import Segment
    from ketamine_claims.text.sentences import Sentence


class SentenceSpan(NamedTuple):
    """One sentence of a document as the detector reads it: its offsets, those of its segment, and
    whether the segment is boilerplate (its sentences never carry a claim; guidelines 2)."""

    start: int
    end: int
    segment_start: int
    segment_end: int
    boilerplate: bool


def sentence_spans(segments: Sequence[Segment], sentences: Sequence[Sentence], boilerplate: Sequence[bool]) -> list[SentenceSpan]:
    """The detector's input for a document: every sentence, with `boilerplate` taken per segment."""
    return [
        SentenceSpan(
            s.start,
            s.end,
            segments[s.segment_index].start,
            segments[s.segment_index].end,
            bool(boilerplate[s.segment_index]),
        )
        for s in sentences
    ]


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


@dataclass(frozen=True)
class ArticleFrame:
    """What holds for the whole article: its content segments, which of them is the title, and its topic."""

    segments: list[tuple[int, int]]
    title_segment: tuple[int, int]
    title: str
    topic: str | None


def article_frame(text: str, sentences: Sequence[SentenceSpan]) -> ArticleFrame | None:
    """The content segments (those of the sentences outside boilerplate), the title found among them and
    the article's topic; None when the document has no content sentence."""
    segments = list(dict.fromkeys((s.segment_start, s.segment_end) for s in sentences if not s.boilerplate))
    if not segments:
        return None
    segment_texts = [text[a:b] for a, b in segments]
    title_index = article_title_segment(segment_texts)
    title = segment_texts[title_index]
    return ArticleFrame(segments, segments[title_index], title, article_topic(title, segment_texts[title_index + 1 :]))


def sentence_records(text: str, sentences: Sequence[SentenceSpan], fired: Counter[str]) -> Iterator[SentenceRecord]:
    """Every content sentence with its context and the named rules' decision, counting in `fired` the
    article's topic and each sentence's deciding rule.

    The title is found among the content segments; content segments shaped like headings or
    questions open a section, whose heading is the context of the sentences below it. The speaker of the
    context is worked out for sentences with claim pieces only (the others have `none`).
    """
    frame = article_frame(text, sentences)
    if frame is None:
        return
    fired[f"article_topic_{frame.topic or 'none'}"] += 1
    heading = paragraph = previous = ""
    speaker = "none"
    unread: list[str] = []  # content sentences since the speaker was last brought up to date
    paragraph_is_heading = False
    previous_segment: tuple[int, int] | None = None
    previous_rule = "start"
    for position, span in enumerate(sentences):
        if span.boilerplate:
            continue
        segment = (span.segment_start, span.segment_end)
        opens_segment = segment != previous_segment
        if opens_segment:
            paragraph, previous = text[span.segment_start : span.segment_end], ""
            paragraph_is_heading = is_heading(paragraph)
            if segment != frame.title_segment and paragraph_is_heading:
                heading = paragraph
        previous_segment = segment
        sentence = text[span.start : span.end]
        context = SentenceContext(paragraph, previous, heading, frame.title, frame.topic)
        pieces, rule = sentence_decision(sentence, context)
        if pieces:  # only the rows of claim pieces read the speaker
            speaker, unread = last_named_speaker(unread, speaker), []
            context = replace(context, speaker=speaker)
        fired[rule] += 1
        is_heading_segment = opens_segment and (segment == frame.title_segment or paragraph_is_heading)
        yield SentenceRecord(position, span.start, sentence, context, pieces, rule, is_heading_segment, previous_rule)
        previous, previous_rule = sentence, rule
        unread.append(sentence)


def last_named_speaker(sentences: Sequence[str], speaker: str) -> str:
    """The attribution of the last of the sentences that names its speaker (`attribution.named_speaker`), else
    `speaker`: the sentences are read from the last and only until one names a speaker."""
    return next((found for found in map(named_speaker, reversed(sentences)) if found), speaker)
