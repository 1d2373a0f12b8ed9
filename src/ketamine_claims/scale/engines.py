"""What the runner and the datatrove engines (`distributed`) share: the run folder's task lists, the switch
for datatrove's log lines and the Slurm options.

The runner writes the task lists in the parent process and never imports datatrove; `distributed` reads
them in the workers (or the Ray and Slurm driver). Both import this module, neither imports the other at
module level, and `distributed` does not import the runner at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ketamine_claims.scale.resume import RunFolder, fingerprint

# Set (to any value) by `ketamine-claims run --verbose`: datatrove's own log lines go to the console.
VERBOSE_VARIABLE = "KETAMINE_CLAIMS_VERBOSE"


@dataclass
class SlurmOptions:
    partition: str
    time: str = "04:00:00"
    dry_run: bool = False


def largest_tasks_first(shards: list[Path]) -> list[int]:
    """Task numbers by the bytes of the shards datatrove gives them, largest first (ties by number).

    Each datatrove reader gives task r the r-th of its files by name (JSONL and Parquet readers
    separately), so there are as many tasks as shards of the more numerous format. The order only
    schedules; the parts do not depend on it.
    """
    by_format = [sorted(s for s in shards if s.suffix == suffix) for suffix in (".jsonl", ".parquet")]

    def size(rank: int) -> int:
        return sum(files[rank].stat().st_size for files in by_format if rank < len(files))

    return sorted(range(max(len(files) for files in by_format)), key=lambda rank: (-size(rank), rank))


TASKS = "tasks"  # in the run folder: the task lists of the datatrove engines


def write_task_lists(run: RunFolder, shards: list[Path]) -> list[int]:
    """Write the run folder's task lists for shard_pipeline (the shard names per format, by name, and their
    fingerprints); return the task numbers, largest first."""
    tasks = run.path / TASKS
    tasks.mkdir(exist_ok=True)
    for suffix in (".jsonl", ".parquet"):
        names = sorted(shard.name for shard in shards if shard.suffix == suffix)
        (tasks / f"{suffix[1:]}.txt").write_text("".join(f"{name}\n" for name in names), encoding="utf-8")
    fingerprints = {shard.stem: fingerprint(shard) for shard in shards}
    (tasks / "fingerprints.json").write_text(json.dumps(fingerprints), encoding="utf-8")
    return largest_tasks_first(shards)

