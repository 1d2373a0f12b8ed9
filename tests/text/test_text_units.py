"""Segments and sentences: offsets into the raw text, trimming, and sentence boundaries."""

from __future__ import annotations

import pytest

from conftest import REPO, corpus_segment_texts
from ketamine_claims.text.segments import block_type, split_segments
from ketamine_claims.text.sentences import boundary_agreement, needs_syntok, sentence_starts, split_sentences, syntok_starts


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





@pytest.mark.parametrize("source", ["seeds", "corpora"])
def test_sentence_boundaries_agree_with_syntok_alone(source):
    if source == "seeds":
        texts = [s.text for path in sorted((REPO / "seeds").glob("*.txt")) for s in split_segments(path.read_text("utf-8"))]
    else:
        texts = corpus_segment_texts()
    alone, fast, both = boundary_agreement(texts)
    assert alone > 0
    assert both == alone == fast


def test_pieces_that_syntok_may_cut_still_go_to_syntok():
    # abbreviations, initials, decimals, "U.S." and bracketed clauses followed by a capital are syntok's call
    for text in ["Ask Dr. Lee today. It works.", "J. R. R. Tolkien wrote it.", "It costs 3.5 mg. Then stop.",
                 "Trials in the U.S. Began in 2019.", "WASHINGTON (AP) — The drug works. It is fast."]:
        assert sentence_starts(text) == syntok_starts(text), text


def test_certain_cuts_leave_syntok_its_months_and_abbreviations():
    # a month after a number, an abbreviation after a hyphen or a case change, an abbreviation before "!"
    for text in ["It was founded in 2019. May was busy.", "He met ex-Prof. Smith today.", "He met xProf. Smith today.",
                 "Go see the Dr! Smith will help.", "He said no. A4 paper is used.", "Katie Allen, PhD. She said so.",
                 "Chapter IV. Smith came."]:
        assert sentence_starts(text) == syntok_starts(text) == [0], text


def test_pieces_without_a_syntok_cut_skip_syntok():
    # a closing quote after the final terminal, a terminal before a lowercase word, a short bracket at the end
    for text in ["“Are you drunk?” he hissed in Alden’s ear.", "Gini (2014)", "References[edit]", "It works!” ", "Grande…"]:
        assert sentence_starts(text) == syntok_starts(text) == [0], text
        assert not needs_syntok(text), text
    for text in ["(a b c).", "Gini (2014) Results are good.", "He said? ” he", "a format (default: \"\")"]:
        assert needs_syntok(text) and sentence_starts(text) == syntok_starts(text) != [0], text
