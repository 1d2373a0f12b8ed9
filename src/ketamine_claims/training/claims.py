"""Training and evaluation of the claim classifiers (`scripts/train-claims`; needs the `train` extra).

    scripts/train-claims [PAGES] [--out FOLDER] [--skip-eval]

Training data: the gold articles (`annotations/`) and the `train` split of the ketamine-pages
corpus (`../shared/ketamine-pages`). The sentence classifier learns which content sentences
carry a claim, with the named rules of `auto.claims` among its features; at run time it can veto
a sentence the rules propose (never add one). The row-label classifiers learn `claim_type`
and `condition` from the gold rows and the rules' rows paired with them, with the rules'
own labels among their features; at run time each overrides the rules' label by a margin.
Evaluation, all with the page chrome set from the gold labels ("detector") and, for the corpus,
end to end (`process_doc`, boilerplate model included):

1. site-grouped cross-validation over the train pages (the gold articles are in every training
   part): the named rules alone (in-sample: they were written reading these pages) against rules
   + classifier, for each regularisation tried; c2 is chosen here, then each row-label classifier's
   c1, c2 and margin (kept only when it beats the model without it);
2. the gold articles, scored by the shipped model (in-sample: they are in its training data);
3. the `dev` split, scored by the frozen shipped model (development data: it has been scored after
   earlier versions of the rules and guided work on them, so it is no longer held out);
4. site-grouped cross-validation over train + dev with the frozen parameters (reported, not used
   for any choice).

Writes `claim_model.json` and `claim_metrics.json` (see `auto/claim_model.py` for the model
format). The same inputs and pinned versions give byte-identical files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ketamine_claims import schema
from ketamine_claims.auto.claim_model import (
    MODEL_FILE,
    MODEL_FORMAT,
    NO_CONDITION,
    ROW_LABELS,
    SENTENCE_LABELS,
    ClaimModel,
)
from ketamine_claims.auto.claims import SentenceSpan, record_features, sentence_records
from ketamine_claims.auto.claims.claim_type import claim_type_of
from ketamine_claims.auto.claims.condition import conditions_in, row_conditions
from ketamine_claims.auto.claims.context import SentenceContext
from ketamine_claims.auto.claims.learned import condition_row_features, row_features
from ketamine_claims.corpora.claim_pages import (
    DEFAULT_PAGES,
    PAGES_FILE,
    ClaimPage,
    auto_rows,
    chrome_spans,
    end_to_end_rows,
    gold_rows,
    load_pages,
)
from ketamine_claims.evaluation.claims import ClaimScores, _add_document, match_claims, scores_dict
from ketamine_claims.staging import write_atomically
from ketamine_claims.training.boilerplate import trained_info

METRICS_FILE = MODEL_FILE.with_name("claim_metrics.json")
# Site-grouped folds over the corpus pages (one site per page): a site's fold is fixed by its host's sha256.
FOLDS = 7
# L2-regularised maximum entropy (crfsuite's L-BFGS on one-item sequences); c2 chosen by the train-split CV.
C2_GRID = (0.3, 1.0, 3.0)
# The c2 the last evaluated run chose, used by --skip-eval.
CHOSEN_C2 = 0.3
# The row-label classifiers (`auto.claim_model.ROW_LABELS`, chosen in that order): c1, c2 and the margin by which a
# classifier must beat the named rules' label to override it (0: whenever it prefers another), chosen by the train-split CV.
# A setting of a row label: (c1, c2, margin).
LabelChoice = tuple[float, float, float]
# (c1, c2): L2 alone, or with L1, which keeps fewer features (a smaller model is faster to decode).
LABEL_REGULARISATION_GRID = ((0.0, 0.1), (0.0, 0.3), (0.0, 1.0), (0.1, 0.1), (0.3, 0.1), (1.0, 0.1))
MARGIN_GRID = (0.0, 1.0, 2.0, 4.0)
# What the last evaluated run chose for the row-label classifiers (label → (c1, c2, margin); a label left out keeps the
# named rules' values), for --skip-eval.
CHOSEN_LABELS: dict[str, LabelChoice] = {"claim_type": (0.0, 0.1, 1.0)}
MAX_ITERATIONS = 300
WEIGHT_DIGITS = 6


@dataclass(frozen=True)
class TrainingDoc:
    """A document with gold labels: its text, chrome-aware sentence spans, gold rows and grouping key. `derived`
    holds what is computed from it once (the named rules' rows, label examples) and lives as long as the document."""

    key: str
    group: str
    text: str
    spans: list[SentenceSpan]
    gold: dict[str, list[dict]]
    page: ClaimPage | None = None
    derived: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)


def page_doc(page: ClaimPage) -> TrainingDoc:
    return TrainingDoc(page.id, page.host, page.text, chrome_spans(page.text, page.boilerplate), gold_rows(page), page)


def gold_article_docs(root: Path) -> list[TrainingDoc]:
    """The gold articles with their gold chrome, sentences and claim rows (from the annotation files)."""
    from ketamine_claims.inputs import load_inputs
    from ketamine_claims.paths import Paths
    from ketamine_claims.pipeline import process_doc

    docs = []
    for doc_id, text, annotation in load_inputs(Paths(root)).gold_documents():
        rows = process_doc(doc_id, text, annotation).rows
        boilerplate = [s["is_boilerplate"] for s in rows["segments"]]
        docs.append(TrainingDoc(doc_id, f"gold:{doc_id}", text, chrome_spans(text, boilerplate), rows))
    return docs


def sentence_examples(doc: TrainingDoc) -> list[tuple[list[str], str]]:
    """(features, label) of every content sentence of a document."""
    claims = {s["start"] for s in doc.gold["sentences"] if s["has_claim"]}
    return [(record_features(r), SENTENCE_LABELS[r.start in claims]) for r in sentence_records(doc.text, doc.spans, Counter())]


def _maxent(examples: Sequence[tuple[list[str], str]], labels: Sequence[str], c2: float, c1: float = 0.0) -> dict:
    """A maximum-entropy model of the examples (crfsuite, one-item sequences) as JSON-ready data."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.select("lbfgs", "crf1d")
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": MAX_ITERATIONS})
    for features, label in examples:
        trainer.append([features], [label])
    info = trained_info(trainer)
    weights: dict[str, list[float]] = {}
    for (name, label), weight in info.state_features.items():
        weights.setdefault(name, [0.0] * len(labels))[labels.index(label)] = round(weight, WEIGHT_DIGITS)
    return {"labels": list(labels), "features": {k: weights[k] for k in sorted(weights) if any(weights[k])}}


def rule_rows(doc: TrainingDoc) -> dict[str, list[dict]]:
    """The named rules' rows of a document with its gold chrome (computed once per document object)."""
    if "rule_rows" not in doc.derived:
        doc.derived["rule_rows"] = auto_rows(doc.text, doc.spans, None)
    return doc.derived["rule_rows"]


def label_examples(doc: TrainingDoc, label: str) -> list[tuple[list[str], str]]:
    """(features, gold value) of a row label (`claim_type` or `condition`) for every gold row's own span and
    every row of the named rules paired with a gold row (as scoring pairs them); computed once per document object."""
    if ("examples", label) in doc.derived:
        return doc.derived[("examples", label)]
    records = {r.start: r for r in sentence_records(doc.text, doc.spans, Counter())}
    examples = []
    for gold, row in [(g, g) for g in doc.gold["claims"]] + match_claims(doc.gold["claims"], rule_rows(doc)["claims"]):
        span = doc.text[row["start"] : row["end"]]
        record = next((records[s.start] for s in doc.spans if s.start <= row["start"] < s.end and s.start in records), None)
        sentence, context = (record.sentence, record.context) if record else (span, SentenceContext())
        claim_type, rule = claim_type_of(span)
        if label == "claim_type":
            examples.append((row_features(span, claim_type, rule), gold["claim_type"]))
            continue
        sources: Counter[str] = Counter()
        conditions = row_conditions(span, rule, claim_type, sentence, context, sources)
        if len(conditions) == 1 and not conditions_in(span):
            features = condition_row_features(span, context, claim_type, conditions[0], tuple(sorted(sources)))
            examples.append((features, gold["condition"] or NO_CONDITION))
    doc.derived[("examples", label)] = examples
    return examples


def label_values(label: str) -> tuple[str, ...]:
    """The values a row-label classifier chooses among (the schema's enum; `none` for a row without condition)."""
    values = schema.enum_values("claims", label)
    return (*values, NO_CONDITION) if label == "condition" else values


def train(docs: Sequence[TrainingDoc], c2: float, choices: dict[str, LabelChoice] | None = None) -> dict:
    """The sentence classifier and, for each row label of `choices` (label → (c1, c2, margin)), its classifier,
    trained on the documents, as the JSON model (without `training`)."""
    model = {"format": MODEL_FORMAT, "sentence": _maxent([ex for d in docs for ex in sentence_examples(d)], SENTENCE_LABELS, c2)}
    for label, (c1, label_c2, margin) in sorted((choices or {}).items()):
        model[label] = label_section(docs, label, (c1, label_c2), margin)
    return model


def label_section(docs: Sequence[TrainingDoc], label: str, regularisation: tuple[float, float], margin: float) -> dict:
    """A row-label classifier trained on the documents' paired rows with (c1, c2), with its override margin."""
    c1, c2 = regularisation
    examples = [ex for d in docs for ex in label_examples(d, label)]
    return {**_maxent(examples, label_values(label), c2, c1), "min_margin": margin}


def score_docs(docs: Sequence[TrainingDoc], model: ClaimModel | None, end_to_end: bool = False) -> ClaimScores:
    """Pooled scores of the detector on the documents (gold chrome, or end to end for corpus pages)."""
    scores = ClaimScores()
    for d in docs:
        auto = end_to_end_rows(d.page, model) if end_to_end and d.page else auto_rows(d.text, d.spans, model)
        _add_document(scores, d.key, d.gold, auto)
    return scores


def fold_of(group: str) -> int:
    return int(hashlib.sha256(group.encode("utf-8")).hexdigest()[:8], 16) % FOLDS


def cross_validate(
    pages: Sequence[TrainingDoc],
    always: Sequence[TrainingDoc],
    c2: float,
    end_to_end: bool = False,
    choices: dict[str, LabelChoice] | None = None,
) -> ClaimScores:
    """Pooled held-out scores over site-grouped folds of `pages`; `always` joins every training part."""
    scores = ClaimScores()
    for k in range(FOLDS):
        held = [d for d in pages if fold_of(d.group) == k]
        if not held:
            continue
        model = ClaimModel.from_json(train([d for d in pages if fold_of(d.group) != k] + list(always), c2, choices))
        scores.merge(score_docs(held, model, end_to_end))
    return scores


def cross_validate_label(
    pages: Sequence[TrainingDoc], always: Sequence[TrainingDoc], c2: float, label: str, choices: dict[str, LabelChoice]
) -> dict[str, ClaimScores]:
    """Pooled held-out scores (gold chrome) of the sentence model with c2, the classifiers of `choices` and a
    classifier of `label` for every (c1, c2) and margin of the grids, keyed "c1/c2/margin"."""
    scores = {f"{c1}/{c2}/{m}": ClaimScores() for c1, c2 in LABEL_REGULARISATION_GRID for m in MARGIN_GRID}
    for k in range(FOLDS):
        held = [d for d in pages if fold_of(d.group) == k]
        if not held:
            continue
        training = [d for d in pages if fold_of(d.group) != k] + list(always)
        base = train(training, c2, choices)
        for c1, c2_label in LABEL_REGULARISATION_GRID:
            section = label_section(training, label, (c1, c2_label), 0.0)
            for m in MARGIN_GRID:
                model = ClaimModel.from_json({**base, label: {**section, "min_margin": m}})
                scores[f"{c1}/{c2_label}/{m}"].merge(score_docs(held, model))
    return scores


def choose(train_docs: Sequence[TrainingDoc], gold: Sequence[TrainingDoc]) -> tuple[float, dict[str, LabelChoice], dict]:
    """c2 of the sentence model (best claim-sentence F1), then for claim_type and condition in turn the
    classifier's c1, c2 and margin with the best accuracy of its label (ties: the sparser, then the wider margin),
    kept only when it beats the model without it, by site-grouped CV on train."""
    grid = {str(c): cross_validate(train_docs, gold, c) for c in C2_GRID}
    c2 = max(C2_GRID, key=lambda c: round(grid[str(c)].sentences.f1, 4))
    report: dict = {
        "unit": f"site-grouped {FOLDS}-fold CV over the {len(train_docs)} train pages, gold chrome; gold articles in every "
        "training part. The named rules were written while reading the train pages, so `rules_alone` is in-sample",
        "rules_alone": scores_dict(score_docs(train_docs, None)),
        "model_by_c2": {c: scores_dict(s) for c, s in grid.items()},
        "chosen_c2": c2,
    }
    choices: dict[str, LabelChoice] = {}
    current = grid[str(c2)]
    for label in ROW_LABELS:
        tried = cross_validate_label(train_docs, gold, c2, label, choices)
        best = max(tried, key=lambda k: (round(tried[k].accuracy(label), 4), *map(float, k.split("/"))))
        report[f"{label}_model_by_c2_and_margin"] = {k: scores_dict(s) for k, s in tried.items()}
        report[f"chosen_{label}_model"] = None
        if round(tried[best].accuracy(label), 4) > round(current.accuracy(label), 4):
            c1, c2_label, margin = map(float, best.split("/"))
            choices[label] = (c1, c2_label, margin)
            report[f"chosen_{label}_model"] = {"c1": c1, "c2": c2_label, "min_margin": margin}
            current = tried[best]
    report["chosen"] = scores_dict(current)
    return c2, choices, report


def write_model(train_docs: Sequence[TrainingDoc], gold: Sequence[TrainingDoc], pages_folder: Path, out: Path, choice) -> dict:
    """Train the shipped model on train + gold articles and write it; returns the model data."""
    c2, choices = choice
    model_data = train(list(train_docs) + list(gold), c2, choices)
    model_data["training"] = {
        "pages": {
            "file": PAGES_FILE,
            "sha256": hashlib.sha256((Path(pages_folder) / PAGES_FILE).read_bytes()).hexdigest(),
            "split": "train",
            "pages": len(train_docs),
        },
        "gold_articles": sorted(d.key for d in gold),
        "crfsuite": {"algorithm": "lbfgs", "graph": "crf1d", "c1": 0.0, "c2": c2, "max_iterations": MAX_ITERATIONS},
        "row_label_models": {label: {"c1": a, "c2": b, "min_margin": m} for label, (a, b, m) in sorted(choices.items())},
        "features": "auto/claim_features.py sentence_features, label_features, condition_features",
    }
    out.mkdir(parents=True, exist_ok=True)
    write_atomically(model_bytes(model_data), out / MODEL_FILE.name)
    return model_data


def model_bytes(model_data: dict) -> bytes:
    return (json.dumps(model_data, indent=0, ensure_ascii=False) + "\n").encode("utf-8")


def run(pages_folder: Path, root: Path, out: Path, evaluate: bool = True) -> dict:
    """Choose by train-split CV, train the shipped model, then score the gold articles, dev and train + dev CV once."""
    pages = load_pages(pages_folder)
    train_docs = [page_doc(p) for p in pages if p.split == "train"]
    dev_docs = [page_doc(p) for p in pages if p.split == "dev"]
    gold = gold_article_docs(root)
    metrics: dict = {"format": "ketamine-claims claim metrics 2"}
    c2, choices = CHOSEN_C2, CHOSEN_LABELS
    if evaluate:
        c2, choices, metrics["train_cv"] = choose(train_docs, gold)
    model_data = write_model(train_docs, gold, pages_folder, out, (c2, choices))
    if evaluate:
        model = ClaimModel.from_json(model_data)
        metrics["gold_in_sample"] = {
            "unit": f"the {len(gold)} gold articles, gold chrome; in the model's training data (in-sample)",
            "model": scores_dict(score_docs(gold, model)),
        }
        metrics["dev_once"] = {
            "unit": f"the {len(dev_docs)} dev pages, scored with the frozen model (development data, not held out)",
            "rules_alone_detector": scores_dict(score_docs(dev_docs, None)),
            "model_detector": scores_dict(score_docs(dev_docs, model)),
            "model_end_to_end": scores_dict(score_docs(dev_docs, model, end_to_end=True)),
        }
        both = list(train_docs) + list(dev_docs)
        metrics["train_dev_cv"] = {
            "unit": f"site-grouped {FOLDS}-fold CV over the {len(both)} train + dev pages with the frozen rules, features, "
            f"c2 {c2} and row-label classifiers {choices}; gold articles in every training part",
            "model_detector": scores_dict(cross_validate(both, gold, c2, choices=choices)),
            "model_end_to_end": scores_dict(cross_validate(both, gold, c2, end_to_end=True, choices=choices)),
        }
        metrics["model_sha256"] = hashlib.sha256(model_bytes(model_data)).hexdigest()
        metrics["training"] = model_data["training"]
        write_atomically((json.dumps(metrics, indent=1, ensure_ascii=False) + "\n").encode("utf-8"), out / METRICS_FILE.name)
    return metrics


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="train-claims", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pages", nargs="?", default=str(DEFAULT_PAGES), help=f"ketamine-pages folder (default: {DEFAULT_PAGES})")
    parser.add_argument("--root", default=".", help="repository root with seeds/ and annotations/ (default: .)")
    parser.add_argument("--out", default=str(MODEL_FILE.parent), help="folder for the model and metrics (default: the package)")
    parser.add_argument(
        "--skip-eval",
        action="store_true",
        help=f"train the shipped model only (c2 {CHOSEN_C2}, row labels {CHOSEN_LABELS}); no scores",
    )
    args = parser.parse_args(argv)
    metrics = run(Path(args.pages), Path(args.root).resolve(), Path(args.out), evaluate=not args.skip_eval)
    print(json.dumps({k: v for k, v in metrics.items() if k != "training"}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
