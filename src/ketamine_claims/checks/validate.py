"""Stage 8: validation of a built dataset folder — the gate every build and release passes.

Fast checks (always): files and hashes (also in croissant.json), Arrow schemas, pandera per table, and cross-table checks
as polars joins (keys, span text, containment, counts, label consistency). Thorough checks (the
`validate` command, tests, releases): stock `frictionless validate`, `datasets.load_dataset` of
every config, and the card's features, counts and version.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from ketamine_claims import __version__, schema
from ketamine_claims.errors import FaultError, InputError
from ketamine_claims.gold.annotations import NESTED_REASON, VERDICT_SEVERITY
from ketamine_claims.publish.tables import ROW_ORDER, parquet_relpath, sort_value
from ketamine_claims.text.seeds import sha256_hex

if TYPE_CHECKING:
    from ketamine_claims.paths import Paths
    from ketamine_claims.release.registry import Asset

SPAN_TABLES = ("segments", "sentences", "claims")


def load_frames(folder: Path) -> dict[str, pl.DataFrame]:
    """Every table of folder; InputError naming the file that cannot be read."""
    frames = {}
    for name in schema.TABLES:
        path = folder / "dataset" / parquet_relpath(name)
        try:
            frames[name] = pl.read_parquet(path)
        except (pl.exceptions.PolarsError, OSError) as exc:
            raise InputError(path, f"not a readable Parquet file ({exc})") from None
    return frames


def read_json(path: Path) -> tuple[object, list[str]]:
    """The parsed JSON file, or the problem (with its line) that stops reading it."""
    try:
        return json.loads(path.read_text(encoding="utf-8")), []
    except UnicodeDecodeError as exc:
        return None, [f"{path}: not valid UTF-8 at byte offset {exc.start}"]
    except json.JSONDecodeError as exc:
        return None, [f"{path}:{exc.lineno}: not valid JSON ({exc.msg}, column {exc.colno})"]
    except RecursionError:
        return None, [f"{path}: not valid JSON (nested too deeply)"]


def read_descriptor(folder: Path) -> tuple[dict | None, list[str]]:
    """The parsed datapackage.json of folder, or the problem that stops reading it; FaultError when there is none."""
    path = folder / "datapackage.json"
    if not path.is_file():
        raise FaultError(
            folder,
            "no datapackage.json here: expected a built repository or a release folder "
            "(run the command from the repository root or pass --root)",
        )
    descriptor, problems = read_json(path)
    if problems:
        return None, problems
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not all(isinstance(r, dict) and "name" in r for r in resources):
        return None, [f"{path}: expected an object whose resources are objects with a name"]
    return descriptor, []


def check_files(folder: Path) -> list[str]:
    """Every resource exists, is readable Parquet and its Arrow schema matches the Table Schema (hashes: `check_hashes`)."""
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


def check_hashes(folder: Path) -> list[str]:
    """Every resource's sha256 matches its hash in datapackage.json (a mismatch does not stop the row checks)."""
    descriptor, _ = read_descriptor(folder)
    resources = {r["name"]: r for r in (descriptor or {}).get("resources", [])}
    problems = []
    for name in schema.TABLES:
        expected = resources.get(name, {}).get("hash", "")
        actual = "sha256:" + sha256_hex((folder / "dataset" / parquet_relpath(name)).read_bytes())
        if expected != actual:
            problems.append(f"{name}: hash in datapackage.json {expected} != file {actual}")
    return problems


def check_croissant(folder: Path) -> list[str]:
    """dataset/croissant.json names every Parquet file with its sha256 and every column of every table."""
    from ketamine_claims.publish.croissant import CROISSANT_FILE, file_object_id

    path = folder / "dataset" / CROISSANT_FILE
    if not path.exists():
        return [f"missing {path}"]
    metadata, problems = read_json(path)
    if problems:
        return problems
    try:
        files = {f["@id"]: f for f in metadata.get("distribution", [])}
        record_sets = {r["@id"]: r for r in metadata.get("recordSet", [])}
        for name in schema.TABLES:
            data = (folder / "dataset" / parquet_relpath(name)).read_bytes()
            file = files.get(file_object_id(name), {})
            if file.get("contentUrl") != parquet_relpath(name) or file.get("sha256") != sha256_hex(data):
                problems.append(f"{CROISSANT_FILE}: FileObject of {name} does not name {parquet_relpath(name)} with its sha256")
            columns = [f.get("name") for f in record_sets.get(name, {}).get("field", [])]
            if columns != schema.column_names(name):
                problems.append(f"{CROISSANT_FILE}: RecordSet {name} fields {columns} != schemas/{name}.schema.json")
    except (AttributeError, KeyError, TypeError):
        return [f"{path}: expected a Croissant object whose distribution, recordSet and field entries are objects with an @id"]
    return problems


def check_pandera(frames: dict[str, pl.DataFrame]) -> list[str]:
    """Types, nullability, enums, patterns, bounds and primary keys of every table."""
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


def _rows(frame: pl.DataFrame, what: str, limit: int = 5) -> list[str]:
    if frame.height == 0:
        return []
    sample = frame.head(limit).to_dicts()
    return [f"{what} ({frame.height} rows), e.g. {sample}"]


def check_cross_table(frames: dict[str, pl.DataFrame]) -> list[str]:
    """Foreign keys, offsets, containment, counts and label consistency across tables."""
    problems: list[str] = []
    for name in schema.TABLES:
        for fk in schema.foreign_keys(name):
            ref = fk["reference"]
            child = frames[name].select(fk["fields"]).unique()
            parent = frames[ref["resource"]].select(ref["fields"]).rename(dict(zip(ref["fields"], fk["fields"], strict=False)))
            problems += _rows(child.join(parent, on=fk["fields"], how="anti"), f"{name}: {fk['fields']} not in {ref['resource']}")
        key = schema.primary_key(name)
        problems += _rows(frames[name].group_by(key).len().filter(pl.col("len") > 1), f"{name}: duplicate primary key {key}")

    docs = frames["documents"].select("doc_id", pl.col("text").alias("doc_text"), "label_source")
    for name in SPAN_TABLES:
        spans = frames[name].join(docs, on="doc_id", how="inner")
        bad = spans.filter(
            (pl.col("start") >= pl.col("end"))
            | (pl.col("end") > pl.col("doc_text").str.len_chars())
            | (pl.col("doc_text").str.slice(pl.col("start"), pl.col("end") - pl.col("start")) != pl.col("text"))
        )
        problems += _rows(bad.drop("doc_text"), f"{name}: text != documents.text[start:end]")
        problems += _rows(
            spans.filter(pl.col("label_source") != pl.col("label_source_right")).drop("doc_text"),
            f"{name}: label_source differs from its document's",
        )

    segs = frames["segments"].sort("doc_id", "index")
    problems += _rows(
        segs.with_columns(prev_end=pl.col("end").shift(1).over("doc_id"), expected=pl.int_range(pl.len()).over("doc_id")).filter(
            (pl.col("start") < pl.col("prev_end")) | (pl.col("index") != pl.col("expected"))
        ),
        "segments: overlapping, unordered or gaps in index",
    )
    problems += _rows(
        segs.filter(pl.col("is_boilerplate") != pl.col("boilerplate_kind").is_not_null()),
        "segments: boilerplate_kind must be null iff is_boilerplate is false",
    )
    seg_bounds = segs.select(
        "segment_id",
        pl.col("start").alias("seg_start"),
        pl.col("end").alias("seg_end"),
        pl.col("is_boilerplate").alias("seg_boilerplate"),
    )

    sents = frames["sentences"].join(seg_bounds, on="segment_id", how="inner")
    problems += _rows(
        sents.filter((pl.col("start") < pl.col("seg_start")) | (pl.col("end") > pl.col("seg_end"))),
        "sentences: not inside their segment",
    )
    problems += _rows(
        sents.filter(pl.col("is_boilerplate") != pl.col("seg_boilerplate")),
        "sentences: is_boilerplate differs from their segment's",
    )

    claims = (
        frames["claims"]
        .join(seg_bounds, on="segment_id", how="inner")
        .join(
            frames["sentences"].select(
                "sentence_id",
                pl.col("segment_id").alias("sent_segment"),
                pl.col("start").alias("sent_start"),
                pl.col("end").alias("sent_end"),
            ),
            on="sentence_id",
            how="inner",
        )
    )
    problems += _rows(
        claims.filter((pl.col("start") < pl.col("seg_start")) | (pl.col("end") > pl.col("seg_end"))),
        "claims: span not inside its segment",
    )
    problems += _rows(
        claims.filter(
            (pl.col("sent_segment") != pl.col("segment_id"))
            | (pl.col("start") < pl.col("sent_start"))
            | (pl.col("start") >= pl.col("sent_end"))
        ),
        "claims: sentence_id is not the sentence where the span starts",
    )
    problems += _rows(
        claims.filter(pl.col("in_boilerplate") != pl.col("seg_boilerplate")),
        "claims: in_boilerplate differs from the segment's is_boilerplate",
    )
    expected_id = pl.concat_str(
        [
            pl.col("doc_id"),
            pl.lit("-c"),
            pl.col("start").cast(pl.Utf8),
            pl.lit("-"),
            pl.col("end").cast(pl.Utf8),
            pl.when(pl.col("condition").is_null()).then(pl.lit("")).otherwise(pl.lit("-") + pl.col("condition")),
        ]
    )
    problems += _rows(
        frames["claims"].filter(pl.col("claim_id") != expected_id), "claims: claim_id does not match span and condition"
    )
    gold, auto = pl.col("label_source") == "gold", pl.col("label_source") == "auto"
    problems += _rows(
        frames["claims"].filter(gold & (pl.col("verdict").is_null() | pl.col("rationale").is_null())),
        "claims: gold rows need a verdict and a rationale",
    )
    problems += _rows(
        frames["claims"].filter(auto & (pl.col("verdict").is_not_null() | pl.col("rationale").is_not_null())),
        "claims: auto rows carry no verdict or rationale",
    )
    cited = frames["claim_evidence"].select("claim_id").unique()
    problems += _rows(
        frames["claims"].filter(gold & (pl.col("verdict") != "not_checkable")).join(cited, on="claim_id", how="anti"),
        "claims: gold verdict without a reference in claim_evidence",
    )
    problems += _rows(
        frames["claim_evidence"].join(frames["claims"].filter(auto).select("claim_id"), on="claim_id", how="semi"),
        "claim_evidence: evidence linked to an auto claim",
    )

    claimed = frames["claims"].select("sentence_id").unique().with_columns(pl.lit(True).alias("claimed"))
    problems += _rows(
        frames["sentences"]
        .join(claimed, on="sentence_id", how="left")
        .filter(pl.col("has_claim") != pl.col("claimed").fill_null(False)),
        "sentences: has_claim disagrees with the claims table",
    )

    counts = frames["documents"].select(
        "doc_id",
        "text",
        "title",
        "label_source",
        "clean_text",
        "sha256",
        "n_chars",
        "n_segments",
        "n_boilerplate_segments",
        "n_sentences",
        "n_claims",
    )
    per_doc = [
        frames["segments"]
        .group_by("doc_id")
        .agg(
            pl.len().alias("segs"),
            pl.col("is_boilerplate").sum().alias("bp"),
            pl.col("text")
            .filter(~pl.col("is_boilerplate"))
            .sort_by(pl.col("index").filter(~pl.col("is_boilerplate")))
            .str.join("\n\n")
            .alias("clean"),
            pl.col("text")
            .filter(~pl.col("is_boilerplate"))
            .sort_by(pl.col("index").filter(~pl.col("is_boilerplate")))
            .first()
            .alias("first_content"),
            pl.col("text").filter((pl.col("block_type") == "title") & ~pl.col("is_boilerplate")).first().alias("title_segment"),
            ((pl.col("block_type") == "title") & ~pl.col("is_boilerplate")).sum().alias("title_segments"),
        ),
        frames["sentences"].group_by("doc_id").agg(pl.len().alias("sents")),
        frames["claims"].group_by("doc_id").agg(pl.len().alias("nclaims")),
    ]
    for extra in per_doc:
        counts = counts.join(extra, on="doc_id", how="left")
    counts = counts.with_columns(
        pl.col("segs", "bp", "sents", "nclaims").fill_null(0), pl.col("clean", "first_content", "title_segment").fill_null("")
    )
    problems += _rows(
        counts.filter(
            (pl.col("n_segments") != pl.col("segs"))
            | (pl.col("n_boilerplate_segments") != pl.col("bp"))
            | (pl.col("n_sentences") != pl.col("sents"))
            | (pl.col("n_claims") != pl.col("nclaims"))
            | (pl.col("n_chars") != pl.col("text").str.len_chars())
        ).select("doc_id", "n_segments", "segs", "n_sentences", "sents", "n_claims", "nclaims"),
        "documents: counts disagree with the other tables",
    )
    problems += _rows(
        counts.filter(pl.col("clean_text") != pl.col("clean")).select("doc_id"),
        "documents: clean_text is not the content segments joined with blank lines",
    )
    problems += _rows(
        counts.filter((pl.col("title") != pl.col("title_segment")) | (pl.col("title_segments") > 1)).select("doc_id", "title"),
        "documents: title is not the text of its one content segment with block_type title",
    )
    problems += _rows(
        counts.filter((pl.col("label_source") == "gold") & (pl.col("title") != pl.col("first_content"))).select(
            "doc_id", "title"
        ),
        "documents: the title of a gold document is not its first content segment",
    )
    for row in counts.select("doc_id", "text", "sha256").iter_rows(named=True):
        if sha256_hex(row["text"].encode("utf-8")) != row["sha256"]:
            problems.append(f"documents: sha256 of text differs for {row['doc_id']}")
    return problems


def check_nested_claims(frames: dict[str, pl.DataFrame]) -> list[str]:
    """Gold nested spans (guidelines 3.6, rules 2 and 3).

    A row is nested in another when its span lies inside the other's span in the same document and
    the spans differ. No nested row may repeat its container's proposition (same claim_type and
    condition), and none may have a better verdict than a row containing it unless its rationale
    gives the reason, naming "the containing span".
    """
    gold = (
        frames["claims"]
        .filter(pl.col("label_source") == "gold")
        .select("doc_id", "claim_id", "start", "end", "claim_type", "condition", "verdict", "rationale")
    )
    pairs = gold.join(gold, on="doc_id", suffix="_outer").filter(
        (pl.col("start_outer") <= pl.col("start"))
        & (pl.col("end") <= pl.col("end_outer"))
        & ((pl.col("start_outer") != pl.col("start")) | (pl.col("end_outer") != pl.col("end")))
    )
    severity = {f"{side}": pl.col(f"verdict{side}").replace_strict(VERDICT_SEVERITY, default=None) for side in ("", "_outer")}
    duplicates = pairs.filter(
        (pl.col("claim_type") == pl.col("claim_type_outer")) & pl.col("condition").eq_missing(pl.col("condition_outer"))
    )
    better = pairs.filter(
        (severity[""] < severity["_outer"]) & ~pl.col("rationale").str.to_lowercase().str.contains(NESTED_REASON, literal=True)
    )
    shown = ["claim_id", "claim_id_outer", "claim_type", "condition", "verdict", "verdict_outer"]
    return _rows(
        duplicates.select(shown), "claims: nested span repeats its container's proposition (same claim_type and condition)"
    ) + _rows(
        better.select(shown),
        f"claims: nested span has a better verdict than a span containing it, and its rationale gives no reason"
        f" (naming 'the {NESTED_REASON}')",
    )


def check_seeds(frames: dict[str, pl.DataFrame], paths: Paths) -> list[str]:
    """documents.text is byte-identical to its seed file."""
    problems = []
    for row in frames["documents"].select("doc_id", "seed_file", "text").iter_rows(named=True):
        if row["seed_file"] is None:
            continue
        path = paths.seeds / row["seed_file"]
        if not path.exists() or path.read_bytes() != row["text"].encode("utf-8"):
            problems.append(f"documents: text of {row['doc_id']} is not byte-identical to {path}")
    return problems


def check_frictionless(folder: Path) -> list[str]:
    """Stock `frictionless validate datapackage.json` (run as the command users run)."""
    exe = Path(sys.executable).with_name("frictionless")
    proc = subprocess.run([str(exe), "validate", "--json", "datapackage.json"], cwd=folder, capture_output=True, text=True)
    if proc.returncode == 0:
        return []
    try:
        report = json.loads(proc.stdout)
        errors = [f"{t['name']}: {e['message']}" for t in report.get("tasks", []) for e in t.get("errors", [])]
        errors += [e["message"] for e in report.get("errors", [])]
    except json.JSONDecodeError:
        errors = [proc.stdout[-2000:] + proc.stderr[-2000:]]
    return [f"frictionless: {e}" for e in errors[:20]] or ["frictionless validate failed"]


def check_card(folder: Path, frames: dict[str, pl.DataFrame]) -> list[str]:
    """The card's configs, features and split sizes match the files; its version is the package's."""
    from huggingface_hub import DatasetCard

    problems = []
    card = DatasetCard.load(folder / "dataset" / "README.md")
    meta = card.data.to_dict()
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
    if f"Version {__version__}" not in card.text:
        problems.append(f"card body does not state Version {__version__}")
    return problems


def check_load_dataset(card_folder: Path, frames: dict[str, pl.DataFrame]) -> list[str]:
    """`datasets.load_dataset(card_folder, name)` works offline for every config, with the declared features.

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


def _natural_rank(column: pl.Series) -> pl.Series:
    """Rank of every value in the build's sort order (tables.sort_value: nulls first, strings in natural order)."""
    uniques = sorted(column.drop_nulls().unique().to_list(), key=sort_value)
    ranks = pl.DataFrame({"value": pl.Series(uniques, dtype=column.dtype), "rank": pl.int_range(len(uniques), eager=True)})
    ranked = pl.DataFrame({"value": column}).join(ranks, on="value", how="left", maintain_order="left", nulls_equal=False)
    return ranked["rank"].fill_null(-1)


def check_row_order(frames: dict[str, pl.DataFrame]) -> list[str]:
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


def check_release_files(folder: Path, assets: list[Asset] | None = None) -> list[str]:
    """A release or download folder holds its card at the root and exactly the files of its version's registry (or
    of assets, for a release being cut), each with its sha256; a version without a registry is a problem."""
    from ketamine_claims.release.cut import RELEASE_CARD
    from ketamine_claims.release.download import release_problems
    from ketamine_claims.release.registry import REGISTRY_DIR, VERSION_PATTERN, known_versions, read_registry, registry_path

    problems = []
    if not (folder / RELEASE_CARD).is_file():
        problems.append(f"release folder: {RELEASE_CARD} missing (a release or download folder has its dataset card at the root)")
    where = "the release being cut"
    if assets is None:
        descriptor, _ = read_descriptor(folder)
        version = str((descriptor or {}).get("version", ""))
        registry = registry_path(version, REGISTRY_DIR)
        if not VERSION_PATTERN.match(version) or not registry.is_file():
            known = ", ".join(known_versions(REGISTRY_DIR)) or "none"
            return [
                *problems,
                f"release folder: datapackage.json names version {version!r}, which has no registry in this package "
                f"(known versions: {known}), so its files cannot be checked; validate a checkout (with seeds/) or a "
                "release downloaded with `ketamine-claims download`",
            ]
        assets, where = read_registry(registry), f"registry {registry.name}"
    return problems + [f"release folder: {p} ({where})" for p in release_problems(folder, assets)]


def validate_folder(
    folder: Path, paths: Paths | None = None, *, thorough: bool = True, assets: list[Asset] | None = None
) -> list[str]:
    """Every problem found in a built folder (dataset/, datapackage.json, schemas/); [] when valid.

    paths: the repository inputs (seeds are compared byte for byte); None for a release or
    download folder, which must then hold its card and exactly the files of its version's registry
    (or of assets, for a release being cut)."""
    problems = check_files(folder)
    if problems:
        return problems
    problems += check_hashes(folder)
    problems += check_croissant(folder)
    try:
        frames = load_frames(folder)
    except InputError as exc:
        return [*problems, str(exc)]
    problems += check_pandera(frames)
    problems += check_cross_table(frames)
    problems += check_nested_claims(frames)
    problems += check_row_order(frames)
    if paths is not None:
        problems += check_seeds(frames, paths)
    else:
        problems += check_release_files(folder, assets)
    if thorough:
        problems += check_card(folder, frames)
        problems += check_frictionless(folder)
        problems += check_load_dataset(folder / "dataset", frames)
    return problems
