"""Checks of each table on its own: its Table Schema's constraints and the build's row order."""

from __future__ import annotations

import polars as pl

from ketamine_claims import schema
from ketamine_claims.checks.folder import Frames
from ketamine_claims.tables import ROW_ORDER, parquet_relpath, sort_value


def pandera(frames: Frames) -> list[str]:
    """Types, nullability, enums, patterns, bounds and primary keys of every table (pandera, from schemas/)."""
    import pandera.errors

    problems = []
    for name, frame in frames.items():
        try:
            schema.pandera_schema(name).validate(frame, lazy=True)
        except pandera.errors.SchemaErrors as exc:
            for case in exc.schema_errors[:20]:
                problems.append(f"{name}: {case}")
        except pandera.errors.SchemaError as exc:
            problems.append(f"{name}: {exc}")
    return problems


def _natural_rank(column: pl.Series) -> pl.Series:
    """Rank of every value in the build's sort order (tables.sort_value: nulls first, strings in natural order)."""
    uniques = sorted(column.drop_nulls().unique().to_list(), key=sort_value)
    ranks = pl.DataFrame({"value": pl.Series(uniques, dtype=column.dtype), "rank": pl.int_range(len(uniques), eager=True)})
    ranked = pl.DataFrame({"value": column}).join(ranks, on="value", how="left", maintain_order="left", nulls_equal=False)
    return ranked["rank"].fill_null(-1)


def row_order(frames: Frames) -> list[str]:
    """Rows of every table are in the canonical order of the build (tables.ROW_ORDER), so files stay byte-reproducible."""
    problems = []
    for name, frame in frames.items():
        columns = ROW_ORDER[name]
        if frame.height < 2:
            continue
        ranks = pl.DataFrame({c: _natural_rank(frame[c]) for c in columns})
        before = pl.lit(False)
        for c in reversed(columns):  # lexicographic "this row's key < the previous row's key"
            previous = pl.col(c).shift(1)
            before = (pl.col(c) < previous) | ((pl.col(c) == previous) & before)
        bad = ranks.with_row_index("row", offset=1).filter(before.fill_null(False))["row"]
        if bad.len():
            row = int(bad[0])
            shown = ", ".join(str(v) for v in frame.select(columns).row(row - 1))
            where = f"dataset/{parquet_relpath(name)}: row {row} ({shown})"
            problems.append(f"{where} is out of order; rows are sorted by {columns}")
    return problems
