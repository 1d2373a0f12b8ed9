"""Training and evaluation of the boilerplate line model (`scripts/train-boilerplate`; needs the `train` extra).

    scripts/train-boilerplate [CORPORA] [--out FOLDER] [--skip-eval]

1. Cross-validation over the zyte pages, page-grouped and site-grouped (10 folds each, the folds of
   the corpora's README); readability pages are added to the training part of every fold. jusText
   and "lines < 10 words" are scored on the same lines.
2. Leave-one-article-out over the gold articles: train on the corpora and the other gold articles,
   score the held-out one.
3. The shipped model: trained on every zyte and readability page outside the test split and on the
   boilerplate labels of every gold article; then scored once on each corpus's test split.

Writes `boilerplate_model.json` and `boilerplate_metrics.json` (see `auto/line_model.py` for the
model format). The same inputs and pinned versions give byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .auto.boilerplate import classify_lines
from .auto.boilerplate_rules import DECISIVE_RULES, LINE_RULES
from .auto.line_features import PageFeatures, model_view
from .auto.line_model import LABELS, MODEL_FILE, MODEL_FORMAT, LineModel
from .corpora import (
    CORPUS_FILES,
    DEFAULT_CORPORA,
    Score,
    char_score,
    fold,
    load_corpus,
    sha256_file,
    short_line_flags,
    site,
    total,
)
from .errors import EXIT_FAULT, EXIT_INPUT, FaultError, InputError

METRICS_FILE = MODEL_FILE.with_name("boilerplate_metrics.json")
# L-BFGS with light elastic-net regularisation (not tuned; features, decisive rules and decoding
# were chosen by page-grouped cross-validation on zyte and leave-one-article-out on the gold articles).
CRF_PARAMS = {"c1": 0.05, "c2": 0.05, "max_iterations": 200, "feature.possible_transitions": True}
WEIGHT_DIGITS = 6
CORPORA_LICENCES = {"zyte": "MIT", "readability": "Apache-2.0"}


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


def rule_precision(examples: Sequence[Example]) -> dict[str, dict]:
    """How often each named rule matched a line of the examples, and the share of those lines that were boilerplate."""
    out = {}
    for rule in LINE_RULES:
        hits = [bp for ex in examples for line, bp in zip(ex.lines, ex.boilerplate, strict=True) if rule.applies(line)]
        out[rule.name] = {"lines": len(hits), "boilerplate_share": round(sum(hits) / len(hits), 4) if hits else None}
    return out


def train(examples: Sequence[Example], params: dict | None = None) -> dict:
    """Train a CRF on the examples and return the model as JSON-ready data."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.select("lbfgs", "crf1d")
    trainer.set_params(params or CRF_PARAMS)
    for ex in examples:
        if ex.kept:
            trainer.append(ex.features.names(), [LABELS[ex.boilerplate[i]] for i in ex.kept])
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "model.crfsuite")
        trainer.train(path)
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        info = tagger.info()
        tagger.close()
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


def predict(model: LineModel, ex: Example) -> list[bool]:
    """Whether each line is boilerplate, decided as for an `auto` document (`classify_lines`)."""
    return [kind is not None for kind in classify_lines(ex.lines, model)[0]]


def justext_flags(lines: Sequence[str]) -> list[bool]:
    from .scoring import justext_boilerplate

    return justext_boilerplate(list(lines))


def cross_validate(
    zyte: Sequence[Example], extra: Sequence[Example], group: Callable[[Example], int], params: dict | None = None
) -> dict[str, Score]:
    """Pooled held-out character scores of the model and the two baselines over 10 folds."""
    scores = {"model": Score(), "justext": Score(), "short_lines": Score()}
    for k in range(10):
        held = [ex for ex in zyte if group(ex) == k]
        if not held:
            continue
        model = LineModel.from_json(train([ex for ex in zyte if group(ex) != k] + list(extra), params))
        for ex in held:
            scores["model"] += char_score(ex.lines, ex.boilerplate, predict(model, ex))
    for ex in zyte:
        scores["justext"] += char_score(ex.lines, ex.boilerplate, justext_flags(ex.lines))
        scores["short_lines"] += char_score(ex.lines, ex.boilerplate, short_line_flags(ex.lines))
    return scores


def gold_examples(root: Path) -> list[Example]:
    """The gold articles' segments and their gold boilerplate flags (from the annotation files)."""
    from .package import Paths, load_inputs
    from .pipeline import process_doc

    out = []
    for doc_id, text, annotation in load_inputs(Paths(root)).gold_documents():
        segments = process_doc(doc_id, text, annotation).rows["segments"]
        out.append(example(doc_id, [s["text"] for s in segments], [s["is_boilerplate"] for s in segments]))
    return out


def leave_one_article_out(corpora: Sequence[Example], gold: Sequence[Example]) -> dict[str, dict]:
    """Per gold article: scores of the model trained without it, the baselines, and content lines lost."""
    out = {}
    for held in gold:
        model = LineModel.from_json(train(list(corpora) + [ex for ex in gold if ex is not held]))
        predicted = predict(model, held)
        lost = sum(p and not g for p, g in zip(predicted, held.boilerplate, strict=True))
        out[held.key] = {
            "model": char_score(held.lines, held.boilerplate, predicted),
            "justext": char_score(held.lines, held.boilerplate, justext_flags(held.lines)),
            "short_lines": char_score(held.lines, held.boilerplate, short_line_flags(held.lines)),
            "content_lines_lost": lost,
            "lines": len(held.lines),
        }
    return out


def _scores(scores: dict[str, Score]) -> dict[str, dict]:
    return {name: s.as_dict() for name, s in scores.items()}


def run(corpora: Path, root: Path, out: Path, evaluate: bool = True) -> dict:
    """Train the shipped model (and, with evaluate, the CV and LOAO models); write model and metrics."""
    pages = {name: load_corpus(corpora, name) for name in CORPUS_FILES}
    examples = {name: [example(p.id, p.lines, p.boilerplate) for p in ps] for name, ps in pages.items()}
    urls = {p.id: p.url for p in pages["zyte"]}
    splits = {p.id: p.split for ps in pages.values() for p in ps}
    gold = gold_examples(root)
    metrics: dict = {"format": "ketamine-claims boilerplate metrics 1", "unit": "boilerplate class, non-whitespace characters"}
    if evaluate:
        zyte, readability = examples["zyte"], examples["readability"]
        metrics["cv_page_grouped"] = _scores(cross_validate(zyte, readability, lambda ex: fold(ex.key)))
        metrics["cv_site_grouped"] = _scores(cross_validate(zyte, readability, lambda ex: fold(site(urls[ex.key]))))
        train_corpora = [ex for ps in examples.values() for ex in ps if splits[ex.key] != "test"]
        loao = leave_one_article_out(train_corpora, gold)
        metrics["gold_loao"] = {
            "articles": {
                k: {
                    **_scores({n: v[n] for n in ("model", "justext", "short_lines")}),
                    "content_lines_lost": v["content_lines_lost"],
                    "lines": v["lines"],
                }
                for k, v in loao.items()
            },
            "pooled": _scores({n: total(v[n] for v in loao.values()) for n in ("model", "justext", "short_lines")}),
        }
    training = [ex for ps in examples.values() for ex in ps if splits[ex.key] != "test"] + gold
    model_data = train(training)
    model_data["training"] = {
        "corpora": {
            name: {
                "file": CORPUS_FILES[name],
                "sha256": sha256_file(Path(corpora) / CORPUS_FILES[name]),
                "licence": CORPORA_LICENCES[name],
                "pages": sum(splits[ex.key] != "test" for ex in examples[name]),
                "splits": ["train", "dev"],
            }
            for name in CORPUS_FILES
        },
        "gold_articles": sorted(ex.key for ex in gold),
        "crfsuite": {"algorithm": "lbfgs", "graph": "crf1d", **CRF_PARAMS},
    }
    if evaluate:
        model = LineModel.from_json(model_data)
        metrics["test_split"] = {}
        for name, exs in examples.items():
            test = [ex for ex in exs if splits[ex.key] == "test"]
            metrics["test_split"][name] = {
                "pages": len(test),
                **_scores(
                    {
                        "model": total(char_score(ex.lines, ex.boilerplate, predict(model, ex)) for ex in test),
                        "justext": total(char_score(ex.lines, ex.boilerplate, justext_flags(ex.lines)) for ex in test),
                        "short_lines": total(char_score(ex.lines, ex.boilerplate, short_line_flags(ex.lines)) for ex in test),
                    }
                ),
            }
        metrics["model_sha256"] = None
    out.mkdir(parents=True, exist_ok=True)
    model_bytes = (json.dumps(model_data, indent=0, sort_keys=False, ensure_ascii=False) + "\n").encode("utf-8")
    _write_atomic(out / MODEL_FILE.name, model_bytes)
    if evaluate:
        import hashlib

        metrics["model_sha256"] = hashlib.sha256(model_bytes).hexdigest()
        rules = rule_precision(training)
        metrics["training"] = {**model_data["training"], "decisive_rules": list(DECISIVE_RULES), "rules": rules}
        _write_atomic(out / METRICS_FILE.name, (json.dumps(metrics, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
    return metrics


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="train-boilerplate", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpora", nargs="?", default=str(DEFAULT_CORPORA), help=f"corpora folder (default: {DEFAULT_CORPORA})")
    parser.add_argument("--root", default=".", help="repository root with seeds/ and annotations/ (default: .)")
    parser.add_argument("--out", default=str(MODEL_FILE.parent), help="folder for the model and metrics (default: the package)")
    parser.add_argument("--skip-eval", action="store_true", help="train the shipped model only; no CV, LOAO or test scores")
    args = parser.parse_args(argv)
    try:
        metrics = run(Path(args.corpora), Path(args.root).resolve(), Path(args.out), evaluate=not args.skip_eval)
    except (InputError, FaultError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT if isinstance(exc, InputError) else EXIT_FAULT
    print(json.dumps({k: v for k, v in metrics.items() if k != "training"}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
