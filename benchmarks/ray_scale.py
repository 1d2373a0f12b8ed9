"""`run --engine ray` on 1 and 2 Ray nodes of this machine beside the local engine with 1 and 2 workers, the machine's
own 1 → 2 ceiling, and Ray's overhead per task, all in one run; writes benchmarks/RAY.md.

Run with `.venv/bin/python benchmarks/ray_scale.py` (installs Ray with scripts/install-ray if it is missing). Real
pages: the boilerplate corpora and the seeds, recombined as in bench.py. Each Ray node is a separate `ray start`
with one CPU, inside network and PID namespaces that this script makes for every repetition (loopback only; the
cluster ends with the namespace). Overhead per task is the slope between runs of N and 2N one-page shards, so the
fixed costs of a run (start-up, connecting to the cluster, the final swap) cancel out.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import (  # bench.py beside this file
    CORPUS_FILES,
    DEFAULT_CORPORA,
    REPO,
    Measure,
    commit,
    fmt3,
    load_real_pages,
    load_text,
    log,
    machine,
    machine_ceiling,
    measured,
    provisional,
    recombine,
    spread,
    write_shards,
)

RESULTS = REPO / "benchmarks" / "RAY.md"
HEAD_PORT = 6390
SECOND_NODE_PORT = 47001


def cli(*args: str) -> list[str]:
    return [str(Path(sys.executable).parent / "ketamine-claims"), "run", *args, "--quiet"]


def timed(command: list[str], loads: list[Measure], env: dict[str, str] | None = None) -> float:
    with measured(loads) as m:
        subprocess.run(command, check=True, capture_output=True, env=env)
    return m.wall


def fresh(out: Path) -> str:
    subprocess.run(["rm", "-rf", str(out)], check=True)
    return str(out)


def start_node(temp: Path, second: bool = False) -> None:
    common = ["--node-ip-address", "127.0.0.1", "--num-cpus", "1", "--disable-usage-stats"]
    if second:
        args = ["--address", f"127.0.0.1:{HEAD_PORT}", "--node-manager-port", str(SECOND_NODE_PORT)]
    else:
        args = ["--head", "--port", str(HEAD_PORT), "--include-dashboard", "false", "--temp-dir", str(temp)]
    ray = str(Path(sys.executable).parent / "ray")
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    subprocess.run([ray, "start", *args, *common], check=True, capture_output=True, env=env)


def inside(work: Path, tiny: int) -> None:
    """In the namespaces: Ray on one node, then two; the overhead slope on one node. Writes work/ray.json."""
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    loads: list[Measure] = []
    ray = ["--engine", "ray", "--address", f"127.0.0.1:{HEAD_PORT}"]
    start_node(work / "ray")
    result = {"one_node": timed(cli(str(work / "shards"), fresh(work / "out"), *ray), loads)}
    result["tiny_n"] = timed(cli(str(work / f"tiny-{tiny}"), fresh(work / "out"), *ray), loads)
    result["tiny_2n"] = timed(cli(str(work / f"tiny-{2 * tiny}"), fresh(work / "out"), *ray), loads)
    start_node(work / "ray", second=True)
    result["two_nodes"] = timed(cli(str(work / "shards"), fresh(work / "out"), *ray), loads)
    result["loads"] = [vars(m) for m in loads]
    (work / "ray.json").write_text(json.dumps(result), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help="folder of the boilerplate corpora")
    parser.add_argument("--runs", type=int, default=3, help="repetitions; figures are min / median / max")
    parser.add_argument("--docs", type=int, default=600, help="pages for the 1 → 2 runs")
    parser.add_argument("--shard-size", type=int, default=50, help="pages per shard for the 1 → 2 runs")
    parser.add_argument("--tiny", type=int, default=6, help="N of the overhead slope (N and 2N one-page shards)")
    parser.add_argument("--inside", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        inside(args.inside, args.tiny)
        return
    subprocess.run([str(REPO / "scripts" / "install-ray"), sys.executable], check=True)
    started = time.time()
    work = Path(subprocess.run(["mktemp", "-d"], capture_output=True, text=True, check=True).stdout.strip())
    try:
        pages = load_real_pages(args.corpora)
        docs = recombine([doc for name in ("seeds", *CORPUS_FILES) for doc in pages[name]], args.docs, seed=0)
        write_shards(docs, work / "shards", args.shard_size)
        for n in (args.tiny, 2 * args.tiny):
            write_shards(docs[:n], work / f"tiny-{n}", 1)
        loads: list[Measure] = []
        ray_load1: list[float] = []  # Ray's servers are no children of this process: only the load average tells
        figures: dict[str, list[float]] = {}
        for run in range(args.runs):
            figures.setdefault("ceiling", []).append(machine_ceiling())
            for workers in (1, 2):
                wall = timed(cli(str(work / "shards"), fresh(work / "out"), "--workers", str(workers)), loads)
                figures.setdefault(f"local_{workers}", []).append(wall)
            for n in (args.tiny, 2 * args.tiny):
                wall = timed(cli(str(work / f"tiny-{n}"), fresh(work / "out"), "--workers", "1"), loads)
                figures.setdefault(f"local_tiny_{n}", []).append(wall)
            user = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
            namespaces = ["unshare", *user, "--net", "--pid", "--fork", "--mount-proc", "--kill-child"]
            script = [sys.executable, __file__, "--inside", str(work), "--tiny", str(args.tiny)]
            subprocess.run([*namespaces, *script], check=True)
            result = json.loads((work / "ray.json").read_text(encoding="utf-8"))
            for key in ("one_node", "two_nodes", "tiny_n", "tiny_2n"):
                figures.setdefault(f"ray_{key}", []).append(result[key])
            ray_load1 += [m["load1"] for m in result["loads"]]
            log(f"run {run + 1}/{args.runs}: " + ", ".join(f"{k} {v[-1]:.2f}" for k, v in figures.items()))
        RESULTS.write_text(render(args, figures, loads, ray_load1, len(docs), time.time() - started), encoding="utf-8")
        log(f"wrote {RESULTS}")
    finally:
        subprocess.run(["rm", "-rf", str(work)], check=True)


def render(
    args: argparse.Namespace, f: dict[str, list[float]], loads: list[Measure], ray_load1: list[float], n_docs: int, took: float
) -> str:
    def ratio(one: str, two: str) -> list[float]:
        return [a / b for a, b in zip(f[one], f[two], strict=True)]

    def slope(prefix: str) -> list[float]:
        return [1000 * (b - a) / args.tiny for a, b in zip(f[f"{prefix}_n"], f[f"{prefix}_2n"], strict=True)]

    f["local_tiny_n"], f["local_tiny_2n"] = f[f"local_tiny_{args.tiny}"], f[f"local_tiny_{2 * args.tiny}"]
    n_shards = -(-n_docs // args.shard_size)
    per_task = spread(slope("ray_tiny"))[1] / 1000
    gap = spread(f["ray_one_node"])[1] - spread(f["local_1"])[1]
    shared = provisional(loads)
    lines = [
        "# Ray beside the local engine",
        "",
        f"Written by `benchmarks/ray_scale.py` on {time.strftime('%Y-%m-%d', time.gmtime())} at commit {commit()} "
        f"in {took / 60:.1f} min; `{' '.join(sys.argv[1:]) or '(defaults)'}`.",
        f"Machine: {machine()}; ray {_version('ray')}.",
        "",
        f"Load during the local runs and the ceiling: {load_text(loads)}; during the Ray runs, load average (1 min) "
        f"{min(ray_load1):.2f}–{max(ray_load1):.2f} (Ray's own servers count in it, and run outside this process tree)."
        + (
            " **The machine was shared while these figures were taken: they are provisional**, and the 1 → 2"
            " ratios below are lower than a quiet machine would give."
            if shared
            else ""
        ),
        "",
        f"{n_docs} real pages (seeds and boilerplate corpora, recombined as in RESULTS.md) in {n_shards} JSONL shards of "
        f"{args.shard_size}; wall time of the whole `ketamine-claims run` command, min / **median** / max of {args.runs} runs. "
        "Each Ray node is a `ray start` with one CPU on this machine (loopback only), so 1 → 2 nodes is 1 → 2 tasks at a time, "
        "like 1 → 2 local workers; the machine ceiling is two copies of a pure-Python loop against one, in the same runs.",
        "",
        "| engine | 1 | 2 | speed-up 1 → 2 |",
        "|---|---|---|---|",
        f"| local (workers) | {fmt3(f['local_1'])} s | {fmt3(f['local_2'])} s | {fmt3(ratio('local_1', 'local_2'), 2)}× |",
        f"| Ray (nodes) | {fmt3(f['ray_one_node'])} s | {fmt3(f['ray_two_nodes'])} s "
        f"| {fmt3(ratio('ray_one_node', 'ray_two_nodes'), 2)}× |",
        f"| machine ceiling | | | {fmt3(f['ceiling'], 2)}× |",
        "",
        f"Overhead per task: the extra wall time of a run of {2 * args.tiny} one-page shards over one of {args.tiny} "
        f"(one Ray node; one local worker), divided by {args.tiny}; fixed costs of a run cancel out.",
        "",
        "| engine | per one-page shard (ms) |",
        "|---|---|",
        f"| local | {fmt3(slope('local_tiny'), 0)} |",
        f"| Ray (datatrove's RayPipelineExecutor: a placement group, an actor and a process per task) "
        f"| {fmt3(slope('ray_tiny'), 0)} |",
        "",
        f"With {n_shards} shards, Ray's overhead per task ({n_shards} × {per_task:.1f} s = {n_shards * per_task:.0f} s) "
        f"is most of the gap between one Ray node and one local worker ({gap:.0f} s): give Ray shards of thousands of "
        "pages, so that a few seconds per task do not count. Much of that overhead is waiting (a new worker process and "
        "actor per task, importing the pipeline, scheduling its placement group), which overlaps across nodes: that is "
        "why Ray's 1 → 2 ratio can exceed the machine ceiling on a busy machine.",
        "",
    ]
    return "\n".join(lines)


def _version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


if __name__ == "__main__":
    main()
