"""Boilerplate rules: each named rule fires on its pattern and not on article prose."""

from __future__ import annotations

import pytest

from ketamine_claims.auto import boilerplate as bp
from ketamine_claims.segments import split_segments

ARTICLE_PROSE = "Ketamine works differently from traditional antidepressants and may act within hours."


@pytest.mark.parametrize(
    ("rule", "positive", "negative"),
    [
        (bp.sponsored_label, "Sponsored", "Sponsored research shows ketamine helps."),
        (bp.engagement_counter, "Comments · 9 Views", "9 patients improved"),
        (bp.engagement_counter, "107", "Ketamine 2024"),
        (bp.navigation, "Read more", "Read more about ketamine in this section of the article."),
        (bp.category_label, "Health", "Health effects of ketamine"),
        (bp.comments, "Leave a Reply", "Patients reply well to ketamine."),
        (bp.comments, "Comments are closed.", "Comments from clinicians were positive about the therapy."),
        (bp.related_label, "Previous article", "The previous article discussed dosing."),
        (bp.related_label, "More in Health", "More information on dosing follows below in this article."),
        (bp.call_to_action, "Call us at (555) 123-4567 to book a consultation.", "Call your doctor if symptoms worsen."),
        (bp.image_caption, "Medium shot woman holding pill", "Possible benefits from ketamine therapy for depression"),
        (bp.legal_footer, "© 2024 Example Media. All rights reserved.", ARTICLE_PROSE),
        (bp.legal_footer, "ExampleSite https://example.org", "See https://example.org for the full trial results and methods."),
        (bp.newsletter, "Subscribe to our newsletter", ARTICLE_PROSE),
        (bp.share_bar, "Share on Facebook", "Share your concerns with your doctor before treatment."),
        (bp.table_of_contents, "Table of Contents", "Contents of the nasal spray"),
        (bp.cookie_notice, "We use cookies to improve your experience. Accept", ARTICLE_PROSE),
        (bp.byline, "By Jane Doe, March 3, 2024", "By blocking NMDA receptors, ketamine changes glutamate signalling."),
    ],
)
def test_rule_fires_on_its_pattern_only(rule, positive, negative):
    assert rule(positive)
    assert not rule(negative)


def test_every_rule_has_a_docstring_and_a_unique_name():
    assert len(set(bp.RULE_NAMES)) == len(bp.RULE_NAMES)
    for rule in bp.LINE_RULES:
        assert rule.applies.__doc__, rule.name


def test_detect_boilerplate_on_a_page_with_chrome():
    page = "\n".join(
        [
            "Health",
            "Ketamine for Depression",
            "0",
            "Ketamine Therapy for Depression is a long article paragraph that explains many things about ketamine treatment.",
            "It ends with a conclusion about the treatment options that are discussed in depth above in this page.",
            "Ketamine for Depression",
            "Five Tips for Better Sleep Tonight",
            "Previous article",
            "Autre",
            "Leave a Reply",
        ]
    )
    segments = split_segments(page)
    kinds, fired = bp.detect_boilerplate(segments)
    assert kinds == [
        "category_label",
        None,
        "engagement_counter",
        None,
        None,
        "duplicate_title",
        "related_content",
        "related_content",
        "category_label",
        "comments",
    ]
    assert fired["duplicate_title"] == 1
    assert fired["trailing_offtopic"] == 1
    assert sum(fired.values()) == sum(k is not None for k in kinds)
