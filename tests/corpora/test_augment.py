"""Augmentation for boilerplate training: every variant is made from the page's own lines, the same way every time."""

from __future__ import annotations

from ketamine_claims.corpora.augment import VARIANTS, variants


def test_augmented_variants_come_from_the_page_itself():
    first = "Ketamine is an anaesthetic. It is also studied for depression."
    lines = ["Home", "Menu", "Ketamine and Depression", first, "A second paragraph of the article.", "Advertisement",
             "A third paragraph.", "Share", "© 2024 Example"]
    flags = [True, True, False, False, False, True, False, True, True]
    made = variants("page-1", lines, flags)
    assert made == variants("page-1", lines, flags)
    assert list(made) == [name for name in VARIANTS if name in made]
    content = tuple(line for line, bp in zip(lines, flags, strict=True) if not bp)
    assert made["content_only"] == (content, (False,) * len(content))
    assert made["chrome_above"][0] == ("Home", "Menu", *content)
    assert made["chrome_below"][0] == (*content, "Share", "© 2024 Example")
    assert set(made["chrome_thinned"][0]) >= set(content) and len(made["chrome_thinned"][0]) < len(lines)
    assert f"{first} A second paragraph of the article." in made["paragraphs"][0]
    assert "It is also studied for depression." in made["short_lines"][0]
    for variant_lines, variant_flags in made.values():
        assert len(variant_lines) == len(variant_flags)
        assert all(not bp for line, bp in zip(variant_lines, variant_flags, strict=True) if line not in lines)
