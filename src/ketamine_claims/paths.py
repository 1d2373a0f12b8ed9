"""Where a repository keeps the inputs of a build (shared by the build, validation and the command line)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ketamine_claims.errors import FaultError


def require_checkout(root: Path, *needed: str) -> Path:
    """root, or FaultError naming root and what it lacks of needed (names ending in / are folders, others files)."""
    missing = [name for name in needed if not ((root / name).is_dir() if name.endswith("/") else (root / name).is_file())]
    if missing:
        raise FaultError(
            root,
            f"not a ketamine-claims checkout (or release folder): expected {' and '.join(missing)} in this folder; "
            "run the command from the repository root or pass --root FOLDER",
        )
    return root


@dataclass(frozen=True)
class Paths:
    """Where a repository keeps its inputs."""

    root: Path

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def annotations(self) -> Path:
        return self.root / "annotations"

    @property
    def references(self) -> Path:
        return self.root / "annotations" / "references.yaml"

    @property
    def ambiguities(self) -> Path:
        return self.root / "annotations" / "AMBIGUITIES.md"

    @property
    def agreement(self) -> Path:
        return self.root / "annotations" / "agreement-before-adjudication.json"

    @property
    def adjudication(self) -> Path:
        return self.root / "annotations" / "ADJUDICATION.md"

    @property
    def schemas(self) -> Path:
        return self.root / "schemas"
