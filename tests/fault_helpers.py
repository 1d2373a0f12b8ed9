"""Shared helpers of the fault-injection suite (tests/**/test_faults_*.py).

Faults are real: a subprocess killed with SIGKILL at a named step (KETAMINE_CLAIMS_FAULT), a
worker process killed by a signal, a write refused by the kernel (RLIMIT_FSIZE, immutable or
read-only folders), a real HTTP server on 127.0.0.1. Test names start with the category of
failure they rule out: corrupt (data destroyed or half-written), silent (bad input accepted),
leftover (temporary files or processes left behind), hang, place (an error that does not name
its file and place). the table of docs/reliability.md counts them (test_faults_table.py checks it).
"""

from __future__ import annotations

import contextlib
import io
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from conftest import INPUT_FILES, REPO
from ketamine_claims.cli import main

SMALL_SEED = "002_c9b1cdd440c953e5.txt"  # the smallest seed keeps every build in these tests short
SMALL_DOC = "c9b1cdd440c953e5"
STAGING_MARKERS = (".build-", "-tmp-", ".partial-", ".ketamine-claims.lock")
CATEGORIES = ("corrupt", "silent", "leftover", "hang", "place")


def minimal_repo(dest: Path, annotated: bool = True) -> Path:
    """A repository root with one seed (its manifest row and, if annotated, its gold annotation)."""
    (dest / "seeds").mkdir(parents=True)
    (dest / "annotations").mkdir()
    shutil.copyfile(REPO / "seeds" / SMALL_SEED, dest / "seeds" / SMALL_SEED)
    header, *rows = (REPO / "seeds" / "manifest.csv").read_text(encoding="utf-8").splitlines()
    row = next(r for r in rows if r.startswith(SMALL_SEED))
    (dest / "seeds" / "manifest.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    for name in ("references.yaml", "GUIDELINES.md", *([f"{SMALL_DOC}.yaml"] if annotated else [])):
        shutil.copyfile(REPO / "annotations" / name, dest / "annotations" / name)
    shutil.copytree(REPO / "schemas", dest / "schemas")
    for name in INPUT_FILES:
        shutil.copyfile(REPO / name, dest / name)
    return dest


def run_main(*args: str, root: Path | None = None) -> tuple[int, str, str]:
    """The CLI's main() in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    argv = (["--root", str(root)] if root is not None else []) + list(args)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def _limit_file_size(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def run_cli(
    *args: str,
    root: Path | None = None,
    fault: str | None = None,
    env: dict[str, str] | None = None,
    max_file_bytes: int | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess:
    """The CLI in a new process; fault names the step at which it kills itself (or fails, with `:oserror`).

    max_file_bytes: the kernel refuses writes past this size (EFBIG), as on a full disk."""
    command = [sys.executable, "-m", "ketamine_claims.cli", *(["--root", str(root)] if root else []), *args]
    environment = {**os.environ, **(env or {})}
    environment.pop("KETAMINE_CLAIMS_FAULT", None)
    if fault:
        environment["KETAMINE_CLAIMS_FAULT"] = fault
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
        preexec_fn=_limit_file_size(max_file_bytes) if max_file_bytes else None,
    )


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under folder (hidden ones too) with its bytes, or its kind for folders and links."""
    entries: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            entries[rel] = f"link to {os.readlink(path)}"
        elif path.is_dir():
            entries[rel] = "folder"
        elif path.is_file():
            entries[rel] = path.read_bytes()
        else:
            entries[rel] = "not a regular file"  # a named pipe: reading it would block
    return entries


def staging_leftovers(*folders: Path) -> list[str]:
    """Staging folders or lock files left in (or under) folders."""
    found = []
    for folder in folders:
        for path in folder.rglob("*"):
            if any(marker in path.name for marker in STAGING_MARKERS):
                found.append(str(path))
    return sorted(found)


@contextlib.contextmanager
def unwritable(path: Path) -> Iterator[None]:
    """Make path refuse changes for real: immutable (chattr +i) as root, read-only permissions otherwise."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)


def processes_in_group(pgid: int) -> list[int]:
    """Pids of the live (not zombie) processes in a process group (Linux /proc)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            pids.append(int(stat.parent.name))
    return pids
