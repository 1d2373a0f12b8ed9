"""Cutting a release: the gate, the release folder in dist/ and the committed registry.

`release(root, version)` refuses on a dirty git tree, a malformed, existing or not increasing
version, a version that is not the package's, a missing CHANGELOG entry, any failing validation,
a committed build or CITATION.cff that a fresh build would change, a bump too small for the change
since the last release (see `diff.required_bump`), documents with automatic labels that it adds (unless
allowed and named in the CHANGELOG entry), and a release folder that does not load. On success
it writes `dist/v<version>/` (the release assets, laid out like the repository, plus a root
README.md: the card with paths from the folder root, so the folder loads with `load_dataset` and
validates with `frictionless` as is) and `src/ketamine_claims/registries/v<version>.txt`.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from ketamine_claims import __version__, about
from ketamine_claims.faults import fault_point
from ketamine_claims.publish.citation import CITATION_FILE, changelog_date, citation_cff
from ketamine_claims.release.diff import BUMPS, DatasetDiff, diff_folders, format_diff, required_bump
from ketamine_claims.release.download import publish_modes, release_problems
from ketamine_claims.release.registry import (
    ASSET_FOLDERS,
    REGISTRY_DIR,
    Asset,
    describe_assets,
    format_registry,
    known_versions,
    parse_version,
    read_registry,
    registry_path,
)
from ketamine_claims.staging import Staging, note_recovered, reading, recover

RELEASE_CARD = "README.md"
ALLOW_AUTO_FLAG = "--allow-auto-labelled"
RELEASE_PREFIX = ".v"  # staging folders in dist/: .v<version>-XXXXXXXX


class ReleaseError(ValueError):
    """A release was refused; the message says why and what to do."""


@dataclass
class Release:
    version: str
    folder: Path
    registry: Path
    diff: DatasetDiff | None
    auto_documents: list[tuple[str, str]]  # (doc_id, title) of the documents with automatic labels it adds


def registry_dir(root: Path) -> Path:
    """Where the repository at root keeps its release registries (shipped inside the package)."""
    return root / "src" / "ketamine_claims" / "registries"


def bump_kind(old: str, new: str) -> str:
    """Which part of the version a bump from old to new increases."""
    a, b = parse_version(old), parse_version(new)
    if b[0] > a[0]:
        return "major"
    if b[:2] > a[:2]:
        return "minor"
    return "patch"


def git_dirt(root: Path) -> list[str]:
    """`git status --porcelain` lines of the repository at root (uncommitted or untracked files)."""
    proc = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True)
    if proc.returncode != 0:
        raise ReleaseError(f"{root} is not a git repository (a release needs committed data): {proc.stderr.strip()}")
    return proc.stdout.splitlines()


def release_card(dataset_card: str) -> str:
    """The dataset card for the release folder root: data_files, links and images point into dataset/."""
    _, front, body = dataset_card.split("---\n", 2)
    meta = yaml.safe_load(front)
    for config in meta.get("configs", []):
        for entry in config["data_files"]:
            entry["path"] = f"dataset/{entry['path']}"
    body = re.sub(r"(!?\[[^\]]*\]\()(?![a-z][a-z0-9+.-]*:|#|/)([^)]+\))", r"\1dataset/\2", body)
    return f"---\n{yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)}---\n{body}"


def asset_paths(root: Path) -> list[str]:
    """Relative paths of the committed repository files that go into a release (never ignored or untracked files)."""
    proc = subprocess.run(["git", "ls-files", "-z", "--", *ASSET_FOLDERS], cwd=root, capture_output=True, text=True)
    if proc.returncode != 0:
        raise ReleaseError(f"{root}: git ls-files failed: {proc.stderr.strip()}")
    tracked = sorted(rel for rel in proc.stdout.split("\0") if rel)
    return ["datapackage.json", CITATION_FILE, about.CODE_LICENSE_FILE, about.ANNOTATIONS_LICENSE_FILE, *tracked]


def stage_release(root: Path, staged: Path) -> list[str]:
    """Copy the release assets of root into staged, add the root card; return every relative path."""
    paths = asset_paths(root)
    for rel in paths:
        (staged / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / rel, staged / rel)
    (staged / RELEASE_CARD).write_text(
        release_card((root / "dataset" / "README.md").read_text(encoding="utf-8")), encoding="utf-8"
    )
    return sorted([*paths, RELEASE_CARD])


def release_folder(root: Path, version: str, dist: Path) -> Path:
    """The files of a released version, checked against its registry: dist/v<version>, else downloaded.

    Registries come from the repository at root, or from the installed package outside a checkout."""
    registries = registry_dir(root) if registry_dir(root).is_dir() else REGISTRY_DIR
    known = known_versions(registries)
    if version not in known:
        raise ReleaseError(f"unknown version {version!r}; released versions: {', '.join(known) or 'none'}")
    assets = read_registry(registry_path(version, registries))
    local = dist / f"v{version}"
    if local.is_dir() and not release_problems(local, assets):
        return local
    from ketamine_claims.release.download import download

    return download(version)


def stale_files(root: Path) -> list[str]:
    """Files of dataset/ and datapackage.json that a fresh build of root's inputs would change."""
    from ketamine_claims.paths import Paths
    from ketamine_claims.publish.build import DATAPACKAGE, DATASET_DIR, write_fresh_build

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

    from ketamine_claims.publish.tables import parquet_relpath

    def documents(folder: Path) -> pl.DataFrame:
        return pl.read_parquet(folder / "dataset" / parquet_relpath("documents"), columns=["doc_id", "title", "label_source"])

    before = set(documents(previous)["doc_id"]) if previous is not None else set()
    auto = documents(root).filter(pl.col("label_source") == "auto")
    return [(doc_id, title or "") for doc_id, title in auto.select("doc_id", "title").iter_rows() if doc_id not in before]


def check_auto_documents(root: Path, version: str, auto: list[tuple[str, str]], allow_auto: bool) -> None:
    """Refuse auto-labelled documents unless allowed, and then only when the CHANGELOG entry names each one."""
    if not auto:
        return
    listed = "\n".join(f"- {doc_id} {title!r}" for doc_id, title in auto)
    if not allow_auto:
        raise ReleaseError(
            f"this release adds {len(auto)} document(s) whose labels are automatic (label_source auto: boilerplate, "
            f"claims and flags from the rules and the line model, not read by an annotator):\n{listed}\n"
            "annotate them (annotations/<doc_id>.yaml) or remove them from seeds/; to release them as they are, pass "
            f"{ALLOW_AUTO_FLAG} and name each doc_id in the CHANGELOG.md entry"
        )
    entry = changelog_entry(root / "CHANGELOG.md", version)
    unnamed = [(doc_id, title) for doc_id, title in auto if doc_id not in entry]
    if unnamed:
        raise ReleaseError(
            f"the CHANGELOG.md entry of {version} must name every document with automatic labels it adds; missing:\n"
            + "\n".join(f"- {doc_id} {title!r}" for doc_id, title in unnamed)
        )


def check_release_folder(folder: Path, assets: list[Asset]) -> list[str]:
    """Problems of a staged release folder (its files are assets): the project checks, and `load_dataset(folder, name)`
    of every config."""
    from ketamine_claims.checks.validate import check_load_dataset, load_frames, validate_folder

    return validate_folder(folder, thorough=False, assets=assets) + check_load_dataset(folder, load_frames(folder))


def check_release(
    root: Path, version: str, dist: Path, allow_auto: bool = False
) -> tuple[DatasetDiff | None, list[tuple[str, str]]]:
    """Every refusal rule, cheapest first; returns the diff against the last release (None for the first) and the
    documents with automatic labels the release adds (refused unless allow_auto)."""
    parse_version(version)
    dirt = git_dirt(root)
    if dirt:
        raise ReleaseError("the working tree is not clean; commit or remove these first:\n" + "\n".join(dirt[:20]))
    known = known_versions(registry_dir(root))
    if version in known or (dist / f"v{version}").exists():
        raise ReleaseError(f"version {version} already exists (released: {', '.join(known) or 'none'}); bump the version")
    last = known[-1] if known else None
    if last and parse_version(version) <= parse_version(last):
        raise ReleaseError(f"version {version} is not greater than the last release {last}")
    if version != __version__:
        raise ReleaseError(
            f"release {version} but the package version is {__version__}: set __version__ = {version!r} in "
            "src/ketamine_claims/__init__.py, run scripts/build, commit, then release"
        )
    if changelog_date(root / "CHANGELOG.md", version) is None:
        raise ReleaseError(f"CHANGELOG.md has no `## [{version}] - YYYY-MM-DD` entry; write one (use `ketamine-claims diff`)")

    from ketamine_claims.checks.validate import validate_folder
    from ketamine_claims.paths import Paths

    problems = validate_folder(root, Paths(root), thorough=True)
    if problems:
        raise ReleaseError("the dataset fails validation:\n" + "\n".join(f"- {p}" for p in problems))
    stale = stale_files(root)
    if stale:
        raise ReleaseError(
            "the committed build differs from a fresh build of the inputs; run scripts/build and commit: " + ", ".join(stale)
        )
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    if descriptor.get("version") != version:
        raise ReleaseError(f"datapackage.json says version {descriptor.get('version')}; run scripts/build and commit")
    citation = root / CITATION_FILE
    if not citation.exists() or citation.read_text(encoding="utf-8") != citation_cff(
        version, changelog_date(root / "CHANGELOG.md", version)
    ):
        raise ReleaseError(f"{CITATION_FILE} is missing or not the one for {version}; run scripts/build and commit")
    if last is None:
        auto = added_auto_documents(root, None)
        check_auto_documents(root, version, auto, allow_auto)
        return None, auto
    previous = release_folder(root, last, dist)
    diff = diff_folders(previous, root, f"v{last}", f"v{version}")
    needed, bump = required_bump(diff), bump_kind(last, version)
    if BUMPS.index(bump) < BUMPS.index(needed):
        raise ReleaseError(f"{last} → {version} is a {bump} bump, but the change needs a {needed} bump:\n{format_diff(diff)}")
    auto = added_auto_documents(root, previous)
    check_auto_documents(root, version, auto, allow_auto)
    return diff, auto


def release(root: Path, version: str, dist: Path | None = None, allow_auto: bool = False) -> Release:
    """Check everything, then write dist/v<version>/ and the registry, both or neither.

    All work happens in a staging folder `dist/.v*` (temporary files of the checks too), so a
    killed release leaves nothing that the next release does not roll back and remove."""
    root = root.resolve()
    dist = (dist or root / "dist").resolve()
    created = not dist.exists()
    dist.mkdir(parents=True, exist_ok=True)
    note_recovered(recover(dist, RELEASE_PREFIX), "release")
    try:
        with Staging(dist, RELEASE_PREFIX) as staging, temporary_files_in(staging.path / "tmp"):
            with reading(root):  # one build of root, checked and copied (a build's swap waits)
                diff, auto = check_release(root, version, dist, allow_auto)
                target, registry = dist / f"v{version}", registry_path(version, registry_dir(root))
                staged = staging.path / "release"
                staged.mkdir()
                assets = describe_assets(staged, stage_release(root, staged))
            problems = check_release_folder(staged, assets)
            if problems:
                raise ReleaseError("the release folder does not load or validate:\n" + "\n".join(f"- {p}" for p in problems))
            publish_modes(staged)
            registry.parent.mkdir(parents=True, exist_ok=True)
            pending = staging.path / registry.name
            pending.write_text(format_registry(version, assets), encoding="utf-8")
            fault_point("release-staged")
            staging.swap_in([(staged, target), (pending, registry)], "release")
    except BaseException:
        if created and not any(dist.iterdir()):
            dist.rmdir()
        raise
    return Release(version, target, registry, diff, auto)


@contextlib.contextmanager
def temporary_files_in(folder: Path) -> Iterator[None]:
    """Point Python's temporary files (tempfile) into folder for the duration."""
    folder.mkdir()
    previous, tempfile.tempdir = tempfile.tempdir, str(folder)
    try:
        yield
    finally:
        tempfile.tempdir = previous
