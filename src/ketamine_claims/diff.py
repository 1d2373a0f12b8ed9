"""Release diff: rows added, removed and changed per table between two built dataset folders.

A folder is anything laid out like the repository (`dataset/data/<table>/…parquet`, `schemas/`):
the working tree, a release folder in dist/, or a downloaded release. Rows are matched by the
primary key of their Table Schema. The same comparison decides how big a version bump must be.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from . import schema
from .errors import FaultError, InputError
from .tables import parquet_relpath

BUMPS = ("patch", "minor", "major")


@dataclass
class TableDiff:
    """Changes of one table, rows identified by their primary key values."""

    table: str
    key: list[str]
    added: list[tuple] = field(default_factory=list)
    removed: list[tuple] = field(default_factory=list)
    changed: dict[tuple, list[str]] = field(default_factory=dict)

    @property
    def relabelled(self) -> bool:
        """Some row's label_source changed (for example auto → gold): labels were added."""
        return any("label_source" in columns for columns in self.changed.values())


@dataclass
class DatasetDiff:
    """Changes between an old and a new dataset folder."""

    old: str
    new: str
    schema_changes: list[str]
    tables: dict[str, TableDiff]

    @property
    def unchanged(self) -> bool:
        return not self.schema_changes and not any(t.added or t.removed or t.changed for t in self.tables.values())


def _schemas(folder: Path) -> dict[str, Any]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted((folder / "schemas").glob("*.json"))}


def schema_changes(old: Path, new: Path) -> list[str]:
    """Names of the schema files added, removed or changed between two folders."""
    before, after = _schemas(old), _schemas(new)
    changes = [f"schemas/{name} added" for name in sorted(after.keys() - before.keys())]
    changes += [f"schemas/{name} removed" for name in sorted(before.keys() - after.keys())]
    changes += [f"schemas/{name} changed" for name in sorted(before.keys() & after.keys()) if before[name] != after[name]]
    return changes


def _key_tuples(frame: pl.DataFrame, key: list[str]) -> list[tuple]:
    return [tuple(row) for row in frame.select(key).sort(key).iter_rows()]


def diff_table(table: str, old: pl.DataFrame, new: pl.DataFrame, key: list[str]) -> TableDiff:
    """Rows added, removed and changed (with the changed columns) of one table."""
    result = TableDiff(table, key)
    result.added = _key_tuples(new.join(old.select(key), on=key, how="anti"), key)
    result.removed = _key_tuples(old.join(new.select(key), on=key, how="anti"), key)
    common = [c for c in new.columns if c in old.columns and c not in key]
    both = new.join(old, on=key, how="inner", suffix="__old")
    if both.height and common:
        flags = both.select(*key, *[pl.col(c).ne_missing(pl.col(f"{c}__old")).alias(c) for c in common])
        flags = flags.filter(pl.any_horizontal(common)).sort(key)
        for row in flags.iter_rows(named=True):
            result.changed[tuple(row[k] for k in key)] = [c for c in common if row[c]]
    return result


def _frame(folder: Path, table: str) -> pl.DataFrame | None:
    path = folder / "dataset" / parquet_relpath(table)
    if not path.exists():
        return None
    try:
        return pl.read_parquet(path)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError(path, f"not a readable Parquet file ({exc})") from None


def require_dataset_folder(folder: Path) -> None:
    """FaultError naming folder unless it holds a built dataset (dataset/data/ and schemas/)."""
    missing = [name for name in ("dataset/data", "schemas") if not (folder / name).is_dir()]
    if missing:
        raise FaultError(
            folder,
            f"not a dataset folder: expected {' and '.join(n + '/' for n in missing)} in it "
            "(a repository root with a build, a release folder or a version X.Y.Z)",
        )


def diff_folders(old: Path, new: Path, old_label: str | None = None, new_label: str | None = None) -> DatasetDiff:
    """Compare every table of two dataset folders, keyed by primary key."""
    for folder in (old, new):
        require_dataset_folder(folder)
    tables = {}
    for name in schema.TABLES:
        before, after = _frame(old, name), _frame(new, name)
        if before is None and after is None:
            continue
        key = schema.primary_key(name)
        empty = (after if after is not None else before).clear()
        tables[name] = diff_table(name, before if before is not None else empty, after if after is not None else empty, key)
    return DatasetDiff(old_label or str(old), new_label or str(new), schema_changes(old, new), tables)


def required_bump(diff: DatasetDiff) -> str:
    """Smallest bump for the change: major for any schema change, minor for rows or labels added
    (or rows removed), patch for corrected values only."""
    if diff.schema_changes:
        return "major"
    if any(t.added or t.removed or t.relabelled for t in diff.tables.values()):
        return "minor"
    return "patch"


def _show(key: tuple) -> str:
    return ", ".join(str(v) for v in key)


def format_diff(diff: DatasetDiff, limit: int = 10) -> str:
    """A readable summary: schema changes, then per table the rows added, removed and changed."""
    lines = [f"diff {diff.old} → {diff.new}"]
    lines += [f"  {change}" for change in diff.schema_changes]
    for name, t in diff.tables.items():
        lines.append(f"  {name}: +{len(t.added)} added, -{len(t.removed)} removed, ~{len(t.changed)} changed")
        lines += [f"    + {_show(k)}" for k in t.added[:limit]]
        lines += [f"    - {_show(k)}" for k in t.removed[:limit]]
        lines += [f"    ~ {_show(k)}: {', '.join(cols)}" for k, cols in list(t.changed.items())[:limit]]
        hidden = sum(max(0, len(x) - limit) for x in (t.added, t.removed, t.changed))
        if hidden:
            lines.append(f"    … and {hidden} more")
    if diff.unchanged:
        lines.append("  no change in the data or schemas")
    lines.append(f"  smallest version bump for this change: {required_bump(diff)}")
    return "\n".join(lines)
