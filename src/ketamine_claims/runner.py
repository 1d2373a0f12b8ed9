"""Local runner: process a folder of shards in parallel worker processes, one Parquet part per shard per table.

Each worker holds one shard at a time, so memory depends on the shard size, not on the corpus
size. Parts are written into a temporary folder next to the output and swapped in only when
every shard succeeded; a failed run leaves the previous output untouched.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .shards import count_docs, find_shards, process_shard

PROGRESS_INTERVAL_S = 10.0


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


def _process(job: tuple[Path, Path]) -> tuple[int, Counter[str]]:
    return process_shard(*job)


def swap_in(staged: Path, out: Path) -> None:
    """Replace out with staged (out may not exist yet)."""
    if out.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
        os.replace(out, retired / out.name)
        os.replace(staged, out)
        shutil.rmtree(retired)
    else:
        os.replace(staged, out)


def staged_run(out: Path, work: Callable[[Path], RunSummary]) -> RunSummary:
    """Run work(staging folder) and swap the folder in as out only if it succeeds."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{out.name}-tmp-", dir=out.parent))
    try:
        summary = work(staged)
        swap_in(staged, out)
        return summary
    finally:
        shutil.rmtree(staged, ignore_errors=True)


def run_local(shards_dir: Path, out: Path, workers: int = 0, progress: bool = True) -> RunSummary:
    """Process every shard of shards_dir into out/<table>/<shard name>.parquet with workers processes (0: one per core)."""
    shards = find_shards(shards_dir)
    workers = workers or os.cpu_count() or 1

    def work(staged: Path) -> RunSummary:
        started = time.perf_counter()
        bar = Progress(sum(count_docs(s) for s in shards), enabled=progress)
        counts: Counter[str] = Counter()
        docs = 0
        jobs = [(shard, staged) for shard in shards]
        with multiprocessing.get_context("spawn").Pool(min(workers, len(shards))) as pool:
            for n, fired in pool.imap_unordered(_process, jobs):
                docs += n
                counts.update(fired)
                bar.update(n)
        bar.close()
        return RunSummary(len(shards), docs, time.perf_counter() - started, counts)

    return staged_run(out, work)
