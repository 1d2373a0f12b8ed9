"""Release registries: for each released version, every asset's relative path, sha256 and size.

One file per version, `registries/v<version>.txt`, committed and shipped inside the package. Asset
lines use pooch's registry format (`<relative path> sha256:<hex>`), so `pooch.Pooch.load_registry`
reads the file as is; the size of each asset is on a comment line before it
(`# bytes <size> <relative path>`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from packaging.version import Version

from ketamine_claims.checks.assets import Asset, file_sha256
from ketamine_claims.errors import InputError

REGISTRY_DIR = Path(__file__).parents[1] / "registries"
VERSION_PATTERN = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
# The folders of the repository whose committed files a release holds (with its root files, see cut.asset_paths).
ASSET_FOLDERS = ("dataset", "schemas")


def parse_version(version: str) -> Version:
    """A MAJOR.MINOR.PATCH version (packaging.version, for comparing); ValueError for anything else."""
    if not VERSION_PATTERN.match(version):
        raise ValueError(f"version {version!r} is not MAJOR.MINOR.PATCH (for example 1.0.0)")
    return Version(version)


def registry_dir(root: Path) -> Path:
    """Where the repository at root keeps its release registries (shipped inside the package)."""
    return root / "src" / "ketamine_claims" / "registries"


def registry_path(version: str, directory: Path = REGISTRY_DIR) -> Path:
    return directory / f"v{version}.txt"


def known_versions(directory: Path = REGISTRY_DIR) -> list[str]:
    """Every version with a registry file, oldest first."""
    names = [p.stem[1:] for p in directory.glob("v*.txt")]
    return sorted((v for v in names if VERSION_PATTERN.match(v)), key=Version)


def folder_registry(folder: Path) -> tuple[list[Asset] | None, str]:
    """The assets a release or download folder must hold and where they are listed (its version's registry);
    (None, why) when this package has no registry for the version its datapackage.json names."""
    try:
        version = str(json.loads((folder / "datapackage.json").read_text(encoding="utf-8")).get("version", ""))
    except (OSError, ValueError, AttributeError, RecursionError):
        version = ""
    registry = registry_path(version)
    if not VERSION_PATTERN.match(version) or not registry.is_file():
        known = ", ".join(known_versions()) or "none"
        return None, (
            f"datapackage.json names version {version!r}, which has no registry in this package (known versions: {known}), "
            "so its files cannot be checked; validate a checkout (with seeds/) or a release downloaded with "
            "`ketamine-claims download`"
        )
    return read_registry(registry), f"registry {registry.name}"


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
