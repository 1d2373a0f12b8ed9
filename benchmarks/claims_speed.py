"""A targeted speed check of `process_doc` against jusText after a claim-detector change; writes CLAIMS_SPEED.md.

    .venv/bin/python benchmarks/claims_speed.py [--corpora PATH] [--pages PATH] [--runs 3] [--no-write]

The per-core throughput measurement of `bench.py` (same tasks taking turns slice by slice, same
ratio), run on the real pages of the full benchmark (seed articles, zyte and readability) and on
the ketamine-pages corpus (`../shared/ketamine-pages`), with fewer runs and none of the other
sections. `scripts/bench` remains the full benchmark (benchmarks/RESULTS.md).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench

from ketamine_claims.corpora.claim_pages import DEFAULT_PAGES, load_pages

OUT = Path(__file__).with_name("CLAIMS_SPEED.md")
TARGET_PACE = 1.2  # process_doc may take at most this many times jusText's time per page (issue 20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", default=str(bench.DEFAULT_CORPORA), help="boilerplate corpora folder")
    parser.add_argument("--pages", default=str(bench.REPO / DEFAULT_PAGES), help="ketamine-pages folder")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args()
    corpora = bench.load_real_pages(Path(args.corpora))
    corpora["ketamine-pages"] = [(p.id, p.text) for p in load_pages(Path(args.pages))]
    result = bench.per_core_throughput(corpora, args.runs)
    median = statistics.median
    real = [name for name in corpora if name != "ketamine-pages"]
    lines = [
        "# process_doc against jusText after the claim-detector change (targeted measurement)",
        "",
        f"Produced by `.venv/bin/python benchmarks/claims_speed.py --runs {args.runs}` at commit {bench.commit()} "
        f"on {bench.machine()}.",
        f"Load during the timed steps: {bench.load_text(result.loads)}.",
        "",
        "Docs per CPU-second of one process, every task on the same pages in every run (the per-core measurement of "
        "`scripts/bench`); min / **median** / max of the runs. Pace = jusText docs/s ÷ process_doc docs/s (the time "
        f"process_doc takes per page in units of jusText's); target ≤ {TARGET_PACE}.",
        "",
        "| pages | docs | process_doc docs/s | jusText docs/s | pace (min / median / max) |",
        "|---|---:|---:|---:|---|",
    ]
    for name in corpora:
        pace = sorted(1 / r for r in result.corpus_ratios[name])
        lines.append(
            f"| {name} | {len(corpora[name])} | {median(result.corpus_rates['process_doc', name]):.1f} | "
            f"{median(result.corpus_rates['jusText', name]):.1f} | {pace[0]:.2f} / **{median(pace):.2f}** / {pace[-1]:.2f} |"
        )
    pace_all = sorted(1 / r for r in result.ratios)
    lines += [
        f"| all of the above | {sum(len(corpora[n]) for n in corpora)} | {median(result.rates['process_doc']):.1f} | "
        f"{median(result.rates['jusText']):.1f} | {pace_all[0]:.2f} / **{median(pace_all):.2f}** / {pace_all[-1]:.2f} |",
        "",
        f"The full benchmark's real pages ({', '.join(real)}) are included in the last row with ketamine-pages.",
        "",
        "Stages of `process_doc` (CPU ms per page over all pages above, min / **median** / max):",
        "",
        "| stage | ms/doc |",
        "|---|---:|",
        *(f"| {label} | {bench.fmt3(values, 2)} |" for label, values in result.stage_ms.items()),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
