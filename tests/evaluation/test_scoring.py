"""Scoring: the one score counter, the one span matcher, jusText mapping, and the score command."""

from __future__ import annotations

import re

import pytest

from conftest import REPO, require_corpora, run_cli
from ketamine_claims.evaluation.baselines import justext_boilerplate
from ketamine_claims.evaluation.claims import match_claims
from ketamine_claims.evaluation.score import Score
from ketamine_claims.evaluation.spans import any_overlap_score, iou, pair


def test_precision_recall_f1():
    s = Score.of_sets({1, 2, 3}, {2, 3, 4, 5})
    assert (s.tp, s.fp, s.fn) == (2, 1, 2)
    assert (round(s.precision, 3), round(s.recall, 3), round(s.f1, 3)) == (0.667, 0.5, 0.571)
    assert Score(0, 0, 0).f1 == 0.0


def test_flags_count_each_unit_by_its_weight():
    gold, predicted = [True, True, False, False], [True, False, True, False]
    assert Score.of_flags(gold, predicted) == Score(1, 1, 1)
    assert Score.of_flags(gold, predicted, [5, 7, 11, 13]) == Score(5, 11, 7)
    assert sum([Score(1, 2, 3), Score(4, 5, 6)], Score()) == Score(5, 7, 9)


def test_rates_are_none_where_undefined():
    assert Score.of_matches(0, predicted=0, gold=0).rates() == {"precision": None, "recall": None, "f1": None}
    assert Score.of_matches(0, predicted=0, gold=3).rates() == {"precision": None, "recall": 0.0, "f1": 0.0}
    assert Score.of_matches(3, predicted=4, gold=6).rates() == {"precision": 0.75, "recall": 0.5, "f1": 0.6}


def test_span_overlap_counts_each_side_once():
    s = any_overlap_score([(0, 10), (20, 30), (50, 60)], [(5, 8), (9, 25), (70, 80)])
    assert (s.tp, s.fp, s.fn) == (2, 1, 1)


def test_spans_pair_one_to_one_by_largest_overlap():
    assert pair([(0, 10), (20, 30)], [(5, 25)]) == [(0, 0)]
    assert pair([(0, 10), (0, 40)], [(0, 40)]) == [(1, 0)]
    assert pair([(0, 10)], [(10, 20)]) == []
    assert iou((0, 10), (5, 15)) == pytest.approx(5 / 15)


def test_a_given_order_decides_before_the_overlap():
    first, second = [(0, 10)], [(0, 10), (0, 8)]
    assert pair(first, second) == [(0, 0)]
    assert pair(first, second, order=lambda i, j: (j == 0, -iou(first[i], second[j]))) == [(0, 1)]


def test_matching_pairs_rows_of_one_span_by_condition():
    def row(start, end, condition, claim_type="efficacy"):
        return {"start": start, "end": end, "condition": condition, "claim_type": claim_type}

    gold = [row(0, 20, "ptsd"), row(0, 20, "ocd"), row(30, 40, None, "mechanism")]
    auto = [row(0, 20, "ocd"), row(0, 20, "ptsd"), row(50, 60, None)]
    pairs = match_claims(gold, auto)
    assert [(g["condition"], a["condition"]) for g, a in pairs] == [("ptsd", "ptsd"), ("ocd", "ocd")]


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
    result = run_cli("score", "--corpora", str(corpora), "--out", str(tmp_path), root=REPO)
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
    result = run_cli("score", "--corpora", str(missing), "--out", str(tmp_path / "out"), root=REPO)
    assert result.returncode == 4
    assert str(missing) in result.stderr and "corpora" in result.stderr
    assert not (tmp_path / "out").exists()


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
    result = run_cli("score", "--corpora", str(require_corpora()), "--pages", str(missing), "--out", str(tmp_path), root=REPO)
    assert result.returncode == 4
    assert str(missing) in result.stderr and "ketamine-pages" in result.stderr


def test_score_command_prints_the_claim_evaluations_in_the_card(tmp_path):
    from ketamine_claims.publish.card_claims import PAGES_HEADER

    result = run_cli("score", "--corpora", str(require_corpora()), "--out", str(tmp_path), root=REPO)
    assert result.returncode == 0, result.stderr
    claims = result.stdout.split("## Claims")[1]
    in_sample, pages = claims[re.search(r"The \d+ gold articles", claims).start() :].split(PAGES_HEADER)
    card = (REPO / "dataset" / "README.md").read_text(encoding="utf-8")
    assert in_sample.strip() in card
    assert pages.strip() in card and "| dev split (development data" in pages and "site-grouped CV" in pages
