"""A newcomer's first hour: corpus tests without the corpora, fetch-corpora, the browser install plan, README
commands and exit codes, the extras the API names, quiet logs and a set-up without warnings."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import io
import json
import os
import re
import shlex
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from conftest import REPO, copy_inputs, run_cli
from ketamine_claims.errors import EXIT_FAULT

README = (REPO / "README.md").read_text(encoding="utf-8")
DOCS = REPO / "docs"
CORPUS_TESTS = (
    "tests/text/test_sentences.py::test_tokens_are_syntoks_on_every_corpus_segment",
    "tests/auto/test_boilerplate.py::test_training_twice_gives_identical_bytes",
    "tests/text/test_text_units.py::test_sentence_boundaries_agree_with_syntok_alone[corpora]",
)


def doc_section(page: str, title: str) -> str:
    """The text of the section `## title` of README.md or docs/<page>, up to the next `## ` heading."""
    text = README if page == "README.md" else (DOCS / page).read_text(encoding="utf-8")
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def pytest_without_corpora(tmp_path: Path, ci: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["KETAMINE_CLAIMS_CORPORA"] = str(tmp_path / "no-corpora")
    if ci:
        env["CI"] = "true"
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *CORPUS_TESTS]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, env=env)


def test_corpus_tests_without_the_corpora_are_skipped_with_one_line_outside_ci(tmp_path):
    result = pytest_without_corpora(tmp_path, ci=False)
    assert result.returncode == 0, result.stdout
    lines = [line for line in result.stdout.splitlines() if "boilerplate corpora are missing" in line]
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith("SKIPPED [3]") and str(tmp_path / "no-corpora") in lines[0]
    assert "scripts/fetch-corpora" in lines[0]


def test_corpus_tests_without_the_corpora_fail_under_ci(tmp_path):
    result = pytest_without_corpora(tmp_path, ci=True)
    assert result.returncode == 1, result.stdout
    assert "2 failed, 1 error" in result.stdout  # the error: a fixture that needs the corpora
    summary = [line for line in result.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    assert len(summary) == 3 and all("CI=true: the boilerplate corpor" in line for line in summary), summary
    assert f"CI=true: the boilerplate corpora are missing at {tmp_path / 'no-corpora'}: get them with" in result.stdout


def test_score_without_the_corpora_says_where_to_get_them(tmp_path):
    missing = tmp_path / "no-corpora"
    result = run_cli("score", "--corpora", str(missing), root=REPO)
    assert result.returncode == EXIT_FAULT
    assert result.stderr.startswith(f"error: {missing}: boilerplate corpora folder not found")
    assert "scripts/fetch-corpora" in result.stderr


# ---------------------------------------------------------------- fetch-corpora against a server on 127.0.0.1

PROSE = (
    "The study of the drug was done in a clinic, and it is one of the first trials that has looked at the effect of the "
    "treatment on people with depression who have not been helped by other medicines."
)


def zyte_checkout() -> dict[str, bytes]:
    """A small repository shaped like scrapinghub/article-extraction-benchmark: two pages and their gold."""
    files, truth = {"LICENSE": b"MIT License (test copy)\n"}, {}
    for n in range(2):
        page_id = hashlib.sha256(f"page {n}".encode()).hexdigest()
        body = f"{PROSE} This is page {n} of the test and it is about the trial."
        html = (
            f'<html lang="en"><head><title>Trial news {n} - Example</title></head><body><div>Home</div><div>News</div>'
            f"<h1>Trial news {n}</h1><p>{body}</p><div>Share this story</div></body></html>"
        )
        files[f"html/{page_id}.html.gz"] = gzip.compress(html.encode(), mtime=0)
        truth[page_id] = {"articleBody": body, "url": f"https://news.example.org/{n}"}
    files["ground-truth.json"] = json.dumps(truth).encode()
    return files


def readability_checkout() -> dict[str, bytes]:
    """A small repository shaped like mozilla/readability: one test page with its expected article."""
    body = f"<p>{PROSE}</p><p>It was read by the test to check the labels of each line.</p>"
    return {
        "LICENSE.md": b"Apache License 2.0 (test copy)\n",
        "NOTICE": b"Notice (test copy)\n",
        "test/test-pages/page-one/source.html": f"<html><body><div>Menu</div>{body}<div>Footer</div></body></html>".encode(),
        "test/test-pages/page-one/expected.html": f"<div>{body}</div>".encode(),
    }


def tar_gz(top: str, files: dict[str, bytes]) -> bytes:
    """A GitHub-style archive: every file under one top folder."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for rel, data in sorted(files.items()):
            info = tarfile.TarInfo(f"{top}/{rel}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


@pytest.fixture(scope="module")
def source_server(tmp_path_factory):
    """http://127.0.0.1:<port> serving <owner>/<repo>/tar.gz/<commit> archives of the two test repositories at the
    pinned commits; returns (base URL, {corpus name: sha256 of its conversion of the same files})."""
    from ketamine_claims.corpora.convert import convert
    from ketamine_claims.corpora.fetch import SOURCES

    root = tmp_path_factory.mktemp("codeload")
    expected = {}
    for source, files in zip(SOURCES, (zyte_checkout(), readability_checkout()), strict=True):
        top = f"{source.repo.split('/')[1]}-{source.commit}"
        archive = root / source.repo / "tar.gz" / source.commit
        archive.parent.mkdir(parents=True)
        archive.write_bytes(tar_gz(top, files))
        checkout = root / "checkouts" / source.name
        for rel, data in files.items():
            (checkout / rel).parent.mkdir(parents=True, exist_ok=True)
            (checkout / rel).write_bytes(data)
        data, skipped = convert(source.name, checkout, workers=1)
        assert not skipped and data
        expected[source.name] = hashlib.sha256(data).hexdigest()
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(root))  # noqa: E731
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", expected
    httpd.shutdown()
    httpd.server_close()


def pinned_to(expected: dict[str, str]) -> tuple:
    from ketamine_claims.corpora.fetch import SOURCES, CorpusSource

    return tuple(CorpusSource(**{**s.__dict__, "sha256": expected[s.name]}) for s in SOURCES)


def test_fetch_corpora_rebuilds_each_corpus_with_its_licences(source_server, tmp_path, monkeypatch):
    from ketamine_claims.corpora.fetch import SOURCES, fetch_corpora

    url, expected = source_server
    monkeypatch.setenv("KETAMINE_CLAIMS_CORPORA_BASE_URL", url)
    dest = tmp_path / "boilerplate-corpora"
    written = fetch_corpora(dest, pinned_to(expected), workers=1)
    assert [p.name for p in written] == ["zyte.jsonl.gz", "readability.jsonl.gz"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["boilerplate-corpora"]  # no staging folder left
    assert sorted(p.name for p in dest.iterdir()) == [
        "LICENSE-readability-Apache-2.0.txt", "LICENSE-zyte-MIT.txt", "NOTICE-readability.txt",
        "readability.jsonl.gz", "zyte.jsonl.gz",
    ]
    assert (dest / "LICENSE-zyte-MIT.txt").read_bytes() == b"MIT License (test copy)\n"
    for source in SOURCES:
        assert hashlib.sha256((dest / source.file).read_bytes()).hexdigest() == expected[source.name]
    from ketamine_claims.corpora.pages import load_corpus

    assert len(load_corpus(dest, "zyte")) == 2 and len(load_corpus(dest, "readability")) == 1
    # Already there with the pinned sha256: nothing is fetched again (the server is not needed).
    monkeypatch.setenv("KETAMINE_CLAIMS_CORPORA_BASE_URL", "http://127.0.0.1:9")
    assert fetch_corpora(dest, pinned_to(expected), workers=1) == written


def test_fetch_corpora_refuses_a_rebuild_or_archive_that_differs_from_its_pin(source_server, tmp_path, monkeypatch):
    from ketamine_claims.corpora.fetch import CorpusMismatch, CorpusSource, fetch_corpora

    url, expected = source_server
    monkeypatch.setenv("KETAMINE_CLAIMS_CORPORA_BASE_URL", url)
    zyte = pinned_to(expected)[0]
    with pytest.raises(CorpusMismatch, match=r"zyte.jsonl.gz: rebuilt from .* not the pinned 0000"):
        fetch_corpora(tmp_path / "c", (CorpusSource(**{**zyte.__dict__, "sha256": "0" * 64}),), workers=1)
    with pytest.raises(CorpusMismatch, match=rf"{url}/{zyte.repo}/tar.gz/{zyte.commit}: sha256 .* not the pinned 1111"):
        fetch_corpora(tmp_path / "c", (CorpusSource(**{**zyte.__dict__, "archive_sha256": "1" * 64}),), workers=1)
    assert list(tmp_path.iterdir()) == []


def test_fetch_corpora_script_checks_the_real_pins(source_server, tmp_path):
    """The script with the shipped pins: the test archives are not the real sources, so their rebuild is refused."""
    from ketamine_claims.corpora.fetch import SOURCES

    url, _ = source_server
    env = {**os.environ, "KETAMINE_CLAIMS_CORPORA_BASE_URL": url}
    result = subprocess.run(
        [str(REPO / "scripts" / "fetch-corpora"), str(tmp_path / "c"), "--workers", "1"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 1, result.stderr
    assert f"zyte.jsonl.gz: rebuilt from {url}/scrapinghub/article-extraction-benchmark/tar.gz/" in result.stderr
    assert f"not the pinned {SOURCES[0].sha256}" in result.stderr
    assert list(tmp_path.iterdir()) == []
    missing = subprocess.run(
        [str(REPO / "scripts" / "fetch-corpora"), str(tmp_path / "c")],
        capture_output=True, text=True, env={**env, "KETAMINE_CLAIMS_CORPORA_BASE_URL": f"{url}/nothing-here"},
    )
    assert missing.returncode == EXIT_FAULT and "the server answered 404" in missing.stderr


def test_docs_and_card_say_where_each_corpus_comes_from():
    from ketamine_claims.corpora.fetch import SOURCES

    card = (REPO / "dataset" / "README.md").read_text(encoding="utf-8")
    section = doc_section("corpora.md", "Boilerplate corpora")
    for source in SOURCES:
        for text in (section, card):
            assert f"{source.repo}" in text and source.commit in text and source.licence in text, source.name
    assert "scripts/fetch-corpora" in section


# ---------------------------------------------------------------- browser install, set-up


@pytest.mark.browser
def test_install_browser_plan_names_what_apt_installs_and_every_upgrade():
    result = subprocess.run([str(REPO / "scripts" / "install-browser"), "--plan"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    simulated = subprocess.run(
        ["apt-get", "install", "--simulate", "--no-install-recommends", "--no-upgrade", "chromium", "chromium-driver"],
        capture_output=True, text=True, env={**os.environ, "LC_ALL": "C"},
    ).stdout.splitlines()
    new = [line.split()[1] for line in simulated if line.startswith("Inst ") and not line.split()[2].startswith("[")]
    upgrades = [line.split()[1] for line in simulated if line.startswith("Inst ") and line.split()[2].startswith("[")]
    plan = result.stderr.splitlines()
    assert plan[0].endswith(f"will install {len(new)} package(s): {' '.join(new) or 'none'}")
    if upgrades:
        assert f"must upgrade {len(upgrades)} installed package(s)" in result.stderr
        assert all(f"  {name} " in result.stderr for name in upgrades)
    else:
        assert plan[1] == "install-browser: no installed package will be upgraded"


def lock_install_command() -> list[str]:
    """The pip command of scripts/_env.sh that installs requirements.lock, for this interpreter."""
    lines = (REPO / "scripts" / "_env.sh").read_text().splitlines()
    line = next(line for line in lines if "requirements.lock" in line and "pip install" in line)
    words = shlex.split(line.replace('"$VENV/bin/python"', shlex.quote(sys.executable)).replace("$ROOT", str(REPO)))
    return words


def test_installing_the_lock_prints_no_warning():
    """scripts/_env.sh's install of requirements.lock, dry-run and offline: no resolver warning (lxml[html_clean])."""
    command = [*lock_install_command(), "--dry-run", "--no-index"]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line and "Location" not in line]
    assert warnings == []
    assert subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True).returncode == 0


# ---------------------------------------------------------------- README commands, exit codes, extras, logs


def test_install_lines_install_from_the_checkout():
    section = doc_section("install.md", "Install the package")
    commands = [line.split("#")[0].strip() for line in section.splitlines() if line.startswith("pip install")]
    assert commands, section
    optional = (REPO / "pyproject.toml").read_text().split("[project.optional-dependencies]")[1]
    extras = set(re.findall(r"^(\w+) = \[", optional, re.M))
    for command in commands:
        target = shlex.split(command)[-1]
        name, _, extra = target.partition("[")
        assert name == ".", command  # a path to the checkout, not a registry name that is not published yet
        assert not extra or extra.rstrip("]") in extras, command
    assert "Once the package is published" in section


def test_download_examples_write_nothing_into_the_checkout():
    sections = (doc_section("README.md", "Download a release"), (DOCS / "download.md").read_text(encoding="utf-8"))
    commands = [line for section in sections for line in section.splitlines() if "ketamine-claims download" in line]
    assert commands
    for command in commands:
        dest = re.search(r"--dest\s+(\S+)", command)
        assert dest is None or dest.group(1).startswith(("/", "~", "$")), command


def test_download_without_dest_uses_the_user_cache(tmp_path):
    from ketamine_claims.release.download import default_dest

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    code = "from ketamine_claims.release.download import default_dest; print(default_dest('1.1.0'))"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert Path(result.stdout.strip()) == tmp_path / "cache" / "ketamine-claims" / "v1.1.0"
    assert REPO not in default_dest("1.1.0").parents


def documented_exit_codes() -> dict[str, str]:
    return dict(re.findall(r"^\| (\d+) \| (.+) \|$", (DOCS / "exit-codes.md").read_text(encoding="utf-8"), re.M))


def test_exit_codes_are_documented_once_and_the_help_agrees():
    pages = [README, *(page.read_text(encoding="utf-8") for page in DOCS.glob("*.md"))]
    assert sum(len(re.findall(r"^#+ Exit codes$", page, re.M)) for page in pages) == 1
    from ketamine_claims.cli import EXIT_CODES
    from ketamine_claims.errors import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

    codes = documented_exit_codes()
    assert set(codes) == {str(c) for c in (EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INPUT, EXIT_FAULT, EXIT_INTERRUPTED)}
    assert set(codes) == set(re.findall(r"^\s+(\d+)\s", EXIT_CODES, re.M))
    assert "missing" in codes[str(EXIT_FAULT)] and "folder" in codes[str(EXIT_FAULT)]


def test_run_with_a_missing_shards_folder_exits_as_the_table_says(tmp_path):
    result = run_cli("run", str(tmp_path / "shards"), str(tmp_path / "parts"))
    assert result.returncode == EXIT_FAULT, result.stderr
    assert result.stderr.startswith(f"error: {tmp_path / 'shards'}: folder of shards not found")
    assert "missing" in documented_exit_codes()[str(EXIT_FAULT)]
    assert list(tmp_path.iterdir()) == []


def test_the_api_names_the_extra_a_missing_module_belongs_to(tmp_path):
    """As after a plain install: syntok (of the maintainer extra) cannot be imported."""
    from ketamine_claims.errors import extra_of

    blocked = tmp_path / "blocked" / "syntok"
    blocked.mkdir(parents=True)
    (blocked / "__init__.py").write_text("raise ModuleNotFoundError(\"No module named 'syntok'\", name='syntok')\n")
    code = "from ketamine_claims import process_doc"
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "blocked")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 1
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("ModuleNotFoundError: ketamine_claims.process_doc needs the module 'syntok'")
    assert "'maintainer' extra" in message and "pip install '.[maintainer]'" in message
    assert (extra_of("datatrove"), extra_of("yaml"), extra_of("pycrfsuite"), extra_of("syntok")) == (
        "scale", "maintainer", "train", "maintainer"
    )


def test_datatrove_logs_only_with_verbose(tmp_path):
    shards = tmp_path / "shards"
    assert run_cli("generate-corpus", str(shards), "--docs", "3", root=REPO).returncode == 0
    quiet = run_cli("run", str(shards), str(tmp_path / "quiet"), "--engine", "datatrove", "--workers", "1")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr.strip() == "", quiet.stderr
    loud = run_cli("run", str(shards), str(tmp_path / "loud"), "--engine", "datatrove", "--workers", "1", "--verbose")
    assert loud.returncode == 0, loud.stderr
    assert "datatrove" in loud.stderr.lower() and len(loud.stderr.splitlines()) > 5


# ---------------------------------------------------------------- validate: row errors next to a hash mismatch


def test_validate_reports_row_errors_when_a_hash_also_differs(tmp_path):
    root = copy_inputs(tmp_path / "repo", with_dataset=True)
    path = root / "dataset" / "data" / "claims" / "train-00000-of-00001.parquet"
    table = pq.read_table(path)
    verdicts = table.column("verdict").to_pylist()
    verdicts[0] = "probably"  # not one of the verdicts
    starts = table.column("start").to_pylist()
    starts[1] += 1  # the span no longer matches its text
    for name, values in (("verdict", verdicts), ("start", starts)):
        index = table.schema.get_field_index(name)
        table = table.set_column(index, table.schema.field(name), pa.array(values, table.schema.field(name).type))
    assert pc.sum(pc.equal(table.column("verdict"), "probably")).as_py() == 1
    pq.write_table(table, path)
    result = run_cli("validate", "--fast", "--json", root=root)
    assert result.returncode == 1, result.stderr
    problems = json.loads(result.stdout)["problems"]
    assert any(p.startswith("claims: hash in datapackage.json") for p in problems)
    assert any("probably" in p for p in problems), problems
    assert any("text" in p and "start" in p for p in problems if not p.startswith("claims: hash")), problems
