"""Stage 1: read the seed articles and their manifest, refusing anything that is not clean UTF-8."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import os
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ketamine_claims.errors import FaultError, InputError

SEED_NAME = re.compile(r"^(?P<seq>[0-9]{3})_(?P<doc_id>[0-9a-f]{16})\.txt$")
MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("seed_file", "doc_id", "sha256", "site_name", "language", "url", "retrieved")
URL = re.compile(r"^https?://\S+$")
DEFAULT_LANGUAGE = "en"
UTF8_BOM = b"\xef\xbb\xbf"
# Largest article (seed file or shard text) accepted, in UTF-8 bytes: far above any real web
# article, low enough that a runaway file is refused instead of exhausting memory and time.
MAX_ARTICLE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class DocumentMeta:
    """Metadata of one article that does not come from its text."""

    seed_file: str | None = None
    site_name: str | None = None
    language: str = DEFAULT_LANGUAGE
    url: str | None = None
    retrieved: datetime.date | None = None


@dataclass(frozen=True)
class Seed:
    doc_id: str
    path: Path
    text: str
    meta: DocumentMeta


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_one_line(value: str) -> bool:
    """No line break and no other control character (Unicode categories Cc, Zl, Zp) in value."""
    return not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in value)


def _line_of(data: bytes, byte_offset: int) -> int:
    return data.count(b"\n", 0, byte_offset) + 1


def decode_seed(path: Path, data: bytes) -> str:
    """Decode a seed file's bytes, or raise InputError naming the file and line of the problem."""
    if not data.strip():
        raise InputError(path, "seed file is empty")
    if data.startswith(UTF8_BOM):
        raise InputError(path, "seed file starts with a UTF-8 byte order mark; remove it", line=1)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(path, f"NUL byte at byte offset {nul}", line=_line_of(data, nul))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            path, f"not valid UTF-8 at byte offset {exc.start} ({exc.reason})", line=_line_of(data, exc.start)
        ) from None


def today_utc() -> datetime.date:
    return datetime.datetime.now(datetime.UTC).date()


def parse_retrieved(value: str) -> datetime.date:
    """A retrieval day written YYYY-MM-DD, not after today (UTC); ValueError otherwise."""
    try:
        day = datetime.date.fromisoformat(value) if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) else None
    except ValueError:
        day = None
    if day is None:
        raise ValueError(f"retrieved {value!r} is not a date written YYYY-MM-DD")
    if day > today_utc():
        raise ValueError(f"retrieved {value} is in the future")
    return day


def read_manifest(path: Path) -> dict[str, tuple[int, dict[str, str]]]:
    """Rows of seeds/manifest.csv keyed by seed file, each with its line number."""
    if not os.path.lexists(path):
        return {}
    if path.is_symlink() or not path.is_file():
        raise InputError(path, "is not a regular file; the manifest must be a CSV file")
    data = path.read_bytes()
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"not valid UTF-8 at byte offset {exc.start} ({exc.reason})"
        raise InputError(path, message, line=_line_of(data, exc.start)) from None
    rows: dict[str, tuple[int, dict[str, str]]] = {}
    reader = csv.DictReader(io.StringIO(content, newline=""))
    if tuple(reader.fieldnames or ()) != MANIFEST_COLUMNS:
        raise InputError(path, f"header must be {','.join(MANIFEST_COLUMNS)}", line=1)
    for row in reader:
        line = reader.line_num
        if None in row or None in row.values():
            raise InputError(path, f"expected {len(MANIFEST_COLUMNS)} fields ({','.join(MANIFEST_COLUMNS)})", line=line)
        name = row["seed_file"]
        match = SEED_NAME.match(name or "")
        if not match:
            raise InputError(path, f"seed_file {name!r} is not named NNN_<16 hex digits>.txt", line=line)
        if row["doc_id"] != match["doc_id"]:
            raise InputError(path, f"doc_id {row['doc_id']!r} does not match seed file {name}", line=line)
        if not is_one_line(row["site_name"]):
            raise InputError(path, f"site_name {row['site_name']!r} holds a line break or another control character", line=line)
        if not re.fullmatch(r"[a-z]{2}", row["language"] or ""):
            raise InputError(path, f"language {row['language']!r} is not an ISO 639-1 code", line=line)
        if row["url"] and not URL.match(row["url"]):
            raise InputError(path, f"url {row['url']!r} is not an http(s) URL", line=line)
        if row["retrieved"]:
            if not row["url"]:
                raise InputError(path, "retrieved is set but url is empty: a retrieval day belongs to a URL", line=line)
            try:
                parse_retrieved(row["retrieved"])
            except ValueError as exc:
                raise InputError(path, str(exc), line=line) from None
        if name in rows:
            raise InputError(path, f"seed file {name} listed twice", line=line)
        rows[name] = (line, row)
    return rows


def load_seeds(seeds_dir: Path) -> list[Seed]:
    """Every seed article in seeds_dir, sorted by doc_id, checked against the manifest.

    A seed file missing from the manifest is still read, with no site name and the default
    language; a message on stderr asks for a manifest row.
    """
    if not seeds_dir.is_dir():
        raise FaultError(
            seeds_dir, "no such folder: expected the seed articles here (run from the repository root or pass --root)"
        )
    manifest_path = seeds_dir / MANIFEST_NAME
    manifest = read_manifest(manifest_path)
    seeds: dict[str, Seed] = {}
    for path in sorted(p for p in seeds_dir.iterdir() if p.name.lower().endswith(".txt")):
        match = SEED_NAME.match(path.name)
        if not match:
            raise InputError(path, "seed files must be named NNN_<16 lowercase hex digits>.txt")
        if path.is_symlink():
            raise InputError(path, "is a symbolic link; a seed must be a regular file holding the article's bytes")
        if not path.is_file():
            raise InputError(path, "is not a regular file; a seed must be a file holding the article's bytes")
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise InputError(path, f"seed file is {size} bytes, over the limit of {MAX_ARTICLE_BYTES} bytes per article")
        data = path.read_bytes()
        text = decode_seed(path, data)
        doc_id = match["doc_id"]
        if doc_id in seeds:
            raise InputError(path, f"doc_id {doc_id} already used by {seeds[doc_id].path.name}")
        if path.name in manifest:
            line, row = manifest.pop(path.name)
            if row["sha256"] != sha256_hex(data):
                raise InputError(manifest_path, f"sha256 of {path.name} does not match: the seed changed", line=line)
            retrieved = parse_retrieved(row["retrieved"]) if row["retrieved"] else None
            meta = DocumentMeta(path.name, row["site_name"] or None, row["language"], row["url"] or None, retrieved)
        else:
            print(f"note: {path.name} is not in {manifest_path}; add a row for its site name and language", file=sys.stderr)
            meta = DocumentMeta(path.name)
        seeds[doc_id] = Seed(doc_id, path, text, meta)
    for name, (line, _) in manifest.items():
        raise InputError(manifest_path, f"lists {name}, which is not in {seeds_dir}", line=line)
    return [seeds[doc_id] for doc_id in sorted(seeds)]
