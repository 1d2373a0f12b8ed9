"""The evaluation room's command: score."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

from ketamine_claims.cli.common import _add, _checkout
from ketamine_claims.corpora.pages import DEFAULT_CORPORA, DEFAULT_KETAMINE_PAGES


def _scores_dict(scores) -> dict:
    """A scores dataclass as JSON-ready data: every Score with its counts, precision, recall and F1."""

    def plain(value):
        if dataclasses.is_dataclass(value) and hasattr(value, "f1"):
            return {**dataclasses.asdict(value), "precision": value.precision, "recall": value.recall, "f1": value.f1}
        if dataclasses.is_dataclass(value):
            return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, dict):
            return {" / ".join(k) if isinstance(k, tuple) else str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    return plain(scores)


def cmd_score(args: argparse.Namespace) -> int:
    from ketamine_claims.evaluation import boilerplate as boilerplate_scoring
    from ketamine_claims.evaluation.baselines import score_baselines, scores_markdown
    from ketamine_claims.evaluation.claims import (
        PAGES_HEADER,
        claim_metrics_markdown,
        claim_scores_markdown,
        load_claim_metrics,
        score_claims,
    )
    from ketamine_claims.paths import Paths
    from ketamine_claims.publish.build import load_inputs

    paths = Paths(_checkout(args, "seeds/", "annotations/"))
    corpora = Path(args.corpora) if args.corpora else paths.root / DEFAULT_CORPORA
    pages = Path(args.pages) if args.pages else paths.root / DEFAULT_KETAMINE_PAGES
    metrics = boilerplate_scoring.load_metrics()
    frozen = boilerplate_scoring.frozen_scores(corpora, pages)
    inputs = load_inputs(paths)
    baselines = score_baselines(inputs.gold_documents())
    claims = score_claims(inputs.gold_documents())
    claim_metrics = load_claim_metrics()
    if args.json:
        report = {
            "boilerplate": {"recorded": metrics, "frozen_recomputed": frozen},
            "baselines": _scores_dict(baselines),
            "claims_gold_in_sample": _scores_dict(claims),
            "claims_pages_recorded": {k: v for k, v in claim_metrics.items() if k != "training"},
        }
        print(json.dumps(report, indent=2))
        return 0
    print("## Boilerplate\n")
    print(boilerplate_scoring.scores_markdown(metrics, frozen))
    print("\n## Claims\n")
    print(scores_markdown(baselines))
    print()
    print(claim_scores_markdown(claims))
    print()
    print(PAGES_HEADER)
    print()
    print(claim_metrics_markdown(claim_metrics))
    return 0



def add_score(sub, common: argparse.ArgumentParser) -> None:
    p = _add(
        sub,
        "score",
        "score the boilerplate model and the claim detector (with jusText and simple baselines)",
        "Boilerplate: the shipped line model, jusText and lines < 10 words on each public corpus's test split and the "
        "line model on the ketamine-pages dev split (recomputed), with content lost, titles and invariant rates, and the "
        "cross-validation scores recorded at training. Claims: the claim detector on the gold articles (in-sample), and "
        "on the real pages of ../shared/ketamine-pages as recorded by scripts/train-claims (dev split scored once, "
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
    p.set_defaults(func=cmd_score)
