"""Stage 6: rows to Arrow tables with the schema from schemas/, and deterministic Parquet files."""

from __future__ import annotations

import errno
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from . import schema

PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
}
SPLIT = "train"


def parquet_relpath(table: str) -> str:
    """Path of a table's Parquet file relative to dataset/ (Hugging Face data_files layout)."""
    return f"data/{table}/{SPLIT}-00000-of-00001.parquet"


# Row order of every table: reading order within a document, documents by doc_id.
ROW_ORDER: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id",),
    "segments": ("doc_id", "index"),
    "sentences": ("doc_id", "index"),
    "claims": ("doc_id", "start", "end", "condition"),
    "references": ("ref_id",),
    "claim_evidence": ("claim_id", "ref_id"),
}


def sort_value(value: Any) -> tuple:
    """None first; strings in natural order ("K2" before "K10")."""
    if value is None:
        return (0,)
    if isinstance(value, str):
        return (1, tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", value)))
    return (1, value)


def to_arrow(table: str, rows: list[dict[str, Any]]) -> pa.Table:
    """An Arrow table in schema column order, rows in ROW_ORDER."""
    ordered = sorted(rows, key=lambda r: tuple(sort_value(r[k]) for k in ROW_ORDER[table]))
    return pa.Table.from_pylist(ordered, schema=schema.arrow_schema(table))


def write_parquet(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        pq.write_table(table, path, **PARQUET_OPTIONS)
    except OSError as exc:
        if exc.filename:
            raise
        raise OSError(exc.errno or errno.EIO, str(exc), str(path)) from exc  # Arrow's errors name no file


def read_parquet(path: Path) -> pa.Table:
    return pq.read_table(path)
