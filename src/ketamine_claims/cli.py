"""Command line: build, validate, check-annotations, score, view, release, diff, download, run, generate-corpus."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .corpora import DEFAULT_CORPORA
from .errors import EXIT_FAULT, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_PROBLEMS, FaultError, InputError


def _root(args: argparse.Namespace) -> Path:
    return Path(args.root).resolve()


def cmd_build(args: argparse.Namespace) -> int:
    from .package import build

    counts = build(_root(args))
    print(f"built ketamine-claims {__version__} into {_root(args) / 'dataset'} and datapackage.json")
    fired = ", ".join(f"{name} {counts[name]}" for name in sorted(counts) if counts[name])
    print(f"auto rules fired: {fired or 'none (every document has gold labels)'}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .package import Paths
    from .validate import validate_folder

    root = _root(args)
    problems = validate_folder(root, Paths(root) if (root / "seeds").is_dir() else None, thorough=not args.fast)
    for problem in problems:
        print(f"- {problem}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {root}", file=sys.stderr)
        return 1
    print(f"{root}: valid ({'fast checks' if args.fast else 'all checks, including frictionless and load_dataset'})")
    return 0


def cmd_check_annotations(args: argparse.Namespace) -> int:
    from .annotations import check_refs, load_annotation, load_references, resolve
    from .package import Paths
    from .seeds import load_seeds
    from .segments import split_segments

    paths = Paths(_root(args))
    known = {r["ref_id"] for r in load_references(paths.references)}
    seeds = {s.doc_id: s for s in load_seeds(paths.seeds)}
    files = [Path(f) for f in args.files] or sorted(p for p in paths.annotations.glob("*.yaml") if p.name != "references.yaml")
    for path in files:
        annotation = load_annotation(path)
        if annotation.doc_id not in seeds:
            raise InputError(path, f"no seed file for doc_id {annotation.doc_id}")
        check_refs(annotation, known)
        text = seeds[annotation.doc_id].text
        kinds, claims = resolve(annotation, text, split_segments(text))
        print(f"{path}: ok ({len(kinds)} boilerplate segments, {len(claims)} claims)")
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    from . import boilerplate_scoring
    from .package import Paths, load_inputs
    from .scoring import score_baselines, scores_markdown

    corpora = Path(args.corpora) if args.corpora else _root(args) / DEFAULT_CORPORA
    test_split = boilerplate_scoring.test_split_scores(corpora)
    inputs = load_inputs(Paths(_root(args)))
    print("## Boilerplate\n")
    print(boilerplate_scoring.scores_markdown(boilerplate_scoring.load_metrics(), test_split))
    print("\n## Claims\n")
    print(scores_markdown(score_baselines(inputs.gold_documents())))
    return 0


def cmd_view(args: argparse.Namespace) -> int:
    from .viewer import render_site

    out = Path(args.out).resolve()
    pages = render_site(_root(args) / "dataset", out, args.doc)
    print(f"wrote {len(pages) - 1} document page(s) and {out / pages[0].name}")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from .diff import format_diff
    from .release import release

    cut = release(_root(args), args.version, Path(args.dist) if args.dist else None)
    print(format_diff(cut.diff) if cut.diff else f"first release: nothing to compare {cut.version} with")
    print(f"released {cut.version}: assets in {cut.folder}, registry {cut.registry}")
    print(f"next: commit {cut.registry}, tag v{cut.version}, publish {cut.folder} (see README.md, 'Release (maintainers)')")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from .diff import diff_folders, format_diff
    from .registry import VERSION_PATTERN
    from .release import release_folder

    root = _root(args)
    dist = Path(args.dist) if args.dist else root / "dist"

    def folder(spec: str) -> tuple[Path, str]:
        if spec == "working":
            return root, "working build"
        if VERSION_PATTERN.match(spec):
            return release_folder(root, spec, dist), f"v{spec}"
        return Path(spec), spec

    (old, old_label), (new, new_label) = folder(args.old), folder(args.new)
    print(format_diff(diff_folders(old, new, old_label, new_label)))
    return 0


def cmd_download(args: argparse.Namespace) -> int:
    from .download import download

    print(download(args.version, args.dest))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    shards, out = Path(args.shards), Path(args.out)
    workers = args.workers or os.cpu_count() or 1
    if args.engine == "datatrove":
        from .distributed import run_datatrove

        summary = run_datatrove(shards, out, workers=workers)
    else:
        from .runner import run_local

        summary = run_local(shards, out, workers=workers, progress=not args.quiet)
    print(
        f"processed {summary.docs} documents from {summary.shards} shards into {out} "
        f"in {summary.seconds:.1f} s ({summary.docs_per_second:.1f} docs/s)"
    )
    return 0


def cmd_generate_corpus(args: argparse.Namespace) -> int:
    from .corpus import write_corpus

    seeds = Path(args.seeds) if args.seeds else _root(args) / "seeds"
    paths = write_corpus(seeds, Path(args.out), args.docs, shard_size=args.shard_size, seed=args.seed, fmt=args.format)
    print(f"wrote {args.docs} generated articles (benchmarks only) in {len(paths)} shards to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="ketamine-claims",
        description="Build, check, score, view, release, compare, download and run at scale the ketamine-claims dataset.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--root", default=".", help="repository root holding seeds/, annotations/, schemas/ (default: .)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build dataset/ and datapackage.json from seeds/ and annotations/ (atomic)")
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("validate", help="validate the built dataset: schemas, keys, spans, frictionless, load_dataset, card")
    p.add_argument("--fast", action="store_true", help="skip frictionless, load_dataset and card checks")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("check-annotations", help="check annotation files: labels, references and that every quote resolves")
    p.add_argument("files", nargs="*", help="annotation files (default: every annotations/<doc_id>.yaml)")
    p.set_defaults(func=cmd_check_annotations)
    p = sub.add_parser("view", help="write static HTML pages (index + one per document) showing segments and claim spans")
    p.add_argument("--doc", action="append", metavar="ID", help="only this doc_id (repeatable; default: every document)")
    p.add_argument("--out", default="site", help="output folder (default: site/)")
    p.set_defaults(func=cmd_view)

    score_help = (
        "boilerplate: score the line model, jusText and lines < 10 words on each corpus test split (recomputed) "
        "and print the recorded cross-validation and leave-one-article-out scores; claims: score the claim rules on gold"
    )
    p = sub.add_parser("score", help=score_help, description=score_help)
    p.add_argument(
        "--corpora", help=f"folder of the boilerplate corpora (default: <root>/{DEFAULT_CORPORA}); missing folder: exit 4"
    )
    p.set_defaults(func=cmd_score)

    p = sub.add_parser(
        "release",
        help="cut a release: refuse unless clean, valid, new, greater, in CHANGELOG.md and bumped enough; "
        "write dist/vX.Y.Z/ and the registry",
    )
    p.add_argument("version", help="the version to release, MAJOR.MINOR.PATCH; must equal the package version")
    p.add_argument("--dist", help="folder for release folders (default: <root>/dist)")
    p.set_defaults(func=cmd_release)
    p = sub.add_parser("diff", help="rows added, removed and changed per table between two versions, keyed by primary key")
    p.add_argument("old", help="a released version X.Y.Z, `working` (the built dataset at --root) or a release folder")
    p.add_argument("new", nargs="?", default="working", help="same choices (default: working)")
    p.add_argument("--dist", help="folder holding local release folders (default: <root>/dist); else versions are downloaded")
    p.set_defaults(func=cmd_diff)
    p = sub.add_parser("download", help="download a released version, verify every sha256 and print its folder")
    p.add_argument("version", help="a released version X.Y.Z")
    p.add_argument("--dest", help="destination folder (default: the user cache); base URL from KETAMINE_CLAIMS_BASE_URL")
    p.set_defaults(func=cmd_download)

    p = sub.add_parser(
        "run", help="process a folder of JSONL/Parquet shards (doc_id, text) into one Parquet part per shard per table"
    )
    p.add_argument("shards", help="folder of *.jsonl / *.parquet shards with doc_id and text")
    p.add_argument("out", help="output folder: <out>/<table>/<shard name>.parquet (replaced atomically)")
    p.add_argument("--workers", type=int, default=0, help="worker processes (default: one per core)")
    p.add_argument("--engine", choices=("local", "datatrove"), default="local", help="local runner or datatrove (extra [scale])")
    p.add_argument("--quiet", action="store_true", help="no progress bar or progress lines (local runner)")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("generate-corpus", help="write a synthetic corpus of recombined seed segments, for benchmarks only")
    p.add_argument("out", help="folder for the shards")
    p.add_argument("--docs", type=int, default=1000, help="number of articles (default: 1000)")
    p.add_argument("--shard-size", type=int, default=1000, help="articles per shard (default: 1000)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl", help="shard format (default: jsonl)")
    p.add_argument("--seeds", help="folder of seed articles to recombine (default: <root>/seeds)")
    p.set_defaults(func=cmd_generate_corpus)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except FaultError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAULT
    except OSError as exc:
        where = exc.filename or "(no file named)"
        print(f"error: {where}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAULT
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
