"""Segments and sentences: offsets into the raw text, trimming, and sentence boundaries."""

from __future__ import annotations

from ketamine_claims.segments import block_type, split_segments
from ketamine_claims.sentences import split_sentences


def test_segments_are_non_blank_lines_trimmed_of_whitespace_and_nbsp():
    text = "Title\n\n\xa0\n  • Item one\xa0 \nLast line"
    segments = split_segments(text)
    assert [s.text for s in segments] == ["Title", "• Item one", "Last line"]
    for s in segments:
        assert text[s.start : s.end] == s.text


def test_crlf_lines_keep_exact_offsets():
    text = "Heading\r\nBody text.\r\n"
    segments = split_segments(text)
    assert [text[s.start : s.end] for s in segments] == ["Heading", "Body text."]


def test_sentences_do_not_split_after_dr_or_inside_parentheses():
    text = "Dr. Smith treats post-traumatic stress disorder (PTSD). It works. Ask Dr. Lee (M.D.) today."
    segments = split_segments(text)
    sentences = [text[s.start : s.end] for s in split_sentences(text, segments)]
    assert sentences == [
        "Dr. Smith treats post-traumatic stress disorder (PTSD).",
        "It works.",
        "Ask Dr. Lee (M.D.) today.",
    ]


def test_sentences_never_cross_segments_and_cover_their_text():
    text = "First line without end\nSecond line. Third sentence here."
    segments = split_segments(text)
    sentences = split_sentences(text, segments)
    assert [text[s.start : s.end] for s in sentences] == ["First line without end", "Second line.", "Third sentence here."]
    assert [s.segment_index for s in sentences] == [0, 1, 1]


def test_block_types():
    assert block_type("Anything", is_title=True) == "title"
    assert block_type("1. How quickly does ketamine work?", is_title=False) == "question"
    assert block_type("• Patients often receive six treatments.", is_title=False) == "list_item"
    assert block_type("- Consult your doctor.", is_title=False) == "list_item"
    assert block_type("Safe Administration and Monitoring", is_title=False) == "heading"
    assert block_type("Ketamine works differently from antidepressants.", is_title=False) == "paragraph"
    assert block_type("0", is_title=False) == "other"
