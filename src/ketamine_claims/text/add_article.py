"""Adding a seed article: copy it byte for byte as seeds/NNN_<doc id>.txt and write its manifest row.

The doc id is the first 16 hex digits of the SHA-256 of the article's URL when one is given (so the
same page always gets the same id), else of the file's bytes. The URL and the day the page was
retrieved (given, else today in UTC) go into the manifest row and from there into the documents
table. The file is checked like every seed (a regular file of at most 2 MiB, UTF-8, no byte order
mark, no NUL) and its metadata must be single lines, before anything is written; nothing is left
half-written.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from ketamine_claims.errors import InputError
from ketamine_claims.text.seeds import (
    DEFAULT_LANGUAGE,
    MANIFEST_COLUMNS,
    MANIFEST_NAME,
    MAX_ARTICLE_BYTES,
    SEED_NAME,
    URL,
    decode_seed,
    is_one_line,
    parse_retrieved,
    read_manifest,
    sha256_hex,
    today_utc,
)


@dataclass(frozen=True)
class AddedArticle:
    path: Path
    doc_id: str
    sha256: str
    retrieved: datetime.date | None


def read_article(source: Path) -> bytes:
    """The bytes of source, a regular file of at most MAX_ARTICLE_BYTES (checked before it is opened for reading,
    so a named pipe or device is refused instead of blocking)."""
    info = source.stat()  # FileNotFoundError names the file
    if not stat.S_ISREG(info.st_mode):
        raise InputError(source, "is not a regular file; add-article copies a file holding the article's text")
    if info.st_size > MAX_ARTICLE_BYTES:
        raise InputError(source, f"file is {info.st_size} bytes, over the limit of {MAX_ARTICLE_BYTES} bytes per article")
    fd = os.open(source, os.O_RDONLY | os.O_NONBLOCK)  # never blocks, even if source was replaced by a pipe meanwhile
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise InputError(source, "is not a regular file; add-article copies a file holding the article's text")
        data = handle.read(MAX_ARTICLE_BYTES + 1)
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(source, f"file is over the limit of {MAX_ARTICLE_BYTES} bytes per article")
    return data


def doc_id_for(data: bytes, url: str | None = None) -> str:
    """16 hex digits: from the URL's SHA-256 when there is a URL, else from the text's."""
    return sha256_hex(url.strip().encode("utf-8") if url else data)[:16]


def next_seed_number(seeds_dir: Path) -> int:
    """One more than the highest NNN of the seed files (0 for an empty folder)."""
    numbers = [int(m["seq"]) for p in seeds_dir.glob("*.txt") if (m := SEED_NAME.match(p.name))]
    return max(numbers, default=-1) + 1


def manifest_text(path: Path, row: dict[str, str]) -> str:
    """The manifest with row appended (header written for a new manifest); keeps the existing bytes as they are."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
    if not existing:
        writer.writeheader()
    elif not existing.endswith("\n"):
        existing += "\n"
    writer.writerow(row)
    return existing + out.getvalue()


def checked_metadata(
    source: Path, *, url: str | None, retrieved: str | None, site_name: str | None, language: str
) -> tuple[str | None, datetime.date | None]:
    """The URL (stripped) and the retrieval day (with a URL and no retrieved: today, UTC) once every value is a
    single line, the URL http(s), the day valid and the language an ISO 639-1 code; else InputError naming source."""
    for name, value in (("--site-name", site_name), ("--url", url), ("--retrieved", retrieved), ("--language", language)):
        if value is not None and not is_one_line(value):
            raise InputError(source, f"{name} {value!r} holds a line break or another control character; give one line")
    if url is not None:
        url = url.strip()
        if not URL.match(url):
            raise InputError(source, f"--url {url!r} is not an http(s) URL")
    if retrieved is not None and url is None:
        raise InputError(source, "--retrieved needs --url: it is the day the page at that URL was saved")
    try:
        day = parse_retrieved(retrieved) if retrieved is not None else None
    except ValueError as exc:
        raise InputError(source, f"--{exc}") from None
    if url is not None and day is None:
        day = today_utc()
    if not re.fullmatch(r"[a-z]{2}", language):
        raise InputError(source, f"language {language!r} is not an ISO 639-1 code")
    return url, day


def refuse_duplicates(source: Path, seeds_dir: Path, doc_id: str, digest: str) -> None:
    """InputError naming source when a seed file already has doc_id or a manifest row already has the text's sha256."""
    manifest_path = seeds_dir / MANIFEST_NAME
    manifest = read_manifest(manifest_path)
    for existing in sorted(seeds_dir.glob("*.txt")):
        match = SEED_NAME.match(existing.name)
        if match and match["doc_id"] == doc_id:
            raise InputError(source, f"doc_id {doc_id} is already used by {existing}")
    for name, (line, row) in manifest.items():
        if row["sha256"] == digest:
            raise InputError(source, f"the same text is already seed {name} ({manifest_path}:{line})")


def write_seed(target: Path, data: bytes, manifest_path: Path, new_manifest: str) -> None:
    """Write the seed file and the new manifest, both or neither (each through a temporary file beside it)."""
    pending_seed, pending_manifest = target.parent / f".{target.name}.tmp", manifest_path.parent / f".{MANIFEST_NAME}.tmp"
    try:
        pending_seed.write_bytes(data)
        pending_manifest.write_text(new_manifest, encoding="utf-8", newline="")
        os.replace(pending_seed, target)
        try:
            os.replace(pending_manifest, manifest_path)
        except OSError:
            target.unlink(missing_ok=True)
            raise
    finally:
        pending_seed.unlink(missing_ok=True)
        pending_manifest.unlink(missing_ok=True)


def add_article(
    seeds_dir: Path,
    source: Path,
    *,
    url: str | None = None,
    retrieved: str | None = None,
    site_name: str | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> AddedArticle:
    """Copy source into seeds_dir as the next NNN_<doc id>.txt and append its manifest row; return what was added.

    retrieved (YYYY-MM-DD) is the day the page at url was saved; with a url and no retrieved, today (UTC)."""
    data = read_article(source)
    decode_seed(source, data)
    url, day = checked_metadata(source, url=url, retrieved=retrieved, site_name=site_name, language=language)
    doc_id, digest = doc_id_for(data, url), sha256_hex(data)
    refuse_duplicates(source, seeds_dir, doc_id, digest)
    target = seeds_dir / f"{next_seed_number(seeds_dir):03d}_{doc_id}.txt"
    row = {
        "seed_file": target.name,
        "doc_id": doc_id,
        "sha256": digest,
        "site_name": site_name or "",
        "language": language,
        "url": url or "",
        "retrieved": day.isoformat() if day else "",
    }
    manifest_path = seeds_dir / MANIFEST_NAME
    write_seed(target, data, manifest_path, manifest_text(manifest_path, row))
    return AddedArticle(target, doc_id, digest, day)
