"""Release registries: for each released version, every asset's relative path, sha256 and size.

One file per version, `registries/v<version>.txt`, committed and shipped inside the package. Asset
lines use pooch's registry format (`<relative path> sha256:<hex>`), so `pooch.Pooch.load_registry`
reads the file as is; the size of each asset is on a comment line before it
(`# bytes <size> <relative path>`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ketamine_claims.errors import InputError

REGISTRY_DIR = Path(__file__).parents[1] / "registries"
VERSION_PATTERN = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
# What a release holds, relative to the repository root (and to the release folder).
ASSET_ROOT_FILES = ("README.md", "datapackage.json", "CITATION.cff", "LICENSE", "LICENSE-ANNOTATIONS")
ASSET_FOLDERS = ("dataset", "schemas")


@dataclass(frozen=True)
class Asset:
    """One file of a release."""

    path: str
    sha256: str
    size: int


def parse_version(version: str) -> tuple[int, int, int]:
    """MAJOR.MINOR.PATCH as integers; ValueError for anything else."""
    match = VERSION_PATTERN.match(version)
    if not match:
        raise ValueError(f"version {version!r} is not MAJOR.MINOR.PATCH (for example 1.0.0)")
    major, minor, patch = (int(g) for g in match.groups())
    return major, minor, patch


def registry_path(version: str, directory: Path = REGISTRY_DIR) -> Path:
    return directory / f"v{version}.txt"


def known_versions(directory: Path = REGISTRY_DIR) -> list[str]:
    """Every version with a registry file, oldest first."""
    names = [p.stem[1:] for p in directory.glob("v*.txt")]
    return sorted((v for v in names if VERSION_PATTERN.match(v)), key=parse_version)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def describe_assets(folder: Path, paths: list[str]) -> list[Asset]:
    """Assets (hash and size) of the given relative paths under folder."""
    return [Asset(rel, file_sha256(folder / rel), (folder / rel).stat().st_size) for rel in paths]


def format_registry(version: str, assets: list[Asset]) -> str:
    lines = [
        f"# ketamine-claims {version}: every release asset as `<relative path> sha256:<hex>` (pooch registry format),",
        "# each preceded by its size as `# bytes <size> <relative path>`.",
    ]
    for asset in sorted(assets, key=lambda a: a.path):
        lines += [f"# bytes {asset.size} {asset.path}", f"{asset.path} sha256:{asset.sha256}"]
    return "\n".join(lines) + "\n"


def read_registry(path: Path) -> list[Asset]:
    """The assets listed in a registry file; InputError naming the line for anything malformed (or not UTF-8)."""
    return parse_registry(decode_registry(path.read_bytes(), path), path)


def decode_registry(data: bytes, path: str | Path) -> str:
    """The text of a registry file's bytes (no newline translation); InputError naming the line if not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(path, f"not valid UTF-8 at byte offset {exc.start} ({exc.reason})", line=line) from None


def parse_registry(text: str, path: str | Path) -> list[Asset]:
    """The assets listed in the text of a registry file (path or URL: where it came from, for messages)."""
    sizes: dict[str, int] = {}
    assets = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "#":
            if len(parts) == 4 and parts[1] == "bytes" and parts[2].isdigit():
                sizes[parts[3]] = int(parts[2])
            continue
        if len(parts) != 2 or not re.fullmatch(r"sha256:[0-9a-f]{64}", parts[1]):
            raise InputError(path, f"expected `<relative path> sha256:<64 hex digits>`, got {line!r}", line=number)
        rel = parts[0]
        if rel.startswith("/") or ".." in rel.split("/") or "\\" in rel:
            raise InputError(path, f"asset path {rel!r} must be relative and stay inside the release folder", line=number)
        if rel not in sizes:
            raise InputError(path, f"no `# bytes <size> {rel}` line before the asset", line=number)
        if any(asset.path == rel for asset in assets):
            raise InputError(path, f"asset {rel} is listed twice", line=number)
        assets.append(Asset(rel, parts[1].removeprefix("sha256:"), sizes[rel]))
    if not assets:
        raise InputError(path, "the registry lists no assets")
    return assets


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
