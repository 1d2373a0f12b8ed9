"""Stage 7a: the dataset card (dataset/README.md): YAML front matter for the Hub and a body.

The front matter's configs and features are derived from schemas/, the counts from the tables
just built; the prose lives in card_template.md with {{placeholders}} filled here.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import yaml

from . import schema
from .citation import card_section
from .stats import statistics_section
from .tables import SPLIT, parquet_relpath

TEMPLATE = Path(__file__).with_name("card_template.md")
PRETTY_NAME = "Ketamine Claims"
CARD_METADATA = {
    "pretty_name": PRETTY_NAME,
    "license": "other",
    "license_name": "mixed-annotations-cc-by-4.0",
    "license_details": (
        "Annotations, schemas and derived fields: CC BY 4.0. Article texts remain the property of their "
        "publishers and are redistributed for non-commercial research only."
    ),
    "language": ["en"],
    "multilinguality": "monolingual",
    "annotations_creators": ["machine-generated"],
    "language_creators": ["found"],
    "source_datasets": ["original"],
    "task_categories": ["text-classification", "token-classification"],
    "task_ids": ["fact-checking", "multi-class-classification"],
    "tags": ["health-misinformation", "claim-detection", "boilerplate-removal", "ketamine", "fact-checking"],
}


def size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if n < limit:
            return name
    return "1M<n<10M"


def front_matter(tables: dict[str, pa.Table], parquet_bytes: dict[str, int]) -> dict:
    """The card's YAML metadata: Hub fields, one config per table, features and split sizes."""
    meta = dict(CARD_METADATA)
    meta["size_categories"] = [size_category(max(t.num_rows for t in tables.values()))]
    meta["configs"] = [
        {
            "config_name": name,
            "data_files": [{"split": SPLIT, "path": parquet_relpath(name)}],
            **({"default": True} if name == "claims" else {}),
        }
        for name in schema.TABLES
    ]
    meta["dataset_info"] = [
        {
            "config_name": name,
            "features": schema.hf_features(name),
            "splits": [{"name": SPLIT, "num_bytes": parquet_bytes[name], "num_examples": tables[name].num_rows}],
            "download_size": parquet_bytes[name],
            "dataset_size": parquet_bytes[name],
        }
        for name in schema.TABLES
    ]
    return meta


def columns_section() -> str:
    """One Markdown table of columns per config, from the schema descriptions."""
    parts = []
    for name in schema.TABLES:
        ts = schema.table_schema(name)
        lines = [
            f"### `{name}`",
            "",
            ts["description"],
            "",
            "| column | type | null? | values | description |",
            "|---|---|---|---|---|",
        ]
        for f in ts["fields"]:
            c = f.get("constraints", {})
            values = ", ".join(f"`{v}`" for v in c["enum"]) if "enum" in c else (f"`{c['pattern']}`" if "pattern" in c else "")
            null = "no" if c.get("required") else "yes"
            lines.append(f"| `{f['name']}` | {f['type']} | {null} | {values} | {f['description']} |")
        key = ", ".join(ts["primaryKey"])
        fks = "; ".join(f"{', '.join(fk['fields'])} → {fk['reference']['resource']}" for fk in ts.get("foreignKeys", []))
        lines += ["", f"Primary key: `{key}`." + (f" Foreign keys: {fks}." if fks else "")]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def render_card(
    tables: dict[str, pa.Table], parquet_bytes: dict[str, int], version: str, extra: dict[str, str] | None = None
) -> str:
    """The full dataset/README.md text."""
    yaml_text = yaml.safe_dump(front_matter(tables, parquet_bytes), sort_keys=False, allow_unicode=True, width=1000)
    body = TEMPLATE.read_text(encoding="utf-8")
    fills = {
        "version": version,
        "columns": columns_section(),
        "statistics": statistics_section(tables),
        "citation": card_section(version),
        **(extra or {}),
    }
    for key, value in fills.items():
        body = body.replace("{{" + key + "}}", value)
    if "{{" in body:
        raise ValueError(f"unfilled placeholder in {TEMPLATE}: {body[body.index('{{') :][:40]}")
    return f"---\n{yaml_text}---\n\n{body}"
