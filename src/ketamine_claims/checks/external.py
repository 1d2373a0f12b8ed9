"""Checks through the tools users load the dataset with: the card's metadata, `frictionless validate` and
`datasets.load_dataset` (thorough: they take seconds)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from ketamine_claims import __version__, schema
from ketamine_claims.checks.folder import CheckedFolder, Frames
from ketamine_claims.tables import parquet_relpath


def card(target: CheckedFolder) -> list[str]:
    """The card's configs, features and split sizes match the files; its version and datapackage.json's are the package's."""
    from huggingface_hub import DatasetCard

    problems = []
    folder, frames = target.folder, target.frames
    dataset_card = DatasetCard.load(folder / "dataset" / "README.md")
    meta = dataset_card.data.to_dict()
    infos = {i["config_name"]: i for i in meta.get("dataset_info", [])}
    configs = {c["config_name"]: c for c in meta.get("configs", [])}
    for name in schema.TABLES:
        if configs.get(name, {}).get("data_files") != [{"split": "train", "path": parquet_relpath(name)}]:
            problems.append(f"card: config {name} data_files do not point at {parquet_relpath(name)}")
        info = infos.get(name, {})
        if info.get("features") != schema.hf_features(name):
            problems.append(f"card: features of {name} differ from schemas/{name}.schema.json")
        examples = [s.get("num_examples") for s in info.get("splits", [])]
        if examples != [frames[name].height]:
            problems.append(f"card: {name} num_examples {examples} != {frames[name].height} rows")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    if descriptor.get("version") != __version__:
        problems.append(f"datapackage.json version {descriptor.get('version')} != package version {__version__}")
    if f"Version {__version__}" not in dataset_card.text:
        problems.append(f"card body does not state Version {__version__}")
    return problems


def frictionless(target: CheckedFolder) -> list[str]:
    """Stock `frictionless validate datapackage.json` passes (run as the command users run)."""
    exe = Path(sys.executable).with_name("frictionless")
    proc = subprocess.run([str(exe), "validate", "--json", "datapackage.json"], cwd=target.folder, capture_output=True, text=True)
    if proc.returncode == 0:
        return []
    try:
        report = json.loads(proc.stdout)
        errors = [f"{t['name']}: {e['message']}" for t in report.get("tasks", []) for e in t.get("errors", [])]
        errors += [e["message"] for e in report.get("errors", [])]
    except json.JSONDecodeError:
        errors = [proc.stdout[-2000:] + proc.stderr[-2000:]]
    return [f"frictionless: {e}" for e in errors[:20]] or ["frictionless validate failed"]


def load_dataset_problems(card_folder: Path, frames: Frames) -> list[str]:
    """`datasets.load_dataset(card_folder, name)` works offline for every config, with the declared features and rows.

    card_folder holds the card whose configs are loaded: dataset/ in a repository, the folder
    itself for a release folder.
    """
    from datasets import load_dataset

    problems = []
    with tempfile.TemporaryDirectory() as cache:
        for name in schema.TABLES:
            try:
                ds = load_dataset(str(card_folder), name, split="train", cache_dir=cache)
            except Exception as exc:
                problems.append(f"load_dataset {name}: {type(exc).__name__}: {exc}")
                continue
            declared = {f["name"]: f["dtype"] for f in schema.hf_features(name)}
            actual = {k: getattr(v, "dtype", str(v)) for k, v in ds.features.items()}
            if actual != declared:
                problems.append(f"load_dataset {name}: features {actual} != declared {declared}")
            if ds.num_rows != frames[name].height:
                problems.append(f"load_dataset {name}: {ds.num_rows} rows != {frames[name].height}")
            elif ds.num_rows and ds[0] != frames[name].row(0, named=True):
                problems.append(f"load_dataset {name}: first row differs from the Parquet file")
    return problems


def load_dataset(target: CheckedFolder) -> list[str]:
    """`load_dataset(<folder>/dataset, name)` loads every config as declared (the card of dataset/)."""
    return load_dataset_problems(target.folder / "dataset", target.frames)


def release_loads(target: CheckedFolder) -> list[str]:
    """`load_dataset(<release folder>, name)` loads every config as declared (the card at the release folder's root)."""
    return load_dataset_problems(target.folder, target.frames)
