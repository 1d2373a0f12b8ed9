"""Articles at scale: shards of (doc_id, text) in JSONL or Parquet, found, counted and read with their checks.

A shard is `<name>.jsonl` (one JSON object per line) or `<name>.parquet` (columns doc_id and
text). Shard documents have no annotation and no seed file, so every label is `auto`; `parts`
writes their rows. pyarrow is imported only when a Parquet shard is opened, so the parent process
of `ketamine-claims run` on JSONL shards starts without it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ketamine_claims.errors import FaultError, InputError
from ketamine_claims.text.seeds import MAX_ARTICLE_BYTES

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

SHARD_SUFFIXES = (".jsonl", ".parquet")
DOC_ID = re.compile(r"^[0-9a-f]{16}$")


def find_shards(folder: Path) -> list[Path]:
    """The shard files directly in folder, sorted by name; part names (the file stems) must be unique."""
    if not folder.exists():
        raise FaultError(folder, "folder of shards not found")
    if not folder.is_dir():
        raise InputError(folder, "is not a folder of shards")
    shards = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in SHARD_SUFFIXES:
            continue
        if path.suffix not in SHARD_SUFFIXES:
            raise InputError(path, f"shard suffixes are lower case ({', '.join(SHARD_SUFFIXES)}); rename it")
        if not path.is_file():
            raise InputError(path, "is not a file; a shard is a JSONL or Parquet file")
        shards.append(path)
    if not shards:
        raise InputError(folder, f"holds no shard files ({', '.join('*' + s for s in SHARD_SUFFIXES)})")
    stems = Counter(p.stem for p in shards)
    for path in shards:
        if stems[path.stem] > 1:
            raise InputError(path, f"two shards are named {path.stem}; their parts would collide")
    return shards


def open_parquet(path: Path) -> pq.ParquetFile:
    """A Parquet shard, or InputError naming it when it is not a readable Parquet file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(path, f"not a readable Parquet file ({exc})") from None


def count_docs(path: Path) -> int:
    """Number of documents in a shard without parsing it; InputError for a shard with none."""
    if path.suffix == ".parquet":
        n = open_parquet(path).metadata.num_rows
    else:
        with path.open("rb") as handle:
            n = sum(1 for line in handle if line.strip())
    if n == 0:
        raise InputError(path, "the shard holds no documents; remove it or fill it")
    return n


def checked_record(record: Any, path: Path | str, line: int | None, what: str = "line") -> tuple[str, str]:
    """(doc_id, text) of one shard record, or an InputError naming the shard and the line or row."""
    if not isinstance(record, dict):
        raise InputError(path, f"{what} is not an object with doc_id and text", line=line)
    doc_id, text = record.get("doc_id"), record.get("text")
    if not isinstance(doc_id, str) or not DOC_ID.match(doc_id):
        raise InputError(path, f"doc_id {doc_id!r} is not 16 lowercase hex digits", line=line)
    if not isinstance(text, str) or not text.strip():
        raise InputError(path, f"text of {doc_id} is missing or blank", line=line)
    if "\x00" in text:
        raise InputError(path, f"text of {doc_id} contains a NUL character", line=line)
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        message = f"text of {doc_id} is not valid Unicode ({exc.reason} at character {exc.start})"
        raise InputError(path, message, line=line) from None
    if size > MAX_ARTICLE_BYTES:
        message = f"text of {doc_id} is {size} bytes, over the limit of {MAX_ARTICLE_BYTES} bytes per article"
        raise InputError(path, message, line=line)
    return doc_id, text


def _batches(shard: pq.ParquetFile, path: Path) -> Iterator[pa.RecordBatch]:
    """The doc_id and text batches of a Parquet shard; InputError naming it when a page cannot be read."""
    import pyarrow as pa

    batches = shard.iter_batches(batch_size=256, columns=["doc_id", "text"])
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except (pa.ArrowException, OSError) as exc:
            raise InputError(path, f"not a readable Parquet file ({exc})") from None
        yield batch


def read_shard(path: Path) -> Iterator[tuple[int, str, str]]:
    """(line, doc_id, text) of every document in a shard, streamed; errors name the line (JSONL) or row (Parquet, from 1)."""
    if path.suffix == ".parquet":
        shard = open_parquet(path)
        missing = {"doc_id", "text"} - set(shard.schema_arrow.names)
        if missing:
            raise InputError(path, f"Parquet shard lacks column(s) {sorted(missing)}")
        row = 0
        for batch in _batches(shard, path):
            for record in batch.to_pylist():
                row += 1
                yield row, *checked_record(record, path, row, "row")
        return
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise InputError(path, f"not valid JSON ({exc})", line=number) from None
            except RecursionError:
                raise InputError(path, "not valid JSON (nested too deeply)", line=number) from None
            yield number, *checked_record(record, path, number)
