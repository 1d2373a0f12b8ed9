"""What every check reads: the folder under check, what it is checked against, and its tables."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ketamine_claims import schema
from ketamine_claims.checks.assets import Asset
from ketamine_claims.errors import InputError
from ketamine_claims.paths import Paths, require_checkout
from ketamine_claims.tables import parquet_relpath

Frames = dict[str, pl.DataFrame]

BUILD, RELEASE = "build", "release"  # the two kinds of folder (a check's scopes)


@dataclass
class CheckedFolder:
    """A built folder and what it is checked against.

    paths: the repository inputs of a build folder (a checkout, or a build being staged);
    None for a release or download folder, which must hold exactly `assets` (taken from
    `assets_source`: its version's registry, or the release being cut). assets None: no registry
    is known for the folder, and `assets_source` says why. frames: every table, once read.
    """

    folder: Path
    paths: Paths | None = None
    assets: list[Asset] | None = None
    assets_source: str = "no registry given, so its files cannot be checked"
    frames: Frames = field(default_factory=dict)

    @property
    def scope(self) -> str:
        return BUILD if self.paths is not None else RELEASE


def load_frames(folder: Path) -> Frames:
    """Every table of folder; InputError naming the file that cannot be read."""
    frames = {}
    for name in schema.TABLES:
        path = folder / "dataset" / parquet_relpath(name)
        try:
            frames[name] = pl.read_parquet(path)
        except (pl.exceptions.PolarsError, OSError) as exc:
            raise InputError(path, f"not a readable Parquet file ({exc})") from None
    return frames


def read_json(path: Path) -> tuple[object, list[str]]:
    """The parsed JSON file, or the problem (with its line) that stops reading it."""
    try:
        return json.loads(path.read_text(encoding="utf-8")), []
    except UnicodeDecodeError as exc:
        return None, [f"{path}: not valid UTF-8 at byte offset {exc.start}"]
    except json.JSONDecodeError as exc:
        return None, [f"{path}:{exc.lineno}: not valid JSON ({exc.msg}, column {exc.colno})"]
    except RecursionError:
        return None, [f"{path}: not valid JSON (nested too deeply)"]


def read_descriptor(folder: Path) -> tuple[dict | None, list[str]]:
    """The parsed datapackage.json of folder, or the problem that stops reading it; FaultError when there is none."""
    path = require_checkout(folder, "datapackage.json") / "datapackage.json"
    descriptor, problems = read_json(path)
    if problems:
        return None, problems
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not all(isinstance(r, dict) and "name" in r for r in resources):
        return None, [f"{path}: expected an object whose resources are objects with a name"]
    return descriptor, []


def problem_rows(frame: pl.DataFrame, what: str, limit: int = 5) -> list[str]:
    """One problem naming what is wrong, how many rows and the first few of them; [] for no rows."""
    if frame.height == 0:
        return []
    sample = frame.head(limit).to_dicts()
    return [f"{what} ({frame.height} rows), e.g. {sample}"]
