"""Command line: build, validate, check-annotations, add-article, annotate, score, agreement, view, release, diff,
download, run, generate-corpus."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import shutil
import sys
import textwrap
from pathlib import Path

from ketamine_claims import __version__, schema
from ketamine_claims.corpora.pages import DEFAULT_CORPORA, DEFAULT_KETAMINE_PAGES
from ketamine_claims.errors import (
    EXIT_FAULT,
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    FaultError,
    InputError,
    RefusedError,
)


def _root(args: argparse.Namespace) -> Path:
    return Path(args.root).resolve()


def _checkout(args: argparse.Namespace, *needed: str) -> Path:
    """The --root folder, or FaultError naming the folder and what was expected in it."""
    from ketamine_claims.paths import require_checkout

    return require_checkout(_root(args), *needed)


def _reading(args: argparse.Namespace) -> contextlib.AbstractContextManager:
    """Hold the --root folder's shared lock while reading its build (a build's swap waits; see staging.reading)."""
    from ketamine_claims.staging import reading

    return reading(_root(args)) if _root(args).is_dir() else contextlib.nullcontext()


def cmd_build(args: argparse.Namespace) -> int:
    from ketamine_claims.publish.build import build

    counts = build(_checkout(args, "seeds/", "annotations/"))
    print(f"built ketamine-claims {__version__} into {_root(args) / 'dataset'} and datapackage.json")
    fired = ", ".join(f"{name} {counts[name]}" for name in sorted(counts) if counts[name])
    print(f"auto rules fired: {fired or 'none (every document has gold labels)'}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from datasets.utils.logging import disable_progress_bar

    from ketamine_claims.checks.folder import CheckedFolder
    from ketamine_claims.checks.validate import run_checks
    from ketamine_claims.paths import Paths
    from ketamine_claims.publish.build import BUILD_PREFIX
    from ketamine_claims.release.registry import folder_registry
    from ketamine_claims.staging import note_recovered, recover

    if _root(args).is_dir():
        note_recovered(recover(_root(args), BUILD_PREFIX), "build")  # roll back a killed build before judging its files
    disable_progress_bar()  # load_dataset's bars would bury the report on stderr
    with _reading(args):
        root = _checkout(args, "datapackage.json", "dataset/")
        if (root / "seeds").is_dir():
            target = CheckedFolder(root, Paths(root))
        else:  # a release or download folder: checked against its version's registry
            assets, source = folder_registry(root)
            target = CheckedFolder(root, assets=assets, assets_source=source)
        report = run_checks(target, thorough=not args.fast)
    problems, checks = report.problems, "fast" if args.fast else "all"
    if args.json:
        summary = {"folder": str(root), "checks": checks, "valid": not problems, "problems": problems, "ran": report.ran}
        print(json.dumps(summary, indent=2))
        return EXIT_PROBLEMS if problems else 0
    for problem in problems:
        print(f"- {problem}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {root}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"{root}: valid ({'fast checks' if args.fast else 'all checks, including frictionless and load_dataset'})")
    return 0


def cmd_check_annotations(args: argparse.Namespace) -> int:
    from ketamine_claims.gold.annotations import check_nested, check_refs, load_annotation, load_references, resolve
    from ketamine_claims.paths import Paths
    from ketamine_claims.text.seeds import load_seeds
    from ketamine_claims.text.segments import split_segments

    paths = Paths(_checkout(args, "seeds/", "annotations/"))
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
        check_nested(annotation, claims)
        print(f"{path}: ok ({len(kinds)} boilerplate segments, {len(claims)} claims)")
    return 0


def cmd_add_article(args: argparse.Namespace) -> int:
    from ketamine_claims.text.add_article import add_article

    root = _checkout(args, "seeds/")
    added = add_article(
        root / "seeds",
        Path(args.file),
        url=args.url,
        retrieved=args.retrieved,
        site_name=args.site_name,
        language=args.language,
    )
    rel = added.path.relative_to(root)
    print(f"added {rel} (doc_id {added.doc_id}, sha256 {added.sha256}) and its row in seeds/manifest.csv")
    if added.retrieved is not None and args.retrieved is None:
        print(f"retrieved recorded as {added.retrieved} (today, UTC); if the page was saved on another day, pass --retrieved")
    print("next:")
    print("  1. scripts/build   (the article's labels are auto until it has a gold annotation)")
    print(f"  2. to make it gold: .venv/bin/ketamine-claims annotate export {added.doc_id} --out tasks.json, label it in")
    print("     Label Studio following annotations/GUIDELINES.md (README.md, 'Add an article'), then")
    print("     .venv/bin/ketamine-claims annotate import EXPORT.json and scripts/build again")
    print("  3. scripts/test, and a CHANGELOG.md entry under [Unreleased]")
    return 0


def cmd_annotate_export(args: argparse.Namespace) -> int:
    from ketamine_claims.gold.label_studio import export_tasks, tasks_json
    from ketamine_claims.paths import Paths
    from ketamine_claims.staging import write_atomically

    tasks = export_tasks(Paths(_checkout(args, "seeds/", "annotations/")), args.doc_ids)
    write_atomically(tasks_json(tasks).encode("utf-8"), Path(args.out))
    sources = ", ".join(f"{t['data']['doc_id']} ({t['data']['label_source']})" for t in tasks)
    print(f"wrote {len(tasks)} Label Studio task(s) to {args.out}: {sources}")
    print("next: create a Label Studio project with the config of `ketamine-claims annotate config`, import this file,")
    print("      label, export the project as JSON, then `ketamine-claims annotate import EXPORT.json`")
    return 0


def cmd_annotate_config(args: argparse.Namespace) -> int:
    from ketamine_claims.gold.annotations import load_references
    from ketamine_claims.gold.label_studio import labeling_config, vocabulary
    from ketamine_claims.paths import Paths
    from ketamine_claims.staging import write_atomically

    paths = Paths(_checkout(args, "annotations/"))
    config = labeling_config(vocabulary(load_references(paths.references)))
    if args.out:
        write_atomically(config.encode("utf-8"), Path(args.out))
        print(f"wrote the labeling config to {args.out}")
    else:
        print(config, end="")
    return 0


def cmd_annotate_import(args: argparse.Namespace) -> int:
    from ketamine_claims.gold.annotations import load_references
    from ketamine_claims.gold.label_studio import check_documents, read_export, write_annotations
    from ketamine_claims.paths import Paths
    from ketamine_claims.text.seeds import load_seeds

    paths = Paths(_checkout(args, "seeds/", "annotations/"))
    out = Path(args.out) if args.out else paths.annotations
    export = Path(args.export)
    seeds = {s.doc_id: s.text for s in load_seeds(paths.seeds)}
    report = check_documents(export, read_export(export), seeds, load_references(paths.references), args.annotation or ())
    for line in report.skipped:
        print(f"skipped {line}")
    if not report.documents:
        raise RefusedError(export, f"{export}: no task has a submitted annotation; nothing written")
    written = write_annotations(out, report.documents)
    for doc, path in zip(report.documents, written, strict=True):
        print(
            f"wrote {path} (task {doc.task_id}, annotation {doc.annotation_id}: "
            f"{doc.n_boilerplate} boilerplate segments, {doc.n_claims} claims)"
        )
    print("next: review the changes (git diff annotations/), then scripts/build")
    return 0


def _scores_dict(scores) -> dict:
    """A scores dataclass as JSON-ready data: every Score with its counts, precision, recall and F1."""

    def plain(value):
        if dataclasses.is_dataclass(value) and hasattr(value, "f1"):
            return {**dataclasses.asdict(value), "precision": value.precision, "recall": value.recall, "f1": value.f1}
        if dataclasses.is_dataclass(value):
            return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, dict):
            return {" / ".join(k) if isinstance(k, tuple) else str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    return plain(scores)


def cmd_score(args: argparse.Namespace) -> int:
    from ketamine_claims.evaluation import boilerplate as boilerplate_scoring
    from ketamine_claims.evaluation.baselines import score_baselines, scores_markdown
    from ketamine_claims.evaluation.claims import (
        PAGES_HEADER,
        claim_metrics_markdown,
        claim_scores_markdown,
        load_claim_metrics,
        score_claims,
    )
    from ketamine_claims.paths import Paths
    from ketamine_claims.publish.build import load_inputs

    paths = Paths(_checkout(args, "seeds/", "annotations/"))
    corpora = Path(args.corpora) if args.corpora else paths.root / DEFAULT_CORPORA
    pages = Path(args.pages) if args.pages else paths.root / DEFAULT_KETAMINE_PAGES
    metrics = boilerplate_scoring.load_metrics()
    frozen = boilerplate_scoring.frozen_scores(corpora, pages)
    inputs = load_inputs(paths)
    baselines = score_baselines(inputs.gold_documents())
    claims = score_claims(inputs.gold_documents())
    claim_metrics = load_claim_metrics()
    if args.json:
        report = {
            "boilerplate": {"recorded": metrics, "frozen_recomputed": frozen},
            "baselines": _scores_dict(baselines),
            "claims_gold_in_sample": _scores_dict(claims),
            "claims_pages_recorded": {k: v for k, v in claim_metrics.items() if k != "training"},
        }
        print(json.dumps(report, indent=2))
        return 0
    print("## Boilerplate\n")
    print(boilerplate_scoring.scores_markdown(metrics, frozen))
    print("\n## Claims\n")
    print(scores_markdown(baselines))
    print()
    print(claim_scores_markdown(claims))
    print()
    print(PAGES_HEADER)
    print()
    print(claim_metrics_markdown(claim_metrics))
    return 0


def compared_states(first: Path, second: Path, paths) -> dict[str, str]:
    """What the two folders of an agreement run hold: the repository's gold folder is the state after
    adjudication and its second/ folder the blind second annotation as delivered; other folders are named only."""
    known = {
        paths.annotations.resolve(): "the gold labels as they are now, after adjudication",
        (paths.annotations / "second").resolve(): "the blind second annotation, as delivered",
    }
    return {
        "first": f"{first} ({known.get(first.resolve(), 'as given')})",
        "second": f"{second} ({known.get(second.resolve(), 'as given')})",
        "before_adjudication": f"{paths.agreement} (recorded when the two annotations were first compared)",
    }


def cmd_agreement(args: argparse.Namespace) -> int:
    from ketamine_claims.gold.agreement import agreement_json, agreement_markdown, compare_folders
    from ketamine_claims.paths import Paths

    paths = Paths(_checkout(args, "seeds/", "annotations/"))
    first = Path(args.first) if args.first else paths.annotations
    second = Path(args.second) if args.second else paths.annotations / "second"
    result = compare_folders(first, second, paths.seeds)
    compared = compared_states(first, second, paths)
    if args.json:
        print(agreement_json({"compared": compared, **result}), end="")
        return 0
    print(f"First annotation: {compared['first']}.")
    print(f"Second annotation: {compared['second']}.")
    print(f"Agreement before adjudication: {compared['before_adjudication']}.")
    print()
    print(agreement_markdown(result), end="")
    return 0


def cmd_view(args: argparse.Namespace) -> int:
    from ketamine_claims.publish.viewer import render_site
    from ketamine_claims.release.diff import require_dataset_folder

    with _reading(args):
        root = _checkout(args, "dataset/")
        require_dataset_folder(root)
        out = Path(args.out).resolve()
        pages = render_site(root / "dataset", out, args.doc)
    print(f"wrote {len(pages) - 1} document page(s) and {out / pages[0].name}")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from datasets.utils.logging import disable_progress_bar

    from ketamine_claims.checks.assets import file_sha256
    from ketamine_claims.release.cut import release
    from ketamine_claims.release.diff import format_diff

    disable_progress_bar()  # the release gate loads every config; its bars would bury the refusal message
    root = _checkout(args, "seeds/", "annotations/", "dataset/")
    cut = release(root, args.version, Path(args.dist) if args.dist else None, allow_auto=args.allow_auto_labelled)
    print(format_diff(cut.diff) if cut.diff else f"first release: nothing to compare {cut.version} with")
    if cut.auto_documents:
        print(f"documents with automatic labels added ({len(cut.auto_documents)}, named in CHANGELOG.md):")
        print("\n".join(f"  {doc_id} {title!r}" for doc_id, title in cut.auto_documents))
    print(f"released {cut.version}: assets in {cut.folder}, registry {cut.registry} (sha256 {file_sha256(cut.registry)})")
    print(f"next: commit {cut.registry}, tag v{cut.version}, publish {cut.folder} (see README.md, 'Release (maintainers)')")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from ketamine_claims.release.diff import diff_folders, format_diff
    from ketamine_claims.release.download import release_folder
    from ketamine_claims.release.registry import VERSION_PATTERN

    root = _root(args)
    dist = Path(args.dist) if args.dist else root / "dist"

    def folder(spec: str) -> tuple[Path, str]:
        if spec == "working":
            return root, "working build"
        if VERSION_PATTERN.match(spec):
            return release_folder(root, spec, dist), f"v{spec}"
        return Path(spec), spec

    (old, old_label), (new, new_label) = folder(args.old), folder(args.new)
    with _reading(args):
        diff = diff_folders(old, new, old_label, new_label)
    print(json.dumps(diff.to_dict(), indent=2, ensure_ascii=False) if args.json else format_diff(diff))
    return 0


def cmd_download(args: argparse.Namespace) -> int:
    from ketamine_claims.release.download import REGISTRY_FILE, base_url, download
    from ketamine_claims.release.registry import known_versions

    folder = download(args.version, args.dest, registry_sha256=args.registry_sha256)
    if args.version not in known_versions():
        pinned = "pinned by the sha256 given" if args.registry_sha256 else "not pinned (pass --registry-sha256 to pin it)"
        print(
            f"v{args.version} is newer than this package: its registry came from {base_url()}/v{args.version}/{REGISTRY_FILE}, "
            f"{pinned}; every file matched it",
            file=sys.stderr,
        )
    print(folder)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    shards, out = Path(args.shards), Path(args.out)
    # None of the runners imports the pipeline, pyarrow or datatrove in this process: their workers do (Ray, Slurm: the driver).
    from ketamine_claims.scale.runner import VERBOSE_VARIABLE, SlurmOptions, run_datatrove, run_local, run_ray, run_slurm

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
    script = Path(__file__).resolve().parents[2] / "scripts" / "install-ray"
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


def _positive(value: str) -> int:
    """A whole number of 1 or more (argparse type)."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of 1 or more")
    return number


EXIT_CODES = """exit codes:
  0    success
  1    problems found, or refused (validation failed, release refused, download failed its checks)
  2    wrong command-line usage
  3    bad input: the message names the file and the line, row or entry
  4    the environment failed: missing or unwritable folder, full disk, network, killed worker
  130  interrupted (Ctrl-C)"""


def _add(sub, name: str, summary: str, description: str, examples: str, common: argparse.ArgumentParser):
    """A subcommand with a one-line summary (for the main --help), a description and examples (for its own --help)."""
    return sub.add_parser(
        name,
        help=summary,
        description=textwrap.fill(description, 100),
        epilog=f"examples:\n{examples}\n\n{EXIT_CODES}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ketamine-claims",
        description=textwrap.fill(
            "Build, check, annotate, score, view, release, compare, download and run at scale the ketamine-claims dataset. "
            "Run `ketamine-claims COMMAND --help` for a command's options and examples.",
            100,
        ),
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--root", default=".", help="repository root holding seeds/, annotations/, schemas/ (default: .)")
    # --root is also accepted after the subcommand; SUPPRESS keeps the value given before it otherwise.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", default=argparse.SUPPRESS, help="repository (or release) folder (default: .)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _add(
        sub,
        "build",
        "build dataset/ and datapackage.json from seeds/ and annotations/ (atomic)",
        "Build every table from seeds/ and annotations/ into a temporary folder, validate it (fast checks) and only "
        "then replace dataset/ and datapackage.json, and write CITATION.cff. A failed build changes nothing.",
        "  ketamine-claims build\n  ketamine-claims build --root path/to/checkout",
        common,
    )
    p.set_defaults(func=cmd_build)
    p = _add(
        sub,
        "validate",
        "validate the built dataset: schemas, keys, spans, frictionless, load_dataset, card",
        "Check a built dataset (a checkout, or a downloaded release folder): files and hashes, pandera checks from "
        "schemas/, cross-table checks (keys, text == documents.text[start:end], counts), croissant.json, and unless "
        "--fast stock frictionless, load_dataset of every config and the card. Problems go to stderr (or stdout as JSON).",
        "  ketamine-claims validate\n  ketamine-claims validate --fast\n"
        "  ketamine-claims validate --root ketamine-claims-1.0.0 --json",
        common,
    )
    p.add_argument("--fast", action="store_true", help="skip frictionless, load_dataset and card checks")
    p.add_argument("--json", action="store_true", help='print {"folder", "checks", "valid", "problems"} as JSON on stdout')
    p.set_defaults(func=cmd_validate)
    p = _add(
        sub,
        "check-annotations",
        "check annotation files: labels, references and that every quote resolves",
        "Check gold annotation files against the guidelines' label sets and the references table, and resolve every "
        "quote anchor to offsets in its seed article.",
        "  ketamine-claims check-annotations\n  ketamine-claims check-annotations annotations/c9b1cdd440c953e5.yaml",
        common,
    )
    p.add_argument("files", nargs="*", help="annotation files (default: every annotations/<doc_id>.yaml)")
    p.set_defaults(func=cmd_check_annotations)
    p = _add(
        sub,
        "add-article",
        "copy an article into seeds/ with a derived doc id and write its manifest row",
        "Copy FILE byte for byte to seeds/NNN_<doc id>.txt (the next free NNN) and append its row to "
        "seeds/manifest.csv. The doc id is the first 16 hex digits of the SHA-256 of --url when given (the same page "
        "always gets the same id), else of the file's bytes. The URL and the retrieval day are kept in the manifest "
        "and become the documents table's url and retrieved columns; without --url both stay empty. "
        "The file must be a regular file of at most 2 MiB of UTF-8 without a byte order mark or NUL, and the "
        "metadata single lines.",
        "  ketamine-claims add-article article.txt --url https://example.org/ketamine-therapy\n"
        "  ketamine-claims add-article article.txt --url https://example.org/ketamine-therapy --retrieved 2026-11-30\n"
        "  ketamine-claims add-article article.txt --site-name 'Example Clinic'",
        common,
    )
    p.add_argument("file", metavar="FILE", help="the article as plain UTF-8 text, exactly as extracted from the page")
    p.add_argument("--url", help="the page's URL (the doc id is derived from it; kept as documents.url)")
    p.add_argument(
        "--retrieved",
        metavar="YYYY-MM-DD",
        help="the day the page at --url was saved, kept as documents.retrieved (default with --url: today, UTC; "
        "not in the future; needs --url)",
    )
    p.add_argument("--site-name", help="the site name the page shows (default: empty)")
    p.add_argument("--language", default="en", help="ISO 639-1 language code (default: en)")
    p.set_defaults(func=cmd_add_article)
    p = _add(
        sub,
        "annotate",
        "annotate in Label Studio: export pre-annotated tasks, print the labeling config, import annotations",
        "Connect the dataset to Label Studio. `annotate export` writes tasks whose predictions are the current labels "
        "(gold where an annotation file exists, else auto); `annotate config` prints the labeling configuration "
        "generated from schemas/ and annotations/references.yaml; `annotate import` turns Label Studio's JSON export "
        "back into annotation files. Neither needs Label Studio installed (see README.md, 'Add an article').",
        "  ketamine-claims annotate config > label-config.xml\n"
        "  ketamine-claims annotate export 5f0c3a1e9b2d4c6a --out tasks.json\n"
        "  ketamine-claims annotate import project-export.json",
        common,
    )
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = _add(
        actions,
        "export",
        "write Label Studio tasks (JSON) with the current labels as predictions",
        "Write one Label Studio task per document: data.text is the article, data.doc_id its id, and the prediction "
        "holds the current labels: the title, every boilerplate segment with its kind, the document flags and every "
        "claim row as a span with claim_type, condition, intervention, hedged, attribution, verdict, rationale and refs. "
        "Gold labels where the document has an annotation file, else the auto labels (which have no verdict).",
        "  ketamine-claims annotate export --out tasks.json\n"
        "  ketamine-claims annotate export 5f0c3a1e9b2d4c6a c9b1cdd440c953e5 --out tasks.json",
        common,
    )
    p.add_argument("doc_ids", nargs="*", metavar="DOC_ID", help="documents to export (default: every seed article)")
    p.add_argument("--out", required=True, metavar="FILE", help="the tasks file to write (JSON)")
    p.set_defaults(func=cmd_annotate_export)
    p = _add(
        actions,
        "config",
        "print the Label Studio labeling configuration (XML) matching the exported tasks",
        "Print the labeling configuration: document flags, the title, the boilerplate kinds and claim types as span "
        "labels, and per claim span the condition, intervention, hedged, attribution, verdict, rationale and refs. "
        "Every label set comes from schemas/*.schema.json and annotations/references.yaml.",
        "  ketamine-claims annotate config\n  ketamine-claims annotate config --out label-config.xml",
        common,
    )
    p.add_argument("--out", metavar="FILE", help="write the XML to FILE instead of standard output")
    p.set_defaults(func=cmd_annotate_config)
    p = _add(
        actions,
        "import",
        "turn a Label Studio JSON export into annotation files (all or nothing)",
        "Read Label Studio's JSON export of a project made from `annotate export` tasks and write one annotation file "
        "per annotated task, in the normal form (README.md, 'Add an article'). Every region is checked "
        "first (text[start:end] equals its text, known labels, every claim label given, references known, the "
        "title is the first content segment) and the files are parsed back with the build's own checks; an error "
        "names the task and region, and then nothing is written. A task with several annotations needs --annotation.",
        "  ketamine-claims annotate import project-export.json\n"
        "  ketamine-claims annotate import project-export.json --annotation 42 --out /tmp/annotations",
        common,
    )
    p.add_argument("export", metavar="EXPORT.json", help="Label Studio's export of the project (JSON format)")
    p.add_argument("--out", metavar="FOLDER", help="folder for the <doc_id>.yaml files (default: <root>/annotations)")
    p.add_argument(
        "--annotation",
        action="append",
        metavar="ID",
        help="for a task with several annotations, the id of the one to import (repeatable)",
    )
    p.set_defaults(func=cmd_annotate_import)
    p = _add(
        sub,
        "view",
        "write static HTML pages (index + one per document) showing segments and claim spans",
        "Render dataset/ as static HTML: an index of documents and one page per document with boilerplate segments, "
        "claim highlights coloured by claim_type, verdict badges and a table of claims. No server, no external assets.",
        "  ketamine-claims view --out site/\n  ketamine-claims view --doc c9b1cdd440c953e5 --out site/",
        common,
    )
    p.add_argument("--doc", action="append", metavar="ID", help="only this doc_id (repeatable; default: every document)")
    p.add_argument("--out", default="site", help="output folder (default: site/)")
    p.set_defaults(func=cmd_view)
    p = _add(
        sub,
        "score",
        "score the boilerplate model and the claim detector (with jusText and simple baselines)",
        "Boilerplate: the shipped line model, jusText and lines < 10 words on each public corpus's test split and the "
        "line model on the ketamine-pages dev split (recomputed), with content lost, titles and invariant rates, and the "
        "cross-validation scores recorded at training. Claims: the claim detector on the gold articles (in-sample), and "
        "on the real pages of ../shared/ketamine-pages as recorded by scripts/train-claims (dev split scored once, "
        "site-grouped CV). The same tables are in the dataset card.",
        "  ketamine-claims score\n  ketamine-claims score --corpora PATH/TO/boilerplate-corpora\n  ketamine-claims score --json",
        common,
    )
    p.add_argument(
        "--corpora", help=f"folder of the boilerplate corpora (default: <root>/{DEFAULT_CORPORA}); missing folder: exit 4"
    )
    p.add_argument(
        "--pages", help=f"folder of the ketamine-pages corpus (default: <root>/{DEFAULT_KETAMINE_PAGES}); missing folder: exit 4"
    )
    p.add_argument("--json", action="store_true", help="print the scores (counts, precision, recall, F1) as JSON")
    p.set_defaults(func=cmd_score)
    p = _add(
        sub,
        "agreement",
        "inter-annotator agreement (boilerplate kappa, claim span P/R/F1, label kappas) per article and overall",
        "Compare two annotations of the same articles (same YAML format): boilerplate segment kappa, claim span-overlap "
        "precision/recall/F1 and Cohen's kappa of claim_type, condition, hedged, attribution and verdict over matched "
        "rows, per article and overall. By default the gold annotation as it is now (after adjudication) against the "
        "blind second annotation; the output says which state each folder holds. The figures recorded before "
        "adjudication are in annotations/agreement-before-adjudication.json.",
        "  ketamine-claims agreement\n  ketamine-claims agreement --json\n"
        "  ketamine-claims agreement --first annotations --second annotations/second",
        common,
    )
    p.add_argument("--first", help="folder of the first annotation (default: <root>/annotations)")
    p.add_argument("--second", help="folder of the second annotation (default: <root>/annotations/second)")
    p.add_argument("--json", action="store_true", help="print JSON instead of Markdown tables")
    p.set_defaults(func=cmd_agreement)
    p = _add(
        sub,
        "release",
        "cut a release: refuse unless clean, valid, new, greater, in CHANGELOG.md and bumped enough; "
        "write dist/vX.Y.Z/ and the registry",
        "Cut release X.Y.Z: refuse, writing nothing, unless the git tree is clean, the version is new, greater than "
        "the last release and equal to the package version, CHANGELOG.md has its entry, every validation passes, the "
        "committed build equals a fresh build, the bump is large enough and it adds no document with automatic labels "
        "(unless --allow-auto-labelled, with each named in CHANGELOG.md); then write dist/vX.Y.Z/ and the registry.",
        "  ketamine-claims release 1.1.0\n  ketamine-claims release 1.1.0 --dist /tmp/releases",
        common,
    )
    p.add_argument("version", help="the version to release, MAJOR.MINOR.PATCH; must equal the package version")
    p.add_argument("--dist", help="folder for release folders (default: <root>/dist)")
    p.add_argument(
        "--allow-auto-labelled",
        action="store_true",
        help="release documents added with automatic labels (label_source auto); the CHANGELOG entry must name each doc_id",
    )
    p.set_defaults(func=cmd_release)
    p = _add(
        sub,
        "diff",
        "rows added, removed and changed per table between two versions, keyed by primary key",
        "Compare two versions table by table (rows keyed by the primary key of their Table Schema), list schema "
        "changes (metadata-only edits apart) and print the smallest version bump the change needs.",
        "  ketamine-claims diff 1.0.0            # a release against the working build\n"
        "  ketamine-claims diff 1.0.0 1.1.0      # two releases\n"
        "  ketamine-claims diff 1.0.0 --json",
        common,
    )
    p.add_argument("old", help="a released version X.Y.Z, `working` (the built dataset at --root) or a release folder")
    p.add_argument("new", nargs="?", default="working", help="same choices (default: working)")
    p.add_argument("--dist", help="folder holding local release folders (default: <root>/dist); else versions are downloaded")
    p.add_argument("--json", action="store_true", help="print the diff as JSON (for scripts and CI)")
    p.set_defaults(func=cmd_diff)
    p = _add(
        sub,
        "download",
        "download a released version, verify every sha256 and print its folder",
        "Download every file of a released version into the user cache (or --dest), check each against the sha256 and "
        "size of its registry, and print the folder. The registry is shipped with the package; for a version newer "
        "than the package it comes from <base>/v<version>/registry.txt, optionally pinned by --registry-sha256. The "
        "base URL is the Hub repository unless KETAMINE_CLAIMS_BASE_URL is set.",
        "  ketamine-claims download 1.1.0\n  ketamine-claims download 1.1.0 --dest /data/ketamine-claims-1.1.0\n"
        "  ketamine-claims download 1.2.0 --registry-sha256 <sha256 published with the release>",
        common,
    )
    p.add_argument("version", help="a released version X.Y.Z")
    p.add_argument("--dest", help="destination folder (default: the user cache); base URL from KETAMINE_CLAIMS_BASE_URL")
    p.add_argument(
        "--registry-sha256",
        metavar="HEX",
        help="sha256 the version's registry must have (a version newer than the package fetches it from the release host)",
    )
    p.set_defaults(func=cmd_download)
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
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    schemas = Path(args.root) / "schemas"
    # --root's own schemas wherever it has them (not for `run`, whose spawned workers read the package's)
    schema.use_schema_dir(schemas if schemas.is_dir() and args.command != "run" else None)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except ModuleNotFoundError as exc:
        from ketamine_claims.errors import missing_module_message

        print(f"error: {missing_module_message(exc.name, f'`ketamine-claims {args.command}`')}", file=sys.stderr)
        return EXIT_FAULT
    except (FaultError, RefusedError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAULT if isinstance(exc, FaultError) else EXIT_PROBLEMS
    except shutil.Error as exc:  # a copy of a folder failed: its first (source, target, why) names the file
        failures = exc.args[0] if exc.args and isinstance(exc.args[0], list) else []
        where, why = (failures[0][1], failures[0][2]) if failures else ("(no file named)", exc)
        print(f"error: {where}: {why}", file=sys.stderr)
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
