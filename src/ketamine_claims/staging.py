"""Temporary folders owned by one process, swapped in all or nothing, and recovered after a crash.

Every command that replaces files (build, run, release, download) writes into a hidden staging
folder next to its targets. The folder holds a lock file that its owner keeps locked (`flock`)
while it lives; the kernel drops the lock when the owner dies, even by SIGKILL. The next command
of the same kind calls `recover`, which removes only staging folders whose lock is free — never
a folder that a live process owns, and never a folder without the lock file (not ours). A new
staging folder is created and locked under the shared lock of its parent folder, and `recover`
decides under the parent's exclusive lock, so it never mistakes a folder still being created for
one whose owner died.

`Staging.swap_in` moves the staged files onto their targets. Before the first rename it writes a
journal (what moves where, whether the target existed, and the inode of each staged path). Each
existing target is exchanged with its staged version in one atomic step (Linux
`renameat2(RENAME_EXCHANGE)`), so a target path never disappears, not even for an instant; where
the system cannot exchange, the target is moved into the staging folder first. A failure
rolls every move back; a kill leaves the journal, and `recover` rolls back any swap that did not
reach its commit mark. So the targets are either all old or all new once a command of the same
kind has started again.

A swap holds the exclusive lock (`flock`) of the folder it swaps in; readers hold its shared lock
(`reading`) while they read, so they see all the old files or all the new ones, never a mix.
Both wait at most KETAMINE_CLAIMS_LOCK_TIMEOUT seconds (default 600) for the other, then stop with
an error naming the folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from ketamine_claims.errors import FaultError, positive_seconds
from ketamine_claims.faults import fault_point

try:
    import fcntl
except ImportError:  # not POSIX: no locks, so `recover` leaves every staging folder alone
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = ".ketamine-claims.lock"
JOURNAL = "journal.json"
COMMITTED = "committed"
PREVIOUS = "previous"
PR_SET_PDEATHSIG = 1
AT_FDCWD, RENAME_EXCHANGE = -100, 2  # <fcntl.h>, <linux/fs.h>
LOCK_TIMEOUT_VARIABLE = "KETAMINE_CLAIMS_LOCK_TIMEOUT"
LOCK_TIMEOUT_S = 600.0
LOCK_NOTE_AFTER_S = 1.0  # say what it waits for once it has waited this long


class Staging:
    """A hidden folder `<parent>/<prefix>XXXXXXXX` locked by this process until `close`."""

    def __init__(self, parent: Path, prefix: str):
        creating = lock_folder(parent, shared=True)  # `recover` waits until the folder's lock is taken
        try:
            self.path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
            self._lock = open(self.path / LOCK_FILE, "w", encoding="utf-8")  # noqa: SIM115 (held until close)
            fault_point("staging-lock", self.path)
            if fcntl is not None:  # blocking: a `recover` may be testing this lock for an instant
                fcntl.flock(self._lock, fcntl.LOCK_EX)
        finally:
            os.close(creating)
        self._lock.write(f"ketamine-claims staging folder of process {os.getpid()}: {' '.join(sys.argv)}\n")
        self._lock.flush()
        self._keep = False

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def swap_in(self, moves: list[tuple[Path, Path]], step: str) -> None:
        """Move each staged path onto its target (replacing it), all or nothing; `step` names the fault points."""
        journal = {"moves": [[str(src), str(target), os.path.lexists(target), _identity(src)] for src, target in moves]}
        pending = self.path / f"{JOURNAL}.tmp"
        pending.write_text(json.dumps(journal), encoding="utf-8")
        os.replace(pending, self.path / JOURNAL)
        parent = lock_folder(self.path.parent)  # one swap at a time in this folder, and no reader in the middle
        try:
            points = swap_points(step, len(moves))
            for index, (src, target) in enumerate(moves):
                fault_point(points[2 * index], target)
                if not (os.path.lexists(target) and exchange(src, target)):
                    if os.path.lexists(target):  # no atomic exchange here: move the target aside first
                        (self.path / PREVIOUS).mkdir(exist_ok=True)
                        os.replace(target, self.path / PREVIOUS / str(index))
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
    """Fault point names of a swap of n_moves targets, in order: before each target is replaced, after its new one is in."""
    return [f"{step}-swap-{i + 1}-{half}" for i in range(n_moves) for half in ("aside", "in")]


def rollback(folder: Path) -> None:
    """Undo a journaled swap that did not reach its commit mark (nothing to do without a journal)."""
    journal_path = folder / JOURNAL
    if not journal_path.exists() or (folder / COMMITTED).exists():
        return
    moves = json.loads(journal_path.read_text(encoding="utf-8"))["moves"]
    for index in reversed(range(len(moves))):
        src, target, existed = Path(moves[index][0]), Path(moves[index][1]), moves[index][2]
        staged = moves[index][3] if len(moves[index]) > 3 else None
        previous = folder / PREVIOUS / str(index)
        if os.path.lexists(previous):  # moved aside without an exchange
            if os.path.lexists(target):
                os.replace(target, src)
            os.replace(previous, target)
        elif staged is not None and _identity(target) == staged:  # the new one is in
            if existed and not exchange(target, src):
                raise OSError(errno.EINVAL, "cannot exchange back", str(target))
            if not existed:
                os.replace(target, src)
        elif staged is None and not existed and os.path.lexists(target) and not os.path.lexists(src):
            os.replace(target, src)  # a journal without identities (written by an older version)


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # the kernel or file system cannot exchange
        return False
    raise OSError(code, os.strerror(code), str(second))


def _identity(path: Path) -> int | None:
    """The inode of path itself, which a rename keeps (targets and staged paths share a file system); None when absent."""
    try:
        return os.lstat(path).st_ino
    except FileNotFoundError:
        return None


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
            if not _lock_is_free(fd):
                continue  # its owner is alive
            parent_lock = lock_folder(parent)  # no `Staging` is between creating its folder and locking it
            try:
                if not folder.is_dir() or not _lock_is_free(fd, keep=True):
                    continue  # the owner was still creating it, or another command recovered it meanwhile
                rollback(folder)
                shutil.rmtree(folder)
            finally:
                os.close(parent_lock)
            recovered.append(folder)
        finally:
            os.close(fd)
    return recovered


def _lock_is_free(fd: int, *, keep: bool = False) -> bool:
    """Whether no live process holds the lock of this lock-file descriptor; the lock is let go again at once
    unless keep."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    if not keep:
        fcntl.flock(fd, fcntl.LOCK_UN)
    return True


def lock_timeout() -> float:
    """Seconds a command waits for another command's lock on a folder (KETAMINE_CLAIMS_LOCK_TIMEOUT, else 600)."""
    return positive_seconds(
        LOCK_TIMEOUT_VARIABLE,
        LOCK_TIMEOUT_S,
        lambda value: FaultError(LOCK_TIMEOUT_VARIABLE, f"{value!r} is not a positive number of seconds"),
    )


def lock_folder(folder: Path, *, shared: bool = False) -> int:
    """An open descriptor of folder holding its lock (exclusive for a swap, shared for a reader), released by
    closing it or when the process dies; FaultError naming folder when another command holds it too long."""
    fd = os.open(folder, os.O_RDONLY)
    if fcntl is None:
        return fd
    mode = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB
    limit = lock_timeout()
    started = time.monotonic()
    noted = False
    while True:
        try:
            fcntl.flock(fd, mode)
            return fd
        except BlockingIOError:
            waited = time.monotonic() - started
            if waited >= limit:
                os.close(fd)
                raise FaultError(
                    folder,
                    f"another ketamine-claims command held this folder's lock for {limit:g} s (a build, run or release "
                    f"swapping files in, or a command reading them); try again when it has finished, or set "
                    f"{LOCK_TIMEOUT_VARIABLE} to wait longer",
                ) from None
            if waited >= LOCK_NOTE_AFTER_S and not noted:
                what = "reading" if shared else "swapping files into"
                print(f"note: waiting for another ketamine-claims command before {what} {folder}", file=sys.stderr)
                noted = True
            time.sleep(0.02)


@contextlib.contextmanager
def reading(folder: Path) -> Iterator[None]:
    """Hold folder's shared lock while reading it: no swap happens in folder meanwhile, so a reader sees
    all the old files or all the new ones."""
    fd = lock_folder(folder, shared=True)
    try:
        yield
    finally:
        os.close(fd)


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


def write_atomically(data: bytes, path: Path) -> None:
    """Write data to path through a temporary file in the same folder: no half-written file, no temporary file left."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
