"""Training and evaluation of the boilerplate line model (`scripts/train-boilerplate`; needs the `train` extra).

    scripts/train-boilerplate [CORPORA] [--pages KETAMINE_PAGES] [--out FOLDER] [--skip-eval]

Training data: the public corpora (zyte and readability, their train and dev splits), the train
split of the ketamine-pages corpus, the gold boilerplate labels of the seed articles, and the
augmented variants of every one of these pages (`boilerplate_augment`: content only, chrome above
only, chrome below only, chrome thinned, paragraph form, short-line form), made here and never stored.

1. Site-grouped cross-validation (10 folds): zyte pages by the fold of their site, ketamine-pages
   train pages by the fold of their site, seed articles by the fold of their id; readability pages
   are in the training part of every fold. Each held-out page is scored by the model of its fold:
   zyte characters, ketamine-pages segments, content characters lost and titles, the seed articles,
   and the invariants (content-only pages, content lines turned into boilerplate by deleting chrome).
   Every feature, rule and parameter was chosen on these scores.
2. Page-grouped cross-validation over zyte (10 folds, the corpora README's `fold(id)`), everything
   else in every training part: the figure comparable with earlier versions.
3. The shipped model, trained on all the training data above. Then, with the model frozen: each
   public corpus's test split, and the ketamine-pages `dev` split (never trained on, never used to
   choose), and a site-grouped cross-validation over ketamine-pages train and dev together.

The held-out counts (`Tally`) and the frozen-model scores (`held_out_scores`, which `ketamine-claims
score` recomputes) are `evaluation.boilerplate`'s. Writes `boilerplate_model.json` and
`boilerplate_metrics.json` (see `auto/line_model.py` for the model format). The same inputs and
pinned versions give byte-identical files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ketamine_claims.auto.boilerplate_rules import DECISIVE_RULES, LINE_RULES
from ketamine_claims.auto.line_features import PageFeatures, model_view
from ketamine_claims.auto.line_model import LABELS, MODEL_FILE, MODEL_FORMAT, LineModel
from ketamine_claims.corpora.augment import variants
from ketamine_claims.corpora.pages import (
    CORPUS_FILES,
    DEFAULT_CORPORA,
    DEFAULT_KETAMINE_PAGES,
    KETAMINE_PAGES_FILE,
    Page,
    fold,
    ketamine_pages_path,
    load_corpus,
    load_ketamine_pages,
    sha256_file,
    site,
)
from ketamine_claims.errors import EXIT_FAULT, EXIT_INPUT, FaultError, InputError
from ketamine_claims.evaluation.boilerplate import Tally, baseline_scores, held_out_scores
from ketamine_claims.staging import write_atomically

METRICS_FILE = MODEL_FILE.with_name("boilerplate_metrics.json")
# L-BFGS with light elastic-net regularisation (not tuned).
CRF_PARAMS = {"c1": 0.05, "c2": 0.05, "max_iterations": 200, "feature.possible_transitions": True}
WEIGHT_DIGITS = 6
CORPORA_LICENCES = {"zyte": "MIT", "readability": "Apache-2.0"}
FOLDS = 10


@dataclass(frozen=True)
class Example:
    """A labelled page: its lines and gold flags, and the model's view of it (lines left by the decisive rules)."""

    key: str
    lines: tuple[str, ...]
    boilerplate: tuple[bool, ...]
    kept: list[int]
    features: PageFeatures


def example(key: str, lines: Sequence[str], boilerplate: Sequence[bool]) -> Example:
    _, kept, features = model_view(lines)
    return Example(key, tuple(lines), tuple(boilerplate), kept, features)


@dataclass(frozen=True)
class Source:
    """A labelled page and the training examples made from it (the page and its augmented variants)."""

    page: Page
    examples: tuple[Example, ...]


def source(page: Page) -> Source:
    made = variants(page.id, page.lines, page.boilerplate)
    return Source(page, (example(page.id, page.lines, page.boilerplate),
                         *(example(f"{page.id}/{name}", lines, bp) for name, (lines, bp) in made.items())))


def rule_precision(examples: Sequence[Example]) -> dict[str, dict]:
    """How often each named rule matched a line of the examples, and the share of those lines that were boilerplate."""
    out = {}
    for rule in LINE_RULES:
        hits = [bp for ex in examples for line, bp in zip(ex.lines, ex.boilerplate, strict=True) if rule.applies(line)]
        out[rule.name] = {"lines": len(hits), "boilerplate_share": round(sum(hits) / len(hits), 4) if hits else None}
    return out



def trained_info(trainer: Any) -> Any:
    """Train a pycrfsuite.Trainer (into a temporary file) and return the model's weights as crfsuite reports them
    (`Tagger.info()`: state features and transitions)."""
    import pycrfsuite

    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "model.crfsuite")
        trainer.train(path)
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        info = tagger.info()
        tagger.close()
    return info

def train(examples: Iterable[Example], params: dict | None = None) -> dict:
    """Train a CRF on the examples and return the model as JSON-ready data."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.select("lbfgs", "crf1d")
    trainer.set_params(params or CRF_PARAMS)
    for ex in examples:
        if ex.kept:
            trainer.append(ex.features.names(), [LABELS[ex.boilerplate[i]] for i in ex.kept])
    info = trained_info(trainer)
    features: dict[str, list[float]] = {}
    for (name, label), weight in info.state_features.items():
        features.setdefault(name, [0.0, 0.0])[LABELS.index(label)] = round(weight, WEIGHT_DIGITS)
    transitions = [[round(info.transitions.get((a, b), 0.0), WEIGHT_DIGITS) for b in LABELS] for a in LABELS]
    return {
        "format": MODEL_FORMAT,
        "labels": list(LABELS),
        "transitions": transitions,
        "features": {k: features[k] for k in sorted(features) if features[k] != [0.0, 0.0]},
    }


def training_examples(sources: Iterable[Source]) -> list[Example]:
    return [ex for s in sources for ex in s.examples]


def cross_validate(
    sources: Sequence[Source], group: Callable[[Page], int | None], params: dict | None = None
) -> dict[str, Tally]:
    """Held-out tallies per corpus over FOLDS folds; a page whose group is None is in every training part."""
    tallies: dict[str, Tally] = {}
    for k in range(FOLDS):
        held = [s for s in sources if group(s.page) == k]
        if not held:
            continue
        model = LineModel.from_json(train(training_examples(s for s in sources if group(s.page) != k), params))
        for s in held:
            tallies.setdefault(s.page.source, Tally()).add(model, s.page)
    return tallies


def gold_pages(root: Path) -> list[Page]:
    """The gold articles' segments and their gold boilerplate flags (from the annotation files)."""
    from ketamine_claims.inputs import load_inputs
    from ketamine_claims.paths import Paths
    from ketamine_claims.pipeline import process_doc

    out = []
    for doc_id, text, annotation in load_inputs(Paths(root)).gold_documents():
        segments = process_doc(doc_id, text, annotation).rows["segments"]
        out.append(Page(doc_id, "gold", None, "train", tuple(s["text"] for s in segments),
                        tuple(s["is_boilerplate"] for s in segments)))
    return out


def site_group(page: Page) -> int | None:
    """The fold of a page in the site-grouped cross-validation (None: in every training part)."""
    if page.source == "readability":
        return None
    if page.source == "gold":
        return fold(page.id)
    return fold(site(page.url))


def _tallies(tallies: dict[str, Tally]) -> dict[str, dict]:
    return {name: tallies[name].as_dict() for name in sorted(tallies)}


def training_record(
    corpora: Path,
    pages_folder: Path,
    public: dict[str, list[Page]],
    ketamine: list[Page],
    gold: list[Page],
    sources: list[Source],
) -> dict:
    """The model's `training` record: corpora with licences and sha256, gold articles, augmentation, parameters."""
    return {
        "corpora": {
            **{
                name: {
                    "file": CORPUS_FILES[name],
                    "sha256": sha256_file(Path(corpora) / CORPUS_FILES[name]),
                    "licence": CORPORA_LICENCES[name],
                    "pages": sum(p.split != "test" for p in public[name]),
                    "splits": ["train", "dev"],
                }
                for name in CORPUS_FILES
            },
            "ketamine-pages": {
                "file": KETAMINE_PAGES_FILE,
                "sha256": sha256_file(ketamine_pages_path(pages_folder)),
                "licence": "texts belong to their publishers; labels for development of this labeller",
                "pages": sum(p.split == "train" for p in ketamine),
                "splits": ["train"],
            },
        },
        "gold_articles": sorted(p.id for p in gold),
        "augmentation": ["content_only", "chrome_above", "chrome_below", "chrome_thinned", "paragraphs", "short_lines"],
        "examples": len(sources) + sum(len(s.examples) - 1 for s in sources),
        "crfsuite": {"algorithm": "lbfgs", "graph": "crf1d", **CRF_PARAMS},
    }


def cross_validation_metrics(cv_sources: list[Source], zyte: list[Page]) -> dict:
    """The cross-validation scores every choice was made on (ketamine-pages dev and readability test left out)."""
    site_grouped = _tallies(cross_validate(cv_sources, site_group))
    page_grouped = cross_validate(cv_sources, lambda p: fold(p.id) if p.source == "zyte" else None)
    return {
        "cv_site_grouped": site_grouped,
        "cv_page_grouped_zyte": page_grouped["zyte"].as_dict(),
        "baselines_zyte_all": {k: s.as_dict() for k, s in baseline_scores(zyte).items()},
    }


def frozen_model_scores(model: LineModel, public: dict[str, list[Page]], ketamine: list[Page], sources: list[Source]) -> dict:
    """Scores of the frozen model on data it was neither trained nor chosen on (each public test split, the
    ketamine-pages dev split), and a site-grouped cross-validation over ketamine-pages train and dev together."""
    frozen = held_out_scores(model, public, ketamine)
    all_ketamine = [source(p) for p in ketamine]
    others = [s for s in sources if s.page.source != "ketamine-pages"]
    cv_all = cross_validate([*others, *all_ketamine],
                            lambda p: fold(site(p.url)) if p.source == "ketamine-pages" else None)
    frozen["ketamine_pages_cv_train_and_dev"] = {"pages": len(ketamine), "model": cv_all["ketamine-pages"].as_dict()}
    return frozen


def run(corpora: Path, pages_folder: Path, root: Path, out: Path, evaluate: bool = True) -> dict:
    """Train the shipped model (and, with evaluate, the cross-validation models and the frozen-model scores)."""
    public = {name: load_corpus(corpora, name) for name in CORPUS_FILES}
    ketamine = load_ketamine_pages(pages_folder)
    gold = gold_pages(root)
    training_pages = [p for ps in public.values() for p in ps if p.split != "test"]
    training_pages += [p for p in ketamine if p.split == "train"] + gold
    sources = [source(p) for p in training_pages]
    # Cross-validation covers all zyte pages (the corpora README's folds), the test split included.
    cv_sources = [*sources, *(source(p) for p in public["zyte"] if p.split == "test")]
    metrics: dict = {"format": "ketamine-claims boilerplate metrics 2",
                     "unit": "boilerplate class; characters are non-whitespace characters of non-blank lines"}
    if evaluate:
        metrics.update(cross_validation_metrics(cv_sources, public["zyte"]))
    model_data = train(training_examples(sources))
    model_data["training"] = training_record(corpora, pages_folder, public, ketamine, gold, sources)
    out.mkdir(parents=True, exist_ok=True)
    model_bytes = (json.dumps(model_data, indent=0, sort_keys=False, ensure_ascii=False) + "\n").encode("utf-8")
    write_atomically(model_bytes, out / MODEL_FILE.name)
    if evaluate:
        metrics["model_sha256"] = hashlib.sha256(model_bytes).hexdigest()
        metrics["frozen"] = frozen_model_scores(LineModel.from_json(model_data), public, ketamine, sources)
        metrics["training"] = {**model_data["training"], "decisive_rules": list(DECISIVE_RULES),
                               "rules": rule_precision([s.examples[0] for s in sources])}
        write_atomically((json.dumps(metrics, indent=1, ensure_ascii=False) + "\n").encode("utf-8"), out / METRICS_FILE.name)
    return metrics


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="train-boilerplate", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpora", nargs="?", default=str(DEFAULT_CORPORA), help=f"corpora folder (default: {DEFAULT_CORPORA})")
    parser.add_argument("--pages", default=str(DEFAULT_KETAMINE_PAGES),
                        help=f"ketamine-pages folder (default: {DEFAULT_KETAMINE_PAGES})")
    parser.add_argument("--root", default=".", help="repository root with seeds/ and annotations/ (default: .)")
    parser.add_argument("--out", default=str(MODEL_FILE.parent), help="folder for the model and metrics (default: the package)")
    parser.add_argument("--skip-eval", action="store_true", help="train the shipped model only; no cross-validation or scores")
    args = parser.parse_args(argv)
    try:
        corpora, pages, root = Path(args.corpora), Path(args.pages), Path(args.root).resolve()
        metrics = run(corpora, pages, root, Path(args.out), evaluate=not args.skip_eval)
    except (InputError, FaultError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT if isinstance(exc, InputError) else EXIT_FAULT
    print(json.dumps({k: v for k, v in metrics.items() if k != "training"}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
