"""The shard pipeline on datatrove (`pip install ketamine-claims[scale]`): local, Ray and Slurm executors.

`shard_pipeline` returns datatrove steps — its JSONL/Parquet readers, a step that runs
`process_doc` on every document, and a writer that emits one Parquet part per input shard per
table — so any datatrove executor can run it. Parts are byte-identical to the local runner's.
`ketamine-claims run --engine datatrove|ray|slurm` runs it resumably: the readers take the
run folder's task lists (the shards not yet committed, see `resume`), and the writer commits each
shard's parts as soon as they are written.

Your own executor on a cluster (a non-resumable run, one task per shard):

    from datatrove.executor import SlurmPipelineExecutor
    SlurmPipelineExecutor(pipeline=shard_pipeline("/data/shards", "/data/parts"), tasks=n_shards,
                          time="04:00:00", partition="cpu", logging_dir="/data/logs", job_name="ketamine-claims").run()
"""

from __future__ import annotations

import json
import os
import socket
import sys
import traceback
from pathlib import Path
from typing import Any

from datatrove.data import Document, DocumentsPipeline
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.readers import JsonlReader, ParquetReader

from ketamine_claims.errors import FaultError, InputError
from ketamine_claims.faults import FAULT_VARIABLE, fault_point
from ketamine_claims.pipeline import process_doc
from ketamine_claims.scale.engines import TASKS, VERBOSE_VARIABLE, SlurmOptions
from ketamine_claims.scale.parts import PartColumns, commit_part
from ketamine_claims.scale.resume import COMMITTED, PARTS
from ketamine_claims.scale.shards import checked_record, find_shards, read_shard

ERRORS = "errors"  # in the run folder: what made a task fail, by task number
LOGS = "logs"  # in the run folder: datatrove's logging folder

RESULT_KEY = "ketamine_claims"


class ProcessDocuments(PipelineStep):
    """Runs process_doc on each document (no annotation: auto labels) and keeps its rows with the document."""

    name = "ketamine-claims process_doc"
    type = "Processor"

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        current = None
        for document in data:
            if _shard(document) != current:
                current = _shard(document)
                fault_point("run-worker")
                fault_point(f"run-worker-{Path(current).stem}")
            with self.track_time():
                doc_id, text = checked_record({"doc_id": document.id, "text": document.text}, current, None)
                document.metadata[RESULT_KEY] = process_doc(doc_id, text)
            self.stat_update("documents")
            yield document


class WriteTableParts(PipelineStep):
    """Writes `<output>/<table>/<shard name>.parquet` for every shard whose documents pass through; with a run
    folder, commits each shard's parts there and records what made the task fail."""

    name = "ketamine-claims table parts"
    type = "Writer"

    def __init__(self, output_folder: str | Path, run: str | Path | None = None, fingerprints: dict[str, Any] | None = None):
        super().__init__()
        self.output_folder = Path(output_folder)
        self.run_folder = Path(run) if run is not None else None
        self.fingerprints = fingerprints or {}
        self.written: list[str] = []  # names of the parts written, in order

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        try:
            yield from self._write_parts(data)
        except Exception as exc:
            if self.run_folder is not None:
                record_error(self.run_folder, rank, exc)
            raise

    def _write_parts(self, data: DocumentsPipeline) -> DocumentsPipeline:
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
        stem = Path(shard).stem
        part.write(self.output_folder, stem)
        if self.run_folder is not None:
            commit_part(self.output_folder, self.run_folder / COMMITTED, stem, self.fingerprints[stem])
        self.written.append(stem)


def record_error(run: Path, rank: int, exc: BaseException) -> None:
    """Write what made task `rank` fail into the run folder, so that the driver can name it (Ray, Slurm)."""
    if isinstance(exc, InputError):
        record = {"input_error": [exc.path, exc.message, exc.line, exc.entry]}
    else:
        record = {"fault": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
    (run / ERRORS).mkdir(exist_ok=True)
    (run / ERRORS / f"{rank:05d}.json").write_text(json.dumps(record), encoding="utf-8")


def _shard(document: Document) -> str:
    return str(document.metadata.get("file_path", "<unknown shard>"))


def shard_pipeline(shards_dir: str | Path, out: str | Path, run: str | Path | None = None) -> list[PipelineStep]:
    """Readers for the JSONL and Parquet shards directly in shards_dir, process_doc, and the part writer.

    With a run folder (`ketamine-claims run`), the readers take its task lists (engines.write_task_lists)
    instead of every shard, and the writer commits each shard's parts there.
    """
    steps: list[PipelineStep] = []
    fingerprints = None
    if run is None:
        shards = find_shards(Path(shards_dir))
        names = {suffix: [s.name for s in shards if s.suffix == suffix] for suffix in (".jsonl", ".parquet")}
        lists: dict[str, str | None] = dict.fromkeys(names)
    else:
        tasks = Path(run) / TASKS
        lists = {suffix: str(tasks / f"{suffix[1:]}.txt") for suffix in (".jsonl", ".parquet")}
        names = {suffix: Path(path).read_text(encoding="utf-8").split() for suffix, path in lists.items()}
        fingerprints = json.loads((tasks / "fingerprints.json").read_text(encoding="utf-8"))
    if names[".jsonl"]:
        steps.append(
            JsonlReader(
                str(shards_dir), paths_file=lists[".jsonl"], glob_pattern="*.jsonl", recursive=False, id_key="doc_id",
                compression=None,
            )
        )
    if names[".parquet"]:
        steps.append(
            ParquetReader(
                str(shards_dir), paths_file=lists[".parquet"], glob_pattern="*.parquet", recursive=False, id_key="doc_id"
            )
        )
    return [*steps, ProcessDocuments(), WriteTableParts(out, run, fingerprints)]


def find_line(exc: InputError) -> InputError:
    """exc with the line at fault when datatrove kept none (it reads without line numbers): read the shard again."""
    if exc.line is None and Path(exc.path).is_file():
        for _ in read_shard(Path(exc.path)):  # raises the InputError naming the line
            pass
    return exc


def run_rank(shards_dir: Path, run: Path, tasks: int, rank: int) -> None:
    """In a worker process: run task `rank` of shard_pipeline through datatrove's LocalPipelineExecutor."""
    fault_point("run-worker")
    pipeline = shard_pipeline(shards_dir, run / PARTS, run)
    executor = LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=1, logging_dir=str(run / LOGS), skip_completed=False)
    try:
        # Every executor's per-task entry. datatrove logs a task to the console only for local rank 0: that is
        # task 0 with --verbose (VERBOSE_VARIABLE set), else no task (its log stays in the logging folder).
        local_rank = min(rank, 1) if os.environ.get(VERBOSE_VARIABLE) else 1
        executor._run_for_rank(rank, local_rank=local_rank)
    except InputError as exc:
        raise find_line(exc) from None


def _task_shards(run: Path, rank: int) -> list[str]:
    tasks = run / TASKS
    names = [(tasks / f"{fmt}.txt").read_text(encoding="utf-8").split() for fmt in ("jsonl", "parquet")]
    return [files[rank] for files in names if rank < len(files)]


def raise_task_errors(shards_dir: Path, run: Path) -> None:
    """Raise what made the tasks fail, as the writer recorded it: bad input first (by shard), then any other fault."""
    errors = sorted((run / ERRORS).glob("*.json")) if (run / ERRORS).is_dir() else []
    records = [(int(path.stem), json.loads(path.read_text(encoding="utf-8"))) for path in errors]
    for _, record in records:
        if "input_error" in record:
            path, message, line, entry = record["input_error"]
            raise find_line(InputError(path, message, line=line, entry=entry))
    for rank, record in records:
        shards = ", ".join(str(Path(shards_dir) / name) for name in _task_shards(run, rank))
        raise FaultError(shards, f"the task failed with {record['fault']} (log: {run / LOGS / 'logs' / f'task_{rank:05d}.log'})")


def run_on_ray(shards_dir: Path, run: Path, tasks: int, address: str, workers: int = 0) -> None:
    """Run every task of the run folder's task lists with datatrove's RayPipelineExecutor on the cluster at address.

    datatrove runs a task again (up to three times) when its worker or node is lost; a task that still
    fails, or fails on bad input, stops the run after the others finished, naming its shards.
    """
    import ray
    from datatrove.executor import RayPipelineExecutor

    env = {name: os.environ[name] for name in (FAULT_VARIABLE,) if name in os.environ}
    check_reachable(address)
    try:
        ray.init(address=address, runtime_env={"env_vars": env} if env else None, log_to_driver=False, logging_level="WARNING")
    except (ConnectionError, RuntimeError) as exc:
        raise FaultError(address, f"cannot connect to the Ray cluster ({exc})") from None
    try:
        executor = RayPipelineExecutor(
            pipeline=shard_pipeline(shards_dir, run / PARTS, run),
            tasks=tasks,
            workers=workers or -1,
            logging_dir=str(run / LOGS),
            skip_completed=False,
        )
        executor.run()
    finally:
        ray.shutdown()
    raise_task_errors(shards_dir, run)


def check_reachable(address: str) -> None:
    """A HOST:PORT address must answer before ray.init, which otherwise waits minutes and then ends the process."""
    host, _, port = address.rpartition(":")
    if "://" in address or not host or not port.isdigit():
        return  # "auto" and ray:// addresses: ray.init itself fails fast with a ConnectionError
    try:
        socket.create_connection((host, int(port)), timeout=10).close()
    except OSError as exc:
        message = f"no Ray cluster answers at this address ({exc.strerror or exc}); start one with `ray start --head`"
        raise FaultError(address, message) from None


def submit_to_slurm(shards_dir: Path, run: Path, tasks: int, options: SlurmOptions, workers: int = 0) -> str:
    """Submit the run folder's tasks as a Slurm job array (datatrove's SlurmPipelineExecutor, in the environment of this
    Python); return what was submitted. With options.dry_run, print the sbatch script and submit nothing."""
    from datatrove.executor import SlurmPipelineExecutor

    activate = Path(sys.prefix) / "bin" / "activate"
    executor = SlurmPipelineExecutor(
        pipeline=shard_pipeline(shards_dir, run / PARTS, run),
        tasks=tasks,
        workers=workers or -1,
        time=options.time,
        partition=options.partition,
        job_name="ketamine-claims",
        logging_dir=str(run / LOGS),
        slurm_logs_folder=str(run / LOGS / "slurm_logs"),
        venv_path=str(activate) if activate.is_file() else None,
        skip_completed=False,
    )
    if options.dry_run:
        pickled = executor.logging_dir.resolve_paths("executor.pik")
        script = executor.get_launch_file_contents(
            executor.get_sbatch_args(min(tasks, executor.max_array_size)),
            f"srun  -l -n {executor.nodes_per_task} launch_pickled_pipeline {pickled}",
        )
        print(script, end="")
        return "nothing (dry run)"
    executor.run()
    return f"Slurm job {executor.job_id} ({tasks} tasks; script {run / LOGS / 'launch_script.slurm'})"
