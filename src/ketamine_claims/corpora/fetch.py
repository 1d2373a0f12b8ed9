"""Rebuild the line-labelled boilerplate corpora from their public sources (`scripts/fetch-corpora`).

The corpora are not part of the repository: their page texts belong to the publishers. Each is made
from a public GitHub repository at a pinned commit: the repository's archive
`<base>/<owner>/<repo>/tar.gz/<commit>` (base `https://codeload.github.com`, or the environment
variable `KETAMINE_CLAIMS_CORPORA_BASE_URL` for a mirror) is downloaded, unpacked and converted by
`corpus_convert`; the result must have the pinned sha256 (that of the file the shipped boilerplate
model was trained and scored on), and the source's licence files are copied next to it. Files land
in the destination only once everything of their corpus is verified; a corpus already there with the
pinned sha256 is not fetched again.

GitHub does not promise byte-identical archives over time, so the archive's own sha256 is pinned
only where it is known (`archive_sha256`); the commit fixes the content and the output's sha256
checks the result. The output's sha256 also depends on the pinned inscriptis and lxml versions.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ketamine_claims.corpora.pages import DEFAULT_CORPORA
from ketamine_claims.errors import EXIT_FAULT, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_PROBLEMS, FaultError, InputError, server_faults

BASE_URL_VARIABLE = "KETAMINE_CLAIMS_CORPORA_BASE_URL"
DEFAULT_BASE_URL = "https://codeload.github.com"
CONNECT_TIMEOUT_S, READ_TIMEOUT_S = 30, 60
ARCHIVE_MAX_BYTES = 1 << 30
CHUNK_BYTES = 1 << 16


@dataclass(frozen=True)
class CorpusSource:
    """One corpus: where it comes from (a repository at a commit), its licence and the sha256 of the result."""

    name: str  # zyte → zyte.jsonl.gz
    repo: str  # owner/name on GitHub
    commit: str
    licence: str  # SPDX identifier of the data's licence
    licence_files: tuple[tuple[str, str], ...]  # (path in the repository, file name next to the corpus)
    sha256: str  # of <name>.jsonl.gz
    archive_sha256: str | None = None  # of the downloaded archive, where known

    @property
    def file(self) -> str:
        return f"{self.name}.jsonl.gz"

    def archive_url(self, base: str) -> str:
        return f"{base.rstrip('/')}/{self.repo}/tar.gz/{self.commit}"


# The sources of `../shared/boilerplate-corpora` (README.md there: provenance, licences, rules).
SOURCES = (
    CorpusSource(
        name="zyte",
        repo="scrapinghub/article-extraction-benchmark",
        commit="4a3bc979f76c0df73cb95fe272e2fc1b96f9f010",
        licence="MIT",
        licence_files=(("LICENSE", "LICENSE-zyte-MIT.txt"),),
        sha256="469e4fdf60ae3f36a019464ac0303ef62e8545bf1fe1b361a258b3f08c95e75d",
    ),
    CorpusSource(
        name="readability",
        repo="mozilla/readability",
        commit="ab4027a8b37669745016869a37a504727992b2ba",
        licence="Apache-2.0",
        licence_files=(("LICENSE.md", "LICENSE-readability-Apache-2.0.txt"), ("NOTICE", "NOTICE-readability.txt")),
        sha256="83fc752091a864246027627740af0ac4503e6b54b0b36f2e64ff22f7c0ff4be3",
    ),
)


class CorpusMismatch(ValueError):
    """A downloaded archive or a rebuilt corpus does not have its pinned sha256 (exit 1)."""


def base_url() -> str:
    return (os.environ.get(BASE_URL_VARIABLE) or DEFAULT_BASE_URL).rstrip("/")


def sha256_file(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def download_archive(url: str, out: Path) -> None:
    """Stream url into out; FaultError naming the URL for a server error, a network fault or an oversized answer."""
    import requests


    with (
        server_faults(url, BASE_URL_VARIABLE),
        requests.get(url, stream=True, timeout=(CONNECT_TIMEOUT_S, READ_TIMEOUT_S)) as response,
    ):
        response.raise_for_status()
        size = 0
        with out.open("wb") as handle:
            for chunk in response.iter_content(CHUNK_BYTES):
                size += len(chunk)
                if size > ARCHIVE_MAX_BYTES:
                    raise FaultError(url, f"larger than {ARCHIVE_MAX_BYTES} bytes; not the pinned archive")
                handle.write(chunk)


def unpack(archive: Path, into: Path) -> Path:
    """Unpack a GitHub archive (one top folder) with tarfile's `data` filter; return the top folder."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(into, filter="data")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise InputError(archive, f"not a readable .tar.gz archive ({exc})") from None
    tops = [p for p in into.iterdir() if p.is_dir()]
    if len(tops) != 1:
        raise InputError(archive, f"expected one top folder in the archive, found {len(tops)}")
    return tops[0]


def rebuild(source: CorpusSource, work: Path, base: str, workers: int) -> Path:
    """Download, check and convert one corpus in work/; return the folder holding its file and licences."""
    from ketamine_claims.corpora.convert import convert

    url = source.archive_url(base)
    archive = work / f"{source.name}.tar.gz"
    print(f"{source.name}: downloading {url}", file=sys.stderr)
    download_archive(url, archive)
    if source.archive_sha256 and sha256_file(archive) != source.archive_sha256:
        raise CorpusMismatch(f"{url}: sha256 {sha256_file(archive)} is not the pinned {source.archive_sha256}")
    checkout = unpack(archive, work / "checkout")
    print(f"{source.name}: converting {source.repo} at {source.commit}", file=sys.stderr)
    data, skipped = convert(source.name, checkout, workers)
    actual = hashlib.sha256(data).hexdigest()
    if actual != source.sha256:
        raise CorpusMismatch(
            f"{source.file}: rebuilt from {url} with sha256 {actual}, not the pinned {source.sha256} (the file the "
            "shipped model was trained on); nothing was written. Check the inscriptis and lxml versions "
            "(requirements.lock) and the archive"
        )
    ready = work / "ready"
    ready.mkdir()
    (ready / source.file).write_bytes(data)
    for in_repo, name in source.licence_files:
        licence = checkout / in_repo
        if not licence.is_file():
            raise InputError(url, f"the archive holds no {in_repo} (the licence of {source.name})")
        shutil.copyfile(licence, ready / name)
    print(f"{source.name}: {source.file} verified (sha256 {actual}; {len(skipped)} pages skipped by the rules)", file=sys.stderr)
    return ready


def fetch_corpora(dest: Path, sources: tuple[CorpusSource, ...] = SOURCES, workers: int = 2) -> list[Path]:
    """Rebuild every corpus of sources into dest (skipping one already there with its pinned sha256); return its files."""
    dest = Path(dest).resolve()
    base = base_url()
    written = []
    for source in sources:
        target = dest / source.file
        licences = all((dest / name).is_file() for _, name in source.licence_files)
        if target.is_file() and licences and sha256_file(target) == source.sha256:
            print(f"{source.name}: {target} already has the pinned sha256", file=sys.stderr)
            written.append(target)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=dest.parent, prefix=f".{dest.name}.{source.name}-fetch-") as tmp:
            ready = rebuild(source, Path(tmp), base, workers)
            dest.mkdir(exist_ok=True)
            for path in sorted(ready.iterdir(), key=lambda p: p.name == source.file):  # the corpus file last
                os.replace(path, dest / path.name)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/fetch-corpora",
        description="Rebuild the boilerplate corpora (zyte, readability) from their public GitHub repositories at "
        f"pinned commits, check each against its pinned sha256 and copy its licence files. Sources: {BASE_URL_VARIABLE} "
        f"(default {DEFAULT_BASE_URL}).",
        epilog="exit codes: 0 done, 1 a sha256 differs from its pin, 3 a bad archive, 4 network or disk fault, 130 interrupted",
    )
    parser.add_argument("dest", nargs="?", default=str(DEFAULT_CORPORA), help=f"corpora folder (default: {DEFAULT_CORPORA})")
    parser.add_argument("--workers", type=int, default=2, help="conversion processes (default: 2)")
    args = parser.parse_args(argv)
    try:
        for path in fetch_corpora(Path(args.dest), workers=args.workers):
            print(path)
    except CorpusMismatch as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except FaultError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAULT
    except OSError as exc:
        print(f"error: {exc.filename or args.dest}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAULT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0


if __name__ == "__main__":
    sys.exit(main())
