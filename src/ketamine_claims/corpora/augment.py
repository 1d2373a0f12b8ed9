"""Augmented variants of a labelled page for training the boilerplate line model (training only).

Web pages reach the project in many forms: with chrome all around the article, with a little chrome
above or below it, with none at all, with one paragraph of several sentences per line or with one
sentence (or less) per line. The labelled corpora are mostly of the first form, so each training
page is also given in the other forms, made from its own lines and labels:

- `content_only`: the content lines alone;
- `chrome_above`: the boilerplate lines above the first content line, then the content lines;
- `chrome_below`: the content lines, then the boilerplate lines below the last content line;
- `chrome_thinned`: every content line and one boilerplate line in CHROME_THINNING (chosen by a hash
  of the page key and the line's index);
- `paragraphs`: runs of content lines that end a sentence joined PARAGRAPH_LINES at a time;
- `short_lines`: every content line cut into its sentences, one per line.

The variants are made at training time and are never stored; the same page gives the same variants.
A variant identical to the page itself or to an earlier variant is left out.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from ketamine_claims.corpora.pages import fold
from ketamine_claims.text.segments import TERMINAL_PUNCTUATION
from ketamine_claims.text.sentences import sentence_starts

VARIANTS = ("content_only", "chrome_above", "chrome_below", "chrome_thinned", "paragraphs", "short_lines")
CHROME_THINNING = 3
PARAGRAPH_LINES = 3

Labelled = tuple[tuple[str, ...], tuple[bool, ...]]


def _select(lines: Sequence[str], boilerplate: Sequence[bool], keep: Sequence[bool]) -> Labelled:
    pairs = [(line, bp) for line, bp, k in zip(lines, boilerplate, keep, strict=True) if k]
    return tuple(line for line, _ in pairs), tuple(bp for _, bp in pairs)


def _paragraphs(lines: Sequence[str], boilerplate: Sequence[bool]) -> Labelled:
    """Runs of content lines that end a sentence, joined PARAGRAPH_LINES at a time (other lines unchanged)."""
    out: list[tuple[str, bool]] = []
    run: list[str] = []
    for line, bp in zip(lines, boilerplate, strict=True):
        if not bp and line.endswith(TERMINAL_PUNCTUATION):
            run.append(line)
            if len(run) == PARAGRAPH_LINES:
                out.append((" ".join(run), False))
                run = []
            continue
        if run:
            out.append((" ".join(run), False))
            run = []
        out.append((line, bp))
    if run:
        out.append((" ".join(run), False))
    return tuple(line for line, _ in out), tuple(bp for _, bp in out)


def _short_lines(lines: Sequence[str], boilerplate: Sequence[bool]) -> Labelled:
    """Every content line cut into its sentences (`sentences.sentence_starts`), one per line."""
    out: list[tuple[str, bool]] = []
    for line, bp in zip(lines, boilerplate, strict=True):
        starts = sentence_starts(line) if not bp else []
        if len(starts) < 2:
            out.append((line, bp))
            continue
        bounds = [0, *starts[1:], len(line)]
        out.extend((piece, False) for a, b in itertools.pairwise(bounds) if (piece := line[a:b].strip()))
    return tuple(line for line, _ in out), tuple(bp for _, bp in out)


def variants(key: str, lines: Sequence[str], boilerplate: Sequence[bool]) -> dict[str, Labelled]:
    """The augmented variants of a page (VARIANTS order), each as its lines and boilerplate flags."""
    content = [i for i, bp in enumerate(boilerplate) if not bp]
    if not content:
        return {}
    first, last = content[0], content[-1]
    n = range(len(lines))
    made = {
        "content_only": _select(lines, boilerplate, [not boilerplate[i] for i in n]),
        "chrome_above": _select(lines, boilerplate, [not boilerplate[i] or i < first for i in n]),
        "chrome_below": _select(lines, boilerplate, [not boilerplate[i] or i > last for i in n]),
        "chrome_thinned": _select(
            lines, boilerplate, [not boilerplate[i] or fold(f"{key}:{i}") % CHROME_THINNING == 0 for i in n]
        ),
        "paragraphs": _paragraphs(lines, boilerplate),
        "short_lines": _short_lines(lines, boilerplate),
    }
    seen = {(tuple(lines), tuple(boilerplate))}
    out = {}
    for name in VARIANTS:
        if made[name] not in seen and made[name][0]:
            seen.add(made[name])
            out[name] = made[name]
    return out
