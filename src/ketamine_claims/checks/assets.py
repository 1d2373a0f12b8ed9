"""What a release folder must hold, file by file: the assets of its registry (path, sha256, size).

Needs only the standard library, so `download` (a plain install) checks its files with the same
code as `validate` and `release`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

RELEASE_CARD = "README.md"  # the dataset card at the root of a release or download folder


@dataclass(frozen=True)
class Asset:
    """One file of a release: its path relative to the release folder, sha256 and size in bytes."""

    path: str
    sha256: str
    size: int


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def check_assets(folder: Path, assets: list[Asset]) -> list[str]:
    """Problems with the files of a release folder against its registry; [] when every file matches."""
    problems = []
    for asset in assets:
        path = folder / asset.path
        if not path.is_file():
            problems.append(f"{asset.path}: missing")
        elif path.stat().st_size != asset.size:
            problems.append(f"{asset.path}: {path.stat().st_size} bytes, registry says {asset.size}")
        elif file_sha256(path) != asset.sha256:
            problems.append(f"{asset.path}: sha256 differs from the registry")
    return problems


def extra_files(folder: Path, assets: list[Asset]) -> list[str]:
    """Relative paths of the files (or links) under folder that the registry does not list."""
    listed = {asset.path for asset in assets}
    found = (p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_symlink() or not p.is_dir())
    return sorted(rel for rel in found if rel not in listed)


def release_problems(folder: Path, assets: list[Asset]) -> list[str]:
    """Problems of a release folder against its registry, including any file the registry does not list."""
    return check_assets(folder, assets) + [f"{rel}: not in the registry" for rel in extra_files(folder, assets)]
