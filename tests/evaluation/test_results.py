"""The committed evaluation results the card reads are what `ketamine-claims score` computes now, and the build
only reads them."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from conftest import REPO, require_corpora, require_ketamine_pages, run_cli
from ketamine_claims.evaluation.boilerplate import frozen_scores
from ketamine_claims.evaluation.claims import gold_results
from ketamine_claims.inputs import load_inputs
from ketamine_claims.paths import Paths
from ketamine_claims.publish import card_boilerplate, card_claims

PUBLISH = Path(card_claims.__file__).parent


def test_committed_gold_results_equal_what_score_computes_now():
    assert card_claims.load_gold_results() == gold_results(load_inputs(Paths(REPO)).gold_documents())


def test_committed_gold_results_file_is_what_score_writes(tmp_path):
    result = run_cli("score", "--corpora", str(require_corpora()), "--out", str(tmp_path), root=REPO)
    assert result.returncode == 0, result.stderr
    written = tmp_path / card_claims.GOLD_RESULTS_FILE.name
    assert f"wrote {written}" in result.stderr
    assert written.read_bytes() == card_claims.GOLD_RESULTS_FILE.read_bytes()


def test_recorded_frozen_boilerplate_scores_equal_what_score_computes_now():
    recorded = card_boilerplate.load_metrics()["frozen"]
    computed = frozen_scores(require_corpora(), require_ketamine_pages())
    assert {name: recorded[name] for name in computed} == computed


def test_the_build_scores_nothing():
    """publish/ imports nothing from evaluation/; the build itself only the inter-annotator agreement of the gold files."""
    allowed = {"build.py": {"ketamine_claims.evaluation.agreement"}}
    for module in [*sorted(PUBLISH.glob("*.py")), PUBLISH.parent / "build.py"]:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                if name.startswith("ketamine_claims.evaluation"):
                    assert name in allowed.get(module.name, set()), f"{module.name} imports {name}"


def test_the_card_shows_each_claim_figure_once():
    card = (REPO / "dataset" / "README.md").read_text(encoding="utf-8")
    results = card_claims.load_gold_results()
    for row, name in (("claim sentences (has_claim)", "claim_sentences"), ("claim spans (any overlap)", "claim_spans")):
        s = results[name]
        assert card.count(f"| {row} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} |") == 1, row
        assert card.count(f"| {row} |") == 1, row


def test_gold_results_render_from_the_committed_json():
    results = json.loads(card_claims.GOLD_RESULTS_FILE.read_text(encoding="utf-8"))
    markdown = card_claims.gold_markdown(results)
    assert "in-sample" in markdown and "| comparative |" in markdown
    assert all(f"`{doc_id}`" in markdown for doc_id in results["claim_sentences_per_document"])
