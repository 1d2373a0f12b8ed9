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

from ketamine_claims import schema
from ketamine_claims.errors import FaultError, InputError
from ketamine_claims.release.registry import parse_version
from ketamine_claims.tables import parquet_relpath

BUMPS = ("patch", "minor", "major")
# Table Schema keys that describe rather than define: editing them changes nothing a reader gets.
# `fieldsMatch` only says how fields are matched to columns; the Parquet column order is the schema order.
SCHEMA_METADATA_KEYS = frozenset({"$schema", "profile", "title", "description", "fieldsMatch", "example", "examples"})
FIELD_METADATA_KEYS = frozenset({"title", "description", "example", "examples"})


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
    schema_metadata_changes: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return (
            not self.schema_changes
            and not self.schema_metadata_changes
            and not any(t.added or t.removed or t.changed for t in self.tables.values())
        )

    def to_dict(self) -> dict[str, Any]:
        """The diff as plain JSON-ready data (`ketamine-claims diff --json`)."""
        return {
            "old": self.old,
            "new": self.new,
            "schema_changes": self.schema_changes,
            "schema_metadata_changes": self.schema_metadata_changes,
            "tables": {
                name: {
                    "key": t.key,
                    "added": [list(k) for k in t.added],
                    "removed": [list(k) for k in t.removed],
                    "changed": [{"key": list(k), "columns": columns} for k, columns in t.changed.items()],
                }
                for name, t in self.tables.items()
            },
            "required_bump": required_bump(self),
        }


def _schemas(folder: Path) -> dict[str, Any]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted((folder / "schemas").glob("*.json"))}


def reader_view(table_schema: dict[str, Any]) -> dict[str, Any]:
    """What a reader gets from a Table Schema: everything but its descriptive keys and those of its fields."""
    view = {k: v for k, v in table_schema.items() if k not in SCHEMA_METADATA_KEYS}
    if isinstance(view.get("fields"), list):
        view["fields"] = [
            {k: v for k, v in f.items() if k not in FIELD_METADATA_KEYS} if isinstance(f, dict) else f for f in view["fields"]
        ]
    return view


def schema_changes(old: Path, new: Path) -> tuple[list[str], list[str]]:
    """Schema files added, removed or changed between two folders: (changes a reader sees, metadata-only changes)."""
    before, after = _schemas(old), _schemas(new)
    changes = [f"schemas/{name} added" for name in sorted(after.keys() - before.keys())]
    changes += [f"schemas/{name} removed" for name in sorted(before.keys() - after.keys())]
    metadata = []
    for name in sorted(before.keys() & after.keys()):
        if before[name] == after[name]:
            continue
        if reader_view(before[name]) != reader_view(after[name]):
            changes.append(f"schemas/{name} changed")
        else:
            metadata.append(f"schemas/{name} changed (metadata only: titles, descriptions or profile keys)")
    return changes, metadata


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
    breaking, metadata = schema_changes(old, new)
    return DatasetDiff(old_label or str(old), new_label or str(new), breaking, tables, metadata)


def required_bump(diff: DatasetDiff) -> str:
    """Smallest bump for the change: major for a schema change a reader sees (fields, types, constraints,
    keys; a schema file added or removed), minor for rows or labels added (or rows removed), patch for
    corrected values or schema metadata only."""
    if diff.schema_changes:
        return "major"
    if any(t.added or t.removed or t.relabelled for t in diff.tables.values()):
        return "minor"
    return "patch"


def bump_kind(old: str, new: str) -> str:
    """Which part of the version a bump from old to a greater new increases: major, minor or patch."""
    a, b = parse_version(old), parse_version(new)
    return "major" if b.major > a.major else "minor" if b.release[:2] > a.release[:2] else "patch"


def _show(key: tuple) -> str:
    return ", ".join(str(v) for v in key)


def format_diff(diff: DatasetDiff, limit: int = 10) -> str:
    """A readable summary: schema changes, then per table the rows added, removed and changed."""
    lines = [f"diff {diff.old} → {diff.new}"]
    lines += [f"  {change}" for change in diff.schema_changes + diff.schema_metadata_changes]
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
