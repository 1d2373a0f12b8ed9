"""Faults and bad input around `run`: output folders it must not replace, kills at every step, workers
that die, duplicate ids, empty or corrupt shards, full disks — nothing destroyed, no hang, no orphan
worker, no staging folder left, every error naming its file and line."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import REPO
from fault_helpers import processes_in_group, run_cli, run_main, snapshot, staging_leftovers, unwritable
from ketamine_claims.scale.resume import resume_folder
from ketamine_claims.scale.synthetic import write_corpus
from ketamine_claims.staging import swap_points
from ketamine_claims.text.seeds import MAX_ARTICLE_BYTES


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Two JSONL shards of two generated articles each, and their output from a first run."""
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(REPO / "seeds", folder / "shards", 4, shard_size=2, seed=5)
    code, _, err = run_main("run", str(folder / "shards"), str(folder / "out"), "--workers", "1", "--quiet")
    assert code == 0, err
    return folder


@pytest.fixture
def work(corpus, tmp_path) -> Path:
    """A copy of the corpus folder (shards/ and a previous run's out/) to break."""
    shutil.copytree(corpus, tmp_path / "work")
    return tmp_path / "work"


def run_in_new_session(command: list[str], env: dict[str, str], timeout: float) -> subprocess.Popen:
    """Run command as the leader of a new process group (its pid is the group id); fail on a hang."""
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        proc.stdout_text, proc.stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    return proc


def group_empties(pgid: int, seconds: float = 15) -> bool:
    """Whether every process of the group is gone within seconds (helpers such as multiprocessing's
    resource tracker exit a moment after the run)."""
    deadline = time.monotonic() + seconds
    while processes_in_group(pgid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def assert_untouched(folder: Path, before: dict) -> None:
    assert snapshot(folder) == before
    assert staging_leftovers(folder) == []


def out_unrelated_folder(work: Path) -> tuple[str, str]:
    (work / "mine").mkdir()
    (work / "mine" / "main.py").write_text("print('precious')\n", encoding="utf-8")
    return "mine", "is not empty and was not written by `ketamine-claims run`"


def out_file(work: Path) -> tuple[str, str]:
    (work / "notes.txt").write_text("precious\n", encoding="utf-8")
    return "notes.txt", "exists and is not a folder"


def out_input_folder(work: Path) -> tuple[str, str]:
    return "shards", "holds the input shards folder"


def out_parent_of_input(work: Path) -> tuple[str, str]:
    return ".", "holds the input shards folder"


def out_previous_run_with_a_new_file(work: Path) -> tuple[str, str]:
    (work / "out" / "sentences" / "notes.md").write_text("precious\n", encoding="utf-8")
    return "out", "was written by `ketamine-claims run` but now also holds"


@pytest.mark.parametrize(
    "make_out",
    [out_unrelated_folder, out_file, out_input_folder, out_parent_of_input, out_previous_run_with_a_new_file],
    ids=lambda f: f.__name__,
)
def test_corrupt_run_refuses_to_replace_a_folder_it_did_not_write(work, monkeypatch, make_out):
    name, message = make_out(work)
    before = snapshot(work)
    monkeypatch.chdir(work)
    code, _, err = run_main("run", "shards", name, "--workers", "1", "--quiet")
    assert code == 1, err
    assert f"error: {(work / name).resolve()}" in err and message in err, err
    assert_untouched(work, before)


RUN_KILL_POINTS = ["run-staged", *swap_points("run", 1), "run-committed"]


@pytest.mark.parametrize("point", RUN_KILL_POINTS)
def test_corrupt_run_killed_at_each_step_is_rolled_back_by_the_next_run(work, point):
    before = snapshot(work / "out")
    shard = work / "shards" / "shard-00001.jsonl"
    record = json.loads(lines(shard)[0])
    record["text"] = "Ketamine may ease depression, a new study says.\n" + record["text"]
    shard.write_text(json.dumps(record) + "\n" + lines(shard)[1] + "\n", encoding="utf-8")
    killed = run_cli("run", str(work / "shards"), str(work / "out"), "--workers", "1", "--quiet", fault=point)
    assert killed.returncode == -9, killed.stderr
    new = snapshot(work / "out") if point == "run-committed" else before
    # The next run into out recovers first, then stops at a bad line: out is left as the kill left it, rolled back.
    shard.write_text(shard.read_text(encoding="utf-8") + '{"doc_id": "XYZ", "text": "a"}\n', encoding="utf-8")
    result = run_cli("run", str(work / "shards"), str(work / "out"), "--workers", "1", "--quiet")
    assert result.returncode == 3 and "shard-00001.jsonl:3: doc_id 'XYZ'" in result.stderr, result.stderr
    assert "left by an interrupted run" in result.stderr
    assert snapshot(work / "out") == new
    assert staging_leftovers(work) == []


def test_leftover_killed_run_leaves_no_orphan_worker_and_the_next_run_cleans_up(work):
    before = snapshot(work / "out")
    env = {**os.environ, "KETAMINE_CLAIMS_FAULT": "run-submitted"}
    command = [sys.executable, "-m", "ketamine_claims.cli", "run", str(work / "shards"), str(work / "out"), "--workers", "2"]
    proc = run_in_new_session(command, env, timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert group_empties(proc.pid)  # the workers died with the run: nobody writes into its folder
    assert snapshot(work / "out") == before
    assert resume_folder(work / "out").is_dir()  # the killed run's folder, until the next run finishes
    result = run_cli("run", str(work / "shards"), str(work / "out"), "--workers", "2", "--quiet")
    assert result.returncode == 0, result.stderr
    assert staging_leftovers(work) == [] and not resume_folder(work / "out").exists()
    assert snapshot(work / "out") == before  # same shards, same bytes


@pytest.mark.parametrize("engine", ["local", "datatrove"])
def test_hang_a_killed_worker_stops_the_run_with_a_clear_error(work, engine):
    before = snapshot(work)
    command = [sys.executable, "-m", "ketamine_claims.cli", "run", str(work / "shards"), str(work / "out")]
    command += ["--workers", "2", "--quiet", "--engine", engine]
    env = {**os.environ, "KETAMINE_CLAIMS_FAULT": "run-worker"}
    proc = run_in_new_session(command, env, timeout=90)
    assert proc.returncode == 4, proc.stderr
    assert "a worker process died" in proc.stderr and str(work / "shards") in proc.stderr
    assert group_empties(proc.pid)
    assert_untouched(work, before)


def duplicate_across_shards(shards: Path) -> tuple[int, str]:
    first = lines(shards / "shard-00000.jsonl")[1]
    shard = shards / "shard-00001.jsonl"
    shard.write_text(shard.read_text(encoding="utf-8") + first + "\n", encoding="utf-8")
    return 3, f"shard-00001.jsonl:3: doc_id {json.loads(first)['doc_id']} is also in {shards / 'shard-00000.jsonl'}"


def empty_shard(shards: Path) -> tuple[int, str]:
    (shards / "shard-00002.jsonl").write_text("\n", encoding="utf-8")
    return 3, "shard-00002.jsonl: the shard holds no documents"


def corrupt_parquet_shard(shards: Path) -> tuple[int, str]:
    (shards / "shard-00002.parquet").write_bytes(b"PAR1 not really a parquet file PAR1")
    return 3, "shard-00002.parquet: not a readable Parquet file"


def lone_surrogate(shards: Path) -> tuple[int, str]:
    shard = shards / "shard-00001.jsonl"
    bad = '{"doc_id": "00000000000000ff", "text": "Ketamine \\ud800 helps."}'
    shard.write_text(lines(shard)[0] + "\n" + bad + "\n", encoding="utf-8")
    return 3, "shard-00001.jsonl:2: text of 00000000000000ff is not valid Unicode"


def oversized_text(shards: Path) -> tuple[int, str]:
    text = "Ketamine. " * (MAX_ARTICLE_BYTES // 10 + 1)
    pq.write_table(pa.table({"doc_id": ["00000000000000ee"], "text": [text]}), shards / "shard-00002.parquet")
    return 3, f"shard-00002.parquet:1: text of 00000000000000ee is {len(text)} bytes, over the limit"


def shard_named_in_upper_case(shards: Path) -> tuple[int, str]:
    (shards / "shard-00001.jsonl").rename(shards / "shard-00001.JSONL")
    return 3, "shard-00001.JSONL: shard suffixes are lower case"


def folder_named_like_a_shard(shards: Path) -> tuple[int, str]:
    (shards / "more.jsonl").mkdir()
    return 3, "more.jsonl: is not a file"


def json_nested_too_deeply(shards: Path) -> tuple[int, str]:
    shard = shards / "shard-00001.jsonl"
    shard.write_text(lines(shard)[0] + "\n" + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    return 3, "shard-00001.jsonl:2: not valid JSON (nested too deeply)"


SHARD_CASES = {
    "silent": [duplicate_across_shards, empty_shard, shard_named_in_upper_case, folder_named_like_a_shard],
    "place": [corrupt_parquet_shard, lone_surrogate, json_nested_too_deeply],
    "hang": [oversized_text],
}


def assert_bad_shards_refused(work: Path, make_bad, engine: str = "local") -> None:
    code, message = make_bad(work / "shards")
    before = snapshot(work)
    got, _, err = run_main("run", str(work / "shards"), str(work / "out"), "--workers", "2", "--quiet", "--engine", engine)
    assert got == code, err
    assert message in err, err
    assert_untouched(work, before)


@pytest.mark.parametrize("make_bad", SHARD_CASES["silent"], ids=lambda f: f.__name__)
def test_silent_bad_shards_are_refused_naming_file_and_line(work, make_bad):
    assert_bad_shards_refused(work, make_bad)


@pytest.mark.parametrize("make_bad", SHARD_CASES["place"], ids=lambda f: f.__name__)
def test_place_unreadable_shards_are_refused_naming_file_and_line(work, make_bad):
    assert_bad_shards_refused(work, make_bad)


@pytest.mark.parametrize("make_bad", SHARD_CASES["hang"], ids=lambda f: f.__name__)
def test_hang_oversized_shard_text_is_refused(work, make_bad):
    assert_bad_shards_refused(work, make_bad)


def test_hang_a_named_pipe_as_shard_is_refused_without_reading_it(work):
    os.mkfifo(work / "shards" / "shard-00002.jsonl")  # counting its lines would block forever
    before = snapshot(work)
    result = run_cli("run", str(work / "shards"), str(work / "out"), "--workers", "1", "--quiet", timeout=60)
    assert result.returncode == 3 and "shard-00002.jsonl: is not a file" in result.stderr, result.stderr
    assert_untouched(work, before)


def test_silent_bad_json_under_datatrove_is_an_error_not_a_dropped_document(work):
    def bad_json(shards: Path) -> tuple[int, str]:
        shard = shards / "shard-00001.jsonl"
        shard.write_text(lines(shard)[0] + "\n{not json\n", encoding="utf-8")
        return 3, "shard-00001.jsonl:2: not valid JSON"

    assert_bad_shards_refused(work, bad_json, engine="datatrove")


def test_place_bad_doc_id_under_datatrove_names_the_line(work):
    def bad_doc_id(shards: Path) -> tuple[int, str]:
        shard = shards / "shard-00001.jsonl"
        shard.write_text(lines(shard)[0] + '\n{"doc_id": "XYZ", "text": "Ketamine helps."}\n', encoding="utf-8")
        return 3, "shard-00001.jsonl:2: doc_id 'XYZ' is not 16 lowercase hex digits"

    assert_bad_shards_refused(work, bad_doc_id, engine="datatrove")


def test_place_run_into_an_unwritable_parent_names_it(work):
    (work / "locked").mkdir()
    before = snapshot(work)
    with unwritable(work / "locked"):
        code, _, err = run_main("run", str(work / "shards"), str(work / "locked" / "out"), "--workers", "1", "--quiet")
    assert code == 4, err
    assert f"error: {resume_folder(work / 'locked' / 'out')}" in err
    assert_untouched(work, before)


def test_place_run_over_an_immutable_previous_output_names_it_and_keeps_it(work):
    before = snapshot(work)
    with unwritable(work / "out"):
        code, _, err = run_main("run", str(work / "shards"), str(work / "out"), "--workers", "1", "--quiet")
    assert code == 4, err
    assert f"error: {work / 'out'}" in err
    assert_untouched(work, before)


def test_leftover_run_interrupted_by_ctrl_c_exits_130_leaving_no_worker_and_only_committed_shards(work):
    before = snapshot(work)
    command = [sys.executable, "-m", "ketamine_claims.cli", "run", str(work / "shards"), str(work / "out"), "--workers", "2"]
    proc = run_in_new_session(command, {**os.environ, "KETAMINE_CLAIMS_FAULT": "run-submitted:sigint"}, timeout=60)
    assert proc.returncode == 130, proc.stderr
    assert group_empties(proc.pid)
    run_folder = resume_folder(work / "out")
    kept = {k: v for k, v in snapshot(work).items() if not k.startswith(run_folder.name)}
    assert kept == before and staging_leftovers(work) == []
    if run_folder.exists():  # the shards the workers finished are committed for the next run
        assert f"committed in {run_folder}" in proc.stderr
        assert sorted(p.name for p in (run_folder / "committed").iterdir()) != []


def test_corrupt_run_on_a_full_disk_names_the_file_and_keeps_the_previous_output(work):
    before = snapshot(work)
    result = run_cli("run", str(work / "shards"), str(work / "out"), "--workers", "2", "--quiet", max_file_bytes=3_000)
    assert result.returncode == 4, result.stderr
    assert "File too large" in result.stderr and ".parquet" in result.stderr
    assert_untouched(work, before)


def test_corrupt_generate_corpus_refuses_a_folder_that_is_not_empty(work):
    before = snapshot(work)
    code, _, err = run_main("--root", str(REPO), "generate-corpus", str(work / "shards"), "--docs", "2")
    assert code == 1 and f"error: {work / 'shards'} exists and is not an empty folder" in err, err
    assert_untouched(work, before)


def test_leftover_generate_corpus_killed_leaves_no_half_corpus_and_is_cleaned_up(tmp_path):
    killed = run_cli(
        "--root", str(REPO), "generate-corpus", str(tmp_path / "c"), "--docs", "4", "--shard-size", "2", fault="corpus-staged"
    )
    assert killed.returncode == -9
    assert not (tmp_path / "c").exists()
    result = run_cli("--root", str(REPO), "generate-corpus", str(tmp_path / "c"), "--docs", "4", "--shard-size", "2")
    assert result.returncode == 0 and "left by an interrupted generate-corpus" in result.stderr, result.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["c", "shard-00000.jsonl", "shard-00001.jsonl"]


@pytest.mark.parametrize("workers", ["-3", "0", "two"])
def test_silent_run_refuses_a_worker_count_below_one(work, workers):
    before = snapshot(work)
    code, _, err = run_main("run", str(work / "shards"), str(work / "new"), "--workers", workers)
    assert code == 2, err
    assert f"argument --workers: {workers!r} is not a whole number of 1 or more" in err
    assert_untouched(work, before)
