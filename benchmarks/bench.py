"""Benchmarks of the pipeline and the shard runners; writes benchmarks/RESULTS.md. Run with `scripts/bench` (see --help).

Speed is measured on real text only: every page of the boilerplate corpora (zyte and readability,
`../shared/boilerplate-corpora` relative to the repository by default) and the seed articles. Where
a measurement needs more documents, the pages are repeated with light, seeded recombination (a few
lines dropped and neighbouring lines swapped per copy), and the distinct-segment ratio of every
corpus is reported. The generated corpus of `ketamine_claims.scale.synthetic` (recombined seed paragraphs,
very few distinct segments) serves only the memory and validation sections, which make no speed
claim. Shards and outputs live in a temporary folder that is deleted afterwards; nothing here
touches dataset/.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import gzip
import html
import json
import math
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from ketamine_claims import __version__, pipeline, schema
from ketamine_claims.pipeline import DOC_TABLES, process_doc
from ketamine_claims.scale.parts import PartColumns, written_doc_ids
from ketamine_claims.scale.shards import read_shard
from ketamine_claims.scale.synthetic import generate_articles, write_corpus
from ketamine_claims.tables import PART_PARQUET_OPTIONS, columns_to_arrow, sort_value, write_parquet
from ketamine_claims.text.seeds import load_seeds, sha256_hex
from ketamine_claims.text.segments import split_segments
from ketamine_claims.text.sentences import boundary_agreement, sentence_starts, syntok_starts

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
DEFAULT_CORPORA = REPO.parent / "shared" / "boilerplate-corpora"
CORPUS_FILES = ("zyte", "readability")
CLI = [sys.executable, "-m", "ketamine_claims.cli"]
RESULTS = REPO / "benchmarks" / "RESULTS.md"
HEADLINE_PAGE = REPO / "docs" / "benchmarks.md"
HEADLINE_START = "<!-- benchmark headline: written by scripts/bench, copied from benchmarks/RESULTS.md -->"
HEADLINE_END = "<!-- end of benchmark headline -->"
# Functions that process_doc calls, timed one by one for the stage table (attribute names in ketamine_claims.pipeline).
STAGES = {
    "segments": "split_segments",
    "sentences": "split_sentences",
    "boilerplate": "detect_boilerplate_and_title",
    "claims": "detect_claims",
}
# Targets of issue 14.
TARGET_RATIO = 1.0  # process_doc docs/s ÷ jusText docs/s, same pages, same run
TARGET_AGREEMENT = 0.995  # sentence boundaries shared with syntok alone
TARGET_OVERHEAD_MS = 0.5  # runner overhead per document
TARGET_SPEEDUP = 1.8  # 1 → 2 workers
# Results are called provisional when other processes used more than this many cores during a measurement.
QUIET_OTHER_CORES = 0.25
VOLUME_SHARD_SIZE = 500
# Per-core throughput: the tasks take turns on slices of this many pages.
SLICE_DOCS = 8

Docs = list[tuple[str, str]]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- corpora


def load_real_pages(corpora: Path) -> dict[str, Docs]:
    """(doc_id, text) of the seeds and of every page of each corpus file; doc ids of pages are sha256 prefixes of their text."""
    result = {"seeds": [(seed.doc_id, seed.text) for seed in load_seeds(SEEDS)]}
    for name in CORPUS_FILES:
        path = corpora / f"{name}.jsonl.gz"
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            texts = [json.loads(line)["text"] for line in lines if line.strip()]
        result[name] = [(sha256_hex(text.encode("utf-8"))[:16], text) for text in texts]
    return result


def _vary(lines: list[str], rng: random.Random) -> list[str]:
    """lines with 1-3 non-blank lines dropped and 1-2 pairs of neighbouring non-blank lines swapped."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(filled) < 6:
        return lines
    dropped = set(rng.sample(filled, rng.randint(1, 3)))
    kept = [i for i in filled if i not in dropped]
    lines = list(lines)
    for _ in range(rng.randint(1, 2)):
        k = rng.randrange(len(kept) - 1)
        a, b = kept[k], kept[k + 1]
        lines[a], lines[b] = lines[b], lines[a]
    return [line for i, line in enumerate(lines) if i not in dropped]


def recombine(pages: Docs, n_docs: int, seed: int) -> Docs:
    """n_docs documents: the pages as they are, then copies of them, each lightly varied (seeded), all distinct."""
    rng = random.Random(seed)
    result: Docs = []
    seen: set[str] = set()
    copy = 0
    while len(result) < n_docs:
        for _, text in pages:
            varied = text if copy == 0 else "\n".join(_vary(text.split("\n"), rng))
            doc_id = sha256_hex(varied.encode("utf-8"))[:16]
            if doc_id not in seen:
                seen.add(doc_id)
                result.append((doc_id, varied))
            if len(result) == n_docs:
                break
        copy += 1
        if copy > 10 * (n_docs // max(1, len(pages)) + 1):
            raise RuntimeError("recombination keeps producing duplicates; the pages are too short to vary")
    return result


@dataclass
class CorpusStats:
    docs: int
    segments: int
    distinct: int
    chars: int

    @property
    def ratio(self) -> float:
        return self.distinct / self.segments if self.segments else 0.0


def corpus_stats(docs: Iterator[tuple[str, str]] | Docs) -> CorpusStats:
    n_docs = n_segments = n_chars = 0
    distinct: set[str] = set()
    for _, text in docs:
        segments = split_segments(text)
        n_docs, n_segments, n_chars = n_docs + 1, n_segments + len(segments), n_chars + len(text)
        distinct.update(s.text for s in segments)
    return CorpusStats(n_docs, n_segments, len(distinct), n_chars)


def write_shards(docs: Docs, folder: Path, shard_size: int) -> list[Path]:
    """docs as JSONL shards `shard-00000.jsonl`, ... of shard_size documents each."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, first in enumerate(range(0, len(docs), shard_size)):
        path = folder / f"shard-{number:05d}.jsonl"
        lines = (json.dumps({"doc_id": d, "text": t}, ensure_ascii=False) + "\n" for d, t in docs[first : first + shard_size])
        path.write_text("".join(lines), encoding="utf-8")
        paths.append(path)
    return paths


# ---------------------------------------------------------------- clocks and load


def _machine_busy_s() -> float:
    """CPU-seconds every process on the machine has used since boot (/proc/stat, all CPUs)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = values
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _own_cpu_s() -> float:
    """CPU-seconds of this process and of its children that have been waited for."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


@dataclass
class Measure:
    """Wall and CPU seconds of one timed step, the 1-minute load average when it started and the
    cores used meanwhile by processes other than this benchmark and its children."""

    wall: float = 0.0
    cpu: float = 0.0
    load1: float = 0.0
    others: float = 0.0


@contextlib.contextmanager
def measured(loads: list[Measure] | None = None) -> Iterator[Measure]:
    m = Measure(load1=os.getloadavg()[0])
    busy, own, cpu, wall = _machine_busy_s(), _own_cpu_s(), time.process_time(), time.perf_counter()
    yield m
    m.wall, m.cpu = time.perf_counter() - wall, time.process_time() - cpu
    own_used = _own_cpu_s() - own
    m.others = max(0.0, (_machine_busy_s() - busy - own_used) / m.wall) if m.wall > 0.2 else 0.0
    if loads is not None:
        loads.append(m)


def spread(values: list[float]) -> tuple[float, float, float]:
    return min(values), statistics.median(values), max(values)


def fmt3(values: list[float], digits: int = 1) -> str:
    low, mid, high = spread(values)
    return f"{low:.{digits}f} / **{mid:.{digits}f}** / {high:.{digits}f}"


# ---------------------------------------------------------------- per-core throughput


@contextlib.contextmanager
def timed_stages(spent: dict[str, float]) -> Iterator[list[str]]:
    """Wrap the stage functions that process_doc calls so that their CPU time adds up in spent; yields the missing ones."""
    originals, missing = {}, []
    for label, name in STAGES.items():
        fn = getattr(pipeline, name, None)
        if fn is None:
            missing.append(label)
            continue
        originals[name] = fn

        def wrapper(*args, _fn=fn, _label=label, **kwargs):
            started = time.process_time()
            try:
                return _fn(*args, **kwargs)
            finally:
                spent[_label] += time.process_time() - started

        setattr(pipeline, name, wrapper)
    try:
        yield missing
    finally:
        for name, fn in originals.items():
            setattr(pipeline, name, fn)


@dataclass
class PerCore:
    rates: dict[str, list[float]] = field(default_factory=dict)  # task → docs/s per run (all real pages)
    corpus_rates: dict[tuple[str, str], list[float]] = field(default_factory=dict)  # (task, corpus) → docs/s per run
    ratios: list[float] = field(default_factory=list)
    corpus_ratios: dict[str, list[float]] = field(default_factory=dict)
    stage_ms: dict[str, list[float]] = field(default_factory=dict)  # stage → ms/doc per run
    missing_stages: list[str] = field(default_factory=list)
    loads: list[Measure] = field(default_factory=list)


PER_CORE_TASKS = ("process_doc", "jusText", "syntok", "sentence_starts")


def per_core_throughput(corpora: dict[str, Docs], runs: int) -> PerCore:
    """docs per CPU-second in this process, every task on the same pages in every run, taking turns slice by slice."""
    import justext

    stoplist = justext.get_stoplist("English")
    segmented = {name: [[s.text for s in split_segments(text)] for _, text in docs] for name, docs in corpora.items()}
    pages = {
        name: ["<html><body>" + "".join(f"<p>{html.escape(s)}</p>" for s in segs) + "</body></html>" for segs in docs]
        for name, docs in segmented.items()
    }
    n_docs = sum(len(docs) for docs in corpora.values())

    def run_process_doc(name: str, part: slice) -> None:
        for doc_id, text in corpora[name][part]:
            process_doc(doc_id, text)

    def run_justext(name: str, part: slice) -> None:
        for page in pages[name][part]:
            justext.justext(page, stoplist)

    def run_splitter(splitter: Callable[[str], list[int]]) -> Callable[[str, slice], None]:
        def work(name: str, part: slice) -> None:
            for segs in segmented[name][part]:
                for s in segs:
                    splitter(s)

        return work

    work = {
        "process_doc": run_process_doc,
        "jusText": run_justext,
        "syntok": run_splitter(syntok_starts),
        "sentence_starts": run_splitter(sentence_starts),
    }
    for task in work.values():  # warm up: regex compilation, stoplists, first-call caches
        task("seeds", slice(None))
    result = PerCore()
    slices = [(name, slice(i, i + SLICE_DOCS)) for name, docs in corpora.items() for i in range(0, len(docs), SLICE_DOCS)]
    for run in range(runs):
        # The tasks take turns slice by slice (order rotated per slice and per run), so that a change in the
        # machine's speed during the run weighs on every task alike.
        task_cpu = {(task, name): 0.0 for task in PER_CORE_TASKS for name in corpora}
        with measured(result.loads):
            for k, (name, part) in enumerate(slices):
                shift = (run + k) % len(PER_CORE_TASKS)
                for task in PER_CORE_TASKS[shift:] + PER_CORE_TASKS[:shift]:
                    started = time.process_time()
                    work[task](name, part)
                    task_cpu[task, name] += time.process_time() - started
        for task in PER_CORE_TASKS:
            for name in corpora:
                result.corpus_rates.setdefault((task, name), []).append(len(corpora[name]) / task_cpu[task, name])
            result.rates.setdefault(task, []).append(n_docs / sum(task_cpu[task, name] for name in corpora))
        result.ratios.append(result.rates["process_doc"][-1] / result.rates["jusText"][-1])
        for name in corpora:
            rates = result.corpus_rates
            result.corpus_ratios.setdefault(name, []).append(rates["process_doc", name][-1] / rates["jusText", name][-1])
        spent = {label: 0.0 for label in STAGES}
        with timed_stages(spent) as missing, measured(result.loads) as m:
            for name in corpora:
                run_process_doc(name, slice(None))
        result.missing_stages = missing
        timed = {label: seconds for label, seconds in spent.items() if label not in missing}
        timed["rest: row building and glue"] = m.cpu - sum(timed.values())
        timed["process_doc (total)"] = m.cpu
        for label, seconds in timed.items():
            result.stage_ms.setdefault(label, []).append(1000 * seconds / n_docs)
        log(
            f"per-core run {run + 1}/{runs}: process_doc {result.rates['process_doc'][-1]:.1f} docs/s, "
            f"jusText {result.rates['jusText'][-1]:.1f}, ratio {result.ratios[-1]:.2f}"
        )
    return result


def agreement(corpora: dict[str, Docs]) -> dict[str, tuple[int, int, int, int]]:
    """Per corpus: (segments, boundaries of syntok alone, of sentence_starts, shared)."""
    result = {}
    for name, docs in corpora.items():
        texts = [s.text for _, text in docs for s in split_segments(text)]
        result[name] = (len(texts), *boundary_agreement(texts))
    return result


# ---------------------------------------------------------------- runs of `ketamine-claims run`


def tree_rss_kib(pid: int) -> tuple[int, int]:
    """(sum, max) resident set size in KiB over pid and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
        except OSError:
            continue
        children.setdefault(int(fields["PPid"]), []).append(int(entry))
        rss[int(entry)] = int(fields.get("VmRSS", "0 kB").split()[0])
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += children.get(p, [])
    values = [rss.get(p, 0) for p in seen]
    return sum(values), max(values)


@dataclass
class Run:
    measure: Measure
    children_cpu: float  # CPU-seconds of the command and its worker processes
    peak_rss_kib: int = 0
    largest_rss_kib: int = 0


def timed_run(command: list[str], loads: list[Measure]) -> Run:
    """Run a command; wall time, CPU time of it and its workers, peak RSS (summed and largest process, sampled every 0.2 s)."""
    peak = [0, 0]
    before = os.times()
    with measured(loads) as m:
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

        def sample() -> None:
            while proc.poll() is None:
                total, largest = tree_rss_kib(proc.pid)
                peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
                time.sleep(0.2)

        watcher = threading.Thread(target=sample)
        watcher.start()
        _, err = proc.communicate()
        watcher.join()
    if proc.returncode:
        raise RuntimeError(f"{' '.join(command)} failed with exit code {proc.returncode}: {err[-2000:]}")
    after = os.times()
    children = after.children_user + after.children_system - before.children_user - before.children_system
    return Run(m, children, peak[0], peak[1])


def run_command(shards: Path, out: Path, workers: int, engine: str = "local") -> list[str]:
    return [*CLI, "run", str(shards), str(out), "--workers", str(workers), "--engine", engine, "--quiet"]


@dataclass
class Overhead:
    n_docs: int
    shard_size: int
    wall_ms: list[float] = field(default_factory=list)  # per run: runner overhead per document from wall times
    cpu_ms: list[float] = field(default_factory=list)  # per run: the same from CPU times
    steps_ms: dict[str, list[float]] = field(default_factory=dict)  # in-process shard path, ms/doc per run
    loads: list[Measure] = field(default_factory=list)


def shard_path_steps(shards: list[Path], out: Path, steps: dict[str, float]) -> None:
    """What process_shard does, step by step, adding CPU seconds per step into steps."""

    def clock(step: str, started: float) -> float:
        now = time.process_time()
        steps[step] = steps.get(step, 0.0) + now - started
        return now

    for path in shards:
        t = time.process_time()
        records = sorted(read_shard(path), key=lambda record: sort_value(record[1]))  # as parts.process_records
        t = clock("read shard (JSON, checks, doc_id order)", t)
        part = PartColumns()
        for line, doc_id, text in records:  # as parts.process_records: each document's rows into columns at once
            processed = process_doc(doc_id, text)
            t = clock("process_doc", t)
            part.add(doc_id, processed, path, line)
            t = clock("collect columns (PartColumns.add)", t)
        for table in DOC_TABLES:
            arrow = columns_to_arrow(table, part.columns[table])
            t = clock("columns_to_arrow (Arrow, sort)", t)
            write_parquet(arrow, out / table / f"{path.stem}.parquet", PART_PARQUET_OPTIONS)
            t = clock(f"write_parquet (part options: zstd {PART_PARQUET_OPTIONS['compression_level']})", t)
        written_doc_ids(out, path.stem)
        t = clock("read back doc ids (for the parent's check)", t)


def runner_overhead(pages: Docs, n_docs: int, shard_size: int, runs: int, work: Path) -> tuple[Overhead, Docs]:
    """Runner overhead per document by the slope method: `ketamine-claims run` with one worker on N and on 2N
    documents (the first N identical), minus process_doc's in-process CPU time for the extra N."""
    docs = recombine(pages, 2 * n_docs, seed=14)
    first, second = work / "overhead-n", work / "overhead-2n"
    write_shards(docs[:n_docs], first, shard_size)
    write_shards(docs, second, shard_size)
    extra = write_shards(docs[n_docs:], work / "overhead-extra", shard_size)
    result = Overhead(n_docs, shard_size)
    for run in range(runs):
        one = timed_run(run_command(first, work / "out-overhead", 1), result.loads)
        two = timed_run(run_command(second, work / "out-overhead", 1), result.loads)
        steps: dict[str, float] = {}
        gc.freeze()  # as a worker does at start-up (runner._start_worker): process_doc is subtracted as workers run it
        try:
            with measured(result.loads):
                shard_path_steps(extra, work / "out-steps", steps)
        finally:
            gc.unfreeze()
        pd = steps["process_doc"]
        result.wall_ms.append(1000 * ((two.measure.wall - one.measure.wall) - pd) / n_docs)
        result.cpu_ms.append(1000 * ((two.children_cpu - one.children_cpu) - pd) / n_docs)
        for step, seconds in steps.items():
            result.steps_ms.setdefault(step, []).append(1000 * seconds / n_docs)
        result.steps_ms.setdefault("shard path without process_doc", []).append(1000 * (sum(steps.values()) - pd) / n_docs)
        log(f"overhead run {run + 1}/{runs}: wall {result.wall_ms[-1]:.2f} ms/doc, CPU {result.cpu_ms[-1]:.2f} ms/doc")
    return result, docs


@dataclass
class Speedup:
    n_docs: int
    shard_size: int
    runs: dict[tuple[str, int], list[Run]] = field(default_factory=dict)  # (engine, workers) → runs
    loads: list[Measure] = field(default_factory=list)
    ceilings: list[float] = field(default_factory=list)  # per run: machine_ceiling()

    def ratios(self, engine: str) -> list[float]:
        return [a.measure.wall / b.measure.wall for a, b in zip(self.runs[engine, 1], self.runs[engine, 2], strict=True)]


# A CPU-bound pure-Python loop (about 2 s on this kind of machine) for the machine's own 1 → 2 ceiling.
CEILING_LOOP = "s = 0\nfor i in range(30_000_000):\n    s += i"


def machine_ceiling() -> float:
    """The speed-up two processes can get on this machine: twice the wall time of CEILING_LOOP alone, divided by the
    wall time of two copies started together (shared caches, clock and memory bandwidth set it below 2)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", CEILING_LOOP], check=True)
    alone = time.perf_counter() - started
    started = time.perf_counter()
    pair = [subprocess.Popen([sys.executable, "-c", CEILING_LOOP]) for _ in range(2)]
    if any(process.wait() for process in pair):
        raise RuntimeError("the ceiling loop failed")
    return 2 * alone / (time.perf_counter() - started)


def speedup(docs: Docs, shard_size: int, runs: int, work: Path) -> Speedup:
    """Wall time of `ketamine-claims run` with 1 and 2 workers on the same shards, per engine, interleaved per run."""
    shards = work / "speedup"
    write_shards(docs, shards, shard_size)
    result = Speedup(len(docs), shard_size)
    for run in range(runs):
        for engine in ("local", "datatrove"):
            for workers in (1, 2) if run % 2 == 0 else (2, 1):  # alternate which goes first
                done = timed_run(run_command(shards, work / "out-speedup", workers, engine), result.loads)
                result.runs.setdefault((engine, workers), []).append(done)
            log(f"speed-up run {run + 1}/{runs}, {engine}: {result.ratios(engine)[-1]:.2f}x")
        result.ceilings.append(machine_ceiling())
        log(f"speed-up run {run + 1}/{runs}, machine ceiling: {result.ceilings[-1]:.2f}x")
    return result


# ---------------------------------------------------------------- volume and validation (generated corpus)


def parts_table(out: Path, table: str, n_files: int) -> pa.Table:
    files = sorted((out / table).glob("*.parquet"))[:n_files]
    return pa.concat_tables([pq.read_table(f) for f in files]).cast(schema.arrow_schema(table))


def replicate(tables: dict[str, pa.Table], copies: int) -> dict[str, pa.Table]:
    """copies of every per-document table, each copy under new doc ids (ids keep their shape)."""
    result = {}
    for name, table in tables.items():
        if name not in DOC_TABLES or table.num_rows == 0:
            result[name] = table
            continue
        frame = pl.from_arrow(table)
        id_columns = [c for c in ("doc_id", "segment_id", "sentence_id", "claim_id") if c in frame.columns]
        copies_list = []
        for k in range(copies):
            prefix = f"{k:04x}"
            copies_list.append(frame.with_columns((pl.lit(prefix) + pl.col(c).str.slice(4)).alias(c) for c in id_columns))
        result[name] = pl.concat(copies_list).to_arrow().cast(schema.arrow_schema(name))
    return result


PLANTED = {
    "enum: claim_type not in the schema's list": ("claims", 'constraint "enum"', "isin"),
    "duplicate primary key claim_id": ("claims", "primary-key", "duplicate"),
    "foreign key: sentence_id not in sentences": ("claims", "foreign-key", "not in sentences"),
    "pattern: doc_id not 16 hex digits": ("claims", 'constraint "pattern"', "str_matches"),
}


def plant_errors(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """One row per planted error in claims (rows 10, 20, 30 and a duplicate of row 40)."""
    claims = pl.from_arrow(tables["claims"]).with_row_index("row")
    claims = claims.with_columns(
        claim_type=pl.when(pl.col("row") == 10).then(pl.lit("miracle_cure")).otherwise(pl.col("claim_type")),
        sentence_id=pl.when(pl.col("row") == 20).then(pl.col("doc_id") + "-t999999").otherwise(pl.col("sentence_id")),
        doc_id=pl.when(pl.col("row") == 30).then(pl.lit("NOT-A-DOC-ID")).otherwise(pl.col("doc_id")),
    )
    claims = pl.concat([claims, claims.filter(pl.col("row") == 40)]).drop("row")
    return {**tables, "claims": claims.to_arrow().cast(schema.arrow_schema("claims"))}


def project_validate(folder: Path) -> tuple[float, list[str]]:
    from ketamine_claims.checks.validate import validate_folder

    started = time.perf_counter()
    problems = validate_folder(folder, None, thorough=False)
    return time.perf_counter() - started, problems


def frictionless_validate(folder: Path) -> tuple[float, list[str]]:
    started = time.perf_counter()
    exe = Path(sys.executable).with_name("frictionless")
    proc = subprocess.run([str(exe), "validate", "--json", "datapackage.json"], cwd=folder, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    report = json.loads(proc.stdout)
    return seconds, [f"{t['name']}: {e['type']}: {e['message']}" for t in report["tasks"] for e in t["errors"]]


def found(problems: list[str], table: str, marker: str) -> bool:
    return any(p.startswith(f"{table}:") and marker in p for p in problems)


# Card placeholders that `card.render_card` fills itself; every other one needs gold annotations.
CARD_OWN_SECTIONS = {"version", "columns", "statistics", "instance", "citation", "license", "license_file", "homepage", "contact"}


def bench_card_sections() -> dict[str, str]:
    """A text for every card section that needs gold annotations: the benchmark packages have none."""
    from ketamine_claims.publish.card import TEMPLATE

    names = set(re.findall(r"\{\{(\w+)\}\}", TEMPLATE.read_text(encoding="utf-8"))) - CARD_OWN_SECTIONS
    return {name: "Not applicable: a benchmark package has no gold annotations." for name in sorted(names)}


def validation_bench(parts: Path, n_files: int, work: Path, big_claims: int) -> dict:
    """Project validator vs stock frictionless on the same planted-error package; project validator on ≥ big_claims rows."""
    from ketamine_claims.build import write_package
    from ketamine_claims.tables import parquet_relpath, read_parquet

    base = {name: parts_table(parts, name, n_files) for name in DOC_TABLES}
    base["references"] = read_parquet(REPO / "dataset" / parquet_relpath("references"))
    base = {name: base[name] for name in schema.TABLES}
    result: dict = {}
    small = work / "validate-small"
    write_package(small, plant_errors(base), __version__, bench_card_sections())
    result["small_rows"] = {n: t.num_rows for n, t in plant_errors(base).items()}
    result["project_small"] = project_validate(small)
    result["frictionless_small"] = frictionless_validate(small)
    copies = max(1, -(-big_claims // base["claims"].num_rows))
    big_tables = plant_errors(replicate(base, copies))
    big = work / "validate-big"
    write_package(big, big_tables, __version__, bench_card_sections())
    result["big_rows"] = {n: t.num_rows for n, t in big_tables.items()}
    result["project_big"] = project_validate(big)
    return result


# ---------------------------------------------------------------- report


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    mem = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal")) / 2**20
    libs = ", ".join(
        f"{p} {version(p)}" for p in ("syntok", "jusText", "lxml", "datatrove", "pyarrow", "polars", "pandera", "frictionless")
    )
    system = f"Linux {platform.release()}, Python {platform.python_version()}"
    return f"{cpu}, {os.cpu_count()} cores, {mem:.1f} GiB RAM, {system}; {libs}"


def commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (" with uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def load_text(loads: list[Measure]) -> str:
    load1 = [m.load1 for m in loads]
    others = [m.others for m in loads]
    return f"load average (1 min) {min(load1):.2f}–{max(load1):.2f}; other processes used up to {max(others):.2f} cores"


@dataclass
class Results:
    command_line: str
    args: argparse.Namespace
    started: float
    corpora: dict[str, CorpusStats]
    per_core: PerCore
    agreement: dict[str, tuple[int, int, int, int]]
    overhead: Overhead
    speed: Speedup
    scale: dict[int, Run]
    validation: dict


def share(both: int, alone: int, fast: int) -> float:
    union = alone + fast - both
    return both / union if union else 1.0


def timed_loads(r: Results) -> list[Measure]:
    return r.per_core.loads + r.overhead.loads + r.speed.loads


def provisional(loads: list[Measure]) -> bool:
    return max(m.others for m in loads) > QUIET_OTHER_CORES


def overhead_met(o: Overhead) -> bool:
    """The overhead target is met when the worker's own steps (in-process, a lower bound) and the slope (wall)
    both stay under it, and the slope is not negative (a negative slope is noise larger than the effect)."""
    in_process = spread(o.steps_ms["shard path without process_doc"])[1]
    slope = spread(o.wall_ms)[1]
    return in_process < TARGET_OVERHEAD_MS and 0 <= slope < TARGET_OVERHEAD_MS


def headline(r: Results) -> list[str]:
    pc = r.per_core
    all_loads = timed_loads(r)
    low, mid, high = spread(pc.ratios)
    pd = spread(pc.rates["process_doc"])[1]
    jt = spread(pc.rates["jusText"])[1]
    agreements = {name: share(both, alone, fast) for name, (_, alone, fast, both) in r.agreement.items()}
    worst = min(agreements.values())
    overhead = spread(r.overhead.wall_ms)[1]
    overhead_cpu = spread(r.overhead.cpu_ms)[1]
    in_process = spread(r.overhead.steps_ms["shard path without process_doc"])[1]
    speed = {engine: spread(r.speed.ratios(engine)) for engine in ("local", "datatrove")}
    speed_load = max(m.others for m in r.speed.loads)
    small, large = r.args.sizes
    rss = r.scale[large].peak_rss_kib / r.scale[small].peak_rss_kib
    p_small, f_small = r.validation["project_small"][0], r.validation["frictionless_small"][0]
    return [
        "| measure (real pages unless marked) | result | target |",
        "|---|---|---|",
        f"| `process_doc` end to end, one core | {pd:.0f} docs/s (jusText alone {jt:.0f}, syntok alone "
        f"{spread(pc.rates['syntok'])[1]:.0f}) | |",
        f"| `process_doc` ÷ jusText docs/s, same pages, same run | {mid:.2f}× (runs {low:.2f}–{high:.2f}) "
        f"| ≥ {TARGET_RATIO:.1f}× — {met(mid >= TARGET_RATIO)} |",
        "| sentence boundaries shared with syntok alone | "
        + ", ".join(f"{name} {value:.2%}" for name, value in agreements.items())
        + f" | ≥ {TARGET_AGREEMENT:.1%} — {met(worst >= TARGET_AGREEMENT)} |",
        f"| runner overhead per document (1 worker) | shard path in-process {in_process:.2f} ms (a lower bound); "
        f"slope {overhead:.2f} ms wall, {overhead_cpu:.2f} ms CPU "
        f"| < {TARGET_OVERHEAD_MS} ms — {met(overhead_met(r.overhead))} |",
        f"| speed-up 1 → 2 workers (other processes ≤ {speed_load:.2f} cores) | "
        + ", ".join(f"{engine} {s[1]:.2f}× ({s[0]:.2f}–{s[2]:.2f})" for engine, s in speed.items())
        + f"; machine ceiling {spread(r.speed.ceilings)[1]:.2f}× "
        + f"| ≥ {TARGET_SPEEDUP}× — {met(min(s[1] for s in speed.values()) >= TARGET_SPEEDUP)} |",
        f"| peak RSS, {large:,} vs {small:,} generated articles | {rss:.2f}× | ≤ 1.2× — {met(rss <= 1.2)} |",
        f"| validation, same package: project vs stock frictionless (generated) | {p_small:.2f} s vs {f_small:.0f} s "
        f"({f_small / p_small:.0f}×) | ≥ 50× — {met(f_small / p_small >= 50)} |",
        f"| load during the timed steps | {load_text(all_loads)}"
        + (" — **provisional**, re-run on a quiet machine" if provisional(all_loads) else "")
        + f" | other processes ≤ {QUIET_OTHER_CORES} cores |",
    ]


def render(r: Results) -> str:
    all_loads = timed_loads(r)
    worst_others = max(m.others for m in all_loads)
    minutes = (time.perf_counter() - r.started) / 60
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `{r.command_line}` at commit {commit()} on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"({minutes:.0f} minutes). Machine: {machine()}.",
        "",
        f"Load during the timed steps: {load_text(all_loads)} (from `/proc/stat`, minus this benchmark's own",
        "CPU time; the load average counts this benchmark's own processes too).",
    ]
    if provisional(all_loads):
        lines += [
            "",
            f"**Provisional:** other processes used up to {worst_others:.2f} of the {os.cpu_count()} cores during the",
            "measurements, so wall times and the speed-up are noisy. Re-run `scripts/bench` on a quiet machine.",
        ]
    lines += ["", "## Headline", "", *headline(r), ""]
    lines += render_corpora(r)
    lines += render_per_core(r)
    lines += render_agreement(r)
    lines += render_overhead(r)
    lines += render_speedup(r)
    lines += render_scale(r)
    lines += render_validation(r.validation)
    return "\n".join(lines) + "\n"


def render_corpora(r: Results) -> list[str]:
    uses = {
        "seeds": "speed, agreement",
        "zyte": "speed, agreement",
        "readability": "speed, agreement",
        "real pages (all three)": "per-core throughput",
        "overhead (recombined real pages)": "runner overhead",
        "speed-up (recombined real pages)": "1 → 2 workers",
    }
    lines = [
        "## Corpora",
        "",
        "Real pages: the five seed articles and every page of `zyte.jsonl.gz` and `readability.jsonl.gz` from",
        f"the boilerplate corpora (`{os.path.relpath(r.args.corpora, REPO)}`), one document per page. Where volume is needed",
        "the pages are repeated: the first copy as it is, each later copy with 1–3 lines dropped and 1–2",
        "pairs of neighbouring lines swapped (seeded), so most segments recur once per copy. The distinct-segment",
        "ratio (distinct segment texts ÷ segments) says how much a per-text cache could gain. The generated",
        "corpora (`ketamine_claims.scale.synthetic`: seed chrome around recombined seed paragraphs) are used only for",
        "memory and validation, **not for speed claims**.",
        "",
        "| corpus | used for | docs | segments | distinct-segment ratio | chars/doc |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, s in r.corpora.items():
        use = uses.get(name, "memory, validation — not for speed claims")
        lines.append(f"| {name} | {use} | {s.docs:,} | {s.segments:,} | {s.ratio:.3f} | {s.chars / s.docs:,.0f} |")
    return [*lines, ""]


def render_per_core(r: Results) -> list[str]:
    pc, runs = r.per_core, r.args.runs
    n = r.corpora["real pages (all three)"].docs
    lines = [
        "## Per-core throughput (one process, real pages)",
        "",
        f"Docs per CPU-second of this process over all {n} real pages; min / **median** / max of {runs} runs.",
        f"In every run each task ran once over the same pages, the tasks taking turns on slices of {SLICE_DOCS} pages",
        "(order rotated per slice and per run, so that a change in the machine's speed weighs on every task alike),",
        "and the ratio is taken within the run. jusText gets each segment as its own HTML-escaped `<p>` with the",
        "English stoplist (what `ketamine-claims score` compares against); syntok and `sentence_starts` run",
        "on every segment of the same pages.",
        "",
        "| task | docs/s (min / median / max) | ms/doc (median) |",
        "|---|---:|---:|",
    ]
    names = {
        "process_doc": "`process_doc` end to end",
        "jusText": "jusText alone",
        "syntok": "syntok alone (`syntok_starts`)",
        "sentence_starts": "`sentence_starts` alone",
    }
    for task, label in names.items():
        lines.append(f"| {label} | {fmt3(pc.rates[task])} | {1000 / spread(pc.rates[task])[1]:.2f} |")
    lines.append(f"| **`process_doc` ÷ jusText**, per run | {fmt3(pc.ratios, 2)} | target ≥ {TARGET_RATIO:.1f}× |")
    lines += [
        "",
        "Per corpus (medians):",
        "",
        "| corpus | docs | process_doc docs/s | jusText docs/s | ratio (min / median / max) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, ratios in pc.corpus_ratios.items():
        pd, jt = spread(pc.corpus_rates["process_doc", name])[1], spread(pc.corpus_rates["jusText", name])[1]
        lines.append(f"| {name} | {r.corpora[name].docs} | {pd:.1f} | {jt:.1f} | {fmt3(ratios, 2)} |")
    total = spread(pc.stage_ms["process_doc (total)"])[1]
    lines += [
        "",
        "### Stages of `process_doc` (direct timing)",
        "",
        "CPU time of each function `process_doc` calls, measured with a timer around the call (no profiler),",
        f"over the same pages in a separate pass of every run; min / **median** / max ms per document of {runs} runs.",
        "",
        "| stage | ms/doc | share (median) |",
        "|---|---:|---:|",
    ]
    for label, values in pc.stage_ms.items():
        lines.append(f"| {label} | {fmt3(values, 2)} | {spread(values)[1] / total:.0%} |")
    if pc.missing_stages:
        absent = ", ".join(f"{label} (`{STAGES[label]}`)" for label in pc.missing_stages)
        lines += ["", f"Not found in `ketamine_claims.pipeline` (their time is in the rest): {absent}."]
    loads = pc.loads
    lines += ["", f"Load during these steps: {load_text(loads)}.", ""]
    return lines


def render_agreement(r: Results) -> list[str]:
    lines = [
        "## Sentence boundaries: `sentence_starts` vs syntok alone",
        "",
        "`sentences.boundary_agreement` over every segment: boundaries inside a segment (its start is not",
        "counted) found by syntok alone and by `sentence_starts`; agreement is shared ÷ union.",
        "",
        "| corpus | segments | syntok alone | sentence_starts | shared | agreement (target ≥ 99.5%) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, (segments, alone, fast, both) in r.agreement.items():
        value = share(both, alone, fast)
        verdict = met(value >= TARGET_AGREEMENT)
        lines.append(f"| {name} | {segments:,} | {alone:,} | {fast:,} | {both:,} | {value:.2%} ({verdict}) |")
    return [*lines, ""]


def render_overhead(r: Results) -> list[str]:
    o, runs = r.overhead, r.args.runs
    lines = [
        "## Runner overhead per document",
        "",
        f"Slope method: `ketamine-claims run --workers 1` on N = {o.n_docs:,} and on 2N recombined real pages (the first N",
        f"identical; shards of {o.shard_size}), so process start-up and imports cancel out; the in-process CPU time of",
        "`process_doc` for the extra N documents is subtracted (measured with the objects alive before it frozen out of",
        "the garbage collector, as the workers do). Wall: from the wall times of the two runs; CPU: from",
        f"the CPU time of the runner and its worker (less sensitive to other load). min / **median** / max of {runs} runs.",
        "",
        "| overhead per document | ms (min / median / max) | target |",
        "|---|---:|---|",
        f"| slope, wall | {fmt3(o.wall_ms, 2)} | |",
        f"| slope, CPU | {fmt3(o.cpu_ms, 2)} | |",
        f"| worker's own steps in-process (below; a lower bound) | {fmt3(o.steps_ms['shard path without process_doc'], 2)} | |",
        f"| verdict | | < {TARGET_OVERHEAD_MS} ms — {met(overhead_met(o))} |",
        "",
        "The slope subtracts two runs of several seconds and a separately measured `process_doc` time, so a",
        "change in the machine's speed between them moves it by milliseconds per document (a negative slope is",
        "such noise). The worker's own steps, timed in the same pass as `process_doc`, are steadier; they leave",
        "out the parent process's share (counting lines, collecting results), so they are a lower bound. The",
        "target counts as met only when both are under it and the slope is not negative.",
        "",
        "Where it goes: the steps of `process_shard` timed one by one in this process (CPU time) on the extra N",
        "documents:",
        "",
        "| step | ms/doc (min / median / max) |",
        "|---|---:|",
    ]
    for step, values in o.steps_ms.items():
        lines.append(f"| {step} | {fmt3(values, 3)} |")
    lines += ["", f"Load during these steps: {load_text(o.loads)}.", ""]
    return lines


def render_speedup(r: Results) -> list[str]:
    s = r.speed
    n_shards = math.ceil(s.n_docs / s.shard_size)
    lines = [
        "## Speed-up from 1 to 2 workers",
        "",
        f"`ketamine-claims run` on {s.n_docs:,} recombined real pages in {n_shards} shards of {s.shard_size}; wall time",
        "including process start-up. Each run measures 1 and 2 workers per engine back to back (1 first in odd runs,",
        "2 first in even runs); the load",
        "average is read when each measurement starts, and the cores other processes used are measured over it.",
        "",
        "| engine | run | 1 worker (s) | load avg | others (cores) | 2 workers (s) | load avg | others (cores) | speed-up |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for engine in ("local", "datatrove"):
        for i, (one, two) in enumerate(zip(s.runs[engine, 1], s.runs[engine, 2], strict=True)):
            a, b = one.measure, two.measure
            lines.append(
                f"| {engine} | {i + 1} | {a.wall:.1f} | {a.load1:.2f} | {a.others:.2f} | {b.wall:.1f} | {b.load1:.2f} "
                f"| {b.others:.2f} | {a.wall / b.wall:.2f}× |"
            )
    lines += ["", "| engine | speed-up (min / median / max) | target | docs/s with 2 workers (median) |", "|---|---:|---|---:|"]
    for engine in ("local", "datatrove"):
        ratios = s.ratios(engine)
        two = statistics.median(run.measure.wall for run in s.runs[engine, 2])
        lines.append(
            f"| {engine} | {fmt3(ratios, 2)} | ≥ {TARGET_SPEEDUP}× — {met(spread(ratios)[1] >= TARGET_SPEEDUP)} "
            f"| {s.n_docs / two:.1f} |"
        )
    lines += [
        "",
        "The machine's own ceiling, measured after each run: two copies of a CPU-bound pure-Python loop started",
        f"together against one alone gave {fmt3(s.ceilings, 2)}× (min / median / max): what two processes get on this",
        "machine, itself as noisy as the runs above (a figure over 2 is noise).",
    ]
    return [*lines, ""]


def render_scale(r: Results) -> list[str]:
    small, large = r.args.sizes
    rss_small, rss_large = r.scale[small].peak_rss_kib, r.scale[large].peak_rss_kib
    return [
        "## Memory at scale (generated corpus — not for speed claims)",
        "",
        f"Local runner, 2 workers, one run each, generated articles in shards of {VOLUME_SHARD_SIZE}. Peak RSS summed over",
        "the runner and its workers, sampled every 0.2 s. The generated corpus repeats a few hundred segment",
        "texts, so its wall times say nothing about real pages.",
        "",
        "| articles | wall (s) | peak RSS, all processes (MiB) | largest process (MiB) | load avg | others (cores) |",
        "|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {n:,} | {run.measure.wall:.1f} | {run.peak_rss_kib / 1024:.0f} | {run.largest_rss_kib / 1024:.0f} "
            f"| {run.measure.load1:.2f} | {run.measure.others:.2f} |"
            for n, run in r.scale.items()
        ),
        "",
        f"Peak RSS ratio {large:,} vs {small:,} articles: **{rss_large / rss_small:.2f}×** (target ≤ 1.2×: "
        f"{met(rss_large / rss_small <= 1.2)}).",
        "",
    ]


def render_validation(v: dict) -> list[str]:
    p_small, p_problems = v["project_small"]
    f_small, f_problems = v["frictionless_small"]
    p_big, p_big_problems = v["project_big"]
    lines = [
        "## Validation: project validator vs stock frictionless (generated corpus)",
        "",
        "The project validator is `validate_folder(..., thorough=False)`: file hashes, Arrow schemas, pandera",
        "(polars) per table and the vectorised cross-table checks. Stock frictionless is",
        "`frictionless validate --json datapackage.json`. Both ran on the same package: the tables of the",
        "first shards of the smaller memory run above with four planted errors in claims. One run each.",
        "",
        "| package | rows (documents / segments / sentences / claims) | project (s) | frictionless (s) | ratio (target ≥ 50×) |",
        "|---|---|---:|---:|---:|",
    ]
    r = v["small_rows"]
    rows = f"{r['documents']:,} / {r['segments']:,} / {r['sentences']:,} / {r['claims']:,}"
    lines.append(
        f"| same files | {rows} | {p_small:.2f} | {f_small:.1f} | {f_small / p_small:.0f}× ({met(f_small / p_small >= 50)}) |"
    )
    small_rows = sum(r.values())
    r = v["big_rows"]
    big_rows = sum(r.values())
    rows = f"{r['documents']:,} / {r['segments']:,} / {r['sentences']:,} / {r['claims']:,}"
    lines.append(f"| replicated to ≥ {v['claims_target']:,} claims | {rows} | {p_big:.2f} | not run | |")
    lines += [
        "",
        "Frictionless was not run on the replicated package: it reads Parquet row by row through pandas;",
        f"at the rate measured above ({f_small / small_rows * 1e5:.0f} s per 100k rows) it would take about "
        f"{f_small / small_rows * big_rows / 60:.0f} minutes.",
        "",
        "| planted error | project validator | frictionless | project validator, replicated package |",
        "|---|---|---|---|",
    ]
    for label, (table, f_marker, marker) in PLANTED.items():
        lines.append(
            f"| {label} | {'found' if found(p_problems, table, marker) else 'MISSED'} "
            f"| {'found' if found(f_problems, table, f_marker) else 'MISSED'} "
            f"| {'found' if found(p_big_problems, table, marker) else 'MISSED'} |"
        )
    return lines


def update_headline_page(headline_lines: list[str]) -> None:
    """Replace the headline table between the markers of docs/benchmarks.md with the one in RESULTS.md."""
    text = HEADLINE_PAGE.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(HEADLINE_START) + r"\n.*?" + re.escape(HEADLINE_END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{HEADLINE_PAGE}: the benchmark headline markers are missing")
    block = "\n".join([HEADLINE_START, *headline_lines, HEADLINE_END])
    HEADLINE_PAGE.write_text(pattern.sub(lambda _: block, text), encoding="utf-8")


# ---------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark the pipeline on real pages and write benchmarks/RESULTS.md and the headline of "
        "docs/benchmarks.md "
        "(about 15-20 minutes on two quiet cores with the defaults).",
    )
    parser.add_argument(
        "--corpora",
        type=Path,
        default=DEFAULT_CORPORA,
        help="folder of zyte.jsonl.gz and readability.jsonl.gz (default: ../shared/boilerplate-corpora)",
    )
    parser.add_argument("--runs", type=int, default=3, help="repetitions of every timed step; figures are min/median/max (≥ 3)")
    parser.add_argument("--overhead-docs", type=int, default=500, help="N of the runner overhead slope (N and 2N documents)")
    parser.add_argument("--speedup-docs", type=int, default=2000, help="documents for the 1 vs 2 worker runs")
    parser.add_argument("--shard-size", type=int, default=50, help="documents per shard of real pages")
    parser.add_argument(
        "--sizes", type=int, nargs=2, default=[5_000, 50_000], help="generated articles for the two memory runs (not for speed)"
    )
    parser.add_argument("--claims", type=int, default=1_000_000, help="claims rows for the large validation run")
    parser.add_argument("--frictionless-docs", type=int, default=1000, help="docs in the package both validators check")
    parser.add_argument(
        "--out", type=Path, default=RESULTS, help="results file; docs/benchmarks.md's headline is updated only with the default"
    )
    args = parser.parse_args()
    if args.runs < 3:
        parser.error("--runs must be at least 3 (figures are min/median/max)")
    if not all((args.corpora / f"{name}.jsonl.gz").is_file() for name in CORPUS_FILES):
        wanted = " or ".join(f"{name}.jsonl.gz" for name in CORPUS_FILES)
        print(f"bench: {args.corpora} lacks {wanted} (see --corpora)", file=sys.stderr)
        return 4
    started = time.perf_counter()
    command_line = " ".join(["scripts/bench", *sys.argv[1:]])
    work = Path(tempfile.mkdtemp(prefix="ketamine-bench-"))
    try:
        real = load_real_pages(args.corpora)
        pages = [doc for docs in real.values() for doc in docs]
        corpora = {name: corpus_stats(docs) for name, docs in real.items()}
        corpora["real pages (all three)"] = corpus_stats(pages)
        log(f"per-core throughput on {len(pages)} real pages x {args.runs}")
        per_core = per_core_throughput(real, args.runs)
        log("sentence boundary agreement")
        agreed = agreement(real)
        log(f"runner overhead on {args.overhead_docs} and {2 * args.overhead_docs} docs")
        overhead, overhead_docs = runner_overhead(pages, args.overhead_docs, args.shard_size, args.runs, work)
        corpora["overhead (recombined real pages)"] = corpus_stats(overhead_docs)
        speed_docs = recombine(pages, args.speedup_docs, seed=41)
        corpora["speed-up (recombined real pages)"] = corpus_stats(speed_docs)
        log(f"speed-up runs on {len(speed_docs)} docs")
        speed = speedup(speed_docs, args.shard_size, args.runs, work)

        scale: dict[int, Run] = {}
        small, large = args.sizes
        for n in (small, large):
            shards = work / f"corpus-{n}"
            write_corpus(SEEDS, shards, n, shard_size=VOLUME_SHARD_SIZE, seed=2)
            corpora[f"generated, {n:,} articles"] = corpus_stats(generate_articles(SEEDS, n, seed=2))
            log(f"memory: local runner, 2 workers, {n} generated docs")
            scale[n] = timed_run(run_command(shards, work / f"out-{n}", 2), [])
            log(f"{n}: {scale[n].measure.wall:.1f} s, peak RSS {scale[n].peak_rss_kib / 1024:.0f} MiB")
            shutil.rmtree(shards)
            if n == large:
                shutil.rmtree(work / f"out-{n}")
        log("validation")
        n_files = -(-args.frictionless_docs // VOLUME_SHARD_SIZE)
        validation = validation_bench(work / f"out-{small}", n_files, work, args.claims)
        validation["claims_target"] = args.claims
    finally:
        shutil.rmtree(work, ignore_errors=True)

    results = Results(command_line, args, started, corpora, per_core, agreed, overhead, speed, scale, validation)
    args.out.write_text(render(results), encoding="utf-8")
    log(f"wrote {args.out}")
    if args.out.resolve() == RESULTS:
        update_headline_page(headline(results))
        log(f"updated the headline in {HEADLINE_PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
