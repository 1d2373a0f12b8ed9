"""Cutting a release: the gate, the release folder in dist/ and the committed registry.

`release(root, version)` refuses (RefusedError, exit 1) unless every rule of the release gate
passes (see `gate.GATE`: a clean git tree, a new, greater version that is the package's, a
CHANGELOG entry, a valid dataset, a committed build and CITATION.cff that a fresh build would not
change, a bump big enough for the change since the last release (see `diff.required_bump`), no
document with automatic labels added unless allowed and named in the CHANGELOG entry) and the
release folder passes the checks of a release folder. On success it writes `dist/v<version>/`
(the release assets, laid out like the repository, plus a root README.md: the card with paths from
the folder root, so the folder loads with `load_dataset` and validates with `frictionless` as is)
and `src/ketamine_claims/registries/v<version>.txt`.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from ketamine_claims import about
from ketamine_claims.checks.assets import RELEASE_CARD, Asset
from ketamine_claims.checks.folder import CheckedFolder
from ketamine_claims.checks.validate import run_checks
from ketamine_claims.errors import RefusedError
from ketamine_claims.faults import fault_point
from ketamine_claims.publish.citation import CITATION_FILE
from ketamine_claims.release.diff import DatasetDiff
from ketamine_claims.release.download import publish_modes
from ketamine_claims.release.gate import Candidate, check_release
from ketamine_claims.release.registry import ASSET_FOLDERS, describe_assets, format_registry, registry_dir, registry_path
from ketamine_claims.staging import Staging, note_recovered, reading, recover

RELEASE_PREFIX = ".v"  # staging folders in dist/: .v<version>-XXXXXXXX


@dataclass
class Release:
    version: str
    folder: Path
    registry: Path
    diff: DatasetDiff | None
    auto_documents: list[tuple[str, str]]  # (doc_id, title) of the documents with automatic labels it adds


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
        raise RefusedError(root, f"{root}: git ls-files failed: {proc.stderr.strip()}")
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


def check_release_folder(folder: Path, assets: list[Asset]) -> list[str]:
    """Problems of a staged release folder (its files are assets): the fast checks of a release folder, and
    `load_dataset(folder, name)` of every config from its root card."""
    target = CheckedFolder(folder, assets=assets, assets_source="the release being cut")
    return run_checks(target, thorough=False, also=("release-loads",)).problems


def release(root: Path, version: str, dist: Path | None = None, allow_auto: bool = False) -> Release:
    """Check everything, then write dist/v<version>/ and the registry, both or neither.

    All work happens in a staging folder `dist/.v*` (temporary files of the checks too), so a
    killed release leaves nothing that the next release does not roll back and remove."""
    root = root.resolve()
    dist = (dist or root / "dist").resolve()
    created = not dist.exists()
    dist.mkdir(parents=True, exist_ok=True)
    note_recovered(recover(dist, RELEASE_PREFIX), "release")
    candidate = Candidate(root, version, dist, allow_auto)
    try:
        with Staging(dist, RELEASE_PREFIX) as staging, temporary_files_in(staging.path / "tmp"):
            with reading(root):  # one build of root, checked and copied (a build's swap waits)
                check_release(candidate)
                target, registry = dist / f"v{version}", registry_path(version, registry_dir(root))
                staged = staging.path / "release"
                staged.mkdir()
                assets = describe_assets(staged, stage_release(root, staged))
            problems = check_release_folder(staged, assets)
            if problems:
                raise RefusedError(
                    staged, "the release folder does not load or validate:\n" + "\n".join(f"- {p}" for p in problems)
                )
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
    return Release(version, target, registry, candidate.diff, candidate.auto_documents)


@contextlib.contextmanager
def temporary_files_in(folder: Path) -> Iterator[None]:
    """Point Python's temporary files (tempfile) into folder for the duration."""
    folder.mkdir()
    previous, tempfile.tempdir = tempfile.tempdir, str(folder)
    try:
        yield
    finally:
        tempfile.tempdir = previous
