"""Stage 7b: build the whole dataset folder and datapackage.json, atomically.

`build` writes everything into a temporary folder next to the repository, validates it there,
and only then swaps it in, so a failed build leaves the previous dataset/ untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from . import __version__, boilerplate_scoring, schema
from .annotations import Annotation, check_refs, load_annotations, load_references
from .card import PRETTY_NAME, render_card
from .citation import write_citation
from .croissant import CROISSANT_FILE, croissant_metadata
from .errors import InputError
from .pipeline import DOC_TABLES, process_doc
from .scoring import score_baselines, scores_markdown
from .seeds import Seed, load_seeds, sha256_hex
from .stats import CHART_FILE, write_chart
from .tables import parquet_relpath, to_arrow, write_parquet

DATAPACKAGE = "datapackage.json"
DATASET_DIR = "dataset"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
LICENSES = [
    {
        "name": "CC-BY-4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
        "title": (
            "Creative Commons Attribution 4.0 (annotations, schemas and derived fields; "
            "article texts remain with their publishers)"
        ),
    }
]
DESCRIPTION = (
    "Web articles about ketamine therapy with byte-exact text, boilerplate-labelled segments, sentence "
    "spans and atomic health claims labelled with type, condition, hedging, attribution and an evidence "
    "verdict linked to references."
)


@dataclass(frozen=True)
class Paths:
    """Where a repository keeps its inputs."""

    root: Path

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def annotations(self) -> Path:
        return self.root / "annotations"

    @property
    def references(self) -> Path:
        return self.root / "annotations" / "references.yaml"

    @property
    def ambiguities(self) -> Path:
        return self.root / "annotations" / "AMBIGUITIES.md"

    @property
    def schemas(self) -> Path:
        return self.root / "schemas"


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads: seed articles, gold annotations and the references table."""

    seeds: list[Seed]
    annotations: dict[str, Annotation]
    references: list[dict[str, Any]]

    def gold_documents(self) -> list[tuple[str, str, Annotation]]:
        return [(s.doc_id, s.text, self.annotations[s.doc_id]) for s in self.seeds if s.doc_id in self.annotations]


def load_inputs(paths: Paths) -> Inputs:
    """Read and cross-check seeds, annotation files and references."""
    seeds = load_seeds(paths.seeds)
    annotations = load_annotations(paths.annotations)
    references = load_references(paths.references)
    known_refs = {r["ref_id"] for r in references}
    seed_ids = {s.doc_id for s in seeds}
    for doc_id, annotation in annotations.items():
        if doc_id not in seed_ids:
            raise InputError(annotation.path, f"no seed file for doc_id {doc_id} in {paths.seeds}")
        check_refs(annotation, known_refs)
    return Inputs(seeds, annotations, references)


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
    """Card sections: claim baseline scores, the annotators' known ambiguities, the boilerplate model card and its scores."""
    gold = inputs.gold_documents()
    baseline = scores_markdown(score_baselines(gold)) if gold else "No gold documents yet."
    ambiguities = paths.ambiguities.read_text(encoding="utf-8").strip() if paths.ambiguities.exists() else "None recorded."
    metrics = boilerplate_scoring.load_metrics()
    boilerplate_model = boilerplate_scoring.model_card_markdown(metrics) + "\n\n" + boilerplate_scoring.scores_markdown(metrics)
    return {"baseline": baseline, "ambiguities": ambiguities, "boilerplate_model": boilerplate_model}


def datapackage(hashes: dict[str, str], version: str) -> dict[str, Any]:
    """The Frictionless Data Package (v2) descriptor for the built files."""
    return {
        "$schema": PROFILE,
        "name": "ketamine-claims",
        "title": PRETTY_NAME,
        "description": DESCRIPTION,
        "version": version,
        "homepage": "dataset/README.md",
        "licenses": LICENSES,
        "sources": [{"title": "Web articles about ketamine therapy (seeds/, byte-exact copies)", "path": "seeds/"}],
        "contributors": [{"title": "ketamine-claims maintainers", "roles": ["creator", "annotator"]}],
        "keywords": ["ketamine", "health misinformation", "claim detection", "boilerplate removal"],
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
    out: Path, tables: dict[str, pa.Table], version: str, card_extra: dict[str, str] | None = None, guidelines: Path | None = None
) -> None:
    """Write dataset/ (Parquet files, card, chart, Croissant, guidelines), datapackage.json and a copy of schemas/ under out."""
    hashes, sizes = {}, {}
    for name, table in tables.items():
        path = out / DATASET_DIR / parquet_relpath(name)
        write_parquet(table, path)
        data = path.read_bytes()
        hashes[name], sizes[name] = sha256_hex(data), len(data)
    (out / DATASET_DIR / "README.md").write_text(render_card(tables, sizes, version, card_extra), encoding="utf-8")
    write_chart(tables, out / DATASET_DIR / CHART_FILE)
    croissant = croissant_metadata(
        hashes, sizes, version=version, name=PRETTY_NAME, description=DESCRIPTION, license_url=LICENSES[0]["path"]
    )
    (out / DATASET_DIR / CROISSANT_FILE).write_text(json.dumps(croissant, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / DATAPACKAGE).write_text(
        json.dumps(datapackage(hashes, version), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    shutil.copytree(schema.schema_dir(), out / "schemas", dirs_exist_ok=True)
    if guidelines is not None:
        shutil.copyfile(guidelines, out / DATASET_DIR / "GUIDELINES.md")


def write_fresh_build(paths: Paths, out: Path) -> Counter[str]:
    """Write a build of the inputs at paths into out, unvalidated; return rule counts."""
    inputs = load_inputs(paths)
    tables, counts = build_tables(inputs)
    write_package(out, tables, __version__, card_sections(inputs, paths), paths.annotations / "GUIDELINES.md")
    return counts


def _swap_in(staged: Path, root: Path) -> None:
    """Replace root/dataset and root/datapackage.json with the staged ones."""
    target = root / DATASET_DIR
    retired = staged / "previous-dataset"
    if target.exists():
        os.replace(target, retired)
    os.replace(staged / DATASET_DIR, target)
    os.replace(staged / DATAPACKAGE, root / DATAPACKAGE)


def build(root: Path) -> Counter[str]:
    """Build, validate and swap in the dataset of the repository at root; return rule counts."""
    from .validate import validate_folder

    paths = Paths(root)
    staged = Path(tempfile.mkdtemp(prefix=".build-", dir=root))
    try:
        counts = write_fresh_build(paths, staged)
        problems = validate_folder(staged, paths, thorough=False)
        if problems:
            raise ValueError("the built dataset failed validation:\n" + "\n".join(f"- {p}" for p in problems))
        _swap_in(staged, root)
        write_citation(root, __version__)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return counts
