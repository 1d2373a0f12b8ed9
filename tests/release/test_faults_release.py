"""Faults around releases, downloads, validate and diff: a release killed mid-swap, downloads killed
mid-file, run twice at once or trickled by a slow server, files outside the registry, reordered rows,
corrupt files — no unverified file handed out, no leftover, no hang, every error naming its place."""

from __future__ import annotations

import gzip
import http.server
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import ClassVar

import pyarrow.parquet as pq
import pytest

from conftest import REPO
from fault_helpers import minimal_repo, run_main, snapshot, staging_leftovers
from ketamine_claims import __version__
from ketamine_claims.release.registry import describe_assets, format_registry, read_registry
from ketamine_claims.text.seeds import sha256_hex

VERSION = "9.9.9"
SEGMENTS = "dataset/data/segments/train-00000-of-00001.parquet"


def package_copy(dest: Path) -> Path:
    """src/ (this package without its registries) and schemas/, so a test can give it its own registries."""
    shutil.copytree(REPO / "src", dest / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "v*.txt"))
    if not (dest / "schemas").exists():
        shutil.copytree(REPO / "schemas", dest / "schemas")
    return dest


def cli(pkg: Path, *args: str, env: dict[str, str] | None = None, popen: bool = False, timeout: float = 120):
    """The command line of the package copy in pkg."""
    environment = {**os.environ, "PYTHONPATH": str(pkg / "src")}
    environment.pop("KETAMINE_CLAIMS_FAULT", None)
    environment.update(env or {})
    command = [sys.executable, "-m", "ketamine_claims.cli", *args]
    if popen:
        return subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=timeout)


# ---------------------------------------------------------------- downloads


class Handler(http.server.SimpleHTTPRequestHandler):
    """/good/…: static files; /slow/…: 16 KiB every 0.1 s; /trickle/…: one byte every 0.2 s; /stream/…: the file,
    then endless bytes, with no length; /gzip/…: a gzip bomb sent as Content-Encoding gzip; /stall/…: 10 bytes,
    then nothing for 20 s. `sent` counts the bytes of /stream/ answers, `asked` records Accept-Encoding."""

    sent: ClassVar[list[int]] = []
    asked: ClassVar[list[str]] = []

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        site, _, rel = self.path.lstrip("/").partition("/")
        Handler.asked.append(self.headers.get("Accept-Encoding", ""))
        if site == "good":
            self.path = f"/{rel}"
            super().do_GET()
            return
        if site in ("stream", "gzip", "stall"):
            self.send_special(site, Path(self.directory, rel).read_bytes())
            return
        data = Path(self.directory, rel).read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        size, pause = (16384, 0.1) if site == "slow" else (1, 0.2)
        try:
            for at in range(0, len(data), size):
                self.wfile.write(data[at : at + size])
                self.wfile.flush()
                time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def send_special(self, site: str, data: bytes) -> None:
        self.send_response(200)
        if site == "gzip":
            bomb = gzip.compress(bytes(50 * 1024 * 1024))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(bomb)))
        elif site == "stall":
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            if site == "gzip":
                self.wfile.write(bomb)
            elif site == "stall":
                self.wfile.write(data[:10])
                self.wfile.flush()
                time.sleep(20)
            else:
                block = (data * (65536 // len(data) + 1))[:65536]
                Handler.sent.append(0)
                while Handler.sent[-1] < 200 * 1024 * 1024:
                    self.wfile.write(block)
                    Handler.sent[-1] += len(block)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(package copy with a registry for VERSION, base URL of a 127.0.0.1 server holding that release)."""
    root = tmp_path_factory.mktemp("download")
    release = root / "www" / f"v{VERSION}"
    rng = random.Random(1)
    files = {"README.md": b"# A release\n", "schemas/t.schema.json": b"{}\n", "dataset/data/big.bin": rng.randbytes(400_000)}
    for rel, data in files.items():
        (release / rel).parent.mkdir(parents=True, exist_ok=True)
        (release / rel).write_bytes(data)
    pkg = package_copy(root / "pkg")
    registry = pkg / "src" / "ketamine_claims" / "registries" / f"v{VERSION}.txt"
    registry.write_text(format_registry(VERSION, describe_assets(release, sorted(files))), encoding="utf-8")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: Handler(*a, directory=str(root / "www")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield pkg, f"http://127.0.0.1:{server.server_address[1]}", sorted(files)
    server.shutdown()
    server.server_close()


def assert_published(dest: Path, paths: list[str]) -> None:
    """dest holds exactly the registry's files, world-readable (files 0644, folders 0755)."""
    assert sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()) == paths
    for path in [dest, *dest.rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o755 if path.is_dir() else 0o644), path


def test_leftover_download_killed_mid_file_then_retried_holds_only_verified_files(site, tmp_path):
    pkg, base, paths = site
    dest = tmp_path / "release"
    proc = cli(pkg, "download", VERSION, "--dest", str(dest), env={"KETAMINE_CLAIMS_BASE_URL": f"{base}/slow"}, popen=True)
    deadline = time.monotonic() + 30
    while not any(p.is_file() and p.stat().st_size > 0 for p in tmp_path.glob(".release.partial-*/files/dataset/data/*")):
        assert time.monotonic() < deadline and proc.poll() is None, "the download never started writing big.bin"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert not dest.exists()
    result = cli(pkg, "download", VERSION, "--dest", str(dest), env={"KETAMINE_CLAIMS_BASE_URL": f"{base}/good"})
    assert result.returncode == 0, result.stderr
    assert "left by an interrupted download" in result.stderr
    assert_published(dest, paths)
    assert staging_leftovers(tmp_path) == []


def test_leftover_two_concurrent_downloads_of_one_version_both_succeed_cleanly(site, tmp_path):
    pkg, base, paths = site
    env = {"KETAMINE_CLAIMS_BASE_URL": f"{base}/slow"}
    for attempt in range(3):  # the race once left unverified files in 3 of 7 attempts
        dest = tmp_path / f"release-{attempt}"
        procs = [cli(pkg, "download", VERSION, "--dest", str(dest), env=env, popen=True) for _ in range(2)]
        results = [proc.communicate(timeout=60) for proc in procs]
        assert [proc.returncode for proc in procs] == [0, 0], results
        assert_published(dest, paths)
    assert staging_leftovers(tmp_path) == []


def test_leftover_a_staging_folder_not_yet_locked_is_not_taken_for_a_dead_one(site, tmp_path):
    """The race behind the test above, made certain: one download stops between creating its staging folder's
    lock file and locking it; another download must not remove that folder as a dead command's leftover."""
    pkg, base, paths = site
    dest = tmp_path / "release"
    creating = cli(pkg, "download", VERSION, "--dest", str(dest), env={"KETAMINE_CLAIMS_FAULT": "staging-lock:hang"}, popen=True)
    try:
        deadline = time.monotonic() + 30
        while not list(tmp_path.glob(".release.partial-*/.ketamine-claims.lock")):
            assert time.monotonic() < deadline and creating.poll() is None, "the first download never made its folder"
            time.sleep(0.05)
        [folder] = tmp_path.glob(".release.partial-*")
        env = {"KETAMINE_CLAIMS_BASE_URL": f"{base}/good", "KETAMINE_CLAIMS_LOCK_TIMEOUT": "2"}
        second = cli(pkg, "download", VERSION, "--dest", str(dest), env=env)
        assert second.returncode == 4, second.stderr
        assert str(tmp_path) in second.stderr and "KETAMINE_CLAIMS_LOCK_TIMEOUT" in second.stderr
        assert folder.is_dir() and creating.poll() is None
    finally:
        creating.kill()
        creating.communicate()
    third = cli(pkg, "download", VERSION, "--dest", str(dest), env={"KETAMINE_CLAIMS_BASE_URL": f"{base}/good"})
    assert third.returncode == 0, third.stderr
    assert f"removed {folder} left by an interrupted download" in third.stderr
    assert_published(dest, paths)
    assert staging_leftovers(tmp_path) == []


def test_hang_a_trickling_server_hits_the_total_time_limit(site, tmp_path):
    pkg, base, _ = site
    env = {"KETAMINE_CLAIMS_BASE_URL": f"{base}/trickle", "KETAMINE_CLAIMS_DOWNLOAD_TIMEOUT": "1"}
    started = time.monotonic()
    result = cli(pkg, "download", VERSION, "--dest", str(tmp_path / "a" / "release"), env=env, timeout=60)
    assert result.returncode == 4, result.stderr
    assert f"{base}/trickle/v{VERSION}/" in result.stderr and "took longer than 1 s in all" in result.stderr
    assert time.monotonic() - started < 30
    assert list(tmp_path.iterdir()) == []  # not even the parent folder it created


def test_hang_a_download_stops_reading_past_the_registrys_size(site, tmp_path):
    pkg, base, _ = site
    Handler.sent.clear()
    env = {"KETAMINE_CLAIMS_BASE_URL": f"{base}/stream"}
    result = cli(pkg, "download", VERSION, "--dest", str(tmp_path / "release"), env=env)
    assert result.returncode == 1, result.stderr
    message = "README.md: the server sent more than the registry's 12 bytes; stopped reading"
    assert f"{base}/stream/v{VERSION}/{message}" in result.stderr
    assert Handler.sent and max(Handler.sent) < 20 * 1024 * 1024  # of the 200 MiB it would have sent
    assert list(tmp_path.iterdir()) == []


def test_silent_a_compressed_answer_that_was_not_asked_for_is_refused(site, tmp_path):
    pkg, base, _ = site
    Handler.asked.clear()
    result = cli(pkg, "download", VERSION, "--dest", str(tmp_path / "release"), env={"KETAMINE_CLAIMS_BASE_URL": f"{base}/gzip"})
    assert result.returncode == 1, result.stderr
    assert f"{base}/gzip/v{VERSION}/README.md: the server sent the file with Content-Encoding gzip" in result.stderr
    assert Handler.asked == ["identity"]
    assert list(tmp_path.iterdir()) == []


def test_hang_the_total_time_limit_holds_while_a_server_stalls(site, tmp_path):
    pkg, base, _ = site
    env = {"KETAMINE_CLAIMS_BASE_URL": f"{base}/stall", "KETAMINE_CLAIMS_DOWNLOAD_TIMEOUT": "1"}
    started = time.monotonic()
    result = cli(pkg, "download", VERSION, "--dest", str(tmp_path / "release"), env=env, timeout=60)
    assert result.returncode == 4, result.stderr
    assert f"{base}/stall/v{VERSION}/" in result.stderr and "took longer than 1 s in all" in result.stderr
    assert time.monotonic() - started < 10  # the server stalls for 20 s; the read timeout alone is 60 s
    assert list(tmp_path.iterdir()) == []


def test_place_disk_full_during_a_download_names_the_file(site, tmp_path):
    pkg, base, _ = site
    env = {"KETAMINE_CLAIMS_BASE_URL": f"{base}/good", "KETAMINE_CLAIMS_FAULT": "download-write:enospc"}
    result = cli(pkg, "download", VERSION, "--dest", str(tmp_path / "release"), env=env)
    assert result.returncode == 4, result.stderr
    assert f"error: {tmp_path}/.release.partial-" in result.stderr and "README.md: No space left on device" in result.stderr
    assert list(tmp_path.iterdir()) == []


def own_registry(tmp_path: Path, text: bytes) -> tuple[Path, Path]:
    """A package copy whose only registry (for VERSION) holds text; (package, registry)."""
    pkg = package_copy(tmp_path / "pkg")
    registry = pkg / "src" / "ketamine_claims" / "registries" / f"v{VERSION}.txt"
    registry.write_bytes(text)
    return pkg, registry


def test_silent_a_registry_listing_an_asset_twice_is_refused(tmp_path):
    asset = f"# bytes 3 README.md\nREADME.md sha256:{'a' * 64}\n".encode()
    pkg, registry = own_registry(tmp_path, asset + asset)
    result = cli(
        pkg, "download", VERSION, "--dest", str(tmp_path / "release"), env={"KETAMINE_CLAIMS_BASE_URL": "http://127.0.0.1:9"}
    )
    assert result.returncode == 3, result.stderr
    assert f"error: {registry}:4: asset README.md is listed twice" in result.stderr
    assert not (tmp_path / "release").exists()


def test_place_a_registry_that_is_not_utf8_is_named(tmp_path):
    pkg, registry = own_registry(tmp_path, f"# bytes 3 README.md\nREADME.md sha256:{'a' * 64}\n# caf\xe9\n".encode("latin-1"))
    result = cli(
        pkg, "download", VERSION, "--dest", str(tmp_path / "release"), env={"KETAMINE_CLAIMS_BASE_URL": "http://127.0.0.1:9"}
    )
    assert result.returncode == 3, result.stderr
    assert f"error: {registry}:3: not valid UTF-8 at byte offset" in result.stderr
    assert not (tmp_path / "release").exists()


def test_leftover_failed_download_into_the_cache_leaves_no_empty_cache_folder(site, tmp_path):
    pkg, _, _ = site
    env = {"KETAMINE_CLAIMS_BASE_URL": "http://127.0.0.1:9", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = cli(pkg, "download", VERSION, env=env)
    assert result.returncode == 4 and "cannot reach the server" in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_leftover_failed_diff_of_a_release_leaves_no_empty_cache_folder(site, tmp_path):
    pkg, _, _ = site
    (tmp_path / "work").mkdir()
    env = {"KETAMINE_CLAIMS_BASE_URL": "http://127.0.0.1:9", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = cli(pkg, "--root", str(tmp_path / "work"), "diff", VERSION, env=env)
    assert result.returncode == 4 and "cannot reach the server" in result.stderr, result.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["work"]


def test_silent_a_downloaded_folder_with_an_extra_file_is_not_handed_out(site, tmp_path):
    pkg, base, _ = site
    dest = tmp_path / "release"
    env = {"KETAMINE_CLAIMS_BASE_URL": f"{base}/good"}
    assert cli(pkg, "download", VERSION, "--dest", str(dest), env=env).returncode == 0
    (dest / "dataset" / "tmpa1b2c3").write_bytes(b"unverified")
    result = cli(pkg, "download", VERSION, "--dest", str(dest), env=env)
    assert result.returncode == 1, result.stderr
    assert "dataset/tmpa1b2c3: not in the registry" in result.stderr


# ---------------------------------------------------------------- releases


def git(repo: Path, *args: str) -> None:
    command = ["git", "-c", "user.name=Maintainer", "-c", "user.email=maintainer@example.org", *args]
    subprocess.run(command, cwd=repo, capture_output=True, text=True, check=True)


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A one-article repository whose first release was killed mid-swap, then released again.

    schemas/ holds a git-ignored file, which must not be released."""
    repo = package_copy(minimal_repo(tmp_path_factory.mktemp("released") / "repo"))
    (repo / ".gitignore").write_text("dist/\n__pycache__/\n*.egg-info/\nschemas/*.local\n", encoding="utf-8")
    (repo / "schemas" / "notes.local").write_text("scratch notes, not for release\n", encoding="utf-8")
    built = cli(repo, "--root", str(repo), "build")
    assert built.returncode == 0, built.stderr
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "data")
    tmp = repo.parent / "tmp"
    tmp.mkdir()
    env = {"KETAMINE_CLAIMS_FAULT": "release-fresh-build", "TMPDIR": str(tmp)}
    checking = cli(repo, "--root", str(repo), "release", __version__, env=env, timeout=300)
    checking.left = sorted(p.relative_to(repo.parent).as_posix() for p in [*tmp.iterdir(), *(repo / "dist").iterdir()])
    env = {"KETAMINE_CLAIMS_FAULT": "release-swap-1-in"}
    killed = cli(repo, "--root", str(repo), "release", __version__, env=env, timeout=300)
    retried = cli(repo, "--root", str(repo), "release", __version__, timeout=300)
    return repo, killed, retried, checking


def test_leftover_release_killed_mid_swap_is_rolled_back_and_the_retry_succeeds(released):
    repo, killed, retried, _ = released
    assert killed.returncode == -9, killed.stderr
    assert retried.returncode == 0, retried.stderr
    assert "left by an interrupted release" in retried.stderr
    registry = repo / "src" / "ketamine_claims" / "registries" / f"v{__version__}.txt"
    folder = repo / "dist" / f"v{__version__}"
    assert sorted(a.path for a in read_registry(registry)) == sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()
    )
    assert staging_leftovers(repo / "dist", registry.parent) == []
    assert sorted(p.name for p in (repo / "dist").iterdir()) == [f"v{__version__}"]


def test_leftover_release_killed_while_checking_keeps_its_temporary_files_in_its_staging_folder(released):
    _, killed, _, checking = released
    assert checking.returncode == -9, checking.stderr
    [left] = checking.left  # nothing in TMPDIR; one staging folder in dist/, removed by the next release
    assert left.startswith("repo/dist/.v")
    assert "left by an interrupted release" in killed.stderr


def test_silent_git_ignored_files_under_schemas_are_not_released(released):
    repo, *_ = released
    registry = repo / "src" / "ketamine_claims" / "registries" / f"v{__version__}.txt"
    assert "schemas/notes.local" not in {a.path for a in read_registry(registry)}
    assert not (repo / "dist" / f"v{__version__}" / "schemas" / "notes.local").exists()


def test_corrupt_release_folder_is_published_world_readable(released):
    repo, *_ = released
    folder = repo / "dist" / f"v{__version__}"
    assert_published(folder, sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()))


def test_silent_validate_refuses_files_outside_the_registry_in_a_release_folder(released, tmp_path):
    repo, *_ = released
    folder = tmp_path / "copy"
    shutil.copytree(repo / "dist" / f"v{__version__}", folder)
    assert cli(repo, "--root", str(folder), "validate", "--fast").returncode == 0
    (folder / "dataset" / "tmpXYZ").write_bytes(b"unverified")
    result = cli(repo, "--root", str(folder), "validate", "--fast")
    assert result.returncode == 1
    assert "release folder: dataset/tmpXYZ: not in the registry" in result.stderr


def tampered_release(released, tmp_path: Path) -> Path:
    """A copy of the release folder with LICENSE appended to, LICENSE-ANNOTATIONS deleted and an extra file."""
    repo, *_ = released
    folder = tmp_path / "copy"
    shutil.copytree(repo / "dist" / f"v{__version__}", folder)
    with (folder / "LICENSE").open("a", encoding="utf-8") as handle:
        handle.write("Appended.\n")
    (folder / "LICENSE-ANNOTATIONS").unlink()
    (folder / "dataset" / "extra.txt").write_text("unverified\n", encoding="utf-8")
    return folder


def test_silent_validate_names_every_changed_file_of_a_release_folder(released, tmp_path):
    folder = tampered_release(released, tmp_path)
    result = cli(released[0], "--root", str(folder), "validate", "--fast")
    assert result.returncode == 1, result.stderr
    for problem in ("LICENSE: ", "LICENSE-ANNOTATIONS: missing", "dataset/extra.txt: not in the registry"):
        assert f"- release folder: {problem}" in result.stderr, result.stderr


def test_silent_validate_refuses_a_release_folder_whose_version_has_no_registry(released, tmp_path):
    folder = tampered_release(released, tmp_path)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["version"] = "1.1.7"
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    result = cli(released[0], "--root", str(folder), "validate", "--fast")
    assert result.returncode == 1, result.stderr
    assert "release folder: datapackage.json names version '1.1.7', which has no registry in this package" in result.stderr


def test_silent_validate_refuses_a_release_folder_without_its_card(released, tmp_path):
    repo, *_ = released
    folder = tmp_path / "copy"
    shutil.copytree(repo / "dist" / f"v{__version__}", folder)
    (folder / "README.md").unlink()
    result = cli(repo, "--root", str(folder), "validate", "--fast")
    assert result.returncode == 1, result.stderr
    assert "- release folder: README.md missing" in result.stderr


# ---------------------------------------------------------------- validate and diff


@pytest.fixture(scope="module")
def built(released, tmp_path_factory) -> Path:
    """A copy of the released repository's build (inputs, dataset/, datapackage.json)."""
    root = tmp_path_factory.mktemp("built") / "repo"
    shutil.copytree(released[0], root, ignore=shutil.ignore_patterns("dist", "src", ".git"))
    return root


def rewrite_hashes(root: Path, rel: str) -> None:
    """Record the new sha256 of dataset file rel in datapackage.json and croissant.json (as a build would)."""
    digest = sha256_hex((root / rel).read_bytes())
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["path"] == rel:
            resource["hash"] = f"sha256:{digest}"
    (root / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    croissant = json.loads((root / "dataset" / "croissant.json").read_text(encoding="utf-8"))
    for entry in croissant["distribution"]:
        if entry.get("contentUrl") == rel.removeprefix("dataset/"):
            entry["sha256"] = digest
    (root / "dataset" / "croissant.json").write_text(json.dumps(croissant, indent=2), encoding="utf-8")


def test_silent_validate_finds_rows_out_of_the_canonical_order(built, tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(built, root)
    table = pq.read_table(root / SEGMENTS)
    swapped = table.take([1, 0, *range(2, table.num_rows)])
    pq.write_table(swapped, root / SEGMENTS, compression="zstd")
    rewrite_hashes(root, SEGMENTS)
    code, _, err = run_main("validate", "--fast", root=root)
    assert code == 1
    assert f"{SEGMENTS}: row 2 (" in err and "is out of order" in err, err


def test_place_validate_names_a_corrupt_parquet_file(built, tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(built, root)
    (root / SEGMENTS).write_bytes(b"PAR1" + b"\0" * 64 + b"PAR1")
    rewrite_hashes(root, SEGMENTS)
    code, _, err = run_main("validate", "--fast", root=root)
    assert code == 1 and f"{root / SEGMENTS}: not a readable Parquet file" in err, err


def test_place_validate_names_a_parquet_file_with_corrupt_pages(built, tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(built, root)
    data = bytearray((root / SEGMENTS).read_bytes())
    data[200:2000] = bytes(b ^ 0x5A for b in data[200:2000])  # the footer (schema) stays readable
    (root / SEGMENTS).write_bytes(bytes(data))
    rewrite_hashes(root, SEGMENTS)
    code, _, err = run_main("validate", "--fast", root=root)
    assert code == 1 and f"{root / SEGMENTS}: not a readable Parquet file" in err, err


def test_place_validate_names_malformed_json_with_its_line(built, tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(built, root)
    text = (root / "datapackage.json").read_text(encoding="utf-8")
    (root / "datapackage.json").write_text(text.replace('"resources": [', '"resources": [,', 1), encoding="utf-8")
    line = text[: text.index('"resources": [')].count("\n") + 1
    code, _, err = run_main("validate", "--fast", root=root)
    assert code == 1 and f"{root / 'datapackage.json'}:{line}: not valid JSON" in err, err


def test_place_diff_of_a_folder_that_does_not_exist_is_an_error(built):
    before = snapshot(built)
    code, out, err = run_main("diff", "/nonexistent", root=built)
    assert code == 4 and out == ""
    assert "error: /nonexistent: not a dataset folder: expected dataset/data/ and schemas/" in err, err
    assert snapshot(built) == before


def test_place_validate_names_a_malformed_croissant_file_and_runs_the_other_checks(built, tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(built, root)
    table = pq.read_table(root / SEGMENTS)
    pq.write_table(table.take([1, 0, *range(2, table.num_rows)]), root / SEGMENTS, compression="zstd")
    rewrite_hashes(root, SEGMENTS)
    croissant = root / "dataset" / "croissant.json"
    text = croissant.read_text(encoding="utf-8")
    croissant.write_text(text.replace('"distribution": [', '"distribution": [,', 1), encoding="utf-8")
    line = text[: text.index('"distribution": [')].count("\n") + 1
    code, _, err = run_main("validate", "--fast", root=root)
    assert code == 1, err
    assert f"{croissant}:{line}: not valid JSON" in err and f"{SEGMENTS}: row 2 (" in err, err
