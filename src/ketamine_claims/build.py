"""Stage 7b: build the whole dataset folder and datapackage.json, atomically.

`build` writes everything into a temporary folder next to the repository, validates it there,
and only then swaps it in, so a failed build leaves the previous dataset/ untouched.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa

from ketamine_claims import __version__, about, schema
from ketamine_claims.checks.validate import validate_folder
from ketamine_claims.errors import FaultError, InputError
from ketamine_claims.evaluation.agreement import agreement_markdown
from ketamine_claims.faults import fault_point
from ketamine_claims.gold.annotations import resolve
from ketamine_claims.inputs import Inputs, load_inputs, require_repository
from ketamine_claims.paths import Paths
from ketamine_claims.pipeline import DOC_TABLES, process_doc
from ketamine_claims.publish import card_boilerplate, card_claims
from ketamine_claims.publish.card import render_card
from ketamine_claims.publish.citation import CITATION_FILE, changelog_date, citation_cff
from ketamine_claims.publish.croissant import CROISSANT_FILE, croissant_metadata
from ketamine_claims.publish.stats import CHART_FILE, write_chart
from ketamine_claims.staging import Staging, note_recovered, recover
from ketamine_claims.tables import parquet_relpath, to_arrow, write_parquet
from ketamine_claims.text.seeds import sha256_hex
from ketamine_claims.text.segments import split_segments

DATAPACKAGE = "datapackage.json"
DATASET_DIR = "dataset"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
LICENSES = [
    {"name": about.ANNOTATIONS_LICENSE, "path": about.ANNOTATIONS_LICENSE_URL, "title": about.LICENSE_STATEMENT},
]


def build_tables(inputs: Inputs) -> tuple[dict[str, pa.Table], Counter[str]]:
    """Every table of the dataset, plus how often each heuristic rule fired."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in schema.TABLES}
    rows["references"] = inputs.references
    counts: Counter[str] = Counter()
    for seed in inputs.seeds:
        result = process_doc(seed.doc_id, seed.text, inputs.annotations.get(seed.doc_id), meta=seed.meta)
        for name in DOC_TABLES:
            rows[name].extend(result.rows[name])
        counts.update(result.rule_counts)
    return {name: to_arrow(name, rows[name]) for name in schema.TABLES}, counts


def card_sections(inputs: Inputs, paths: Paths) -> dict[str, str]:
    """Card sections from the inputs and the committed evaluation results (nothing is scored here): boilerplate model
    card and scores, claim detector on real pages and on the gold articles, agreement, ambiguities and verdicts."""
    ambiguities = paths.ambiguities.read_text(encoding="utf-8").strip() if paths.ambiguities.exists() else "None recorded."
    metrics = card_boilerplate.load_metrics()
    return {
        "claim_evaluation": card_claims.gold_markdown(card_claims.load_gold_results()),
        "claim_pages": card_claims.pages_markdown(card_claims.load_claim_metrics()),
        "ambiguities": ambiguities,
        "boilerplate_model": card_boilerplate.model_card_markdown(metrics) + "\n\n" + card_boilerplate.scores_markdown(metrics),
        "agreement": agreement_section(paths, gold_spans_in_guidelines(inputs, paths)),
        "verdicts": verdict_section(inputs),
    }


def gold_claim_texts(inputs: Inputs) -> set[str]:
    """The distinct texts of the gold claim spans."""
    texts = set()
    for _, text, annotation in inputs.gold_documents():
        _, claims = resolve(annotation, text, split_segments(text))
        texts.update(text[c.start : c.end] for c in claims)
    return texts


def gold_spans_in_guidelines(inputs: Inputs, paths: Paths) -> tuple[int, int]:
    """How many distinct gold claim spans the guidelines quote word for word (line breaks ignored), and of how many."""
    guide = paths.annotations / "GUIDELINES.md"
    quoted = re.sub(r"\s+", " ", guide.read_text(encoding="utf-8")) if guide.exists() else ""
    spans = gold_claim_texts(inputs)
    return sum(re.sub(r"\s+", " ", span) in quoted for span in spans), len(spans)


def verdict_section(inputs: Inputs) -> str:
    """The gold rows' verdicts in this version, with the share of each."""
    counts: Counter[str] = Counter(entry.verdict for _, _, a in inputs.gold_documents() for entry in a.claims)
    total = sum(counts.values())
    if not total:
        return "No gold rows yet."
    rows = [f"| `{v}` | {counts[v]} | {counts[v] / total:.1%} |" for v in schema.enum_values("claims", "verdict")]
    return "\n".join(["| verdict | gold rows | share |", "|---|---|---|", *rows, f"| all | {total} | 100% |"])


def agreement_section(paths: Paths, quoted: tuple[int, int]) -> str:
    """The committed agreement results (before adjudication) as tables, how much the two annotations and the
    guidelines share, and the adjudication summary. quoted: gold spans the guidelines quote, and of how many."""
    if not paths.agreement.exists():
        return "No second annotation has been compared yet."
    try:
        result = json.loads(paths.agreement.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(paths.agreement, f"invalid JSON: {exc.msg}", line=exc.lineno) from None
    overall = result["overall"]
    same, second = overall["exact_spans"]["matched"], overall["spans"]["second"]
    parts = [
        agreement_markdown(result),
        f"Before adjudication, {same} of the second annotation's {second} distinct spans "
        f"({same / second:.0%}) equal a first-annotation span character for character. "
        f"{quoted[0]} of the {quoted[1]} distinct gold claim spans of this version appear word for word in the "
        "annotation guidelines (line breaks ignored).\n",
    ]
    if paths.adjudication.exists():
        text = paths.adjudication.read_text(encoding="utf-8")
        summary = re.search(r"^## Summary\n(.*?)(?=^## )", text, flags=re.S | re.M)
        if summary:
            parts.append("Adjudication (`annotations/ADJUDICATION.md` in the source repository):\n\n" + summary.group(1).strip())
    return "\n".join(parts)


def datapackage(hashes: dict[str, str], version: str) -> dict[str, Any]:
    """The Frictionless Data Package (v2) descriptor for the built files."""
    return {
        "$schema": PROFILE,
        "name": "ketamine-claims",
        "title": about.TITLE,
        "description": about.DESCRIPTION,
        "version": version,
        "homepage": about.HOMEPAGE,
        "licenses": LICENSES,
        "sources": [
            {
                "title": "Web articles about ketamine therapy, byte-exact (the text column of the documents table)",
                "path": f"{DATASET_DIR}/{parquet_relpath('documents')}",
            }
        ],
        "contributors": [
            {"title": about.AUTHOR, "roles": ["creator"]},
            {"title": about.ANNOTATORS, "roles": ["annotator"]},
        ],
        "keywords": about.KEYWORDS,
        "resources": [
            {
                "name": name,
                "type": "table",
                "path": f"{DATASET_DIR}/{parquet_relpath(name)}",
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "hash": f"sha256:{hashes[name]}",
                "schema": f"schemas/{name}.schema.json",
            }
            for name in schema.TABLES
        ],
    }


def write_package(
    out: Path,
    tables: dict[str, pa.Table],
    version: str,
    card_extra: dict[str, str] | None = None,
    guidelines: Path | None = None,
    *,
    date_released: str | None = None,
    license_file: Path | None = None,
) -> None:
    """Write dataset/ (Parquet files, card, chart, Croissant, guidelines, annotations licence), datapackage.json and a
    copy of schemas/ under out. date_released is the version's CHANGELOG date (None before its release)."""
    hashes, sizes = {}, {}
    for name, table in tables.items():
        path = out / DATASET_DIR / parquet_relpath(name)
        write_parquet(table, path)
        data = path.read_bytes()
        hashes[name], sizes[name] = sha256_hex(data), len(data)
    fault_point("build-write", out)
    card = render_card(tables, sizes, version, card_extra, date_released)
    (out / DATASET_DIR / "README.md").write_text(card, encoding="utf-8")
    write_chart(tables, out / DATASET_DIR / CHART_FILE)
    croissant = croissant_metadata(hashes, sizes, version=version, card=card, date_published=date_released)
    (out / DATASET_DIR / CROISSANT_FILE).write_text(json.dumps(croissant, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / DATAPACKAGE).write_text(
        json.dumps(datapackage(hashes, version), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    shutil.copytree(schema.schema_dir(), out / "schemas", dirs_exist_ok=True)
    if guidelines is not None:
        shutil.copyfile(guidelines, out / DATASET_DIR / "GUIDELINES.md")
    if license_file is not None and license_file.is_file():
        shutil.copyfile(license_file, out / DATASET_DIR / about.ANNOTATIONS_LICENSE_FILE)


def write_fresh_build(paths: Paths, out: Path) -> Counter[str]:
    """Write a build of the inputs at paths into out, unvalidated; return rule counts."""
    inputs = load_inputs(paths)
    tables, counts = build_tables(inputs)
    write_package(
        out,
        tables,
        __version__,
        card_sections(inputs, paths),
        paths.annotations / "GUIDELINES.md",
        date_released=changelog_date(paths.root / "CHANGELOG.md", __version__),
        license_file=paths.root / about.ANNOTATIONS_LICENSE_FILE,
    )
    return counts


BUILD_PREFIX = ".build-"
# What a build replaces at the repository root, in the order of the swap.
BUILD_OUTPUTS = (DATASET_DIR, DATAPACKAGE, CITATION_FILE)


def build(root: Path) -> Counter[str]:
    """Build, validate and swap in the dataset of the repository at root; return rule counts.

    Everything is written into a staging folder `.build-*` first; dataset/, datapackage.json and
    CITATION.cff are then swapped in all or nothing (see `staging.Staging.swap_in`). A build that
    was killed is rolled back and its staging folder removed when the next build starts.
    """
    paths = require_repository(root)
    note_recovered(recover(root, BUILD_PREFIX), "build")
    with Staging(root, BUILD_PREFIX) as staging:
        new = staging.path / "new"
        try:
            counts = write_fresh_build(paths, new)
            (new / CITATION_FILE).write_text(
                citation_cff(__version__, changelog_date(root / "CHANGELOG.md", __version__)), encoding="utf-8"
            )
        except OSError as exc:
            if exc.filename:
                raise
            raise FaultError(new, f"{exc.strerror or exc} while writing the new build here; nothing was replaced") from exc
        problems = validate_folder(new, paths, thorough=False)
        if problems:
            raise ValueError("the built dataset failed validation:\n" + "\n".join(f"- {p}" for p in problems))
        fault_point("build-staged")
        staging.swap_in([(new / name, root / name) for name in BUILD_OUTPUTS], "build")
        fault_point("build-committed")
    return counts
