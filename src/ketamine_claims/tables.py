"""Stage 6: rows to Arrow tables with the schema from schemas/, and deterministic Parquet files."""

from __future__ import annotations

import errno
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
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


@lru_cache(maxsize=65536)
def _natural_key(value: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", value))


def sort_value(value: Any) -> tuple:
    """None first; strings in natural order ("K2" before "K10")."""
    if value is None:
        return (0,)
    if isinstance(value, str):
        return (1, _natural_key(value))
    return (1, value)


def _row_order(table: str, columns: dict[str, list[Any]]) -> pa.Array:
    """Indices of the rows in ROW_ORDER; ties keep their input order.

    Each key column is replaced by the rank of its sort value among the column's distinct values,
    and Arrow's stable sort orders the ranks. Ranks compare exactly as the sort values do, so the
    order is that of a stable sort on the sort values, without a natural-order key per row.
    """
    ranks = {}
    for key in ROW_ORDER[table]:
        values = columns[key]
        sort_values = {value: sort_value(value) for value in set(values)}
        position = {sort_value: i for i, sort_value in enumerate(sorted(set(sort_values.values())))}
        rank = {value: position[sort_value] for value, sort_value in sort_values.items()}
        ranks[key] = pa.array([rank[value] for value in values], pa.int64())
    return pc.sort_indices(pa.table(ranks), sort_keys=[(key, "ascending") for key in ranks])


def to_arrow(table: str, rows: list[dict[str, Any]]) -> pa.Table:
    """An Arrow table in schema column order, rows in ROW_ORDER, built column by column."""
    arrow_schema = schema.arrow_schema(table)
    columns = {name: [row[name] for row in rows] for name in arrow_schema.names}
    return pa.Table.from_pydict(columns, schema=arrow_schema).take(_row_order(table, columns))


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
