"""Shared fixtures: the repository, and throwaway copies of its inputs to build in."""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ketamine_claims.text.segments import split_segments

REPO = Path(__file__).resolve().parents[1]
INPUTS = ("seeds", "annotations", "schemas")
# Files a build reads besides those folders: the release date (CHANGELOG.md) and the licences.
INPUT_FILES = ("CHANGELOG.md", "LICENSE", "LICENSE-ANNOTATIONS")


# The line-labelled boilerplate corpora are not part of the repository (their page text belongs to the
# publishers): ../shared/boilerplate-corpora beside the checkout, or KETAMINE_CLAIMS_CORPORA.
CORPORA = Path(os.environ.get("KETAMINE_CLAIMS_CORPORA") or REPO.parent / "shared" / "boilerplate-corpora").resolve()
MISSING_CORPORA = (
    f"the boilerplate corpora are missing at {CORPORA}: get them with `scripts/fetch-corpora` (or set "
    "KETAMINE_CLAIMS_CORPORA to their folder); tests that need them run whenever they are present and are required under CI=true"
)


# The ketamine-pages corpus (real pages about ketamine with line and claim labels) is not part of the repository
# either: ../shared/ketamine-pages beside the checkout, or KETAMINE_CLAIMS_PAGES.
KETAMINE_PAGES = Path(os.environ.get("KETAMINE_CLAIMS_PAGES") or REPO.parent / "shared" / "ketamine-pages").resolve()
MISSING_PAGES = (
    f"the ketamine-pages corpus is missing at {KETAMINE_PAGES} (maintainers have it at ../shared/ketamine-pages; or set "
    "KETAMINE_CLAIMS_PAGES to its folder); tests that need it run whenever it is present and are required under CI=true"
)


def sha256_of(path: Path) -> str:
    """The sha256 of a file's bytes, for comparing large files without a byte diff in the report."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def in_ci() -> bool:
    """True under CI (the variable CI set to true or 1), where every corpus test is required."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1")


def require_corpora() -> Path:
    """The corpora folder; without it the calling test fails under CI and is skipped otherwise (one summary line)."""
    if not CORPORA.is_dir():
        if in_ci():
            pytest.fail(f"CI=true: {MISSING_CORPORA}")
        pytest.skip(MISSING_CORPORA)
    return CORPORA


def require_ketamine_pages() -> Path:
    """The ketamine-pages folder; without it the calling test fails under CI and is skipped otherwise (one summary line)."""
    if not KETAMINE_PAGES.is_dir():
        if in_ci():
            pytest.fail(f"CI=true: {MISSING_PAGES}")
        pytest.skip(MISSING_PAGES)
    return KETAMINE_PAGES


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Every test skipped for the missing corpora reports one place, so `-ra` folds them into one summary line."""
    report = yield
    if report.skipped and isinstance(report.longrepr, tuple):
        for missing, require in ((MISSING_CORPORA, require_corpora), (MISSING_PAGES, require_ketamine_pages)):
            if missing in str(report.longrepr[2]):
                report.longrepr = (str(Path(__file__).relative_to(REPO)), require.__code__.co_firstlineno, report.longrepr[2])
    return report


@functools.cache
def _segment_texts(corpora: Path) -> tuple[str, ...]:
    texts: list[str] = []
    for corpus in sorted(corpora.glob("*.jsonl.gz")):
        with gzip.open(corpus, "rt", encoding="utf-8") as lines:
            for line in lines:
                texts.extend(s.text for s in split_segments(json.loads(line)["text"]))
    return tuple(texts)


def corpus_segment_texts() -> tuple[str, ...]:
    """The text of every segment of every page of the boilerplate corpora (see `require_corpora`)."""
    return _segment_texts(require_corpora())


@functools.cache
def ketamine_pages(split: str) -> tuple:
    """The ketamine-pages corpus pages of one split (see `require_ketamine_pages`)."""
    from ketamine_claims.corpora.claim_pages import load_pages

    return tuple(p for p in load_pages(require_ketamine_pages()) if p.split == split)


def copy_inputs(dest: Path, with_dataset: bool = False) -> Path:
    """A repository-shaped folder holding copies of the build inputs (INPUTS, INPUT_FILES)."""
    for name in INPUTS:
        shutil.copytree(REPO / name, dest / name)
    for name in INPUT_FILES:
        shutil.copyfile(REPO / name, dest / name)
    if with_dataset:
        shutil.copytree(REPO / "dataset", dest / "dataset")
        shutil.copyfile(REPO / "datapackage.json", dest / "datapackage.json")
    return dest


def run_cli(*args: str, root: Path | None = None) -> subprocess.CompletedProcess:
    """Run the ketamine-claims command line as a user would."""
    command = [sys.executable, "-m", "ketamine_claims.cli"]
    if root is not None:
        command += ["--root", str(root)]
    return subprocess.run(command + list(args), capture_output=True, text=True)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under folder, by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def fresh_build(tmp_path_factory) -> Path:
    """A build of the repository's current inputs in a temporary folder."""
    root = copy_inputs(tmp_path_factory.mktemp("fresh"))
    result = run_cli("build", root=root)
    assert result.returncode == 0, result.stderr
    return root
