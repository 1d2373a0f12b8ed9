"""The release gate: every rule a release must pass, cheapest first; the first that fails refuses it.

A rule is a small function of the `Candidate` (the repository, the version and what the rules
found so far) returning why the release is refused, or None. `GATE` lists them in the order they
run; to add one, write the function and add it there. The dataset itself is judged by the checks
of `checks.validate` (the rule `dataset_is_valid`).
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ketamine_claims import __version__
from ketamine_claims.build import DATAPACKAGE, DATASET_DIR, write_fresh_build
from ketamine_claims.checks.validate import validate_folder
from ketamine_claims.errors import RefusedError
from ketamine_claims.faults import fault_point
from ketamine_claims.paths import Paths
from ketamine_claims.publish.citation import CITATION_FILE, changelog_date, citation_cff
from ketamine_claims.release.diff import BUMPS, DatasetDiff, bump_kind, diff_folders, format_diff, required_bump
from ketamine_claims.release.download import release_folder
from ketamine_claims.release.registry import VERSION_PATTERN, known_versions, parse_version, registry_dir

ALLOW_AUTO_FLAG = "--allow-auto-labelled"


@dataclass
class Candidate:
    """A version about to be released from the repository at root, and what the rules learn about it."""

    root: Path
    version: str
    dist: Path
    allow_auto: bool = False

    @cached_property
    def released(self) -> list[str]:
        return known_versions(registry_dir(self.root))

    @property
    def last(self) -> str | None:
        return self.released[-1] if self.released else None

    @cached_property
    def previous(self) -> Path | None:
        """The files of the last release (None for the first release)."""
        return release_folder(self.root, self.last, self.dist) if self.last else None

    @cached_property
    def diff(self) -> DatasetDiff | None:
        """The change since the last release (None for the first release)."""
        return diff_folders(self.previous, self.root, f"v{self.last}", f"v{self.version}") if self.last else None

    @cached_property
    def auto_documents(self) -> list[tuple[str, str]]:
        """(doc_id, title) of the documents with automatic labels that the release adds."""
        return added_auto_documents(self.root, self.previous)


def git_dirt(root: Path) -> list[str]:
    """`git status --porcelain` lines of the repository at root (uncommitted or untracked files)."""
    proc = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RefusedError(root, f"{root} is not a git repository (a release needs committed data): {proc.stderr.strip()}")
    return proc.stdout.splitlines()


def stale_files(root: Path) -> list[str]:
    """Files of dataset/ and datapackage.json that a fresh build of root's inputs would change."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        write_fresh_build(Paths(root), fresh)
        fault_point("release-fresh-build")
        names = {DATAPACKAGE} | {
            p.relative_to(folder).as_posix() for folder in (root, fresh) for p in (folder / DATASET_DIR).rglob("*") if p.is_file()
        }
        return sorted(
            n
            for n in names
            if not (root / n).is_file() or not (fresh / n).is_file() or (root / n).read_bytes() != (fresh / n).read_bytes()
        )


def changelog_entry(changelog: Path, version: str) -> str:
    """The text of the `## [version]` entry of CHANGELOG.md, up to the next `## ` heading ("" if absent)."""
    text = changelog.read_text(encoding="utf-8") if changelog.exists() else ""
    match = re.search(rf"^## \[{re.escape(version)}\].*?(?=^## |\Z)", text, re.M | re.S)
    return match.group(0) if match else ""


def added_auto_documents(root: Path, previous: Path | None) -> list[tuple[str, str]]:
    """(doc_id, title) of the documents of root's build with automatic labels that the previous release lacks."""
    import polars as pl

    from ketamine_claims.tables import parquet_relpath

    def documents(folder: Path) -> pl.DataFrame:
        return pl.read_parquet(folder / "dataset" / parquet_relpath("documents"), columns=["doc_id", "title", "label_source"])

    before = set(documents(previous)["doc_id"]) if previous is not None else set()
    auto = documents(root).filter(pl.col("label_source") == "auto")
    return [(doc_id, title or "") for doc_id, title in auto.select("doc_id", "title").iter_rows() if doc_id not in before]


def version_is_well_formed(c: Candidate) -> str | None:
    """The version is MAJOR.MINOR.PATCH."""
    if not VERSION_PATTERN.match(c.version):
        return f"version {c.version!r} is not MAJOR.MINOR.PATCH (for example 1.0.0)"
    return None


def tree_is_clean(c: Candidate) -> str | None:
    """Every file is committed (a release is made of committed data only)."""
    dirt = git_dirt(c.root)
    return "the working tree is not clean; commit or remove these first:\n" + "\n".join(dirt[:20]) if dirt else None


def version_is_new(c: Candidate) -> str | None:
    """The version has no registry and no release folder yet."""
    if c.version in c.released or (c.dist / f"v{c.version}").exists():
        return f"version {c.version} already exists (released: {', '.join(c.released) or 'none'}); bump the version"
    return None


def version_increases(c: Candidate) -> str | None:
    """The version is greater than the last release's."""
    if c.last and parse_version(c.version) <= parse_version(c.last):
        return f"version {c.version} is not greater than the last release {c.last}"
    return None


def version_is_the_package_version(c: Candidate) -> str | None:
    """The version is the package's __version__ (the card, datapackage.json and CITATION.cff state it)."""
    if c.version != __version__:
        return (
            f"release {c.version} but the package version is {__version__}: set __version__ = {c.version!r} in "
            "src/ketamine_claims/__init__.py, run scripts/build, commit, then release"
        )
    return None


def changelog_has_the_version(c: Candidate) -> str | None:
    """CHANGELOG.md has a dated entry for the version."""
    if changelog_date(c.root / "CHANGELOG.md", c.version) is None:
        return f"CHANGELOG.md has no `## [{c.version}] - YYYY-MM-DD` entry; write one (use `ketamine-claims diff`)"
    return None


def dataset_is_valid(c: Candidate) -> str | None:
    """The committed build passes every check, thorough ones included (checks.validate)."""
    problems = validate_folder(c.root, Paths(c.root), thorough=True)
    return "the dataset fails validation:\n" + "\n".join(f"- {p}" for p in problems) if problems else None


def build_is_fresh(c: Candidate) -> str | None:
    """The committed dataset/ and datapackage.json are what a fresh build of the inputs writes."""
    stale = stale_files(c.root)
    if stale:
        return "the committed build differs from a fresh build of the inputs; run scripts/build and commit: " + ", ".join(stale)
    return None


def datapackage_has_the_version(c: Candidate) -> str | None:
    """datapackage.json states the version."""
    descriptor = json.loads((c.root / DATAPACKAGE).read_text(encoding="utf-8"))
    if descriptor.get("version") != c.version:
        return f"datapackage.json says version {descriptor.get('version')}; run scripts/build and commit"
    return None


def citation_is_current(c: Candidate) -> str | None:
    """CITATION.cff is the one for the version and its CHANGELOG date."""
    citation = c.root / CITATION_FILE
    expected = citation_cff(c.version, changelog_date(c.root / "CHANGELOG.md", c.version))
    if not citation.exists() or citation.read_text(encoding="utf-8") != expected:
        return f"{CITATION_FILE} is missing or not the one for {c.version}; run scripts/build and commit"
    return None


def bump_is_big_enough(c: Candidate) -> str | None:
    """The version bump is at least what the change since the last release needs (diff.required_bump)."""
    if c.diff is None:
        return None
    needed, bump = required_bump(c.diff), bump_kind(c.last, c.version)
    if BUMPS.index(bump) < BUMPS.index(needed):
        return f"{c.last} → {c.version} is a {bump} bump, but the change needs a {needed} bump:\n{format_diff(c.diff)}"
    return None


def auto_documents_are_allowed(c: Candidate) -> str | None:
    """Documents with automatic labels are added only when allowed, and the CHANGELOG entry names each one."""
    auto = c.auto_documents
    if not auto:
        return None
    if not c.allow_auto:
        listed = "\n".join(f"- {doc_id} {title!r}" for doc_id, title in auto)
        return (
            f"this release adds {len(auto)} document(s) whose labels are automatic (label_source auto: boilerplate, "
            f"claims and flags from the rules and the line model, not read by an annotator):\n{listed}\n"
            "annotate them (annotations/<doc_id>.yaml) or remove them from seeds/; to release them as they are, pass "
            f"{ALLOW_AUTO_FLAG} and name each doc_id in the CHANGELOG.md entry"
        )
    entry = changelog_entry(c.root / "CHANGELOG.md", c.version)
    unnamed = [(doc_id, title) for doc_id, title in auto if doc_id not in entry]
    if unnamed:
        return f"the CHANGELOG.md entry of {c.version} must name every document with automatic labels it adds; missing:\n" + (
            "\n".join(f"- {doc_id} {title!r}" for doc_id, title in unnamed)
        )
    return None


GATE: tuple[Callable[[Candidate], str | None], ...] = (
    version_is_well_formed,
    tree_is_clean,
    version_is_new,
    version_increases,
    version_is_the_package_version,
    changelog_has_the_version,
    dataset_is_valid,
    build_is_fresh,
    datapackage_has_the_version,
    citation_is_current,
    bump_is_big_enough,
    auto_documents_are_allowed,
)


def check_release(candidate: Candidate) -> None:
    """Run the rules of GATE in order; RefusedError (naming the repository) with the first refusal."""
    for rule in GATE:
        refusal = rule(candidate)
        if refusal:
            raise RefusedError(candidate.root, refusal)
