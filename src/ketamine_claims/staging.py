"""Temporary folders owned by one process, swapped in all or nothing, and recovered after a crash.

Every command that replaces files (build, run, release, download) writes into a hidden staging
folder next to its targets. The folder holds a lock file that its owner keeps locked (`flock`)
while it lives; the kernel drops the lock when the owner dies, even by SIGKILL. The next command
of the same kind calls `recover`, which removes only staging folders whose lock is free — never
a folder that a live process owns, and never a folder without the lock file (not ours).

`Staging.swap_in` moves the staged files onto their targets. Before the first rename it writes a
journal (what moves where, and whether the target existed); every target it replaces is moved
into the staging folder first. A failure rolls every move back; a kill leaves the journal, and
`recover` rolls back any swap that did not reach its commit mark. So the targets are either all
old or all new once a command of the same kind has started again.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from .faults import fault_point

try:
    import fcntl
except ImportError:  # not POSIX: no locks, so `recover` leaves every staging folder alone
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = ".ketamine-claims.lock"
JOURNAL = "journal.json"
COMMITTED = "committed"
PREVIOUS = "previous"
PR_SET_PDEATHSIG = 1


class Staging:
    """A hidden folder `<parent>/<prefix>XXXXXXXX` locked by this process until `close`."""

    def __init__(self, parent: Path, prefix: str):
        self.path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        self._lock = open(self.path / LOCK_FILE, "w", encoding="utf-8")  # noqa: SIM115 (held until close)
        if fcntl is not None:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._lock.write(f"ketamine-claims staging folder of process {os.getpid()}: {' '.join(sys.argv)}\n")
        self._lock.flush()
        self._keep = False

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def swap_in(self, moves: list[tuple[Path, Path]], step: str) -> None:
        """Move each staged path onto its target (replacing it), all or nothing; `step` names the fault points."""
        journal = {"moves": [[str(src), str(target), os.path.lexists(target)] for src, target in moves]}
        pending = self.path / f"{JOURNAL}.tmp"
        pending.write_text(json.dumps(journal), encoding="utf-8")
        os.replace(pending, self.path / JOURNAL)
        (self.path / PREVIOUS).mkdir()
        parent = _lock_folder(self.path.parent)  # one swap at a time in this folder: two builds never interleave
        try:
            points = swap_points(step, len(moves))
            for index, (src, target) in enumerate(moves):
                if os.path.lexists(target):
                    os.replace(target, self.path / PREVIOUS / str(index))
                fault_point(points[2 * index], target)
                os.replace(src, target)
                fault_point(points[2 * index + 1], target)
            (self.path / COMMITTED).touch()
        except BaseException:
            try:
                rollback(self.path)
            except BaseException:
                self._keep = True  # the previous files are still in here: leave them for `recover`
                raise
            raise
        finally:
            os.close(parent)

    def close(self) -> None:
        """Remove the folder (and whatever a committed swap moved aside), then drop the lock."""
        if not self._keep:
            shutil.rmtree(self.path, ignore_errors=True)
        self._lock.close()


def swap_points(step: str, n_moves: int) -> list[str]:
    """Fault point names of a swap of n_moves targets, in order: after moving each target aside, after moving its new one in."""
    return [f"{step}-swap-{i + 1}-{half}" for i in range(n_moves) for half in ("aside", "in")]


def rollback(folder: Path) -> None:
    """Undo a journaled swap that did not reach its commit mark (nothing to do without a journal)."""
    journal_path = folder / JOURNAL
    if not journal_path.exists() or (folder / COMMITTED).exists():
        return
    moves = json.loads(journal_path.read_text(encoding="utf-8"))["moves"]
    for index in reversed(range(len(moves))):
        src, target, existed = Path(moves[index][0]), Path(moves[index][1]), moves[index][2]
        previous = folder / PREVIOUS / str(index)
        if os.path.lexists(previous):
            if os.path.lexists(target):
                os.replace(target, src)
            os.replace(previous, target)
        elif not existed and os.path.lexists(target) and not os.path.lexists(src):
            os.replace(target, src)


def recover(parent: Path, prefix: str) -> list[Path]:
    """Roll back and remove the staging folders `<parent>/<prefix>*` whose owner died; return them."""
    recovered: list[Path] = []
    if fcntl is None:
        return recovered
    for folder in sorted(parent.glob(f"{prefix}*")) if parent.is_dir() else []:
        lock_path = folder / LOCK_FILE
        if folder.is_symlink() or not folder.is_dir() or not lock_path.is_file():
            continue
        fd = os.open(lock_path, os.O_RDONLY)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # its owner is alive
            parent_lock = _lock_folder(parent)
            try:
                rollback(folder)
                shutil.rmtree(folder)
            finally:
                os.close(parent_lock)
            recovered.append(folder)
        finally:
            os.close(fd)
    return recovered


def _lock_folder(folder: Path) -> int:
    """An open descriptor of folder holding its exclusive lock (released by closing it, or when the process dies)."""
    fd = os.open(folder, os.O_RDONLY)
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def note_recovered(folders: list[Path], what: str) -> None:
    for folder in folders:
        print(f"note: removed {folder} left by an interrupted {what} (any half-done swap was rolled back)", file=sys.stderr)


def die_with_parent(parent_pid: int) -> None:
    """In a worker process: be killed when the parent dies (Linux), so no orphan keeps writing."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the call
        os._exit(1)
