"""Shared fixtures: the repository, and throwaway copies of its inputs to build in."""

from __future__ import annotations

import functools
import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ketamine_claims.segments import split_segments

REPO = Path(__file__).resolve().parents[1]
INPUTS = ("seeds", "annotations", "schemas")
# Files a build reads besides those folders: the release date (CHANGELOG.md) and the licences.
INPUT_FILES = ("CHANGELOG.md", "LICENSE", "LICENSE-ANNOTATIONS")


CORPORA = REPO.parent / "shared" / "boilerplate-corpora"


@functools.cache
def corpus_segment_texts() -> tuple[str, ...]:
    """The text of every segment of every page of the boilerplate corpora; the calling test fails, saying so, without them."""
    if not CORPORA.is_dir():
        pytest.fail(f"this test needs the boilerplate corpora at {CORPORA} (../shared/boilerplate-corpora from the repo root)")
    texts: list[str] = []
    for corpus in sorted(CORPORA.glob("*.jsonl.gz")):
        with gzip.open(corpus, "rt", encoding="utf-8") as lines:
            for line in lines:
                texts.extend(s.text for s in split_segments(json.loads(line)["text"]))
    return tuple(texts)


KETAMINE_PAGES = REPO.parent / "shared" / "ketamine-pages"


@functools.cache
def ketamine_pages(split: str) -> tuple:
    """The ketamine-pages corpus pages of one split; the calling test fails, saying so, without the corpus."""
    from ketamine_claims.claim_corpus import load_pages

    if not KETAMINE_PAGES.is_dir():
        pytest.fail(
            f"this test needs the ketamine-pages corpus at {KETAMINE_PAGES} (../shared/ketamine-pages from the repo root)"
        )
    return tuple(p for p in load_pages(KETAMINE_PAGES) if p.split == split)


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
