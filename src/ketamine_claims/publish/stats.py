"""Stage 7d: statistics of the built tables for the card, and its chart (dataset/stats.png).

Label orders come from the enums in schemas/, so every table and the chart list labels in the
same order on every build. The PNG is deterministic: Agg backend, fixed size and resolution, and
no software or date metadata.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pyarrow as pa

from ketamine_claims import schema

CHART_FILE = "stats.png"
CHART_SIZE_INCHES = (11.0, 4.8)
CHART_DPI = 100
NO_VERDICT = "no verdict (auto)"
# Colour-blind-safe palette (Okabe–Ito), one colour per verdict, grey for auto rows.
VERDICT_COLOURS = {
    "accurate": "#009E73",
    "overstated": "#E69F00",
    "unsupported": "#CC79A7",
    "contradicted": "#D55E00",
    "not_checkable": "#56B4E9",
    NO_VERDICT: "#BBBBBB",
}


def _distribution(values: list) -> str:
    counts = Counter("null" if v is None else str(v) for v in values)
    return ", ".join(f"`{k}` {n}" for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def claim_type_by_verdict(claims: list[dict]) -> dict[str, Counter[str]]:
    """Claim rows per claim_type, counted by verdict (auto rows under NO_VERDICT), in schema order.

    Values outside the schema (data that validation will reject) get rows of their own after it.
    """
    table: dict[str, Counter[str]] = {t: Counter() for t in schema.enum_values("claims", "claim_type")}
    for claim in claims:
        table.setdefault(str(claim["claim_type"]), Counter())[claim["verdict"] or NO_VERDICT] += 1
    return {t: c for t, c in table.items() if c}


def boilerplate_kinds(segments: list[dict]) -> dict[str, Counter[str]]:
    """Boilerplate segments per kind, counted by label_source, in schema order."""
    table: dict[str, Counter[str]] = {k: Counter() for k in schema.enum_values("segments", "boilerplate_kind")}
    for segment in segments:
        if segment["is_boilerplate"]:
            table.setdefault(str(segment["boilerplate_kind"]), Counter())[segment["label_source"]] += 1
    return {k: c for k, c in table.items() if c}


def _markdown_table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows]


def statistics_section(tables: dict[str, pa.Table]) -> str:
    """Row counts per table, label distributions and the chart, as Markdown for the card."""
    docs = tables["documents"].to_pylist()
    segments = tables["segments"].to_pylist()
    claims = tables["claims"].to_pylist()
    lines = _markdown_table(["table", "rows"], [[f"`{name}`", str(tables[name].num_rows)] for name in schema.TABLES])
    lines += [
        "",
        f"- Documents by label source: {_distribution([d['label_source'] for d in docs])}.",
        f"- Boilerplate segments: {sum(s['is_boilerplate'] for s in segments)} of {len(segments)}.",
        f"- Claims by label source: {_distribution([c['label_source'] for c in claims]) or 'none'}.",
        f"- Conditions: {_distribution([c['condition'] for c in claims]) or 'none'}.",
    ]

    by_verdict = claim_type_by_verdict(claims)
    verdicts = [*schema.enum_values("claims", "verdict"), NO_VERDICT]
    rows = [[f"`{t}`", *(str(c[v]) for v in verdicts), str(sum(c.values()))] for t, c in by_verdict.items()]
    totals = [sum(c[v] for c in by_verdict.values()) for v in verdicts]
    rows.append(["**all**", *(str(n) for n in totals), str(sum(totals))])
    lines += ["", "Claim rows by claim type and verdict (gold rows carry a verdict; auto rows never do):", ""]
    lines += _markdown_table(["claim_type", *(f"`{v}`" if v != NO_VERDICT else v for v in verdicts), "total"], rows)

    kinds = boilerplate_kinds(segments)
    rows = [[f"`{k}`", str(c["gold"]), str(c["auto"]), str(sum(c.values()))] for k, c in kinds.items()]
    lines += ["", "Boilerplate segments by kind and label source:", ""]
    lines += _markdown_table(["boilerplate_kind", "gold", "auto", "total"], rows) if rows else ["none"]
    lines += ["", f"![Claim rows by type and verdict; boilerplate segments by kind]({CHART_FILE})"]
    return "\n".join(lines)


def chart_png(tables: dict[str, pa.Table]) -> bytes:
    """A PNG with two panels: claim rows by type stacked by verdict, and boilerplate segments by kind."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    by_verdict = claim_type_by_verdict(tables["claims"].to_pylist())
    kinds = boilerplate_kinds(tables["segments"].to_pylist())
    with plt.rc_context({"font.family": "DejaVu Sans", "font.size": 9, "svg.hashsalt": "ketamine-claims"}):
        fig, (left, right) = plt.subplots(1, 2, figsize=CHART_SIZE_INCHES, dpi=CHART_DPI, layout="constrained")
        types = list(by_verdict)[::-1]
        offsets = [0] * len(types)
        for verdict, colour in VERDICT_COLOURS.items():
            counts = [by_verdict[t][verdict] for t in types]
            left.barh(types, counts, left=offsets, color=colour, label=verdict)
            offsets = [o + c for o, c in zip(offsets, counts, strict=True)]
        left.set_title("Claim rows by claim_type and verdict")
        left.set_xlabel("claim rows")
        left.xaxis.set_major_locator(MaxNLocator(integer=True))
        left.legend(loc="lower right", frameon=False)
        names = list(kinds)[::-1]
        gold = [kinds[k]["gold"] for k in names]
        auto = [kinds[k]["auto"] for k in names]
        right.barh(names, gold, color="#0072B2", label="gold")
        right.barh(names, auto, left=gold, color="#BBBBBB", label="auto")
        right.set_title("Boilerplate segments by kind")
        right.set_xlabel("segments")
        right.xaxis.set_major_locator(MaxNLocator(integer=True))
        right.legend(loc="lower right", frameon=False)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=CHART_DPI, metadata={"Software": None})
        plt.close(fig)
    return buffer.getvalue()


def write_chart(tables: dict[str, pa.Table], path: Path) -> None:
    path.write_bytes(chart_png(tables))
