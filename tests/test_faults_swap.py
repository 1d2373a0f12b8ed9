"""Readers and a build's swap: a reader polling the checkout during builds never sees dataset/ or
datapackage.json missing, nor (holding the readers' lock, as every command that reads a build does)
a datapackage.json whose hashes disagree with the files; a command started during a swap waits
for it, for a bounded time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from fault_helpers import minimal_repo, run_cli, run_main, staging_leftovers
from ketamine_claims.release.registry import file_sha256
from ketamine_claims.staging import lock_folder, reading

BUILDS = 10


def site_name(root: Path, name: str) -> None:
    manifest = root / "seeds" / "manifest.csv"
    header, row = manifest.read_text(encoding="utf-8").splitlines()
    fields = row.split(",")
    fields[3] = name
    manifest.write_text(f"{header}\n{','.join(fields)}\n", encoding="utf-8")


def consistent(root: Path) -> bool:
    """datapackage.json's version of every resource is the file in dataset/ (no mix of two builds)."""
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    return all(file_sha256(root / r["path"]) == r["hash"].removeprefix("sha256:") for r in descriptor["resources"])


def test_corrupt_a_reader_polling_during_ten_builds_never_sees_a_missing_or_mixed_state(tmp_path):
    root = minimal_repo(tmp_path / "repo")
    code, _, err = run_main("build", root=root)
    assert code == 0, err
    seen = {"missing": 0, "mixed": 0, "polls": 0, "checks": 0}
    done = threading.Event()

    def poll_paths() -> None:  # no lock: the paths themselves must never disappear
        while not done.is_set():
            for name in ("dataset", "datapackage.json", "dataset/README.md"):
                if not os.path.lexists(root / name):
                    seen["missing"] += 1
            seen["polls"] += 1

    def check_contents() -> None:  # as a reading command does: under the readers' lock
        while not done.is_set():
            with reading(root):
                if not consistent(root):
                    seen["mixed"] += 1
            seen["checks"] += 1

    threads = [threading.Thread(target=poll_paths), threading.Thread(target=check_contents)]
    for thread in threads:
        thread.start()
    try:
        for number in range(BUILDS):
            site_name(root, f"Site {number}")
            result = run_cli("build", root=root)
            assert result.returncode == 0, result.stderr
    finally:
        done.set()
        for thread in threads:
            thread.join()
    assert seen["missing"] == 0 and seen["mixed"] == 0, seen
    assert seen["polls"] > 1000 and seen["checks"] > BUILDS, seen
    assert consistent(root) and staging_leftovers(root) == []


def half_swapped(root: Path) -> tuple[int, Path]:
    """Hold the swap lock of root (as a build's swap does) with dataset/ moved away; return the lock and where it went."""
    fd = lock_folder(root)
    aside = root / ".dataset-aside"
    (root / "dataset").rename(aside)
    return fd, aside


def validate_process(root: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    environment = {**os.environ, **(env or {})}
    environment.pop("KETAMINE_CLAIMS_FAULT", None)
    command = [sys.executable, "-m", "ketamine_claims.cli", "--root", str(root), "validate", "--fast"]
    return subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_corrupt_validate_started_during_a_swap_waits_for_it(tmp_path):
    root = minimal_repo(tmp_path / "repo")
    assert run_main("build", root=root)[0] == 0
    fd, aside = half_swapped(root)
    try:
        proc = validate_process(root)
        first_line = read_line(proc, timeout=60)  # it says that it waits (after waiting 1 s), and keeps waiting
        assert first_line.startswith(f"note: waiting for another ketamine-claims command before reading {root}"), first_line
        assert proc.poll() is None
        aside.rename(root / "dataset")
    finally:
        os.close(fd)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, first_line + err
    assert out == f"{root}: valid (fast checks)\n"


def read_line(proc: subprocess.Popen, timeout: float) -> str:
    """The first line the process writes on stderr ('' if none within timeout)."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(proc.stderr.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return lines[0] if lines else ""


def test_hang_a_lock_held_too_long_stops_the_reader_with_the_folder_named(tmp_path):
    root = minimal_repo(tmp_path / "repo")
    assert run_main("build", root=root)[0] == 0
    fd, aside = half_swapped(root)
    try:
        started = time.monotonic()
        proc = validate_process(root, {"KETAMINE_CLAIMS_LOCK_TIMEOUT": "1"})
        _, err = proc.communicate(timeout=60)
        assert time.monotonic() - started < 30
    finally:
        aside.rename(root / "dataset")
        os.close(fd)
    assert proc.returncode == 4, err
    assert f"error: {root}: another ketamine-claims command held this folder's lock for 1 s" in err
    assert "KETAMINE_CLAIMS_LOCK_TIMEOUT" in err
