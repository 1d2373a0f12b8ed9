"""Errors that point a maintainer at the exact place in an input file."""

from __future__ import annotations

from pathlib import Path


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
