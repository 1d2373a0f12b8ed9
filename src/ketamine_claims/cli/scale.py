"""The scale room's commands: run (shards to table parts, on any engine) and generate-corpus (benchmark corpora)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ketamine_claims.cli.common import _add, _checkout, _positive
from ketamine_claims.errors import EXIT_USAGE, FaultError

# The checkout's scripts/install-ray (this file is src/ketamine_claims/cli/scale.py); absent in an installed package.
INSTALL_RAY = Path(__file__).resolve().parents[3] / "scripts" / "install-ray"


def cmd_run(args: argparse.Namespace) -> int:
    shards, out = Path(args.shards), Path(args.out)
    # None of the runners imports the pipeline, pyarrow or datatrove in this process: their workers do (Ray, Slurm: the driver).
    from ketamine_claims.scale.engines import VERBOSE_VARIABLE, SlurmOptions
    from ketamine_claims.scale.runner import run_datatrove, run_local, run_ray, run_slurm

    if args.verbose:
        os.environ[VERBOSE_VARIABLE] = "1"  # read by the workers (distributed.run_rank)
    if args.engine == "slurm":
        if not args.partition:
            print("error: --engine slurm needs --partition NAME", file=sys.stderr)
            return EXIT_USAGE
        options = SlurmOptions(partition=args.partition, time=args.time, dry_run=args.dry_run)
        summary = run_slurm(shards, out, options, workers=args.workers)
    elif args.engine == "ray":
        _install_ray_if_missing()
        summary = run_ray(shards, out, address=args.address, workers=args.workers)
    elif args.engine == "datatrove":
        summary = run_datatrove(shards, out, workers=args.workers or os.cpu_count() or 1)
    else:
        summary = run_local(shards, out, workers=args.workers or os.cpu_count() or 1, progress=not args.quiet)
    earlier = f"; {summary.resumed} shards were committed by an earlier run" if summary.resumed else ""
    if summary.submitted:
        if not args.dry_run:
            print(
                f"submitted {summary.shards} shards as {summary.submitted}{earlier}; when the job has finished, run the "
                f"same command again to move the parts into {out} (it submits any shard still missing)"
            )
        return 0
    print(
        f"processed {summary.docs} documents from {summary.shards} shards into {out} "
        f"in {summary.seconds:.1f} s ({summary.docs_per_second:.1f} docs/s){earlier}"
    )
    return 0


def _install_ray_if_missing() -> None:
    """Ray is pinned in requirements-ray.lock and installed on first use by a checkout's scripts/install-ray."""
    import importlib.util
    import subprocess

    if importlib.util.find_spec("ray") is not None:
        return
    script = INSTALL_RAY
    if not script.is_file():
        raise ModuleNotFoundError("No module named 'ray'", name="ray")
    print(f"Ray is not installed: installing its pinned version with {script} ...", file=sys.stderr)
    if subprocess.run([str(script), sys.executable], check=False).returncode != 0:
        raise FaultError(script, "could not install Ray (see the messages above)")
    importlib.invalidate_caches()


def cmd_generate_corpus(args: argparse.Namespace) -> int:
    from ketamine_claims.scale.synthetic import write_corpus

    seeds = Path(args.seeds) if args.seeds else _checkout(args, "seeds/") / "seeds"
    paths = write_corpus(seeds, Path(args.out), args.docs, shard_size=args.shard_size, seed=args.seed, fmt=args.format)
    print(f"wrote {args.docs} generated articles (benchmarks only) in {len(paths)} shards to {args.out}")
    return 0



def add_run(sub, common: argparse.ArgumentParser) -> None:
    p = _add(
        sub,
        "run",
        "process a folder of JSONL/Parquet shards (doc_id, text) into one Parquet part per shard per table",
        "Run the per-document pipeline over shards of articles (JSONL lines or Parquet rows with doc_id and text), "
        "one worker per core, writing <out>/<table>/<shard>.parquet; the output folder is replaced only when every shard "
        "succeeded. Parts are first written and committed shard by shard into the run folder .<out>-resume beside the "
        "output: a run that was killed, lost a worker or a node, or was interrupted does only the shards not yet "
        "committed when the same command is run again (bad input discards the run folder). --engine ray runs one "
        "datatrove task per shard on an existing Ray cluster, --engine slurm submits a Slurm job array; for both, the "
        "shards and the output's parent folder must be at the same path on every node.",
        "  ketamine-claims run shards/ parts/\n  ketamine-claims run shards/ parts/ --workers 8\n"
        "  ketamine-claims run shards/ parts/ --engine datatrove --workers 2\n"
        "  ketamine-claims run /shared/shards /shared/parts --engine ray --address auto\n"
        "  ketamine-claims run /shared/shards /shared/parts --engine slurm --partition cpu --dry-run",
        common,
    )
    p.add_argument("shards", help="folder of *.jsonl / *.parquet shards with doc_id and text")
    p.add_argument(
        "out",
        help="output folder for <out>/<table>/<shard name>.parquet: absent, empty or a previous run's output "
        "(replaced all or nothing)",
    )
    p.add_argument(
        "--workers",
        type=_positive,
        default=0,
        help="worker processes, 1 or more (default: one per core); ray, slurm: tasks at a time (default: as many as fit)",
    )
    p.add_argument(
        "--engine",
        choices=("local", "datatrove", "ray", "slurm"),
        default="local",
        help="local runner (default); datatrove's local, Ray or Slurm executor (extra [scale]; Ray: scripts/install-ray)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar or progress lines (local runner)")
    p.add_argument("--address", default="auto", help="ray: the cluster's address, as for ray.init (default: auto)")
    p.add_argument("--partition", help="slurm: the partition to submit to (required with --engine slurm)")
    p.add_argument("--time", default="04:00:00", help="slurm: time limit of each array task (default: 04:00:00)")
    p.add_argument("--dry-run", action="store_true", help="slurm: print the sbatch script instead of submitting it")
    p.add_argument("--verbose", action="store_true", help="datatrove engine: also show datatrove's log lines")
    p.set_defaults(func=cmd_run)


def add_generate_corpus(sub, common: argparse.ArgumentParser) -> None:
    p = _add(
        sub,
        "generate-corpus",
        "write a synthetic corpus of recombined seed segments, for benchmarks only",
        "Write a synthetic corpus for benchmarks: the seed articles' page chrome around a seeded random choice of their "
        "content paragraphs. Generated articles are not real pages and never enter dataset/.",
        "  ketamine-claims generate-corpus shards/ --docs 10000\n"
        "  ketamine-claims generate-corpus shards/ --docs 1000 --format parquet --seed 1",
        common,
    )
    p.add_argument("out", help="folder for the shards")
    p.add_argument("--docs", type=int, default=1000, help="number of articles (default: 1000)")
    p.add_argument("--shard-size", type=int, default=1000, help="articles per shard (default: 1000)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl", help="shard format (default: jsonl)")
    p.add_argument("--seeds", help="folder of seed articles to recombine (default: <root>/seeds)")
    p.set_defaults(func=cmd_generate_corpus)
