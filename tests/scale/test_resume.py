"""Resume: a run killed or stopped by a dead worker, started again with the same arguments, processes only the
shards it had not committed, and its output is byte-identical to an uninterrupted run (local and datatrove engines;
the Ray engine in test_ray.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import REPO, tree_bytes
from fault_helpers import run_cli, staging_leftovers
from ketamine_claims.scale.engines import largest_tasks_first
from ketamine_claims.scale.resume import resume_folder
from ketamine_claims.scale.runner import run_local
from ketamine_claims.scale.synthetic import write_corpus

N_SHARDS = 4


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Four JSONL shards of three generated articles each, and their parts from an uninterrupted run."""
    folder = tmp_path_factory.mktemp("resume")
    write_corpus(REPO / "seeds", folder / "shards", 3 * N_SHARDS, shard_size=3, seed=11)
    run_local(folder / "shards", folder / "uninterrupted", workers=2, progress=False)
    return folder


def committed(out: Path) -> list[str]:
    folder = resume_folder(out) / "committed"
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []


def part_identities(out: Path, names: list[str]) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of the documents part of each named shard, in the run folder or in the output."""
    folder = out / "documents" if out.is_dir() else resume_folder(out) / "parts" / "documents"
    return {name: ((folder / f"{name}.parquet").stat().st_ino, (folder / f"{name}.parquet").stat().st_mtime_ns) for name in names}


def processed_shards(stdout: str) -> tuple[int, int]:
    """(shards processed by this run, shards committed by an earlier one) from the summary line of `run`."""
    match = re.search(r"from (\d+) shards into .*?(?:; (\d+) shards were committed by an earlier run)?$", stdout.strip())
    assert match, stdout
    return int(match[1]), int(match[2] or 0)


def rerun_does_only_the_rest(corpus: Path, out: Path, engine: str, done_before: list[str]) -> None:
    kept = part_identities(out, done_before)
    result = run_cli("run", str(corpus / "shards"), str(out), "--workers", "2", "--quiet", "--engine", engine)
    assert result.returncode == 0, result.stderr
    assert processed_shards(result.stdout) == (N_SHARDS - len(done_before), len(done_before))
    assert part_identities(out, done_before) == kept  # moved into the output, not written again
    assert tree_bytes(out) == tree_bytes(corpus / "uninterrupted")
    assert not resume_folder(out).exists() and staging_leftovers(out.parent) == []


@pytest.mark.parametrize("engine", ["local", "datatrove"])
def test_a_run_killed_after_a_commit_is_resumed_shard_exact(corpus, tmp_path, engine):
    out = tmp_path / "out"
    shards = sorted((corpus / "shards").glob("*.jsonl"))
    last = shards[largest_tasks_first(shards)[-1]].stem  # the shard one worker takes last
    fault = "run-shard-committed" if engine == "local" else f"run-worker-{last}"
    killed = run_cli("run", str(corpus / "shards"), str(out), "--workers", "1", "--quiet", "--engine", engine, fault=fault)
    assert killed.returncode != 0
    assert not out.exists()  # nothing reaches the output before every shard is committed
    done_before = committed(out)
    assert 0 < len(done_before) < N_SHARDS, done_before
    if engine == "datatrove":  # a worker killed on the last shard: the run stops and says what it keeps
        assert killed.returncode == 4 and "a worker process died" in killed.stderr, killed.stderr
        assert last not in done_before
        assert f"{len(done_before)} of {N_SHARDS} shards are committed in {resume_folder(out)}" in killed.stderr
    else:  # the run itself killed (SIGKILL) right after its first commit
        assert killed.returncode == -9
    rerun_does_only_the_rest(corpus, out, engine, done_before)


def test_a_worker_killed_on_one_shard_names_it_and_the_rerun_redoes_it(corpus, tmp_path):
    out = tmp_path / "out"
    failed = run_cli("run", str(corpus / "shards"), str(out), "--workers", "1", "--quiet", fault="run-worker-shard-00001")
    assert failed.returncode == 4, failed.stderr
    assert "a worker process died" in failed.stderr and str(corpus / "shards") in failed.stderr
    done_before = committed(out)
    assert "shard-00001" not in done_before and not out.exists()
    if not done_before:  # shard-00001 was the first one the worker took: nothing to resume
        assert not resume_folder(out).exists()
    rerun_does_only_the_rest(corpus, out, "local", done_before)


def test_a_shard_changed_since_its_commit_is_processed_again(corpus, tmp_path):
    shards = tmp_path / "shards"
    write_corpus(REPO / "seeds", shards, 3 * N_SHARDS, shard_size=3, seed=11)
    out = tmp_path / "out"
    killed = run_cli("run", str(shards), str(out), "--workers", "1", "--quiet", fault="run-shard-committed")
    assert killed.returncode == -9
    done_before = committed(out)
    changed = shards / f"{done_before[0]}.jsonl"
    lines = changed.read_text(encoding="utf-8").splitlines()
    changed.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")  # one article fewer
    result = run_cli("run", str(shards), str(out), "--workers", "2", "--quiet")
    assert result.returncode == 0, result.stderr
    assert processed_shards(result.stdout) == (N_SHARDS - len(done_before) + 1, len(done_before) - 1)
    ids = [json.loads(line)["doc_id"] for line in lines[:2]]
    assert sorted(pq.read_table(out / "documents" / f"{changed.stem}.parquet").column("doc_id").to_pylist()) == sorted(ids)


def test_bad_input_discards_the_run_folder(corpus, tmp_path):
    shards = tmp_path / "shards"
    write_corpus(REPO / "seeds", shards, 3 * N_SHARDS, shard_size=3, seed=11)
    with (shards / "shard-00003.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"doc_id": "XYZ", "text": "Ketamine helps."}\n')
    result = run_cli("run", str(shards), str(tmp_path / "out"), "--workers", "1", "--quiet")
    assert result.returncode == 3 and "shard-00003.jsonl:4: doc_id 'XYZ'" in result.stderr, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shards"]
