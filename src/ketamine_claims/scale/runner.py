"""Runner: process a folder of shards, one Parquet part per shard per table, on any engine (local, datatrove, Ray, Slurm).

Each worker holds one shard at a time, so memory depends on the shard size, not on the corpus
size. Parts are written and committed shard by shard into the run folder beside the output
(`resume`) and swapped in as the output only when every shard is committed and every document
reached its part; a failed run leaves the previous output untouched, and the same command again
does only the shards not yet committed. `run` writes only into an absent or empty folder or the
output of an earlier run.

This module runs in the parent process and imports neither the pipeline nor pyarrow (a Parquet
shard aside, see `shards`) nor datatrove: only the workers need them, and they import them at start-up
(the Ray and Slurm engines import datatrove in the parent, which drives the cluster).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import importlib.util
import multiprocessing
import os
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ketamine_claims.errors import FaultError, InputError, RefusedError
from ketamine_claims.faults import fault_point
from ketamine_claims.scale.engines import SlurmOptions, write_task_lists
from ketamine_claims.scale.resume import COMMITTED, PARTS, RunFolder, fingerprint, resume_folder
from ketamine_claims.scale.shards import count_docs, find_shards, read_shard
from ketamine_claims.schema import DOC_TABLES
from ketamine_claims.staging import Staging, die_with_parent, note_recovered, recover

PROGRESS_INTERVAL_S = 10.0


@dataclass
class RunSummary:
    shards: int
    docs: int
    seconds: float
    rule_counts: Counter[str]
    resumed: int = 0  # shards committed by an earlier run with the same arguments, not processed again
    submitted: str = ""  # set when the shards were only submitted (Slurm): what was submitted

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


Work = Callable[[RunFolder, dict[Path, int]], RunSummary]


def staged_run(shards_dir: Path, out: Path, work: Work) -> RunSummary:
    """Run work(run folder, {shard: documents} of the shards not yet committed) and, once every shard is
    committed, swap the run folder's parts in as out (all or nothing).

    work writes each shard's parts and commit record into the run folder (see `resume`). out must be
    absent, empty, or the output of an earlier run (it holds RUN_MARKER and only parts); anything else
    is refused before anything is written. Staging folders of killed runs into the same out are rolled
    back and removed first. Bad input discards the run folder; any other failure keeps the shards
    already committed for the next run with the same arguments (or removes the folder if none is).
    A work that only submits the shards (Slurm) returns a summary with `submitted` set: nothing is swapped.
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
    run = RunFolder(out, shards_dir)
    try:
        done = run.start(shards)
        todo = {shard: n for shard, n in counts.items() if shard not in done}
        summary = work(run, todo) if todo else RunSummary(0, 0, 0.0, Counter())
        summary.resumed = len(done)
        if summary.submitted:
            run.close()
            return summary
        committed = run.done(shards)
        missing = [shard for shard in todo if shard not in committed]
        if missing:
            names = ", ".join(str(shard) for shard in missing)
            raise FaultError(names, "no part was committed for this shard; nothing was written to the output")
        check_parts(counts, {shard.stem: doc_ids for shard, doc_ids in committed.items()})
    except InputError:
        run.discard()
        raise
    except BaseException:
        kept = len(run.done(shards))
        if kept:
            print(
                f"note: {kept} of {len(shards)} shards are committed in {run.path}; "
                "the same command again processes only the others",
                file=sys.stderr,
            )
            run.close()
        else:
            run.discard()
        raise
    with Staging(out.parent, prefix) as staging:
        moved = staging.path / "run"
        os.replace(run.path, moved)  # from here on a kill starts the next run over; the lock moves along
        run.close()
        parts = moved / "parts"
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


def _process_shard(shard: Path, run: Path, shard_fingerprint: dict) -> tuple[str, list[str], Counter[str]]:
    """parts.process_shard, imported in the worker: the parent never loads the pipeline."""
    from ketamine_claims.scale.parts import process_shard

    return process_shard(shard, run / PARTS, run / COMMITTED, shard_fingerprint)


def run_local(shards_dir: Path, out: Path, workers: int = 0, progress: bool = True) -> RunSummary:
    """Process every shard of shards_dir into out/<table>/<shard name>.parquet with workers processes (0: one per core);
    shards committed by an earlier run with the same arguments are not processed again."""
    workers = workers or os.cpu_count() or 1

    def work(run: RunFolder, shards: dict[Path, int]) -> RunSummary:
        started = time.perf_counter()
        bar = Progress(sum(shards.values()), enabled=progress)
        counts: Counter[str] = Counter()

        def done(result: tuple[str, list[str], Counter[str]]) -> None:
            _, doc_ids, rule_counts = result
            counts.update(rule_counts)
            bar.update(len(doc_ids))
            fault_point("run-shard-committed")

        jobs = {str(shard): (_process_shard, (shard, run.path, fingerprint(shard))) for shard in largest_first(shards)}
        run_in_workers(jobs, workers, done, modules=("ketamine_claims.scale.parts",))
        bar.close()
        return RunSummary(len(shards), sum(shards.values()), time.perf_counter() - started, counts)

    return staged_run(shards_dir, out, work)


def _datatrove_task(shards_dir: Path, run: Path, tasks: int, rank: int) -> None:
    """distributed.run_rank, imported in the worker: the parent never loads datatrove or the pipeline."""
    from ketamine_claims.scale.distributed import run_rank

    run_rank(shards_dir, run, tasks, rank)


def _needs(module: str, extra: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise ModuleNotFoundError(f"No module named {module!r} (extra [{extra}])", name=module)


def run_datatrove(shards_dir: Path, out: Path, workers: int = 1) -> RunSummary:
    """Run distributed.shard_pipeline with datatrove's LocalPipelineExecutor, one task per shard, `workers` at a time.

    Each task runs in a worker process of the local runner (`run_in_workers`), so a worker that dies
    stops the run with a clear error instead of leaving the pool waiting, and workers die with the
    run. The task logs stay in the run folder and go with it.
    """
    _needs("datatrove", "scale")

    def work(run: RunFolder, shards: dict[Path, int]) -> RunSummary:
        started = time.perf_counter()
        ranks = write_task_lists(run, list(shards))
        n = len(ranks)
        task = _datatrove_task
        jobs = {f"{shards_dir} (datatrove task {r + 1} of {n})": (task, (shards_dir, run.path, n, r)) for r in ranks}
        run_in_workers(jobs, workers, lambda _: None, modules=("ketamine_claims.scale.distributed",))
        return RunSummary(len(shards), sum(shards.values()), time.perf_counter() - started, Counter())

    return staged_run(shards_dir, out, work)


def run_ray(shards_dir: Path, out: Path, address: str = "auto", workers: int = 0) -> RunSummary:
    """Run distributed.shard_pipeline with datatrove's RayPipelineExecutor on the Ray cluster at address, one task per
    shard (`workers` at a time; 0: as many as the cluster fits). Shards and the output's parent folder must be
    reachable at the same path from every node; the package must be installed on every node."""
    _needs("datatrove", "scale")
    _needs("ray", "scale")

    def work(run: RunFolder, shards: dict[Path, int]) -> RunSummary:
        from ketamine_claims.scale.distributed import run_on_ray

        started = time.perf_counter()
        ranks = write_task_lists(run, list(shards))
        run_on_ray(shards_dir, run.path, len(ranks), address, workers)
        return RunSummary(len(shards), sum(shards.values()), time.perf_counter() - started, Counter())

    return staged_run(shards_dir, out, work)


def run_slurm(shards_dir: Path, out: Path, options: SlurmOptions, workers: int = 0) -> RunSummary:
    """Submit distributed.shard_pipeline as a Slurm job array through datatrove's SlurmPipelineExecutor, one array task
    per shard (`workers` at a time; 0: no limit). The tasks commit their parts into the run folder; the same
    command run again after the job has finished swaps them in as out (or submits the shards still missing).
    With dry_run, print the sbatch script instead and leave nothing behind."""
    _needs("datatrove", "scale")

    def work(run: RunFolder, shards: dict[Path, int]) -> RunSummary:
        from ketamine_claims.scale.distributed import submit_to_slurm

        ranks = write_task_lists(run, list(shards))
        submitted = submit_to_slurm(shards_dir, run.path, len(ranks), options, workers)
        return RunSummary(len(shards), sum(shards.values()), 0.0, Counter(), submitted=submitted)

    existed = resume_folder(out.resolve()).exists()
    try:
        return staged_run(shards_dir, out, work)
    finally:
        if options.dry_run and not existed:
            shutil.rmtree(resume_folder(out.resolve()), ignore_errors=True)
