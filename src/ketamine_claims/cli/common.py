"""What every command shares: the --root folder and its checks, the exit codes in each --help, and `_add`,
which gives a subcommand its summary, description, examples and exit codes."""

from __future__ import annotations

import argparse
import contextlib
import textwrap
from pathlib import Path


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

