"""The card's boilerplate model section, read from `auto/boilerplate_metrics.json` (nothing is scored here).

`scripts/train-boilerplate` records the metrics next to the model: the model card's training data,
the cross-validation scores and the shipped model's scores on held-out data, frozen (which
`ketamine-claims score` recomputes and prints with these tables).
"""

from __future__ import annotations

import json
from pathlib import Path

from ketamine_claims.auto.boilerplate import PROSE_GUARD_MARGIN, PROSE_GUARD_MIN_CHARS, PROSE_GUARD_MIN_STOPWORD_DENSITY
from ketamine_claims.corpora.fetch import SOURCES

METRICS_FILE = Path(__file__).parents[1] / "auto" / "boilerplate_metrics.json"
SYSTEMS = {"model": "line model (`auto`)", "justext": "jusText 3 (one `<p>` per line)", "short_lines": "lines < 10 words"}
CV_DATA = {
    "zyte": "zyte, all pages",
    "ketamine-pages": "ketamine-pages `train` split",
    "gold": "gold seed articles",
}
HEADER = [
    "| data | system | unit | precision | recall | F1 | content chars lost | titles right | content-only: chars flagged "
    "| content-only: pages over half | deleting chrome: content lines turned boilerplate |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
]


def load_metrics(path: Path = METRICS_FILE) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _f(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _model_row(data: str, t: dict, unit: str = "characters") -> str:
    s = t["segments"] if unit == "segments" else t["chars"]
    titles = t["titles"]
    title_cell = f"{titles['right']} of {titles['pages_with_headline']}" if titles["pages_with_headline"] else "–"
    only, deletion = t["content_only"], t["deletion"]
    return (
        f"| {data} | {SYSTEMS['model']} | {unit} | {_f(s['precision'])} | {_f(s['recall'])} | {_f(s['f1'])} "
        f"| {_f(t['content_chars_lost'])} | {title_cell} | {_f(only['chars_flagged'])} "
        f"| {only['pages_over_half']} of {only['pages']} | {_f(deletion['rate'])} |"
    )


def _baseline_row(data: str, system: str, s: dict) -> str:
    scores = f"{_f(s['precision'])} | {_f(s['recall'])} | {_f(s['f1'])}"
    return f"| {data} | {SYSTEMS[system]} | characters | {scores} | – | – | – | – | – |"


def frozen_markdown(frozen: dict[str, dict]) -> str:
    """Rows of the shipped model on data it was neither trained nor chosen on (the part of `score`'s output the card repeats)."""
    rows = []
    for key in (key for key in frozen if key.endswith("_test")):
        scores = frozen[key]
        data = f"{key.removesuffix('_test')} test split ({scores['pages']} pages)"
        rows.append(_model_row(data, scores["model"]))
        rows.extend(_baseline_row(data, system, scores[system]) for system in ("justext", "short_lines"))
    dev = frozen["ketamine_pages_dev"]
    rows.append(_model_row(f"ketamine-pages `dev` split ({dev['pages']} pages)", dev["model"], "segments"))
    return "\n".join(rows)


def scores_markdown(metrics: dict, frozen: dict[str, dict] | None = None) -> str:
    """Tables of the boilerplate scores; frozen (recomputed now) replaces the recorded rows of the shipped model."""
    site = metrics["cv_site_grouped"]
    cv_rows = [
        _model_row(f"{CV_DATA[name]} ({site[name]['content_only']['pages']} pages)", site[name],
                   "segments" if name == "ketamine-pages" else "characters")
        for name in CV_DATA
        if name in site
    ]
    page = metrics["cv_page_grouped_zyte"]
    baselines = metrics["baselines_zyte_all"]
    public_rows = [
        _model_row("zyte, all pages, page-grouped folds", page),
        *(_baseline_row("zyte, all pages (no training)", system, baselines[system]) for system in ("justext", "short_lines")),
    ]
    recorded = metrics["frozen"]
    cv_all = recorded["ketamine_pages_cv_train_and_dev"]
    return "\n".join(
        [
            "Boilerplate class. Characters are the non-whitespace characters of non-blank lines; the ketamine pages",
            "are scored per segment (they have few boilerplate lines). *Content chars lost*: the share of content characters",
            "flagged. *Titles right*: pages whose headline line (when the page has one) is the chosen title.",
            "*Content-only*: each page reduced to its content lines, the share of its characters flagged and the pages",
            "with more than half flagged. *Deleting chrome*: each page with its boilerplate lines deleted (all of them,",
            "all but those above the article, all but those below it, two in three of them); the share of content lines",
            "that the model kept on the full page and flags on the reduced one.",
            "",
            "**1. Cross-validation on the training data** (`scripts/train-boilerplate`; site-grouped, 10 folds: zyte",
            "and ketamine-pages by the fold of their site, the seed articles by the fold of their id, readability in",
            "every training part; each fold's model is trained on the other folds' pages and their augmented variants).",
            "Every feature, rule and parameter was chosen on these figures, so they are development scores.",
            "",
            *HEADER,
            *cv_rows,
            "",
            "**2. Public pages, 10-fold cross-validation over all zyte pages, page-grouped** (the figure comparable with",
            "earlier versions; the baselines have nothing to train and are scored on the same pages):",
            "",
            *HEADER,
            *public_rows,
            "",
            "**3. The shipped model, frozen**, on data it was neither trained nor chosen on: the public test splits (the",
            "zyte test pages were also held-out pages of the cross-validation above) and the ketamine-pages `dev`",
            "split, scored after the model was frozen (recomputed by `ketamine-claims score`). The `dev` split has been",
            "scored after each change to the decision (the prose guard, the title over the byline, the rules for the",
            "chrome of pages with little of it, the title at the top of the page, the guard inside chrome, the page's",
            "chrome level and the guard's margin), so it is development",
            "data, not a held-out estimate: new pages may do worse.",
            "",
            *HEADER,
            frozen_markdown(frozen or recorded),
            "",
            "After the model was frozen, a site-grouped 10-fold cross-validation over the ketamine-pages `train` and",
            "`dev` splits together (the other training data in every training part), scored per segment:",
            "",
            *HEADER,
            _model_row(f"ketamine-pages, `train` and `dev` ({cv_all['pages']} pages)", cv_all["model"], "segments"),
        ]
    )


LIMITS = [
    "- **Limits**: English web pages (zyte news, blogs and health pages, 2019; ketamine clinic, news, FAQ",
    "  and health pages); the zyte gold leaves out decks (standfirsts), bylines and photo captions, so",
    "  the model removes them too. Runs of short lines between chrome are read as chrome, and one-line",
    "  content between two chrome lines tends to follow them (sequence smoothing). Chrome that reads like",
    "  prose (a teaser paragraph, an author's note, a reader's comment, a photo described in a sentence) is",
    "  often kept when the prose guard reads it as article prose, and table-of-contents",
    "  entries that do not count up are often kept. On",
    "  pages with little chrome it now seldom flags article text (a short heading or a truncated last line)",
    "  but misses much of the chrome there is (the ketamine-pages rows below: recall well under precision):",
    "  a site's name or menu label in plain words, a related story's headline and standfirst, a repeated",
    "  standfirst, a table of contents without its header whose entries do not count up; on a page",
    "  without a headline the title can be a related article's teaser, a caption or the site's name.",
    "  Paragraphs inside a run of chrome on news pages (a product box's description, an answer below a",
    "  list) are flagged more often than before the prose guard's margin.",
    "  Lines of more than 30 words are judged without the named rules (but `support_appeal`). The",
    "  table-of-contents header decides alone as the guidelines say, although the readability corpus keeps",
    "  it inside some articles. When the model leaves a page",
    "  with no content and the page has fewer than 8 lines, the named rules decide alone. Other",
    "  languages are seen only through the shape features. The ketamine-pages and gold-article figures",
    "  come from few pages and few boilerplate segments and move a lot with one line.",
]


def model_card_markdown(metrics: dict) -> str:
    """The short model card: the model and its features, training data with licences and sha256, limits."""
    return "\n".join([*_model_lines(metrics), *_training_data_lines(metrics["training"]), *LIMITS])


def _model_lines(metrics: dict) -> list[str]:
    """The model, its features, kinds and title choice."""
    training = metrics["training"]
    params = ", ".join(f"{k} {v}" for k, v in training["crfsuite"].items())
    decisive = ", ".join(f"`{name}`" for name in training["decisive_rules"])
    rule_stats = ", ".join(
        f"`{name}` {r['lines']} ({r['boilerplate_share']:.2f})" for name, r in training["rules"].items() if r["lines"]
    )
    return [
        "`auto` documents get their boilerplate flags, `clean_text` and `title` from a line model",
        "(`ketamine_claims/auto/boilerplate_model.json`, sha256 " + f"`{metrics['model_sha256']}`):",
        "",
        "- **Model**: a linear-chain CRF over the lines of a page (python-crfsuite, " + params + "),",
        "  stored as plain JSON weights and decoded in pure Python (Viterbi); deterministic.",
        "- **Features**, from the text alone: words, stopword density (jusText's English stoplist),",
        "  end punctuation, capitalised words, digits, dates, URLs, e-mail addresses, phone numbers,",
        "  the named rules of `auto/boilerplate_rules.py` (lines of up to 30 words), the text of lines of",
        "  up to three words, the share of the line's words found in two or more of the page's prose lines,",
        "  distance to the page's prose lines, repetition within the page, a headline candidate, how many of",
        "  the page's lines the named rules match (none, 1-2, 3-9, 10 or more: the page's chrome level, so that",
        "  position weighs differently on a page with no chrome), and the length, stopword density and rules of",
        "  the two lines before and after.",
        "- **Kinds**: a boilerplate line's `boilerplate_kind` is that of the first named rule matching it",
        "  (`duplicate_title` for a later copy of the title: the same words, or a near copy whose words begin",
        "  with the title's or the title's with its own, covering 80% of them), else `other`. Near-certain rules",
        "  decide alone and are taken out of the page before the model reads it: " + decisive + ".",
        "  Lines they matched among the training pages (share that was boilerplate): " + rule_stats + ".",
        "- **Prose guard**: a line that reads as article prose (jusText's \"good\" paragraph: over "
        f"{PROSE_GUARD_MIN_CHARS} characters,",
        f"  stopword density {PROSE_GUARD_MIN_STOPWORD_DENSITY} or more; and it ends a sentence and no named rule matches "
        "it) is pulled towards",
        f"  content: the model's path is decoded again with such lines' boilerplate score lowered by {PROSE_GUARD_MARGIN}, "
        "so a run",
        "  of flags swallows a paragraph only when the model's own evidence against it is strong (a reader's",
        "  comment, a teaser in a list of teasers). Runs count the lines the guard kept as `prose_guard`.",
        "- **After decoding**: a date alone written with dashes or dots (`numeric_date`: \"04-18-2025\",",
        "  \"18.04.2025\") and a person's name alone right above or below a byline or such a date",
        "  (`author_beside_byline`) are `byline`, unless the name is the headline candidate or names the topic.",
        "  So are three or more short lines in a row counting up (\"Session 1\", \"Session 2\", \"Session 3\"; a",
        "  pager's \"1\", \"2\", \"3\") as `table_of_contents` (`counted_sequence`).",
        "  They act after the model, which neither reads nor was trained with them.",
        "- **Title**: a headline over the page's byline (`title_above_byline`); else the page's first content",
        "  line when only lines of named rules are above it and it reads as a heading (`title_at_top`: an FAQ's",
        "  or a \"How it works\" page's short heading, one final full stop allowed on up to six words); else the",
        "  line most like a headline above the page's first prose line (title-shaped, the most words shared with",
        "  the prose), kept as content; without one, the first content line that reads as a title. A line that",
        "  starts in lower case or that any named",
        "  rule matches (breadcrumb, menu, category label, cookie notice, caption, byline, ...) is never the title.",
    ]


def _training_data_lines(training: dict) -> list[str]:
    """The training data: corpora with licences and sha256, gold articles, augmented variants, sources."""
    return [
        "- **Training data**: pages with per-line labels, and augmented variants of every one of them:",
        *(
            f"  - `{c['file']}` ({c['licence']}; {c['pages']} pages of the {' and '.join(c['splits'])} "
            f"split{'s' if len(c['splits']) > 1 else ''}), sha256 `{c['sha256']}`"
            for c in training["corpora"].values()
        ),
        "  - the gold boilerplate labels of the " + f"{len(training['gold_articles'])} gold articles of this dataset",
        "    (CC BY 4.0 annotations; the article texts belong to their publishers).",
        "  - augmented variants of each page above, made by `scripts/train-boilerplate` from the page's own lines",
        "    and labels and never stored (`ketamine_claims/corpora/augment.py`): content only, chrome above only,",
        "    chrome below only, chrome thinned (one boilerplate line in three), paragraph form (three sentence",
        "    lines joined) and short-line form (one sentence per line); "
        + f"{training['examples']:,} training pages in all.",
        "  zyte: Zyte's article extraction benchmark (MIT, \"Copyright (c) 2020 Scrapinghub\"); readability: the test",
        "  pages of Mozilla's Readability.js (Apache-2.0); ketamine-pages: the beginnings (about 2,000 characters)",
        "  of real pages about ketamine, one per site, labelled by AI language-model annotators from this dataset's",
        "  guidelines (not adjudicated); its `dev` split is never trained on (development data, see 3.). The texts belong to",
        "  their publishers; only labels and features were learnt from them. Where the public corpora come from",
        "  (`scripts/fetch-corpora` rebuilds them there and checks the sha256 above):",
        *(f"  - `{c.file}`: `{c.repo}` at commit `{c.commit}` ({c.licence})" for c in SOURCES),
    ]
