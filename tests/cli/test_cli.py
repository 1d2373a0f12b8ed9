"""The command line as a newcomer meets it: help with examples and exit codes, --root anywhere, a clear message
outside a checkout, JSON output for scripts, and no progress bars in validate's report."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import REPO, require_corpora, run_cli
from ketamine_claims.cli import build_parser
from ketamine_claims.cli.scale import INSTALL_RAY
from ketamine_claims.errors import EXIT_FAULT, EXIT_USAGE

COMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)  # every subcommand the parser knows


def test_every_command_is_listed():
    assert {"build", "validate", "check-annotations", "add-article", "score", "view", "release", "diff", "download", "run",
            "generate-corpus"} <= set(COMMANDS)  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_help_has_a_description_examples_and_exit_codes(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0, result.stderr
    usage, _, rest = result.stdout.partition("\n\n")
    assert usage.startswith("usage: ketamine-claims")
    description = rest.split("\n\n", 1)[0]
    assert len(description.split()) >= 10, description
    examples = result.stdout.split("examples:\n", 1)[1].split("\n\n", 1)[0]
    assert f"ketamine-claims {command}" in examples
    assert "exit codes:" in result.stdout and "3    bad input" in result.stdout


def test_main_help_documents_the_exit_codes():
    result = run_cli("--help")
    assert result.returncode == 0
    assert "exit codes:" in result.stdout and "4    the environment failed" in result.stdout


def test_usage_errors_exit_2():
    assert run_cli("no-such-command").returncode == EXIT_USAGE
    assert run_cli("validate", "--no-such-option").returncode == EXIT_USAGE


def test_root_is_accepted_after_the_subcommand(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "ketamine_claims", "validate", "--fast", "--root", str(REPO)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert f"{REPO}: valid (fast checks)" in result.stdout


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["build"], "seeds/ and annotations/"),
        (["validate", "--fast"], "datapackage.json and dataset/"),
        (["score"], "seeds/ and annotations/"),
        (["view", "--out", "site"], "dataset/"),
        (["add-article", "article.txt"], "seeds/"),
    ],
)
def test_outside_a_checkout_the_message_names_the_folder_and_what_it_expected(tmp_path, command, expected):
    result = run_cli(*command, root=tmp_path)
    assert result.returncode == EXIT_FAULT
    assert "Traceback" not in result.stderr
    assert f"error: {tmp_path}: not a ketamine-claims checkout" in result.stderr
    assert f"expected {expected} in this folder" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_validate_report_has_no_progress_bars_and_json_output():
    result = run_cli("validate", root=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    result = run_cli("validate", "--fast", "--json", root=REPO)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    ran = report.pop("ran")  # every check that ran, by name, with the problems it found
    assert report == {"folder": str(REPO), "checks": "fast", "valid": True, "problems": []}
    assert "pandera" in ran and "frictionless" not in ran and set(ran.values()) == {0}


def test_score_json_has_counts_and_rates(tmp_path):
    result = run_cli("score", "--json", "--corpora", str(require_corpora()), "--out", str(tmp_path), root=REPO)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"boilerplate", "claims_gold_in_sample", "claims_pages_recorded"}
    scored = [
        report["claims_gold_in_sample"]["claim_sentences"],
        report["claims_gold_in_sample"]["claim_spans"],
        report["claims_pages_recorded"]["dev_once"]["model_detector"]["claim_sentences"],
    ]
    assert scored and all({"tp", "fp", "fn", "precision", "recall", "f1"} <= set(v) for v in scored)


@pytest.mark.parametrize("module", ["ketamine_claims", "ketamine_claims.cli"])
def test_python_dash_m_runs_the_command_line(module):
    result = subprocess.run([sys.executable, "-m", module, "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("ketamine-claims ")


def test_run_engine_ray_finds_the_checkouts_ray_installer():
    assert INSTALL_RAY == REPO / "scripts" / "install-ray"
    assert INSTALL_RAY.is_file()


def test_a_maintainer_command_without_the_maintainer_extra_says_what_to_install(tmp_path):
    """As in a plain `pip install ketamine-claims`: syntok (a maintainer dependency) cannot be imported."""
    blocked = tmp_path / "blocked" / "syntok"
    blocked.mkdir(parents=True)
    (blocked / "__init__.py").write_text("raise ModuleNotFoundError(\"No module named 'syntok'\", name='syntok')\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "blocked")}
    command = [sys.executable, "-m", "ketamine_claims", "--root", str(REPO), "validate", "--fast"]
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    assert result.returncode == EXIT_FAULT
    assert "needs the module 'syntok'" in result.stderr and "ketamine-claims[maintainer]" in result.stderr
    assert "Traceback" not in result.stderr
