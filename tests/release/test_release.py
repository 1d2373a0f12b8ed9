"""Releases end to end: cut a release in a throwaway git repository, serve it on 127.0.0.1, download
it through the public function, load and validate it; and every way a release or download must fail."""

from __future__ import annotations

import hashlib
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from conftest import REPO
from ketamine_claims.checks.assets import check_assets
from ketamine_claims.errors import InputError
from ketamine_claims.release.registry import read_registry

FRICTIONLESS = Path(sys.executable).with_name("frictionless")
TABLE = "dataset/data/claims/train-00000-of-00001.parquet"


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-c", "user.name=Maintainer", "-c", "user.email=maintainer@example.org", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


def cli(repo: Path, *args: str, base_url: str | None = None) -> subprocess.CompletedProcess:
    """The command line of the package copy inside repo (its own version and registries)."""
    env = {**os.environ, "PYTHONPATH": str(repo / "src")}
    if base_url:
        env["KETAMINE_CLAIMS_BASE_URL"] = base_url
    return subprocess.run(
        [sys.executable, "-m", "ketamine_claims.cli", "--root", str(repo), *args], capture_output=True, text=True, env=env
    )


def download_with_public_function(repo: Path, version: str, dest: Path, base_url: str) -> subprocess.CompletedProcess:
    code = "import sys, ketamine_claims; print(ketamine_claims.download(version=sys.argv[1], dest=sys.argv[2]))"
    env = {**os.environ, "PYTHONPATH": str(repo / "src"), "KETAMINE_CLAIMS_BASE_URL": base_url}
    return subprocess.run([sys.executable, "-c", code, version, str(dest)], capture_output=True, text=True, env=env)


def set_version(repo: Path, version: str, changelog: bool = True) -> None:
    init = repo / "src" / "ketamine_claims" / "__init__.py"
    text = init.read_text(encoding="utf-8")
    current = text.split('__version__ = "')[1].split('"')[0]
    init.write_text(text.replace(f'__version__ = "{current}"', f'__version__ = "{version}"'), encoding="utf-8")
    if changelog:
        log = repo / "CHANGELOG.md"
        head, rest = log.read_text(encoding="utf-8").split("\n## ", 1)
        log.write_text(f"{head}\n## [{version}] - 2026-12-01\n\n### Changed\n- Test entry.\n\n## {rest}", encoding="utf-8")


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A git repository copy of the project with release 0.1.0 cut, committed and tagged."""
    root = tmp_path_factory.mktemp("repo")
    for name in ("src", "seeds", "annotations", "schemas", "dataset"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__", "registries"))
    for name in ("datapackage.json", "CHANGELOG.md", "CITATION.cff", "LICENSE", "LICENSE-ANNOTATIONS"):
        if (REPO / name).exists():
            shutil.copyfile(REPO / name, root / name)
    (root / ".gitignore").write_text("dist/\n__pycache__/\n", encoding="utf-8")
    set_version(root, "0.1.0", changelog=False)  # CHANGELOG.md has a 0.1.0 entry; the copy starts there
    built = cli(root, "build")
    assert built.returncode == 0, built.stderr
    git(root, "init", "-q", "-b", "main")
    commit(root, "data")
    result = cli(root, "release", "0.1.0")
    assert result.returncode == 0, result.stderr
    assert "first release" in result.stdout
    assert "Generating train split" not in result.stderr  # no load_dataset progress bars in the release output
    commit(root, "Release 0.1.0")
    git(root, "tag", "v0.1.0")
    return root


@pytest.fixture
def clean_repo(repo):
    """The released repository; every change a test makes is reset afterwards."""
    head = git(repo, "rev-parse", "HEAD").strip()
    yield repo
    git(repo, "reset", "-q", "--hard", head)
    git(repo, "clean", "-q", "-fd")


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, plus /error500/… and /truncate/…: the good site, except that the claims table answers
    with a server error or closes the connection halfway through."""

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        site, _, rel = self.path.lstrip("/").partition("/")
        if site in ("error500", "truncate") and not rel.endswith(TABLE):
            self.path = f"/good/{rel}"
        if self.path.startswith("/error500/"):
            self.send_error(500, "boom")
            return
        if self.path.startswith("/truncate/"):
            data = Path(self.directory, "good", self.path.removeprefix("/truncate/")).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()


@pytest.fixture(scope="module")
def server(repo, tmp_path_factory) -> str:
    """http://127.0.0.1:<port> serving sites laid out as <site>/v0.1.0/<path>: good, tampered, short, missing."""
    sites = tmp_path_factory.mktemp("sites")
    release = repo / "dist" / "v0.1.0"
    for site in ("good", "tampered", "short", "missing"):
        shutil.copytree(release, sites / site / "v0.1.0")
        # published next to the files, for packages that do not ship this version's registry
        shutil.copyfile(repo / "src" / "ketamine_claims" / "registries" / "v0.1.0.txt", sites / site / "v0.1.0" / "registry.txt")
    table = bytearray((sites / "tampered" / "v0.1.0" / TABLE).read_bytes())
    table[100] ^= 0xFF
    (sites / "tampered" / "v0.1.0" / TABLE).write_bytes(bytes(table))
    short = sites / "short" / "v0.1.0" / TABLE
    short.write_bytes(short.read_bytes()[:-100])
    (sites / "missing" / "v0.1.0" / TABLE).unlink()

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: Handler(*a, directory=str(sites)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_release_writes_every_asset_and_a_matching_registry(repo):
    folder = repo / "dist" / "v0.1.0"
    assets = read_registry(repo / "src" / "ketamine_claims" / "registries" / "v0.1.0.txt")
    on_disk = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert sorted(a.path for a in assets) == on_disk
    assert {"README.md", "datapackage.json", TABLE, "schemas/claims.schema.json", "dataset/README.md"} <= set(on_disk)
    assert {"LICENSE", "LICENSE-ANNOTATIONS", "dataset/LICENSE-ANNOTATIONS"} <= set(on_disk)
    assert check_assets(folder, assets) == []
    for rel in on_disk:
        if rel != "README.md":
            assert (folder / rel).read_bytes() == (repo / rel).read_bytes(), rel


def test_download_verifies_loads_and_validates(repo, server, tmp_path):
    dest = tmp_path / "ketamine-claims-0.1.0"
    result = download_with_public_function(repo, "0.1.0", dest, f"{server}/good")
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == dest

    from datasets import load_dataset

    for name in ("claims", "documents"):
        ds = load_dataset(str(dest), name, split="train", cache_dir=str(tmp_path / "hf"))
        assert ds.num_rows == pq.read_metadata(repo / "dataset" / "data" / name / "train-00000-of-00001.parquet").num_rows
    proc = subprocess.run([str(FRICTIONLESS), "validate", "datapackage.json"], cwd=dest, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout
    checked = cli(repo, "--root", str(dest), "validate", "--fast")
    assert checked.returncode == 0, checked.stderr

    # A verified folder is reused: no server needed the second time.
    again = download_with_public_function(repo, "0.1.0", dest, "http://127.0.0.1:9")
    assert again.returncode == 0, again.stderr
    # A file changed after the download is noticed, never handed out as the release.
    (dest / TABLE).write_bytes(b"changed")
    again = download_with_public_function(repo, "0.1.0", dest, f"{server}/good")
    assert again.returncode == 1
    assert f"{TABLE}: 7 bytes, registry says" in again.stderr and "delete it or choose another destination" in again.stderr


def relative_targets(card: str) -> list[str]:
    targets = re.findall(r"!?\[[^\]]*\]\(([^)]+)\)", card)
    return [t for t in targets if not re.match(r"[a-z][a-z0-9+.-]*:|#", t)]


def test_every_relative_link_and_image_of_both_cards_resolves(repo):
    folder = repo / "dist" / "v0.1.0"
    root_card = (folder / "README.md").read_text(encoding="utf-8")
    assert {"dataset/croissant.json", "dataset/stats.png", "dataset/GUIDELINES.md"} <= set(relative_targets(root_card))
    for card_folder in (folder, REPO / "dataset"):
        card = (card_folder / "README.md").read_text(encoding="utf-8")
        for target in relative_targets(card):
            assert (card_folder / target).is_file(), f"{card_folder}/README.md links {target}"
        license_link = yaml.safe_load(card.split("---\n", 2)[1])["license_link"]
        assert (card_folder / license_link).is_file()


# What the build, validation, scoring and the chart need, and a plain `pip install ketamine-claims` must not.
MAINTAINER_ONLY = ("matplotlib", "frictionless", "pandera", "justext", "polars", "syntok", "jusText")


def test_runtime_requirements_are_only_what_download_and_loading_need():
    from importlib.metadata import requires

    from packaging.requirements import Requirement

    runtime = [Requirement(r) for r in requires("ketamine-claims") if "extra ==" not in r]  # the wheel's Requires-Dist
    assert {r.name.lower() for r in runtime} == {"datasets", "pyarrow", "pooch", "requests", "packaging"}
    assert not {r.name.lower() for r in runtime} & {m.lower() for m in MAINTAINER_ONLY}


def test_download_imports_no_maintainer_dependency(repo, server, tmp_path):
    code = (
        "import sys, ketamine_claims\n"
        "from ketamine_claims.cli import main\n"
        "assert ketamine_claims.download(version='0.1.0', dest=sys.argv[1])\n"
        "assert main(['download', '0.1.0', '--dest', sys.argv[2]]) == 0\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {MAINTAINER_ONLY!r})\n"
        "print('HEAVY', ' '.join(heavy))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(repo / "src"), "KETAMINE_CLAIMS_BASE_URL": f"{server}/good"}
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "a"), str(tmp_path / "b")], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "HEAVY "
    assert (tmp_path / "a" / TABLE).is_file() and (tmp_path / "b" / TABLE).is_file()


@pytest.mark.parametrize(
    ("site", "code", "message"),
    [
        ("tampered", 1, "sha256 of the file"),
        ("short", 1, "sha256 of the file"),
        ("missing", 4, "server answered 404"),
        ("error500", 4, "server answered 500"),
        ("truncate", 4, "truncated download"),
    ],
)
def test_bad_downloads_fail_and_leave_nothing_behind(repo, server, tmp_path, site, code, message):
    dest = tmp_path / "release"
    good = cli(repo, "download", "0.1.0", "--dest", str(tmp_path / "warm"), base_url=f"{server}/good")
    assert good.returncode == 0, good.stderr
    result = cli(repo, "download", "0.1.0", "--dest", str(dest), base_url=f"{server}/{site}")
    assert result.returncode == code, result.stderr
    assert message in result.stderr and TABLE in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warm"]


def test_unreachable_server_and_unknown_version_fail_clearly(repo, server, tmp_path):
    result = cli(repo, "download", "0.1.0", "--dest", str(tmp_path / "a" / "r"), base_url="http://127.0.0.1:9")
    assert result.returncode == 4 and "http://127.0.0.1:9/v0.1.0/" in result.stderr and "cannot reach the server" in result.stderr
    assert list(tmp_path.iterdir()) == []
    result = cli(repo, "download", "9.9.9", "--dest", str(tmp_path / "r"), base_url=f"{server}/good")
    assert result.returncode == 1 and "unknown version '9.9.9': this package ships the registries of 0.1.0" in result.stderr
    assert f"{server}/good/v9.9.9/registry.txt answered 404" in result.stderr
    result = cli(repo, "diff", "9.9.9")
    assert result.returncode == 1 and "unknown version '9.9.9'; released versions: 0.1.0" in result.stderr


def test_registry_paths_cannot_leave_the_release_folder(tmp_path):
    registry = tmp_path / "v0.1.0.txt"
    registry.write_text(f"# bytes 3 ../outside.txt\n../outside.txt sha256:{'0' * 64}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"v0.1.0.txt:2: .*stay inside the release folder"):
        read_registry(registry)


def test_download_refuses_members_outside_the_folder_before_writing(clean_repo, server, tmp_path):
    registry = clean_repo / "src" / "ketamine_claims" / "registries" / "v0.0.1.txt"
    registry.write_text(f"# bytes 7 ../../evil.txt\n../../evil.txt sha256:{'0' * 64}\n", encoding="utf-8")
    result = cli(clean_repo, "download", "0.0.1", "--dest", str(tmp_path / "a" / "b"), base_url=f"{server}/good")
    assert result.returncode == 3
    assert "v0.0.1.txt:2: asset path '../../evil.txt' must be relative and stay inside the release folder" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("version", "change", "message"),
    [
        ("0.1.0", None, "version 0.1.0 already exists"),
        ("0.0.9", "version", "not greater than the last release 0.1.0"),
        ("1.0", None, "is not MAJOR.MINOR.PATCH"),
        ("0.2.0", None, "the package version is 0.1.0"),
        ("0.1.1", "version-without-changelog", "CHANGELOG.md has no `## [0.1.1]"),
        ("0.1.1", "dirty", "the working tree is not clean"),
        ("0.1.1", "invalid", "the dataset fails validation"),
        ("0.1.1", "stale", "differs from a fresh build of the inputs; run scripts/build and commit: dataset/GUIDELINES.md"),
    ],
)
def test_release_refusals_write_nothing(clean_repo, version, change, message):
    repo = clean_repo
    if change in ("version", "version-without-changelog", "dirty", "invalid", "stale"):
        set_version(repo, version, changelog=change != "version-without-changelog")
    if change == "invalid":
        (repo / TABLE).write_bytes((repo / "dataset/data/references/train-00000-of-00001.parquet").read_bytes())
    if change == "stale":
        assert cli(repo, "build").returncode == 0
        with (repo / "annotations" / "GUIDELINES.md").open("a", encoding="utf-8") as guidelines:
            guidelines.write("\nA new paragraph, not yet built.\n")
    if change not in (None, "dirty"):
        commit(repo, "change")
    registries = sorted((repo / "src" / "ketamine_claims" / "registries").iterdir())
    dist = sorted((repo / "dist").iterdir())
    result = cli(repo, "release", version)
    assert result.returncode == 1
    assert message in result.stderr
    assert sorted((repo / "src" / "ketamine_claims" / "registries").iterdir()) == registries
    assert sorted((repo / "dist").iterdir()) == dist


def test_schema_metadata_edit_is_released_as_a_patch(clean_repo):
    repo = clean_repo
    schema_file = repo / "schemas" / "claims.schema.json"
    text = schema_file.read_text(encoding="utf-8")
    schema_file.write_text(
        text.replace('"description": "Atomic claims:', '"description": "Atomic health claims:', 1), encoding="utf-8"
    )
    set_version(repo, "0.1.1")
    assert cli(repo, "build").returncode == 0
    commit(repo, "reworded schema description")
    try:
        result = cli(repo, "release", "0.1.1")
    finally:
        shutil.rmtree(repo / "dist" / "v0.1.1", ignore_errors=True)  # ignored by git: clean_repo leaves it
    assert result.returncode == 0, result.stderr
    assert "schemas/claims.schema.json changed (metadata only" in result.stdout
    assert "smallest version bump for this change: patch" in result.stdout


def test_schema_change_needs_a_major_bump(clean_repo):
    repo = clean_repo
    schema_file = repo / "schemas" / "claims.schema.json"
    text = schema_file.read_text(encoding="utf-8")
    schema_file.write_text(text.replace('"comparative"]', '"comparative", "other"]', 1), encoding="utf-8")
    set_version(repo, "0.1.1")
    assert cli(repo, "build").returncode == 0
    commit(repo, "schema change as a patch")
    result = cli(repo, "release", "0.1.1")
    assert result.returncode == 1
    assert "is a patch bump, but the change needs a major bump" in result.stderr
    assert "schemas/claims.schema.json changed" in result.stderr
    assert not (repo / "dist" / "v0.1.1").exists()

    set_version(repo, "1.0.0")
    assert cli(repo, "build").returncode == 0
    commit(repo, "schema change as a major bump")
    result = cli(repo, "release", "1.0.0")
    assert result.returncode == 0, result.stderr
    assert "schemas/claims.schema.json changed" in result.stdout
    assert "smallest version bump for this change: major" in result.stdout
    assert (repo / "src" / "ketamine_claims" / "registries" / "v1.0.0.txt").exists()
    citation = (repo / "dist" / "v1.0.0" / "CITATION.cff").read_text(encoding="utf-8")
    assert "version: 1.0.0\n" in citation and "date-released: '2026-12-01'\n" in citation
    diff = cli(repo, "diff", "0.1.0", "1.0.0")
    assert diff.returncode == 0 and "diff v0.1.0 → v1.0.0" in diff.stdout


def test_citation_file_is_derived_from_version_and_changelog():
    from ketamine_claims import __version__
    from ketamine_claims.publish.citation import changelog_date, citation_cff

    date = changelog_date(REPO / "CHANGELOG.md", __version__)
    assert date is not None
    text = (REPO / "CITATION.cff").read_text(encoding="utf-8")
    assert text == citation_cff(__version__, date)
    assert f"version: {__version__}\n" in text and f"date-released: '{date}'\n" in text


def test_help_lists_the_release_commands():
    result = cli(REPO, "--help")
    assert result.returncode == 0
    for command in ("release", "diff", "download"):
        assert command in result.stdout


def test_a_release_newer_than_the_package_downloads_with_the_hosts_registry(clean_repo, server, tmp_path):
    """A package without the registry of 0.1.0 (older than the release) fetches it from the host and checks every file."""
    shipped = clean_repo / "src" / "ketamine_claims" / "registries" / "v0.1.0.txt"
    registry_sha256 = hashlib.sha256(shipped.read_bytes()).hexdigest()
    assets = read_registry(shipped)
    shipped.unlink()
    result = cli(clean_repo, "download", "0.1.0", "--dest", str(tmp_path / "a"), base_url=f"{server}/good")
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == tmp_path / "a"
    assert f"its registry came from {server}/good/v0.1.0/registry.txt, not pinned" in result.stderr
    assert check_assets(tmp_path / "a", assets) == []
    pinned = cli(clean_repo, "download", "0.1.0", "--dest", str(tmp_path / "b"), "--registry-sha256", registry_sha256,
                 base_url=f"{server}/good")
    assert pinned.returncode == 0 and "pinned by the sha256 given" in pinned.stderr
    # The host's registry checks the files: a tampered file is refused.
    tampered = cli(clean_repo, "download", "0.1.0", "--dest", str(tmp_path / "c"), base_url=f"{server}/tampered")
    assert tampered.returncode == 1 and "sha256 of the file" in tampered.stderr
    # A registry that is not the pinned one is refused before any file is fetched.
    wrong = cli(clean_repo, "download", "0.1.0", "--dest", str(tmp_path / "d"), "--registry-sha256", "0" * 64,
                base_url=f"{server}/good")
    assert wrong.returncode == 1
    assert f"{server}/good/v0.1.0/registry.txt: the registry's sha256 is {registry_sha256}, not the {'0' * 64}" in wrong.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


OFF_TOPIC = "Plague case confirmed in the county\n\nHealth officials confirmed a case of plague on Tuesday in a resident.\n"


def test_release_gate_refuses_auto_labelled_documents_unless_allowed_and_named(clean_repo, tmp_path):
    repo = clean_repo
    article = tmp_path / "plague.txt"
    article.write_text(OFF_TOPIC, encoding="utf-8")
    added = cli(repo, "add-article", str(article), "--url", "https://news.example.org/plague")
    assert added.returncode == 0, added.stderr
    doc_id = added.stdout.split("doc_id ")[1].split(",")[0]
    set_version(repo, "0.2.0")
    assert cli(repo, "build").returncode == 0
    commit(repo, "an article with automatic labels")

    refused = cli(repo, "release", "0.2.0")
    assert refused.returncode == 1
    assert "this release adds 1 document(s) whose labels are automatic" in refused.stderr
    assert f"\n- {doc_id} '" in refused.stderr and "--allow-auto-labelled" in refused.stderr
    unnamed = cli(repo, "release", "0.2.0", "--allow-auto-labelled")
    assert unnamed.returncode == 1
    assert "the CHANGELOG.md entry of 0.2.0 must name every document with automatic labels" in unnamed.stderr
    assert not (repo / "dist" / "v0.2.0").exists()

    log = repo / "CHANGELOG.md"
    log.write_text(log.read_text(encoding="utf-8").replace("- Test entry.", f"- Added {doc_id} (automatic labels)."), "utf-8")
    commit(repo, "name it")
    try:
        released = cli(repo, "release", "0.2.0", "--allow-auto-labelled")
    finally:
        shutil.rmtree(repo / "dist" / "v0.2.0", ignore_errors=True)
    assert released.returncode == 0, released.stderr
    assert f"documents with automatic labels added (1, named in CHANGELOG.md):\n  {doc_id} '" in released.stdout
