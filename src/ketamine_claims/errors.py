"""Errors that point a maintainer at the exact place in an input file, and the CLI's exit codes."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

# Exit codes of every `ketamine-claims` command (documented in docs/exit-codes.md).
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
    """A command refused to act (exit 1) and says why and what to do: a release that fails its gate, a download whose
    bytes differ from the registry, a write over a folder it did not create; `where` names the path or URL."""

    def __init__(self, where: str | Path, message: str):
        self.where = str(where)
        super().__init__(message)


# Modules whose import name differs from the name of the distribution that installs them.
DISTRIBUTION_OF_MODULE = {"yaml": "pyyaml", "pycrfsuite": "python-crfsuite"}
EXTRA_PREFERENCE = ("maintainer", "train", "corpora", "scale", "dev")


def extra_of(module: str) -> str:
    """The package extra (`maintainer`, `scale`, `train`, `dev`) that installs a top-level module; "maintainer" if unknown."""
    from importlib.metadata import PackageNotFoundError, requires

    def norm(name: str) -> str:
        return name.lower().replace("-", "_").replace(".", "_")

    wanted = norm(DISTRIBUTION_OF_MODULE.get(module, module))
    try:
        lines = requires("ketamine-claims") or []
    except PackageNotFoundError:
        lines = []
    extras = set()
    for line in lines:
        requirement, _, marker = line.partition(";")
        name = norm(re.split(r"[\[<>=!~ ]", requirement.strip(), maxsplit=1)[0])
        if name == wanted and "extra ==" in marker:
            extras.add(marker.split("extra ==")[1].strip().strip("'\""))
    # The smallest extra that brings the module (`dev` and `scale` include `maintainer`).
    return next((extra for extra in EXTRA_PREFERENCE if extra in extras), min(extras, default="maintainer"))


def missing_module_message(module: str | None, what: str) -> str:
    """What to install when `what` needs a module that is not installed (the extra that brings it)."""
    extra = extra_of(module or "")
    return (
        f"{what} needs the module {module!r}, which is not installed: install the {extra!r} extra with "
        f"pip install '.[{extra}]' from a checkout (once published: pip install 'ketamine-claims[{extra}]'); "
        "a plain install only downloads and loads releases, and a checkout's scripts/build installs everything"
    )


@contextlib.contextmanager
def server_faults(url: str, variable: str) -> Iterator[None]:
    """A server's error answer or an unreachable server (requests) as a FaultError naming url; variable sets the server."""
    import requests

    try:
        yield
    except requests.HTTPError as exc:
        status = exc.response.status_code if exc.response is not None else "an error"
        raise FaultError(url, f"the server answered {status}") from exc
    except requests.RequestException as exc:
        reason = f"cannot reach the server ({type(exc).__name__}); check {variable} or the network"
        raise FaultError(url, reason) from exc


def positive_seconds(variable: str, default: float, refuse: Callable[[str], Exception]) -> float:
    """Seconds from the environment variable (default when unset or empty); refuse(value) is raised for anything
    that is not a positive number."""
    value = os.environ.get(variable)
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if seconds <= 0:
        raise refuse(value)
    return seconds
