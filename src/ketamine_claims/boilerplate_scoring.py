"""Scores of the boilerplate line model, jusText and "lines < 10 words", for `score` and the dataset card.

Every score is the boilerplate class's precision, recall and F1 over the non-whitespace characters
of non-blank lines, on data the scored model was not trained on:

- cross-validation over the zyte pages (page-grouped and site-grouped folds) and
  leave-one-article-out over the gold articles, both computed by `scripts/train-boilerplate` and
  recorded in `auto/boilerplate_metrics.json` (they need training);
- each corpus's test split, which the shipped model never saw: recorded there too, and
  recomputed by `ketamine-claims score --corpora FOLDER` with the shipped model.
"""

from __future__ import annotations

import json
from pathlib import Path

from .auto.boilerplate import classify_lines
from .corpora import CORPUS_FILES, char_score, load_corpus, short_line_flags, total
from .fetch_corpora import SOURCES

METRICS_FILE = Path(__file__).parent / "auto" / "boilerplate_metrics.json"
SYSTEMS = {"model": "line model (`auto`)", "justext": "jusText 3 (one `<p>` per line)", "short_lines": "lines < 10 words"}


def load_metrics(path: Path = METRICS_FILE) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def test_split_scores(corpora: Path) -> dict[str, dict]:
    """The shipped model and the two baselines on the test split of each corpus (recomputed now)."""
    from .scoring import justext_boilerplate

    def model_flags(lines: tuple[str, ...]) -> list[bool]:
        return [kind is not None for kind in classify_lines(lines)[0]]

    out = {}
    for name in CORPUS_FILES:
        test = [p for p in load_corpus(corpora, name) if p.split == "test"]
        scores = {
            "model": total(char_score(p.lines, p.boilerplate, model_flags(p.lines)) for p in test),
            "justext": total(char_score(p.lines, p.boilerplate, justext_boilerplate(list(p.lines))) for p in test),
            "short_lines": total(char_score(p.lines, p.boilerplate, short_line_flags(p.lines)) for p in test),
        }
        out[name] = {"pages": len(test), **{k: s.as_dict() for k, s in scores.items()}}
    return out


def _row(data: str, system: str, s: dict) -> str:
    return f"| {data} | {SYSTEMS[system]} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} |"


def test_split_markdown(test_split: dict[str, dict]) -> str:
    """Rows of the test splits (the part of `score`'s output that the card repeats)."""
    return "\n".join(
        _row(f"{name} test split ({scores['pages']} pages)", system, scores[system])
        for name, scores in test_split.items()
        for system in SYSTEMS
    )


def scores_markdown(metrics: dict, test_split: dict[str, dict] | None = None) -> str:
    """Tables of the boilerplate scores; test_split (recomputed) replaces the recorded test-split rows."""
    cv_rows = [
        _row(f"zyte, 10-fold CV, {grouping}-grouped folds", system, metrics[f"cv_{grouping}_grouped"][system])
        for grouping in ("page", "site")
        for system in SYSTEMS
    ]
    loao = metrics["gold_loao"]
    gold_rows = [_row(f"gold articles, leave-one-article-out ({len(loao['articles'])})", s, loao["pooled"][s]) for s in SYSTEMS]
    articles = [
        "| article | lines | line model F1 | jusText F1 | lines < 10 words F1 | content lines lost by the model |",
        "|---|---|---|---|---|---|",
        *(
            f"| `{doc}` | {a['lines']} | {a['model']['f1']:.3f} | {a['justext']['f1']:.3f} | {a['short_lines']['f1']:.3f} "
            f"| {a['content_lines_lost']} |"
            for doc, a in sorted(loao["articles"].items())
        ),
    ]
    return "\n".join(
        [
            "Boilerplate class, non-whitespace characters of non-blank lines. Cross-validation and",
            "leave-one-article-out train a model per fold (`scripts/train-boilerplate`); the test splits",
            "are scored with the shipped model, which was not trained on them. Several feature and rule choices",
            "were made while looking at the leave-one-article-out scores (README, \"Boilerplate model\"), so on",
            "the gold articles they are development scores; the zyte cross-validation and test split are not.",
            "",
            "| data | system | precision | recall | F1 |",
            "|---|---|---|---|---|",
            *cv_rows,
            *gold_rows,
            test_split_markdown(test_split or metrics["test_split"]),
            "",
            "Leave-one-article-out, per gold article (the model trained on the corpora and the other gold articles):",
            "",
            *articles,
        ]
    )


def model_card_markdown(metrics: dict) -> str:
    """The short model card: training data with licences and sha256, features, limits."""
    training = metrics["training"]
    corpora = "\n".join(
        f"  - `{c['file']}` ({c['licence']}; {c['pages']} pages of the {' and '.join(c['splits'])} splits), "
        f"sha256 `{c['sha256']}`"
        for c in training["corpora"].values()
    )
    params = ", ".join(f"{k} {v}" for k, v in training["crfsuite"].items())
    decisive = ", ".join(f"`{name}`" for name in training["decisive_rules"])
    rule_stats = ", ".join(
        f"`{name}` {r['lines']} ({r['boilerplate_share']:.2f})" for name, r in training["rules"].items() if r["lines"]
    )
    return "\n".join(
        [
            "`auto` documents get their boilerplate flags, `clean_text` and `title` from a line model",
            "(`ketamine_claims/auto/boilerplate_model.json`, sha256 " + f"`{metrics['model_sha256']}`):",
            "",
            "- **Model**: a linear-chain CRF over the lines of a page (python-crfsuite, " + params + "),",
            "  stored as plain JSON weights and decoded in pure Python (Viterbi); deterministic.",
            "- **Features**, from the text alone: words, stopword density (jusText's English stoplist),",
            "  end punctuation, capitalised words, digits, dates, URLs, e-mail addresses, phone numbers,",
            "  the named rules of `auto/boilerplate_rules.py` (lines of up to 30 words), the text of lines of",
            "  up to three words, the share of the line's words found in two or more of the page's prose lines,",
            "  distance to the page's prose lines, repetition within the page, a headline candidate, and the",
            "  length, stopword density and rules of the two lines before and after.",
            "- **Kinds**: a boilerplate line's `boilerplate_kind` is that of the first named rule matching it",
            "  (`duplicate_title` for a later copy of the title), else `other`. Near-certain rules decide alone",
            "  and are taken out of the page before the model reads it: " + decisive + ".",
            "  Lines they matched among the training lines (share that was boilerplate): " + rule_stats + ".",
            "- **Title**: the line most like a headline above the page's first prose line (title-shaped,",
            "  the most words shared with the prose) stays content and is the `title`; without one, the title",
            "  is the first content line that reads as a title.",
            "- **Training data**: the corpora of public web pages with per-line labels (their train and dev",
            "  splits; the test splits are kept for scoring):",
            corpora,
            "  and the gold boilerplate labels of the " + f"{len(training['gold_articles'])} gold articles of this dataset",
            "  (CC BY 4.0 annotations; the article texts belong to their publishers and only the labels and",
            "  features were learnt from). zyte: Zyte's article extraction benchmark (MIT, \"Copyright (c) 2020",
            "  Scrapinghub\"); readability: the test pages of Mozilla's Readability.js (Apache-2.0). The page",
            "  texts in both belong to their publishers. Where each comes from (`scripts/fetch-corpora` rebuilds",
            "  them there and checks the sha256 above):",
            *(f"  - `{c.file}`: `{c.repo}` at commit `{c.commit}` ({c.licence})" for c in SOURCES),
            "- **Limits**: English web pages (zyte news, blogs and health pages, 2019) and five clinic and",
            "  health articles; the zyte gold leaves out decks (standfirsts), bylines and photo captions, so",
            "  the model removes them too. Runs of short lines are read as chrome: a short list inside an",
            "  article near the end of the page can be cut together with the paragraphs after it, and",
            "  one-line content between two chrome lines tends to follow them (sequence smoothing).",
            "  Lines of more than 30 words are judged without the named rules. When the model leaves a page",
            "  with no content and the page has fewer than 8 lines (shorter than any training page), the named rules decide",
            "  alone. Other",
            "  languages are seen only through the shape features. The gold-article scores are from five",
            "  articles and move a lot with one line.",
        ]
    )
