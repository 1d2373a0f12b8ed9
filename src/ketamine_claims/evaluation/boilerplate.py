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

from pathlib import Path

from ketamine_claims.corpora.pages import CORPUS_FILES, Page, load_corpus, load_ketamine_pages


def _tally(model, pages: list[Page]) -> dict:
    from ketamine_claims.training.boilerplate import Tally

    tally = Tally()
    for page in pages:
        tally.add(model, page)
    return tally.as_dict()


def frozen_scores(corpora: Path, pages_folder: Path) -> dict[str, dict]:
    """The shipped model (and the two baselines) on the public test splits and the ketamine-pages dev split, now."""
    from ketamine_claims.auto.line_model import shipped_model
    from ketamine_claims.training.boilerplate import baseline_scores

    model = shipped_model()
    out: dict[str, dict] = {}
    for name in CORPUS_FILES:
        test = [p for p in load_corpus(corpora, name) if p.split == "test"]
        out[f"{name}_test"] = {"pages": len(test), "model": _tally(model, test),
                               **{k: s.as_dict() for k, s in baseline_scores(test).items()}}
    dev = [p for p in load_ketamine_pages(pages_folder) if p.split == "dev"]
    out["ketamine_pages_dev"] = {"pages": len(dev), "model": _tally(model, dev)}
    return out
