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

from ketamine_claims import schema

PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
}
# Run parts (`ketamine-claims run`) are intermediate output of the scale path: zstd level 1 without
# dictionary encoding writes them about 4x faster than the release files' options, for about 3% more
# bytes on real pages (most string columns are nearly unique, so dictionaries save little). Released
# files keep PARQUET_OPTIONS and their bytes.
PART_PARQUET_OPTIONS: dict[str, Any] = {**PARQUET_OPTIONS, "compression_level": 1, "use_dictionary": False}
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


def _key_ranks(values: pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Values that sort as sort_value sorts the column: integers as they are, strings by rank; nulls first.

    A string column is dictionary-encoded and only its distinct values get a natural-order key in
    Python: equal keys get equal ranks (so their rows keep their input order), nulls rank 0.
    """
    if pa.types.is_integer(values.type) and values.null_count == 0:
        return values  # sort_value(n) == (1, n)
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        encoded = values.combine_chunks().dictionary_encode()
        keys = [sort_value(value) for value in encoded.dictionary.to_pylist()]
        position = {key: rank for rank, key in enumerate(sorted(set(keys)), start=1)}
        ranks = pa.array([position[key] for key in keys], pa.int64())
        return pc.take(ranks, encoded.indices).fill_null(0)
    distinct = {value: sort_value(value) for value in values.unique().to_pylist()}
    position = {key: rank for rank, key in enumerate(sorted(set(distinct.values())))}
    return pa.array([position[distinct[value]] for value in values.to_pylist()], pa.int64())


def _row_order(table: pa.Table, keys: tuple[str, ...]) -> pa.Array:
    """Indices of the rows of table in the order of the key columns (sort_value order); ties keep their input order.

    Each key column is replaced by values that compare exactly as its sort values do (_key_ranks),
    and Arrow's stable sort orders them, without a natural-order key per row.
    """
    ranks = pa.table({key: _key_ranks(table.column(key)) for key in keys})
    return pc.sort_indices(ranks, sort_keys=[(key, "ascending") for key in keys])


def to_arrow(table: str, rows: list[dict[str, Any]]) -> pa.Table:
    """An Arrow table in schema column order, rows in ROW_ORDER, built column by column.

    Always a reordered copy, even of rows already in order, so that the card's byte counts (dataset_info
    counts the Arrow buffers) do not depend on whether the rows happened to arrive in order.
    """
    columns = {name: [row[name] for row in rows] for name in schema.column_names(table)}
    unordered = pa.Table.from_pydict(columns, schema=schema.arrow_schema(table))
    return unordered.take(_row_order(unordered, ROW_ORDER[table]))


def columns_to_arrow(table: str, columns: dict[str, list[Any]]) -> pa.Table:
    """An Arrow table in schema column order from one list of values per column, rows in ROW_ORDER; a table
    whose rows are already in order is returned as built, without a copy (run parts; same Parquet bytes)."""
    unordered = pa.Table.from_pydict(columns, schema=schema.arrow_schema(table))
    order = _row_order(unordered, ROW_ORDER[table])
    if order.equals(pa.array(range(len(order)), order.type)):
        return unordered
    return unordered.take(order)


def write_parquet(table: pa.Table, path: Path, options: dict[str, Any] = PARQUET_OPTIONS) -> None:
    """Write table to path with the given writer options (default: the dataset's); errors name the file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        pq.write_table(table, path, **options)
    except OSError as exc:
        if exc.filename:
            raise
        raise OSError(exc.errno or errno.EIO, str(exc), str(path)) from exc  # Arrow's errors name no file


def read_parquet(path: Path) -> pa.Table:
    return pq.read_table(path)
