"""The shard pipeline on datatrove (`pip install ketamine-claims[scale]`): local, Slurm or Ray executors.

`shard_pipeline` returns datatrove steps — its JSONL/Parquet readers, a step that runs
`process_doc` on every document, and a writer that emits one Parquet part per input shard per
table — so any datatrove executor can run it. Parts are byte-identical to the local runner's.

On a Slurm cluster:

    from datatrove.executor import SlurmPipelineExecutor
    SlurmPipelineExecutor(pipeline=shard_pipeline("/data/shards", "/data/parts"), tasks=n_shards,
                          time="04:00:00", partition="cpu", logging_dir="/data/logs", job_name="ketamine-claims").run()

On Ray, `datatrove.executor.RayPipelineExecutor(pipeline=..., tasks=n_shards, logging_dir=...)`.
Use tasks = number of shards so that every task writes the parts of whole shards.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from datatrove.data import Document, DocumentsPipeline
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.readers import JsonlReader, ParquetReader

from .errors import InputError
from .faults import fault_point
from .pipeline import process_doc
from .runner import RunSummary, run_in_workers, staged_run
from .shards import PartRows, checked_record, find_shards, read_shard

RESULT_KEY = "ketamine_claims"


class ProcessDocuments(PipelineStep):
    """Runs process_doc on each document (no annotation: auto labels) and keeps its rows with the document."""

    name = "ketamine-claims process_doc"
    type = "Processor"

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for document in data:
            with self.track_time():
                doc_id, text = checked_record({"doc_id": document.id, "text": document.text}, _shard(document), None)
                document.metadata[RESULT_KEY] = process_doc(doc_id, text)
            self.stat_update("documents")
            yield document


class WriteTableParts(PipelineStep):
    """Writes `<output>/<table>/<shard name>.parquet` for every shard whose documents pass through."""

    name = "ketamine-claims table parts"
    type = "Writer"

    def __init__(self, output_folder: str | Path):
        super().__init__()
        self.output_folder = Path(output_folder)

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        current, part = None, PartRows()
        for document in data:
            shard = _shard(document)
            if shard != current:
                if current is not None:
                    part.write(self.output_folder, Path(current).stem)
                current, part = shard, PartRows()
            part.add(document.id, document.metadata.pop(RESULT_KEY), shard, None)
            yield document
        if current is not None:
            part.write(self.output_folder, Path(current).stem)


def _shard(document: Document) -> str:
    return str(document.metadata.get("file_path", "<unknown shard>"))


def shard_pipeline(shards_dir: str | Path, out: str | Path) -> list[PipelineStep]:
    """Readers for the JSONL and Parquet shards directly in shards_dir, process_doc, and the part writer."""
    shards = find_shards(Path(shards_dir))
    steps: list[PipelineStep] = []
    if any(s.suffix == ".jsonl" for s in shards):
        steps.append(JsonlReader(str(shards_dir), glob_pattern="*.jsonl", recursive=False, id_key="doc_id", compression=None))
    if any(s.suffix == ".parquet" for s in shards):
        steps.append(ParquetReader(str(shards_dir), glob_pattern="*.parquet", recursive=False, id_key="doc_id"))
    return [*steps, ProcessDocuments(), WriteTableParts(out)]


def run_rank(shards_dir: Path, parts: Path, logs: Path, tasks: int, rank: int) -> None:
    """In a worker process: run task `rank` of shard_pipeline through datatrove's LocalPipelineExecutor."""
    fault_point("run-worker")
    executor = LocalPipelineExecutor(pipeline=shard_pipeline(shards_dir, parts), tasks=tasks, workers=1, logging_dir=str(logs))
    try:
        executor._run_for_rank(rank, local_rank=min(rank, 1))  # every executor's per-task entry; only task 0 logs to the console
    except InputError as exc:
        if exc.line is None and Path(exc.path).is_file():
            for _ in read_shard(Path(exc.path)):  # datatrove keeps no line numbers: find the line at fault
                pass
        raise


def run_datatrove(shards_dir: Path, out: Path, workers: int = 1) -> RunSummary:
    """Run shard_pipeline with datatrove's LocalPipelineExecutor, one task per shard, `workers` at a time.

    Each task runs in a worker process of the local runner (`runner.run_in_workers`), so a worker
    that dies stops the run with a clear error instead of leaving the pool waiting, and workers
    die with the run. The task logs stay in the staging folder and go with it.
    """

    def work(parts: Path, shards: dict[Path, int]) -> RunSummary:
        started = time.perf_counter()
        logs = parts.parent / "datatrove-logs"
        n = len(shards)
        jobs = {f"{shards_dir} (datatrove task {r + 1} of {n})": (run_rank, (shards_dir, parts, logs, n, r)) for r in range(n)}
        run_in_workers(jobs, workers, lambda _: None)
        return RunSummary(len(shards), sum(shards.values()), time.perf_counter() - started, Counter())

    return staged_run(shards_dir, out, work)
