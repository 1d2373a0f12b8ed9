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

import os
from pathlib import Path

from datatrove.data import Document, DocumentsPipeline
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.readers import JsonlReader, ParquetReader

from .errors import InputError
from .faults import fault_point
from .parts import PartColumns, written_doc_ids
from .pipeline import process_doc
from .runner import VERBOSE_VARIABLE
from .runner import run_datatrove as run_datatrove  # the engine's entry point lives with the runner (no datatrove import)
from .shards import checked_record, find_shards, read_shard

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
        self.written: list[str] = []  # names of the parts written, in order

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        current, part = None, PartColumns()
        for document in data:
            shard = _shard(document)
            if shard != current:
                if current is not None:
                    self._write(part, current)
                current, part = shard, PartColumns()
            part.add(document.id, document.metadata.pop(RESULT_KEY), shard, None)
            yield document
        if current is not None:
            self._write(part, current)

    def _write(self, part: PartColumns, shard: str) -> None:
        part.write(self.output_folder, Path(shard).stem)
        self.written.append(Path(shard).stem)


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


def run_rank(shards_dir: Path, parts: Path, logs: Path, tasks: int, rank: int) -> dict[str, list[str]]:
    """In a worker process: run task `rank` of shard_pipeline through datatrove's LocalPipelineExecutor; return the
    doc ids read back from each documents part it wrote, by part name (for runner.check_parts)."""
    fault_point("run-worker")
    pipeline = shard_pipeline(shards_dir, parts)
    executor = LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=1, logging_dir=str(logs))
    try:
        # Every executor's per-task entry. datatrove logs a task to the console only for local rank 0: that is
        # task 0 with --verbose (VERBOSE_VARIABLE set), else no task (its log stays in the logging folder).
        local_rank = min(rank, 1) if os.environ.get(VERBOSE_VARIABLE) else 1
        executor._run_for_rank(rank, local_rank=local_rank)
    except InputError as exc:
        if exc.line is None and Path(exc.path).is_file():
            for _ in read_shard(Path(exc.path)):  # datatrove keeps no line numbers: find the line at fault
                pass
        raise
    writer = pipeline[-1]  # shard_pipeline ends with its WriteTableParts
    return {part: written_doc_ids(parts, part) for part in writer.written}
