"""The card's claim evaluation sections, read from committed results (nothing is scored here).

- the claim detector on the real pages of the ketamine-pages corpus: `auto/claim_metrics.json`,
  recorded by `scripts/train-claims`;
- the claim detector on the gold articles (in-sample): `evaluation/results/claims_gold.json`,
  recorded by `ketamine-claims score`.

`ketamine-claims score` prints the same tables.
"""

from __future__ import annotations

import json
from pathlib import Path

from ketamine_claims import schema

PACKAGE = Path(__file__).parents[1]
CLAIM_METRICS_FILE = PACKAGE / "auto" / "claim_metrics.json"
GOLD_RESULTS_FILE = PACKAGE / "evaluation" / "results" / "claims_gold.json"
PAGES_HEADER = "Claim detector on the real pages of the ketamine-pages corpus (recorded by scripts/train-claims):"


def load_gold_results(path: Path = GOLD_RESULTS_FILE) -> dict:
    """The claim detector's scores on the gold articles recorded by `ketamine-claims score`."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _prf(name: str, s: dict) -> str:
    return f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} |"


def gold_markdown(results: dict) -> str:
    """The claim evaluation tables on the gold articles (in-sample), for the card and `ketamine-claims score`."""
    accuracy, found = results["label_accuracy"], results["attribution_found"]
    types = schema.enum_values("claims", "claim_type")
    confusion = results["claim_type_confusion"]
    lines = [
        f"The {results['documents']} gold articles, each labelled by the detector without its annotation and compared "
        "with its gold rows. The detector's rules were written while reading these articles and its sentence classifier "
        "was trained on them, so these numbers are **in-sample** and optimistic for unseen pages.",
        "",
        "| claims | precision | recall | F1 |",
        "|---|---|---|---|",
        _prf("claim sentences (has_claim)", results["claim_sentences"]),
        _prf("claim spans (any overlap)", results["claim_spans"]),
        "",
        f"Labels on matched claims ({results['matched_rows']} of {results['gold_rows']} gold rows paired with one of "
        f"{results['auto_rows']} auto rows, best overlap first):",
        "",
        "| label | accuracy |",
        "|---|---|",
        *(f"| `{label}` | {value:.3f} |" for label, value in accuracy.items()),
        f"| attribution found (gold rows with an attribution: {found['gold_rows_with_attribution']}) | {found['rate']:.3f} |",
        "",
        "Claim sentences per gold article (each labelled by the detector without its annotation):",
        "",
        "| article | precision | recall | F1 |",
        "|---|---|---|---|",
        *(_prf(f"`{doc_id}`", s) for doc_id, s in results["claim_sentences_per_document"].items()),
        "",
        "`claim_type` on matched claims (rows: gold, columns: auto):",
        "",
        "| gold \\ auto | " + " | ".join(types) + " |",
        "|---|" + "---|" * len(types),
        *(f"| {g} | " + " | ".join(str(confusion.get(g, {}).get(a, 0)) for a in types) + " |" for g in types),
    ]
    return "\n".join(lines)


def load_claim_metrics(path: Path = CLAIM_METRICS_FILE) -> dict:
    """The claim metrics recorded by `scripts/train-claims` (`auto/claim_metrics.json`)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def pages_markdown(metrics: dict) -> str:
    """The ketamine-pages claim evaluation recorded at training, one row per data set and way of scoring."""
    pages = metrics["training"]["pages"]
    rows = [
        ("dev split (development data, scored before)", "detector, gold chrome", metrics["dev_once"]["model_detector"]),
        ("dev split (development data)", "end to end (`process_doc`)", metrics["dev_once"]["model_end_to_end"]),
        ("dev split (development data)", "named rules alone, gold chrome", metrics["dev_once"]["rules_alone_detector"]),
        ("train + dev, site-grouped CV (frozen choices)", "detector, gold chrome", metrics["train_dev_cv"]["model_detector"]),
        (
            "train + dev, site-grouped CV (frozen choices)",
            "end to end (`process_doc`)",
            metrics["train_dev_cv"]["model_end_to_end"],
        ),
        (
            "train split, site-grouped CV (development: rules, c2 and the row-label classifiers chosen here)",
            "detector, gold chrome",
            metrics["train_cv"]["chosen"],
        ),
        (
            "train split (in-sample: the rules were written reading it)",
            "named rules alone, gold chrome",
            metrics["train_cv"]["rules_alone"],
        ),
        ("gold articles (in-sample: in the training data)", "detector, gold chrome", metrics["gold_in_sample"]["model"]),
    ]
    header = ["data", "scored", "pages", "sentences P", "R", "F1", "F1 without `amb`", "`claim_type`", "`condition`", "`hedged`",
              "attribution found"]  # fmt: skip
    lines = [
        f"`ketamine-pages` corpus (`{pages['file']}`, sha256 `{pages['sha256'][:16]}…`); model trained on its "
        f"{pages['pages']} train pages and the {len(metrics['training']['gold_articles'])} gold articles.",
        "",
        "| " + " | ".join(header) + " |",
        "|---" * len(header) + "|",
    ]
    for data, scored, s in rows:
        sentences, labels, found = s["claim_sentences"], s["label_accuracy"], s["attribution_found"]
        cells = [
            data,
            scored,
            str(s["documents"]),
            f"{sentences['precision']:.3f}",
            f"{sentences['recall']:.3f}",
            f"**{sentences['f1']:.3f}**",
            f"{s['claim_sentences_without_amb']['f1']:.3f}",
            f"{labels['claim_type']:.3f}",
            f"{labels['condition']:.3f}",
            f"{labels['hedged']:.3f}",
            f"{found['rate']:.3f} ({found['found']} of {found['gold_rows_with_attribution']})",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
