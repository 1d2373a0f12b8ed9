"""Shards at scale: generated corpus, local runner, datatrove executor — same bytes, clear errors."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import polars as pl
import pyarrow.parquet as pq
import pytest

from conftest import REPO, run_cli, tree_bytes
from ketamine_claims import process_doc
from ketamine_claims.pipeline import DOC_TABLES
from ketamine_claims.scale.engines import largest_tasks_first
from ketamine_claims.scale.runner import RUN_MARKER, largest_first, run_datatrove, run_local
from ketamine_claims.scale.synthetic import generate_articles, write_corpus
from ketamine_claims.schema import pandera_schema
from ketamine_claims.tables import PARQUET_OPTIONS, PART_PARQUET_OPTIONS, to_arrow, write_parquet
from ketamine_claims.text.seeds import load_seeds

N_DOCS = 90
SHARD_SIZE = 25


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(REPO / "seeds", folder / "jsonl", N_DOCS, shard_size=SHARD_SIZE, seed=7, fmt="jsonl")
    write_corpus(REPO / "seeds", folder / "parquet", N_DOCS, shard_size=SHARD_SIZE, seed=7, fmt="parquet")
    return folder


@pytest.fixture(scope="module")
def local_two_workers(corpus):
    summary = run_local(corpus / "jsonl", corpus / "out-local-2", workers=2, progress=False)
    assert (summary.shards, summary.docs) == (4, N_DOCS)
    return tree_bytes(corpus / "out-local-2")


def test_generated_corpus_is_reproducible_distinct_and_made_of_seed_lines():
    first = list(generate_articles(REPO / "seeds", 40, seed=3))
    assert first == list(generate_articles(REPO / "seeds", 40, seed=3))
    assert first != list(generate_articles(REPO / "seeds", 40, seed=4))
    assert len({doc_id for doc_id, _ in first}) == len({text for _, text in first}) == 40
    seed_lines = {line.strip() for seed in load_seeds(REPO / "seeds") for line in seed.text.splitlines() if line.strip()}
    for doc_id, text in first:
        assert doc_id == hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        assert {line for line in text.splitlines() if line} <= seed_lines


def test_parts_hold_process_doc_rows_in_dataset_order(corpus, local_two_workers):
    expected = [RUN_MARKER, *(f"{t}/shard-{i:05d}.parquet" for t in DOC_TABLES for i in range(4))]
    assert sorted(local_two_workers) == sorted(expected)
    first_shard = [json.loads(line) for line in (corpus / "jsonl" / "shard-00000.jsonl").read_text(encoding="utf-8").splitlines()]
    rows: dict[str, list] = {t: [] for t in DOC_TABLES}
    for record in first_shard:
        for table, table_rows in process_doc(record["doc_id"], record["text"]).rows.items():
            rows[table].extend(table_rows)
    for table in DOC_TABLES:
        part = pl.read_parquet(corpus / "out-local-2" / table / "shard-00000.parquet")
        assert part.to_dicts() == to_arrow(table, rows[table]).to_pylist()
        assert part.height > 0 or table == "claim_evidence"
        pandera_schema(table).validate(part)


def test_parts_are_written_with_the_part_options_and_dataset_files_with_the_release_options(corpus, local_two_workers, tmp_path):
    differing = {k for k in PARQUET_OPTIONS if PART_PARQUET_OPTIONS[k] != PARQUET_OPTIONS[k]}
    assert differing == {"compression_level", "use_dictionary"}  # the README and CHANGELOG name exactly these
    assert (PARQUET_OPTIONS["compression_level"], PARQUET_OPTIONS["use_dictionary"]) == (9, True)
    part = corpus / "out-local-2" / "sentences" / "shard-00000.parquet"
    table = pq.read_table(part)
    for name, options in (("part", PART_PARQUET_OPTIONS), ("release", PARQUET_OPTIONS)):
        write_parquet(table, tmp_path / name, options)
    assert part.read_bytes() == (tmp_path / "part").read_bytes() != (tmp_path / "release").read_bytes()
    assert pq.ParquetFile(part).metadata.row_group(0).column(0).compression == "ZSTD"


def test_local_runner_is_deterministic_across_workers_and_formats(corpus, local_two_workers):
    run_local(corpus / "jsonl", corpus / "out-local-1", workers=1, progress=False)
    run_local(corpus / "parquet", corpus / "out-local-parquet", workers=2, progress=False)
    assert tree_bytes(corpus / "out-local-1") == local_two_workers
    assert tree_bytes(corpus / "out-local-parquet") == local_two_workers


def test_datatrove_output_equals_local_runner(corpus, local_two_workers):
    summary = run_datatrove(corpus / "jsonl", corpus / "out-datatrove", workers=2)
    assert summary.docs == N_DOCS
    assert tree_bytes(corpus / "out-datatrove") == local_two_workers
    run_datatrove(corpus / "parquet", corpus / "out-datatrove-parquet", workers=1)
    assert tree_bytes(corpus / "out-datatrove-parquet") == local_two_workers


def test_run_cli_reports_docs_per_second_and_progress(tmp_path):
    write_corpus(REPO / "seeds", tmp_path / "shards", 12, shard_size=5, seed=1)
    result = run_cli("run", str(tmp_path / "shards"), str(tmp_path / "out"), "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert "processed 12 documents from 3 shards" in result.stdout and "docs/s" in result.stdout
    assert "progress: 12/12 docs" in result.stderr
    assert len(list((tmp_path / "out" / "sentences").glob("*.parquet"))) == 3


def test_bad_shard_line_names_file_and_line_and_leaves_output_alone(tmp_path):
    shards = tmp_path / "shards"
    write_corpus(REPO / "seeds", shards, 6, shard_size=3, seed=2)
    assert run_cli("run", str(shards), str(tmp_path / "out"), "--workers", "1", "--quiet").returncode == 0
    previous = tree_bytes(tmp_path / "out")
    good = (shards / "shard-00001.jsonl").read_text(encoding="utf-8").splitlines()
    (shards / "shard-00001.jsonl").write_text("\n".join([good[0], '{"doc_id": "XYZ", "text": "a"}', good[2]]) + "\n")
    result = run_cli("run", str(shards), str(tmp_path / "out"), "--workers", "2")
    assert result.returncode == 3
    assert "shard-00001.jsonl:2: doc_id 'XYZ' is not 16 lowercase hex digits" in result.stderr
    assert tree_bytes(tmp_path / "out") == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "shards"]

    (shards / "shard-00001.jsonl").write_text("\n".join([good[0], "{not json", good[2]]) + "\n")
    result = run_cli("run", str(shards), str(tmp_path / "out"), "--workers", "1")
    assert result.returncode == 3 and "shard-00001.jsonl:2: not valid JSON" in result.stderr


@pytest.mark.parametrize("engine", ["local", "datatrove"])
def test_the_parent_of_run_imports_neither_the_pipeline_nor_pyarrow_nor_datatrove(corpus, local_two_workers, tmp_path, engine):
    """Only the workers need them; the parent's start-up is serial time of every run."""
    script = (
        "import sys\n"
        "from ketamine_claims.cli import main\n"
        f"code = main(['run', {str(corpus / 'jsonl')!r}, {str(tmp_path / 'out')!r}, '--workers', '2', '--quiet', "
        f"'--engine', {engine!r}])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('pyarrow', 'datatrove', 'syntok', 'polars') "
        "or m == 'ketamine_claims.pipeline')\n"
        "print('heavy:', heavy)\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "heavy: []" in result.stdout, result.stdout
    assert tree_bytes(tmp_path / "out") == local_two_workers


def test_shards_and_datatrove_tasks_are_scheduled_largest_first(tmp_path):
    sizes = {"a.jsonl": 30, "b.jsonl": 10, "c.jsonl": 20, "a.parquet": 5, "d.parquet": 40}
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"x" * size)
    shards = [tmp_path / name for name in sorted(sizes)]
    order = ["d.parquet", "a.jsonl", "c.jsonl", "b.jsonl", "a.parquet"]
    assert [p.name for p in largest_first(dict.fromkeys(shards, 1))] == order
    # task r reads the r-th JSONL and the r-th Parquet shard by name: 0 → a.jsonl + a.parquet, 1 → b.jsonl + d.parquet
    assert largest_tasks_first(shards) == [1, 0, 2]  # as many tasks as JSONL shards, the more numerous format
