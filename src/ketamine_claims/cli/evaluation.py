"""The evaluation room's command: score."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ketamine_claims.cli.common import _add, _checkout
from ketamine_claims.corpora.pages import DEFAULT_CORPORA, DEFAULT_KETAMINE_PAGES


def cmd_score(args: argparse.Namespace) -> int:
    from ketamine_claims.evaluation.boilerplate import frozen_scores
    from ketamine_claims.evaluation.claims import gold_results, write_gold_results
    from ketamine_claims.inputs import load_inputs
    from ketamine_claims.paths import Paths
    from ketamine_claims.publish import card_boilerplate, card_claims

    paths = Paths(_checkout(args, "seeds/", "annotations/"))
    corpora = Path(args.corpora) if args.corpora else paths.root / DEFAULT_CORPORA
    pages = Path(args.pages) if args.pages else paths.root / DEFAULT_KETAMINE_PAGES
    metrics = card_boilerplate.load_metrics()
    frozen = frozen_scores(corpora, pages)
    gold = gold_results(load_inputs(paths).gold_documents())
    claim_metrics = card_claims.load_claim_metrics()
    written = write_gold_results(gold, Path(args.out) if args.out else None)
    print(f"wrote {written}", file=sys.stderr)
    if args.json:
        report = {
            "boilerplate": {"recorded": metrics, "frozen_recomputed": frozen},
            "claims_gold_in_sample": gold,
            "claims_pages_recorded": {k: v for k, v in claim_metrics.items() if k != "training"},
        }
        print(json.dumps(report, indent=2))
        return 0
    print("## Boilerplate\n")
    print(card_boilerplate.scores_markdown(metrics, frozen))
    print("\n## Claims\n")
    print(card_claims.gold_markdown(gold))
    print()
    print(card_claims.PAGES_HEADER)
    print()
    print(card_claims.pages_markdown(claim_metrics))
    return 0


def add_score(sub, common: argparse.ArgumentParser) -> None:
    p = _add(
        sub,
        "score",
        "score the boilerplate model and the claim detector (with jusText and simple baselines)",
        "Boilerplate: the shipped line model, jusText and lines < 10 words on each public corpus's test split and the "
        "line model on the ketamine-pages dev split (recomputed), with content lost, titles and invariant rates, and the "
        "cross-validation scores recorded at training. Claims: the claim detector on the gold articles (in-sample), "
        "written to evaluation/results/claims_gold.json in the package (the dataset card reads it; commit it and rebuild), "
        "and on the real pages of ../shared/ketamine-pages as recorded by scripts/train-claims (dev split, now development data, "
        "site-grouped CV). The same tables are in the dataset card.",
        "  ketamine-claims score\n  ketamine-claims score --corpora PATH/TO/boilerplate-corpora\n  ketamine-claims score --json",
        common,
    )
    p.add_argument(
        "--corpora", help=f"folder of the boilerplate corpora (default: <root>/{DEFAULT_CORPORA}); missing folder: exit 4"
    )
    p.add_argument(
        "--pages", help=f"folder of the ketamine-pages corpus (default: <root>/{DEFAULT_KETAMINE_PAGES}); missing folder: exit 4"
    )
    p.add_argument("--json", action="store_true", help="print the scores (counts, precision, recall, F1) as JSON")
    p.add_argument(
        "--out", help="folder to write claims_gold.json to (default: the package's evaluation/results/, which the card reads)"
    )
    p.set_defaults(func=cmd_score)
