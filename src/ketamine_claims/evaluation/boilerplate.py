"""Scores of the boilerplate line model, jusText and "lines < 10 words" (`ketamine-claims score`).

Every figure is the boilerplate class's precision, recall and F1 (over non-whitespace characters of
non-blank lines, or over segments for the ketamine pages), with the content lost, the titles and
the invariants, on data the scored model was not trained on:

- cross-validation over the training data (site-grouped; every choice was made on it) and over
  all zyte pages (page-grouped, comparable with earlier versions), computed by
  `scripts/train-boilerplate` and recorded in `auto/boilerplate_metrics.json` (they need training);
- with the shipped model frozen: each public corpus's test split and the ketamine-pages `dev`
  split, recorded there too and recomputed by `ketamine-claims score` with the shipped model
  (`frozen_scores`).

The card's tables of these figures are `publish.card_boilerplate`; the jusText baseline is
`evaluation.baselines`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ketamine_claims.auto.boilerplate import classify_lines
from ketamine_claims.auto.line_model import LineModel
from ketamine_claims.corpora.augment import variants
from ketamine_claims.corpora.pages import (
    CORPUS_FILES,
    Page,
    load_corpus,
    load_ketamine_pages,
    short_line_flags,
    visible_chars,
)
from ketamine_claims.evaluation.baselines import justext_boilerplate
from ketamine_claims.evaluation.score import Score

# Share of a page's content characters above which the page counts as "over half flagged".
HALF = 0.5


def char_score(lines: Sequence[str], gold: Sequence[bool], predicted: Sequence[bool]) -> Score:
    """Boilerplate-class counts of one page, each line weighted by its non-whitespace characters."""
    return Score.of_flags(gold, predicted, [visible_chars(line) for line in lines])


def predict(model: LineModel, lines: Sequence[str]) -> tuple[list[bool], int | None]:
    """Whether each line is boilerplate, and the title's index, decided as for an `auto` document (`classify_lines`)."""
    kinds, _, title = classify_lines(lines, model)
    return [kind is not None for kind in kinds], title


@dataclass
class Tally:
    """Held-out counts of one group of pages: character and segment scores, content lost, titles, invariants."""

    chars: Score = field(default_factory=Score)
    segments: Score = field(default_factory=Score)
    content_chars: int = 0
    content_chars_lost: int = 0
    titled_pages: int = 0
    titles_right: int = 0
    content_only_chars: int = 0
    content_only_flagged: int = 0
    content_only_pages: int = 0
    content_only_pages_over_half: int = 0
    deletion_content_lines: int = 0
    deletion_turned: int = 0

    def add(self, model: LineModel, page: Page) -> None:
        flags, title = predict(model, page.lines)
        self.chars += char_score(page.lines, page.boilerplate, flags)
        self.segments += Score.of_flags(page.boilerplate, flags)
        for line, p, g in zip(page.lines, flags, page.boilerplate, strict=True):
            if not g:
                self.content_chars += visible_chars(line)
                self.content_chars_lost += visible_chars(line) if p else 0
        if page.title is not None:
            self.titled_pages += 1
            self.titles_right += title == page.title
        content = [i for i, g in enumerate(page.boilerplate) if not g]
        if not content:
            return
        # Invariants: a page reduced to its content lines, and pages with some boilerplate lines deleted.
        made = variants(page.id, page.lines, page.boilerplate)
        only = made.get("content_only", (page.lines, page.boilerplate))[0]
        only_flags, _ = predict(model, only)
        page_chars = sum(map(visible_chars, only))
        flagged = sum(visible_chars(line) for line, p in zip(only, only_flags, strict=True) if p)
        self.content_only_chars += page_chars
        self.content_only_flagged += flagged
        self.content_only_pages += 1
        self.content_only_pages_over_half += flagged > HALF * page_chars
        for name in ("content_only", "chrome_above", "chrome_below", "chrome_thinned"):
            if name not in made:
                continue
            kept = _deleted_kept(page, made[name][0])
            reduced_flags = only_flags if name == "content_only" else predict(model, made[name][0])[0]
            for j, i in enumerate(kept):
                if not page.boilerplate[i]:
                    self.deletion_content_lines += 1
                    self.deletion_turned += reduced_flags[j] and not flags[i]

    def as_dict(self) -> dict:
        def rate(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        return {
            "chars": self.chars.as_dict(),
            "segments": self.segments.as_dict(),
            "content_chars_lost": rate(self.content_chars_lost, self.content_chars),
            "titles": {"pages_with_headline": self.titled_pages, "right": self.titles_right,
                       "share": rate(self.titles_right, self.titled_pages)},
            "content_only": {
                "pages": self.content_only_pages,
                "chars_flagged": rate(self.content_only_flagged, self.content_only_chars),
                "pages_over_half": self.content_only_pages_over_half,
            },
            "deletion": {"content_lines": self.deletion_content_lines, "turned_boilerplate": self.deletion_turned,
                         "rate": rate(self.deletion_turned, self.deletion_content_lines)},
        }


def _deleted_kept(page: Page, reduced: Sequence[str]) -> list[int]:
    """Indices of the page's lines that a deletion variant kept (its lines are a subsequence of the page's)."""
    kept, j = [], 0
    for i, line in enumerate(page.lines):
        if j < len(reduced) and reduced[j] == line:
            kept.append(i)
            j += 1
    return kept


def baseline_scores(pages: Sequence[Page]) -> dict[str, Score]:
    return {
        "justext": sum((char_score(p.lines, p.boilerplate, justext_boilerplate(list(p.lines))) for p in pages), Score()),
        "short_lines": sum((char_score(p.lines, p.boilerplate, short_line_flags(p.lines)) for p in pages), Score()),
    }


def _tally(model: LineModel, pages: list[Page]) -> dict:
    tally = Tally()
    for page in pages:
        tally.add(model, page)
    return tally.as_dict()


def held_out_scores(model: LineModel, public: dict[str, list[Page]], ketamine: list[Page]) -> dict[str, dict]:
    """The model (and the two baselines) on each public corpus's test split and the ketamine-pages dev split."""
    out: dict[str, dict] = {}
    for name, pages in public.items():
        test = [p for p in pages if p.split == "test"]
        out[f"{name}_test"] = {
            "pages": len(test),
            "model": _tally(model, test),
            **{k: s.as_dict() for k, s in baseline_scores(test).items()},
        }
    dev = [p for p in ketamine if p.split == "dev"]
    out["ketamine_pages_dev"] = {"pages": len(dev), "model": _tally(model, dev)}
    return out


def frozen_scores(corpora: Path, pages_folder: Path) -> dict[str, dict]:
    """The shipped model (and the two baselines) on the public test splits and the ketamine-pages dev split, now."""
    from ketamine_claims.auto.line_model import shipped_model

    public = {name: load_corpus(corpora, name) for name in CORPUS_FILES}
    return held_out_scores(shipped_model(), public, load_ketamine_pages(pages_folder))
