"""Runner: process a folder of shards in parallel worker processes, one Parquet part per shard per table (both engines).

Each worker holds one shard at a time, so memory depends on the shard size, not on the corpus
size. Parts are written into a staging folder next to the output and swapped in only when
every shard succeeded and every document reached its part; a failed run leaves the previous
output untouched. `run` writes only into an absent or empty folder or the output of an earlier run.

This module runs in the parent process and imports neither the pipeline nor pyarrow (a Parquet
shard aside, see `shards`) nor datatrove: only the workers need them, and they import them at start-up.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import importlib.util
import multiprocessing
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .errors import FaultError, InputError, RefusedError
from .faults import fault_point
from .schema import DOC_TABLES
from .shards import count_docs, find_shards, read_shard
from .staging import Staging, die_with_parent, note_recovered, recover

PROGRESS_INTERVAL_S = 10.0
# Set (to any value) by `ketamine-claims run --verbose`: datatrove's own log lines go to the console.
VERBOSE_VARIABLE = "KETAMINE_CLAIMS_VERBOSE"


@dataclass
class RunSummary:
    shards: int
    docs: int
    seconds: float
    rule_counts: Counter[str]

    @property
    def docs_per_second(self) -> float:
        return self.docs / self.seconds if self.seconds else 0.0


class Progress:
    """A tqdm bar on a terminal; otherwise a line with docs and docs/s every PROGRESS_INTERVAL_S seconds."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool = True):
        self.total, self.done, self.started = total, 0, time.perf_counter()
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.last_line = self.started
        self.bar = None
        if enabled and self.stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="doc", file=self.stream, smoothing=0.1)

    def update(self, docs: int) -> None:
        self.done += docs
        if self.bar is not None:
            self.bar.update(docs)
            return
        now = time.perf_counter()
        if self.enabled and (now - self.last_line >= PROGRESS_INTERVAL_S or self.done == self.total):
            self.last_line = now
            rate = self.done / (now - self.started)
            print(f"progress: {self.done}/{self.total} docs, {rate:.1f} docs/s", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


RUN_MARKER = ".ketamine-claims-run"
MARKER_TEXT = "Written by `ketamine-claims run`; the next run into this folder replaces everything in it.\n"


def output_problem(out: Path, shards_dir: Path) -> str | None:
    """Why `run` must not write into out, or None when out is absent, empty, or a previous run's output."""
    if out == shards_dir or out in shards_dir.parents:
        return f"{out} holds the input shards folder {shards_dir}; choose a separate output folder"
    if not out.exists():
        return None
    if not out.is_dir():
        return f"{out} exists and is not a folder; choose an empty or new folder"
    entries = sorted(out.iterdir())
    if not entries:
        return None
    if not (out / RUN_MARKER).is_file():
        return (
            f"{out} is not empty and was not written by `ketamine-claims run` (no {RUN_MARKER} file): "
            f"it holds {entries[0].name}; choose an empty or new folder"
        )
    for entry in entries:
        if entry.name == RUN_MARKER:
            continue
        if entry.name not in DOC_TABLES or entry.is_symlink() or not entry.is_dir():
            return f"{out} was written by `ketamine-claims run` but now also holds {entry.name}; move it away first"
        for part in entry.iterdir():
            if part.suffix != ".parquet" or part.is_symlink() or not part.is_file():
                return f"{out} was written by `ketamine-claims run` but now also holds {part}; move it away first"
    return None


def check_parts(shards: dict[Path, int], written: dict[str, list[str]]) -> None:
    """Every document of every shard reached its part, and no doc_id appears in two shards.

    written holds the doc ids of each part (by part name, the shard's stem) as the worker that wrote
    it read them back from its documents file; a part that no worker reported holds none.
    """
    owner: dict[str, Path] = {}
    for shard, expected in shards.items():
        doc_ids = written.get(shard.stem, [])
        if len(doc_ids) != expected:
            for _ in read_shard(shard):  # raises InputError naming the line that was dropped
                pass
            raise FaultError(shard, f"{expected} documents, but {len(doc_ids)} rows were written to {shard.stem}.parquet")
        for doc_id in doc_ids:
            if doc_id in owner:
                line = next(n for n, found, _ in read_shard(shard) if found == doc_id)
                raise InputError(
                    shard, f"doc_id {doc_id} is also in {owner[doc_id]}; doc ids must be unique across shards", line=line
                )
            owner[doc_id] = shard


Work = Callable[[Path, dict[Path, int]], tuple[RunSummary, dict[str, list[str]]]]


def staged_run(shards_dir: Path, out: Path, work: Work) -> RunSummary:
    """Run work(parts folder, {shard: documents}) in a staging folder and swap it in as out only if it succeeds.

    work returns the run's summary and the doc ids written to each part (see check_parts). out must
    be absent, empty, or the output of an earlier run (it holds RUN_MARKER and only parts); anything
    else is refused before anything is written. Staging folders of killed runs into the same out
    are rolled back and removed first.
    """
    shards_dir, out = shards_dir.resolve(), out.resolve()
    shards = find_shards(shards_dir)
    problem = output_problem(out, shards_dir)
    if problem:
        raise RefusedError(out, problem)
    counts = {shard: count_docs(shard) for shard in shards}
    out.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{out.name}-tmp-"
    note_recovered(recover(out.parent, prefix), "run")
    with Staging(out.parent, prefix) as staging:
        parts = staging.path / "parts"
        parts.mkdir()
        summary, written = work(parts, counts)
        check_parts(counts, written)
        (parts / RUN_MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        fault_point("run-staged")
        staging.swap_in([(parts, out)], "run")
        fault_point("run-committed")
    return summary


def _start_worker(parent_pid: int, modules: tuple[str, ...]) -> None:
    """Tie the worker to its parent, import what its jobs need, and keep those long-lived objects out of the
    garbage collector's passes (gc.freeze): every collection during the run then scans only the run's objects."""
    die_with_parent(parent_pid)
    for module in modules:
        with contextlib.suppress(ImportError):  # the job imports it again and its error reaches the user
            importlib.import_module(module)
    gc.freeze()


def run_in_workers(
    jobs: dict[str, tuple[Callable[..., Any], tuple]],
    workers: int,
    on_result: Callable[[Any], None],
    modules: tuple[str, ...] = (),
) -> None:
    """Run every job (label: (function, args)) in `workers` spawned processes, which import modules at start-up;
    pass each result to on_result.

    Workers die with this process. A worker that dies (killed by a signal, for example by the
    out-of-memory killer) stops the run with a FaultError naming the jobs that were not finished;
    the first exception raised by a job stops the run and is raised here.
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=max(1, min(workers, len(jobs))),
        mp_context=context,
        initializer=_start_worker,
        initargs=(os.getpid(), modules),
    ) as pool:
        futures = {pool.submit(function, *args): label for label, (function, args) in jobs.items()}
        fault_point("run-submitted")
        try:
            for future in as_completed(futures):
                on_result(future.result())
        except BrokenProcessPool:
            unfinished = sorted(label for future, label in futures.items() if _unfinished(future))
            raise FaultError(
                unfinished[0] if len(unfinished) == 1 else ", ".join(unfinished),
                "a worker process died (killed by a signal, for example by the out-of-memory killer) "
                "while processing this; nothing was written",
            ) from None
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _unfinished(future: Future) -> bool:
    return not future.done() or future.cancelled() or future.exception() is not None


def largest_first(shards: dict[Path, int]) -> list[Path]:
    """The shards by size in bytes, largest first (ties by name), so that no large shard is left for last."""
    return sorted(shards, key=lambda shard: (-shard.stat().st_size, shard.name))


def _process_shard(shard: Path, parts: Path) -> tuple[str, list[str], Counter[str]]:
    """parts.process_shard, imported in the worker: the parent never loads the pipeline."""
    from .parts import process_shard

    return process_shard(shard, parts)


def run_local(shards_dir: Path, out: Path, workers: int = 0, progress: bool = True) -> RunSummary:
    """Process every shard of shards_dir into out/<table>/<shard name>.parquet with workers processes (0: one per core)."""
    workers = workers or os.cpu_count() or 1

    def work(parts: Path, shards: dict[Path, int]) -> tuple[RunSummary, dict[str, list[str]]]:
        started = time.perf_counter()
        bar = Progress(sum(shards.values()), enabled=progress)
        counts: Counter[str] = Counter()
        written: dict[str, list[str]] = {}

        def done(result: tuple[str, list[str], Counter[str]]) -> None:
            part, doc_ids, rule_counts = result
            written[part] = doc_ids
            counts.update(rule_counts)
            bar.update(len(doc_ids))

        jobs = {str(shard): (_process_shard, (shard, parts)) for shard in largest_first(shards)}
        run_in_workers(jobs, workers, done, modules=("ketamine_claims.parts",))
        bar.close()
        docs = sum(len(doc_ids) for doc_ids in written.values())
        return RunSummary(len(shards), docs, time.perf_counter() - started, counts), written

    return staged_run(shards_dir, out, work)


def largest_tasks_first(shards: list[Path]) -> list[int]:
    """Task numbers 0..len(shards)-1 by the bytes of the shards datatrove gives them, largest first (ties by number).

    With as many tasks as shards, each datatrove reader gives task r the r-th of its files by name
    (JSONL and Parquet readers separately). The order only schedules; the parts do not depend on it.
    """
    by_format = [sorted(s for s in shards if s.suffix == suffix) for suffix in (".jsonl", ".parquet")]

    def size(rank: int) -> int:
        return sum(files[rank].stat().st_size for files in by_format if rank < len(files))

    return sorted(range(len(shards)), key=lambda rank: (-size(rank), rank))


def _datatrove_task(shards_dir: Path, parts: Path, logs: Path, tasks: int, rank: int) -> dict[str, list[str]]:
    """distributed.run_rank, imported in the worker: the parent never loads datatrove or the pipeline."""
    from .distributed import run_rank

    return run_rank(shards_dir, parts, logs, tasks, rank)


def run_datatrove(shards_dir: Path, out: Path, workers: int = 1) -> RunSummary:
    """Run distributed.shard_pipeline with datatrove's LocalPipelineExecutor, one task per shard, `workers` at a time.

    Each task runs in a worker process of the local runner (`run_in_workers`), so a worker that dies
    stops the run with a clear error instead of leaving the pool waiting, and workers die with the
    run. The task logs stay in the staging folder and go with it.
    """
    if importlib.util.find_spec("datatrove") is None:
        raise ModuleNotFoundError("No module named 'datatrove'", name="datatrove")

    def work(parts: Path, shards: dict[Path, int]) -> tuple[RunSummary, dict[str, list[str]]]:
        started = time.perf_counter()
        logs = parts.parent / "datatrove-logs"
        n = len(shards)
        task = _datatrove_task
        ranks = largest_tasks_first(list(shards))
        jobs = {f"{shards_dir} (datatrove task {r + 1} of {n})": (task, (shards_dir, parts, logs, n, r)) for r in ranks}
        written: dict[str, list[str]] = {}
        run_in_workers(jobs, workers, written.update, modules=("ketamine_claims.distributed",))
        return RunSummary(len(shards), sum(shards.values()), time.perf_counter() - started, Counter()), written

    return staged_run(shards_dir, out, work)
