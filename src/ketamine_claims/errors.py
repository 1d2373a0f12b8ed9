"""Errors that point a maintainer at the exact place in an input file, and the CLI's exit codes."""

from __future__ import annotations

from pathlib import Path

# Exit codes of every `ketamine-claims` command (documented in README.md, "Exit codes").
EXIT_OK = 0
EXIT_PROBLEMS = 1  # the command ran and found problems, or refused (validation failed, release refused)
EXIT_USAGE = 2  # wrong command-line usage (argparse)
EXIT_INPUT = 3  # bad input: the message names the file and the line, row or entry
EXIT_FAULT = 4  # the environment failed: unwritable or missing folder, full disk, network, killed worker
EXIT_INTERRUPTED = 130  # Ctrl-C


class InputError(Exception):
    """Bad input: names the file and the line, entry or row at fault."""

    def __init__(self, path: str | Path, message: str, *, line: int | None = None, entry: str | None = None):
        self.path = str(path)
        self.line = line
        self.entry = entry
        self.message = message
        super().__init__(str(self))

    def __reduce__(self):
        """Picklable, so an error raised in a worker process reaches the parent intact."""
        return (_rebuild_input_error, (self.path, self.message, self.line, self.entry))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        if self.entry:
            where = f"{where}: {self.entry}"
        return f"{where}: {self.message}"


def _rebuild_input_error(path: str, message: str, line: int | None, entry: str | None) -> InputError:
    return InputError(path, message, line=line, entry=entry)


class FaultError(Exception):
    """The environment failed (not the input): names the path or URL involved."""

    def __init__(self, where: str | Path, message: str):
        self.where = str(where)
        self.message = message
        super().__init__(f"{self.where}: {message}")

    def __reduce__(self):
        return (FaultError, (self.where, self.message))


class RefusedError(ValueError):
    """A command refused to act (exit 1), for example to write over a folder it did not create; names the path."""

    def __init__(self, where: str | Path, message: str):
        self.where = str(where)
        super().__init__(message)
