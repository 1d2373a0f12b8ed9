"""The named checks: one list, each check fires on the fault it guards against, and `validate --json` names them."""

from __future__ import annotations

import json
from collections.abc import Callable

import polars as pl
import pytest

from conftest import REPO
from fault_helpers import run_main
from ketamine_claims.checks.folder import BUILD, RELEASE, Frames, load_frames
from ketamine_claims.checks.validate import CHECK_NAMES, CHECKS, FAST, THOROUGH, run_checks
from ketamine_claims.errors import EXIT_PROBLEMS


def set_first(frame: pl.DataFrame, column: str, value: object, where: pl.Expr | None = None) -> pl.DataFrame:
    """frame with column set to value in the first row (of the rows where `where` holds)."""
    rows = frame.with_row_index("_row").filter(where if where is not None else pl.lit(True))
    assert rows.height, f"no row to plant a fault in ({column})"
    first = pl.col("_row") == rows["_row"][0]
    planted = pl.when(first).then(pl.lit(value, dtype=frame[column].dtype)).otherwise(pl.col(column)).alias(column)
    return frame.with_row_index("_row").with_columns(planted).drop("_row")


def flip(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    return set_first(frame, column, not frame[column][0])


def other_source(frame: pl.DataFrame) -> str:
    return "auto" if frame["label_source"][0] == "gold" else "gold"


# One planted fault per check of the tables: {check name: (table, how to damage it given every frame)}.
PLANTED: dict[str, tuple[str, Callable[[Frames], pl.DataFrame]]] = {
    "pandera": ("claims", lambda f: set_first(f["claims"], "claim_type", "miracle_cure")),
    "foreign-keys": ("sentences", lambda f: set_first(f["sentences"], "segment_id", "no-such-segment")),
    "primary-keys": ("references", lambda f: pl.concat([f["references"], f["references"].head(1)])),
    "span-text": ("segments", lambda f: set_first(f["segments"], "text", "not the text")),
    "span-label-source": ("sentences", lambda f: set_first(f["sentences"], "label_source", other_source(f["sentences"]))),
    "segment-order": ("segments", lambda f: set_first(f["segments"], "index", 10**6)),
    "boilerplate-kind": ("segments", lambda f: flip(f["segments"], "is_boilerplate")),
    "sentence-in-segment": ("sentences", lambda f: set_first(f["sentences"], "end", 10**9)),
    "sentence-boilerplate": ("sentences", lambda f: flip(f["sentences"], "is_boilerplate")),
    "claim-in-segment": ("claims", lambda f: set_first(f["claims"], "end", 10**9)),
    "claim-sentence": ("claims", lambda f: set_first(f["claims"], "sentence_id", f["sentences"]["sentence_id"][-1])),
    "claim-boilerplate": ("claims", lambda f: flip(f["claims"], "in_boilerplate")),
    "claim-id": ("claims", lambda f: set_first(f["claims"], "claim_id", "not-a-claim-id")),
    "gold-claim-verdict": (
        "claims",
        lambda f: set_first(set_first(f["claims"], "label_source", "gold"), "rationale", None),
    ),
    "auto-claim-verdict": (
        "claims",
        lambda f: set_first(set_first(f["claims"], "label_source", "auto"), "rationale", "a judgement"),
    ),
    "gold-verdict-evidence": (
        "claims",  # a gold claim with a verdict that needs references, and none in claim_evidence
        lambda f: pl.concat(
            [f["claims"], f["claims"].head(1).with_columns(claim_id=pl.lit("uncited"), label_source=pl.lit("gold"))]
        ).pipe(set_first, "verdict", "accurate", pl.col("claim_id") == "uncited"),
    ),
    "evidence-of-gold-claims": (
        "claims",
        lambda f: set_first(f["claims"], "label_source", "auto", pl.col("claim_id") == f["claim_evidence"]["claim_id"][0]),
    ),
    "has-claim": ("sentences", lambda f: flip(f["sentences"], "has_claim")),
    "document-counts": ("documents", lambda f: set_first(f["documents"], "n_chars", 10**9)),
    "clean-text": ("documents", lambda f: set_first(f["documents"], "clean_text", "not the clean text")),
    "title-segment": ("documents", lambda f: set_first(f["documents"], "title", "Not the title")),
    "gold-title-first": (
        "documents",
        lambda f: set_first(set_first(f["documents"], "label_source", "gold"), "title", "Not the first segment"),
    ),
    "document-sha256": ("documents", lambda f: set_first(f["documents"], "sha256", "0" * 64)),
    "nested-claims": (
        "claims",  # a copy of a gold claim one character shorter: nested in it, with the same proposition
        lambda f: pl.concat(
            [f["claims"], set_first(f["claims"], "end", f["claims"]["end"][0] - 1, pl.col("end") - pl.col("start") > 1).head(1)]
        ).pipe(set_first, "label_source", "gold", pl.col("end") - pl.col("start") > 1),
    ),
    "row-order": ("segments", lambda f: f["segments"].reverse()),
}
TABLE_CHECKS = [check for check in CHECKS if not check.on_folder]


@pytest.fixture(scope="module")
def frames() -> Frames:
    return load_frames(REPO)


def test_checks_have_unique_names_a_docstring_a_level_and_a_scope():
    assert len(set(CHECK_NAMES)) == len(CHECK_NAMES)
    for check in CHECKS:
        assert check.function.__doc__, f"{check.name}: say what the check guarantees"
        assert check.level in (FAST, THOROUGH) and check.scopes and set(check.scopes) <= {BUILD, RELEASE}, check


def test_every_check_of_the_tables_has_a_planted_fault():
    assert sorted(PLANTED) == sorted(check.name for check in TABLE_CHECKS)


def test_no_check_of_the_tables_fires_on_the_committed_dataset(frames):
    assert {check.name: check.function(frames) for check in TABLE_CHECKS} == {check.name: [] for check in TABLE_CHECKS}


@pytest.mark.parametrize("check", TABLE_CHECKS, ids=lambda c: c.name)
def test_each_check_fires_on_its_planted_fault(frames, check):
    table, damage = PLANTED[check.name]
    damaged = {**frames, table: damage(frames)}
    assert damaged[table].height and not damaged[table].equals(frames[table])
    assert check.function(damaged), f"{check.name} did not notice the planted fault in {table}"


def test_validate_json_names_every_check_that_ran_with_its_problem_count():
    code, out, err = run_main("validate", "--fast", "--json", root=REPO)
    report = json.loads(out)
    assert code == 0 and report["valid"], err
    fast_build = [c.name for c in CHECKS if c.level == FAST and BUILD in c.scopes]
    assert report["ran"] == {name: 0 for name in fast_build}


def test_a_check_that_stops_the_rest_is_the_last_that_runs(tmp_path):
    for name in ("dataset", "schemas"):
        (tmp_path / name).symlink_to(REPO / name)
    (tmp_path / "datapackage.json").write_text('{"resources": [{"name": "documents"}]}', encoding="utf-8")
    code, out, _ = run_main("validate", "--json", root=tmp_path)
    report = json.loads(out)
    assert code == EXIT_PROBLEMS and list(report["ran"]) == ["parquet-schemas"] and report["ran"]["parquet-schemas"] >= 1


def test_checks_can_only_be_added_by_name(frames):
    from ketamine_claims.checks.folder import CheckedFolder

    with pytest.raises(ValueError, match="no check named no-such-check"):
        run_checks(CheckedFolder(REPO), also=("no-such-check",))
