"""Checks of the files of a folder: present, readable, with the declared schemas, hashes and card."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from ketamine_claims import schema
from ketamine_claims.checks.assets import RELEASE_CARD, release_problems
from ketamine_claims.checks.folder import CheckedFolder, load_frames, read_descriptor, read_json
from ketamine_claims.errors import InputError
from ketamine_claims.publish.croissant import CROISSANT_FILE, file_object_id
from ketamine_claims.tables import parquet_relpath
from ketamine_claims.text.seeds import sha256_hex


def parquet_schemas(target: CheckedFolder) -> list[str]:
    """datapackage.json lists every table; each file exists, is readable Parquet and has its Table Schema's Arrow schema."""
    folder = target.folder
    descriptor, problems = read_descriptor(folder)
    if descriptor is None:
        return problems
    resources = {r["name"]: r for r in descriptor["resources"]}
    if list(resources) != list(schema.TABLES):
        problems.append(f"datapackage.json resources {list(resources)} != {list(schema.TABLES)}")
    for name in schema.TABLES:
        path = folder / "dataset" / parquet_relpath(name)
        if not path.exists():
            problems.append(f"{name}: missing file {path}")
            continue
        try:
            arrow = pq.read_schema(path).remove_metadata()
            pq.read_metadata(path)
        except (pa.ArrowException, OSError) as exc:
            problems.append(f"{path}: not a readable Parquet file ({exc})")
            continue
        if not arrow.equals(schema.arrow_schema(name)):
            problems.append(f"{name}: Parquet schema {arrow} does not match schemas/{name}.schema.json")
    return problems


def hashes(target: CheckedFolder) -> list[str]:
    """Every table file's sha256 is its hash in datapackage.json."""
    descriptor, _ = read_descriptor(target.folder)
    resources = {r["name"]: r for r in (descriptor or {}).get("resources", [])}
    problems = []
    for name in schema.TABLES:
        expected = resources.get(name, {}).get("hash", "")
        actual = "sha256:" + sha256_hex((target.folder / "dataset" / parquet_relpath(name)).read_bytes())
        if expected != actual:
            problems.append(f"{name}: hash in datapackage.json {expected} != file {actual}")
    return problems


def croissant(target: CheckedFolder) -> list[str]:
    """dataset/croissant.json names every Parquet file with its sha256 and every column of every table."""
    path = target.folder / "dataset" / CROISSANT_FILE
    if not path.exists():
        return [f"missing {path}"]
    metadata, problems = read_json(path)
    if problems:
        return problems
    try:
        files = {f["@id"]: f for f in metadata.get("distribution", [])}
        record_sets = {r["@id"]: r for r in metadata.get("recordSet", [])}
        for name in schema.TABLES:
            data = (target.folder / "dataset" / parquet_relpath(name)).read_bytes()
            file = files.get(file_object_id(name), {})
            if file.get("contentUrl") != parquet_relpath(name) or file.get("sha256") != sha256_hex(data):
                problems.append(f"{CROISSANT_FILE}: FileObject of {name} does not name {parquet_relpath(name)} with its sha256")
            columns = [f.get("name") for f in record_sets.get(name, {}).get("field", [])]
            if columns != schema.column_names(name):
                problems.append(f"{CROISSANT_FILE}: RecordSet {name} fields {columns} != schemas/{name}.schema.json")
    except (AttributeError, KeyError, TypeError):
        return [f"{path}: expected a Croissant object whose distribution, recordSet and field entries are objects with an @id"]
    return problems


def readable_tables(target: CheckedFolder) -> list[str]:
    """Every table reads in full (the checks of rows read target.frames)."""
    try:
        target.frames = load_frames(target.folder)
    except InputError as exc:
        return [str(exc)]
    return []


def seeds(target: CheckedFolder) -> list[str]:
    """documents.text is byte-identical to its seed file."""
    problems = []
    for row in target.frames["documents"].select("doc_id", "seed_file", "text").iter_rows(named=True):
        if row["seed_file"] is None:
            continue
        path = target.paths.seeds / row["seed_file"]
        if not path.exists() or path.read_bytes() != row["text"].encode("utf-8"):
            problems.append(f"documents: text of {row['doc_id']} is not byte-identical to {path}")
    return problems


def release_card(target: CheckedFolder) -> list[str]:
    """A release or download folder has its dataset card at the root (so `load_dataset(folder)` finds its configs)."""
    if (target.folder / RELEASE_CARD).is_file():
        return []
    return [f"release folder: {RELEASE_CARD} missing (a release or download folder has its dataset card at the root)"]


def release_files(target: CheckedFolder) -> list[str]:
    """A release or download folder holds exactly the files of its registry, each with its size and sha256."""
    if target.assets is None:
        return [f"release folder: {target.assets_source}"]
    problems = release_problems(target.folder, target.assets)
    return [f"release folder: {p} ({target.assets_source})" for p in problems]
