"""The card's statistics section and its chart agree with the Parquet files."""

from __future__ import annotations

import struct

import polars as pl
import pytest

from conftest import REPO
from ketamine_claims import schema
from ketamine_claims.publish.stats import CHART_DPI, CHART_FILE, CHART_SIZE_INCHES, NO_VERDICT
from ketamine_claims.tables import parquet_relpath

CARD = (REPO / "dataset" / "README.md").read_text(encoding="utf-8")


def _frame(name: str) -> pl.DataFrame:
    return pl.read_parquet(REPO / "dataset" / parquet_relpath(name))


def _section() -> str:
    return CARD[CARD.index("## Statistics") : CARD.index("\n## ", CARD.index("## Statistics") + 1)]


@pytest.mark.parametrize("name", schema.TABLES)
def test_row_counts(name):
    assert f"| `{name}` | {_frame(name).height} |" in _section()


def test_claim_type_by_verdict_table():
    claims = _frame("claims").with_columns(pl.col("verdict").fill_null(NO_VERDICT))
    verdicts = [*schema.enum_values("claims", "verdict"), NO_VERDICT]
    counts = {(r["claim_type"], r["verdict"]): r["len"] for r in claims.group_by("claim_type", "verdict").len().to_dicts()}
    for claim_type in claims["claim_type"].unique():
        cells = [counts.get((claim_type, v), 0) for v in verdicts]
        row = f"| `{claim_type}` | " + " | ".join(str(n) for n in cells) + f" | {sum(cells)} |"
        assert row in _section()
    totals = [claims.filter(pl.col("verdict") == v).height for v in verdicts]
    assert "| **all** | " + " | ".join(str(n) for n in totals) + f" | {claims.height} |" in _section()


def test_boilerplate_kind_table():
    segments = _frame("segments").filter(pl.col("is_boilerplate"))
    for kind in segments["boilerplate_kind"].unique():
        rows = segments.filter(pl.col("boilerplate_kind") == kind)
        gold = rows.filter(pl.col("label_source") == "gold").height
        assert f"| `{kind}` | {gold} | {rows.height - gold} | {rows.height} |" in _section()


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        chunks.append((data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    return chunks


def test_chart_is_embedded_and_carries_no_software_or_date_metadata():
    assert f"]({CHART_FILE})" in _section()
    chunks = _png_chunks((REPO / "dataset" / CHART_FILE).read_bytes())
    width, height = struct.unpack(">II", dict(chunks)[b"IHDR"][:8])
    assert (width, height) == (round(CHART_SIZE_INCHES[0] * CHART_DPI), round(CHART_SIZE_INCHES[1] * CHART_DPI))
    assert not [kind for kind, _ in chunks if kind in (b"tEXt", b"iTXt", b"zTXt", b"tIME")]


def test_tables_keep_values_outside_the_schema():
    """A card can still be rendered for data that validation will reject (the benchmark plants such rows)."""
    from ketamine_claims.publish.stats import boilerplate_kinds, claim_type_by_verdict

    table = claim_type_by_verdict(
        [{"claim_type": "miracle_cure", "verdict": "accurate"}, {"claim_type": "onset", "verdict": None}]
    )
    assert list(table) == ["onset", "miracle_cure"]
    assert table["miracle_cure"]["accurate"] == 1
    kinds = boilerplate_kinds([{"is_boilerplate": True, "boilerplate_kind": None, "label_source": "auto"}])
    assert kinds == {"None": {"auto": 1}}
