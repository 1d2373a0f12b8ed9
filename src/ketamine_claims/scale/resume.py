"""Resumable runs: the parts of the shards a run has finished, kept beside its output until every shard is done.

`ketamine-claims run SHARDS OUT` writes into `<OUT's parent>/.<OUT name>-resume/` (the run folder):
`parts/<table>/<shard>.parquet` for each shard, then `committed/<shard>.json`, the shard's commit
record: its fingerprint (file name, size, modification time, package version) and the doc ids read
back from its documents part. A shard counts as done only with a commit record whose fingerprint
matches the shard file as it is now and with all its parts present; the parts of any other shard are
removed before a run starts, so a half-written part never reaches the output. When every shard is
committed the run folder's parts are swapped in as OUT (runner.staged_run) and the run folder goes.

A run that fails on bad input discards the run folder (the input has to change first); a run that
is killed, loses a worker or a node, or is interrupted keeps it when at least one shard is committed,
and the same command does only the rest. One run at a time holds the folder's lock.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from ketamine_claims import __version__
from ketamine_claims.errors import RefusedError
from ketamine_claims.schema import DOC_TABLES

try:
    import fcntl
except ImportError:  # not POSIX: no lock
    fcntl = None  # type: ignore[assignment]

RESUME_SUFFIX = "-resume"
LOCK = "run.lock"
SOURCE = "source.json"
PARTS = "parts"
COMMITTED = "committed"


def resume_folder(out: Path) -> Path:
    """The run folder of output folder out: `<parent>/.<name>-resume`."""
    return out.parent / f".{out.name}{RESUME_SUFFIX}"


def fingerprint(shard: Path) -> dict[str, Any]:
    """What a commit record must match for its parts to be reused: the shard file's name, size and
    modification time, and the version of the code that wrote the parts."""
    stat = shard.stat()
    return {"shard": shard.name, "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns, "version": __version__}


def write_commit(committed: Path, stem: str, shard_fingerprint: dict[str, Any], doc_ids: list[str]) -> None:
    """Commit one shard's parts (already written): `committed/<stem>.json`, written whole or not at all."""
    committed.mkdir(parents=True, exist_ok=True)
    pending = committed / f".{stem}.json.pending"
    pending.write_text(json.dumps({"fingerprint": shard_fingerprint, "doc_ids": doc_ids}), encoding="utf-8")
    os.replace(pending, committed / f"{stem}.json")


class RunFolder:
    """The run folder of one output folder, locked by this process while it lives."""

    def __init__(self, out: Path, shards_dir: Path):
        self.path = resume_folder(out)
        self.path.mkdir(exist_ok=True)
        self._lock = open(self.path / LOCK, "a+", encoding="utf-8")  # noqa: SIM115 (held until close)
        if fcntl is not None:
            try:
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self._lock.seek(0)
                owner = self._lock.read().strip() or "another process"
                self._lock.close()
                raise RefusedError(self.path, f"another `ketamine-claims run` into {out} is running ({owner})") from None
        self._lock.truncate(0)
        self._lock.write(f"process {os.getpid()}: {' '.join(sys.argv)}\n")
        self._lock.flush()
        source = {"shards": str(shards_dir)}
        recorded = self._read_json(self.path / SOURCE)
        if recorded is not None and recorded != source:
            print(
                f"note: {self.path} held parts of an unfinished run of {recorded.get('shards')}; "
                f"starting over for {shards_dir}",
                file=sys.stderr,
            )
            self._clear()
        (self.path / SOURCE).write_text(json.dumps(source), encoding="utf-8")
        self.parts = self.path / PARTS
        self.committed = self.path / COMMITTED
        self.parts.mkdir(exist_ok=True)
        self.committed.mkdir(exist_ok=True)

    @staticmethod
    def _read_json(path: Path) -> Any:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _clear(self) -> None:
        for entry in self.path.iterdir():
            if entry.name != LOCK:
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()

    def done(self, shards: list[Path]) -> dict[Path, list[str]]:
        """The shards whose parts are committed and still match the shard files, with their doc ids."""
        found: dict[Path, list[str]] = {}
        for shard in shards:
            record = self._read_json(self.committed / f"{shard.stem}.json")
            if not isinstance(record, dict) or record.get("fingerprint") != fingerprint(shard):
                continue
            if all((self.parts / table / f"{shard.stem}.parquet").is_file() for table in DOC_TABLES):
                found[shard] = list(record.get("doc_ids", []))
        return found

    def start(self, shards: list[Path]) -> dict[Path, list[str]]:
        """Keep the parts and records of the shards that are done, remove everything else; return the done ones."""
        done = self.done(shards)
        keep = {shard.stem for shard in done}
        for entry in self.path.iterdir():
            if entry.name not in (LOCK, SOURCE, PARTS, COMMITTED):
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
        for entry in self.committed.iterdir():
            if entry.name.removesuffix(".json") not in keep or not entry.name.endswith(".json"):
                entry.unlink()
        for entry in self.parts.iterdir():
            if entry.name not in DOC_TABLES or not entry.is_dir() or entry.is_symlink():
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
                continue
            for part in entry.iterdir():
                if part.suffix != ".parquet" or part.stem not in keep:
                    part.unlink()
        return done

    def discard(self) -> None:
        """Remove the run folder (bad input: the next run starts over)."""
        shutil.rmtree(self.path, ignore_errors=True)
        self.close()

    def close(self) -> None:
        if not self._lock.closed:
            self._lock.close()
