"""Baseline scoring: metric arithmetic, jusText mapping, and the card's table."""

from __future__ import annotations

import re

import pytest

from conftest import REPO, require_corpora, run_cli
from ketamine_claims.evaluation.baselines import Score, _overlap_score, justext_boilerplate, score_sets


def test_precision_recall_f1():
    s = score_sets({1, 2, 3}, {2, 3, 4, 5})
    assert (s.tp, s.fp, s.fn) == (2, 1, 2)
    assert (round(s.precision, 3), round(s.recall, 3), round(s.f1, 3)) == (0.667, 0.5, 0.571)
    assert Score(0, 0, 0).f1 == 0.0


def test_span_overlap_counts_each_side_once():
    s = _overlap_score({(0, 10), (20, 30), (50, 60)}, {(5, 8), (9, 25), (70, 80)})
    assert (s.tp, s.fp, s.fn) == (2, 1, 1)


def test_justext_maps_decisions_back_by_position():
    segments = [
        "Home",
        "Ketamine is an anaesthetic that is also studied for depression. In several randomized trials, a single infusion "
        "reduced depressive symptoms within a day, although the effect usually faded within a week or two.",
        "Share",
    ]
    decisions = justext_boilerplate(segments)
    assert decisions == [True, False, True]


def test_score_command_recomputes_the_test_splits_shown_in_the_card(tmp_path):
    corpora = require_corpora()
    result = run_cli("score", "--corpora", str(corpora), root=REPO)
    assert result.returncode == 0, result.stderr
    card = (REPO / "dataset" / "README.md").read_text(encoding="utf-8")
    test_rows = [line for line in result.stdout.splitlines() if " test split (" in line]
    assert len(test_rows) == 6
    for row in test_rows:
        assert row in card, row
    claims = re.split(r"\n\nThe \d+ gold articles", result.stdout.split("## Claims")[1])[0].strip().splitlines()[2:]
    assert "\n".join(claims) in card
    assert "1.000 | 1.000 | 1.000" not in result.stdout.split("## Claims")[0]  # no in-sample boilerplate score


def test_score_command_without_corpora_exits_4_naming_the_folder(tmp_path):
    missing = tmp_path / "no-corpora"
    result = run_cli("score", "--corpora", str(missing), root=REPO)
    assert result.returncode == 4
    assert str(missing) in result.stderr and "corpora" in result.stderr


def test_corpus_file_with_a_bad_line_is_an_input_error(tmp_path):
    import gzip
    import json

    from ketamine_claims.corpora.pages import load_corpus
    from ketamine_claims.errors import InputError

    page = {"id": "zyte-x", "source": "zyte", "url": None, "split": "test", "text": "Home\nArticle text.\n", "labels": [0]}
    with gzip.open(tmp_path / "zyte.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps(page) + "\n")
    with pytest.raises(InputError, match=r"zyte.jsonl.gz:1: zyte-x: 2 non-blank lines but 1 labels"):
        load_corpus(tmp_path, "zyte")


def test_score_command_without_ketamine_pages_exits_4_naming_the_folder(tmp_path):
    missing = tmp_path / "no-pages"
    result = run_cli("score", "--corpora", str(require_corpora()), "--pages", str(missing), root=REPO)
    assert result.returncode == 4
    assert str(missing) in result.stderr and "ketamine-pages" in result.stderr
