"""Command line: build, validate, check-annotations, add-article, annotate, score, agreement, view, release, diff,
download, run, generate-corpus.

One module per room holds its commands and their parsers (`publish`, `gold`, `evaluation`, `release`, `scale`);
`common` holds what they share. To add a command, write its `cmd_*` and `add_*` in its room and list the `add_*`
in COMMANDS, in the order of the main --help.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap
from pathlib import Path

from ketamine_claims import __version__, schema
from ketamine_claims.cli import evaluation, gold, publish, release, scale
from ketamine_claims.cli.common import EXIT_CODES
from ketamine_claims.errors import (
    EXIT_FAULT,
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_PROBLEMS,
    FaultError,
    InputError,
    RefusedError,
)

__all__ = ["COMMANDS", "EXIT_CODES", "build_parser", "main"]

# Every subcommand's parser, in the order of the main --help.
COMMANDS = (
    publish.add_build,
    publish.add_validate,
    gold.add_check_annotations,
    gold.add_add_article,
    gold.add_annotate,
    publish.add_view,
    evaluation.add_score,
    gold.add_agreement,
    release.add_release,
    release.add_diff,
    release.add_download,
    scale.add_run,
    scale.add_generate_corpus,
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
    for add in COMMANDS:
        add(sub, common)
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
