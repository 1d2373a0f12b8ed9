"""The jusText baseline for boilerplate: jusText 3 runs one escaped `<p>` per segment, mapped back by position.

Scored with the line model and "lines < 10 words" (`corpora.pages.short_line_flags`) by
`scripts/train-boilerplate` and `ketamine-claims score` (`evaluation.boilerplate.baseline_scores`).
"""

from __future__ import annotations

import html
import re

JUSTEXT_LANGUAGE = "English"


def justext_boilerplate(segment_texts: list[str]) -> list[bool]:
    """jusText's boilerplate decision for each segment (one escaped <p> per segment)."""
    import justext

    body = "".join(f"<p>{html.escape(text)}</p>" for text in segment_texts)
    page = f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>"
    decisions = [True] * len(segment_texts)
    for paragraph in justext.justext(page.encode("utf-8"), justext.get_stoplist(JUSTEXT_LANGUAGE), encoding="utf-8"):
        found = re.search(r"/p\[(\d+)\]$", paragraph.xpath)
        if found:
            decisions[int(found[1]) - 1] = paragraph.is_boilerplate
    return decisions
