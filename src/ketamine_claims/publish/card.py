"""Stage 7a: the dataset card (dataset/README.md): YAML front matter for the Hub and a body.

The front matter is a `huggingface_hub.DatasetCardData`: configs and features derived from
schemas/, the counts from the tables just built. The prose lives in card_template.md, a Jinja2
template (as huggingface_hub's card templates) whose `{{placeholders}}` are filled here; a
placeholder left unfilled is an error.
"""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import pyarrow as pa
from huggingface_hub import DatasetCardData

from ketamine_claims import about, schema
from ketamine_claims.publish.citation import card_section
from ketamine_claims.publish.stats import statistics_section
from ketamine_claims.tables import SPLIT, parquet_relpath

TEMPLATE = Path(__file__).with_name("card_template.md")
PRETTY_NAME = about.TITLE
CARD_METADATA = {
    "pretty_name": PRETTY_NAME,
    **about.CARD_LICENSE,
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


def card_data(tables: dict[str, pa.Table], parquet_bytes: dict[str, int]) -> DatasetCardData:
    """The card's YAML metadata: Hub fields, one config per table, and `dataset_info` written by `datasets` itself:
    features from the schemas and the split sizes `load_dataset` reports (bytes of the Arrow data as datasets writes
    it; download size = Parquet bytes)."""
    from datasets import DatasetInfo, Features, SplitDict, SplitInfo, Value
    from datasets.arrow_writer import ArrowWriter
    from datasets.info import DatasetInfosDict

    infos = {}
    for name in schema.TABLES:
        features = Features({f["name"]: Value(f["dtype"]) for f in schema.hf_features(name)})
        writer = ArrowWriter(stream=pa.MockOutputStream(), features=features)  # counts bytes, keeps none
        writer.write_table(tables[name])
        num_examples, num_bytes = writer.finalize()
        splits = SplitDict()
        splits.add(SplitInfo(name=SPLIT, num_bytes=num_bytes, num_examples=num_examples))
        infos[name] = DatasetInfo(
            features=features, splits=splits, download_size=parquet_bytes[name], dataset_size=num_bytes, config_name=name
        )
    data = DatasetCardData(
        **CARD_METADATA,
        size_categories=[size_category(max(t.num_rows for t in tables.values()))],
        configs=[
            {
                "config_name": name,
                "data_files": [{"split": SPLIT, "path": parquet_relpath(name)}],
                **({"default": True} if name == "claims" else {}),
            }
            for name in schema.TABLES
        ],
    )
    DatasetInfosDict(infos).to_dataset_card_data(data)
    return data


def instance_section(tables: dict[str, pa.Table]) -> str:
    """One row of the claims config as `load_dataset` returns it: the first gold row by claim_id (else the first row)."""
    claims = tables["claims"]
    if claims.num_rows == 0:
        return "The `claims` config has no rows yet."
    rows = sorted(claims.to_pylist(), key=lambda r: (r["label_source"] != "gold", r["claim_id"]))
    which = "the first gold row" if rows[0]["label_source"] == "gold" else "the first row"
    return "\n".join(
        [
            f"One row of the `claims` config ({which} by `claim_id`), as `load_dataset` returns it:",
            "",
            "```json",
            json.dumps(rows[0], indent=2, ensure_ascii=False),
            "```",
            "",
            "`text` is `documents.text[start:end]` of the document `doc_id`; the row's references are the",
            "`claim_evidence` rows with its `claim_id`.",
        ]
    )


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
    tables: dict[str, pa.Table],
    parquet_bytes: dict[str, int],
    version: str,
    extra: dict[str, str] | None = None,
    date_released: str | None = None,
) -> str:
    """The full dataset/README.md text (date_released: the version's CHANGELOG date, for the citation)."""
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
    fills = {
        "version": version,
        "columns": columns_section(),
        "statistics": statistics_section(tables),
        "instance": instance_section(tables),
        "citation": card_section(version, date_released),
        "license": about.LICENSE_STATEMENT,
        "license_file": about.ANNOTATIONS_LICENSE_FILE,
        "homepage": about.HOMEPAGE,
        "contact": about.ISSUES,
    }
    body = environment.from_string(TEMPLATE.read_text(encoding="utf-8")).render(fills | (extra or {}))
    yaml_text = card_data(tables, parquet_bytes).to_yaml(original_order=list(CARD_METADATA))
    return f"---\n{yaml_text}\n---\n\n{body}"
