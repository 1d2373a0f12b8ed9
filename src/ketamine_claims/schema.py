"""The Frictionless Table Schemas in schemas/ and everything derived from them.

The JSON files are the single source of truth for columns, types, enums and keys. The Arrow
schema of every Parquet file, the Hugging Face features in the dataset card and the pandera
checks are computed here and never written by hand.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

# Tables in dependency order: every foreign key points to a table earlier in the tuple.
TABLES: tuple[str, ...] = ("documents", "segments", "sentences", "claims", "references", "claim_evidence")
# The tables with rows per document (all but references): what process_doc returns and `run` writes parts of.
DOC_TABLES: tuple[str, ...] = tuple(table for table in TABLES if table != "references")

_ARROW_TYPES = {"string": "string", "integer": "int32", "boolean": "bool_", "date": "date32"}  # pyarrow type factories
_HF_DTYPES = {"string": "string", "integer": "int32", "boolean": "bool", "date": "date32"}


_chosen_dir: Path | None = None


def use_schema_dir(folder: Path | None) -> None:
    """Read the Table Schemas from folder (the schemas/ of the command's --root); None: the package's own."""
    global _chosen_dir
    _chosen_dir = folder
    table_schema.cache_clear()


def schema_dir() -> Path:
    """Folder holding the *.schema.json files: the one chosen with use_schema_dir, else the package's (in the wheel,
    or schemas/ of a source checkout)."""
    if _chosen_dir is not None:
        return _chosen_dir
    packaged = Path(__file__).parent / "schemas"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "schemas"


@cache
def table_schema(table: str) -> dict[str, Any]:
    """The parsed Table Schema of one table."""
    return json.loads((schema_dir() / f"{table}.schema.json").read_text(encoding="utf-8"))


def fields(table: str) -> list[dict[str, Any]]:
    return table_schema(table)["fields"]


def column_names(table: str) -> list[str]:
    return [f["name"] for f in fields(table)]


def is_required(field: dict[str, Any]) -> bool:
    return bool(field.get("constraints", {}).get("required", False))


def enum_values(table: str, column: str) -> tuple[str, ...]:
    """Allowed values of an enum column."""
    for field in fields(table):
        if field["name"] == column:
            return tuple(field["constraints"]["enum"])
    raise KeyError(f"{table}.{column}")


def primary_key(table: str) -> list[str]:
    return list(table_schema(table)["primaryKey"])


def foreign_keys(table: str) -> list[dict[str, Any]]:
    return list(table_schema(table).get("foreignKeys", []))


def arrow_schema(table: str) -> pa.Schema:
    """pyarrow schema of a table; required fields are non-nullable."""
    import pyarrow as pa  # imported on use: the parent process of `run` needs the table names, not pyarrow

    return pa.schema(
        [pa.field(f["name"], getattr(pa, _ARROW_TYPES[f["type"]])(), nullable=not is_required(f)) for f in fields(table)]
    )


def hf_features(table: str) -> list[dict[str, str]]:
    """Hugging Face `dataset_info.features` entries for the card's YAML."""
    return [{"name": f["name"], "dtype": _HF_DTYPES[f["type"]]} for f in fields(table)]


def pandera_schema(table: str):
    """A pandera (polars) DataFrameSchema with the types, nullability, enums, patterns and bounds."""
    import pandera.polars as pap
    import polars as pl

    polars_types = {"string": pl.Utf8, "integer": pl.Int32, "boolean": pl.Boolean, "date": pl.Date}
    columns = {}
    for f in fields(table):
        c = f.get("constraints", {})
        checks = []
        if "enum" in c:
            checks.append(pap.Check.isin(c["enum"]))
        if "pattern" in c:
            checks.append(pap.Check.str_matches(c["pattern"]))
        if "minimum" in c:
            checks.append(pap.Check.ge(c["minimum"]))
        if "maximum" in c:
            checks.append(pap.Check.le(c["maximum"]))
        columns[f["name"]] = pap.Column(
            polars_types[f["type"]], checks=checks, nullable=not c.get("required", False), unique=bool(c.get("unique"))
        )
    key = primary_key(table)
    return pap.DataFrameSchema(columns, strict=True, ordered=True, unique=key if len(key) > 1 else None, name=table)
