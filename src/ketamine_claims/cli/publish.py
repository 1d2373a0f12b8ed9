"""The publishing room's commands: build, validate and view."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ketamine_claims import __version__
from ketamine_claims.cli.common import _add, _checkout, _reading, _root
from ketamine_claims.errors import EXIT_PROBLEMS


def cmd_build(args: argparse.Namespace) -> int:
    from ketamine_claims.build import build

    counts = build(_checkout(args, "seeds/", "annotations/"))
    print(f"built ketamine-claims {__version__} into {_root(args) / 'dataset'} and datapackage.json")
    fired = ", ".join(f"{name} {counts[name]}" for name in sorted(counts) if counts[name])
    print(f"auto rules fired: {fired or 'none (every document has gold labels)'}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from datasets.utils.logging import disable_progress_bar

    from ketamine_claims.build import BUILD_PREFIX
    from ketamine_claims.checks.folder import CheckedFolder
    from ketamine_claims.checks.validate import run_checks
    from ketamine_claims.paths import Paths
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


def add_build(sub, common: argparse.ArgumentParser) -> None:
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


def add_validate(sub, common: argparse.ArgumentParser) -> None:
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


def add_view(sub, common: argparse.ArgumentParser) -> None:
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
