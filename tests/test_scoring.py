"""Baseline scoring: metric arithmetic, jusText mapping, and the card's table."""

from __future__ import annotations

from conftest import REPO, run_cli
from ketamine_claims.scoring import Score, _overlap_score, justext_boilerplate, score_sets


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


def test_score_command_prints_the_table_in_the_card():
    result = run_cli("score", root=REPO)
    assert result.returncode == 0, result.stderr
    assert "| boilerplate segments | jusText 3" in result.stdout
    card = (REPO / "dataset" / "README.md").read_text(encoding="utf-8")
    table = result.stdout.split("\n\nLeave-one-article-out")[0].strip().splitlines()[2:]
    assert "\n".join(table) in card
