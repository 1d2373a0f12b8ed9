"""The line-labelled corpora of web pages: loading, folds, character scores.

- `../shared/boilerplate-corpora`: each corpus file is gzipped JSONL, one page per line, with `text`
  (one block per line) and `labels` (one per non-blank line: 1 content, 0 boilerplate); see the
  folder's README.
- `../shared/ketamine-pages`: real pages about ketamine (`pages.jsonl.gz`), one page per site, with
  a `segments` list (`boilerplate` per segment, as `split_segments` makes them), the headline's
  `title_segment` and a `train`/`dev` split by site; see the folder's README.

Scores follow the boilerplate corpora's `baselines.py`: precision, recall and F1 of the boilerplate
class, micro-averaged over the non-whitespace characters of all non-blank lines.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ketamine_claims.errors import FaultError, InputError

DEFAULT_CORPORA = Path("..") / "shared" / "boilerplate-corpora"
HOW_TO_GET = (
    "the corpora are not part of the repository: rebuild them from their public sources with "
    "`scripts/fetch-corpora [FOLDER]` and pass --corpora FOLDER (default ../shared/boilerplate-corpora; docs/corpora.md)"
)
CORPUS_FILES = {"zyte": "zyte.jsonl.gz", "readability": "readability.jsonl.gz"}
DEFAULT_KETAMINE_PAGES = Path("..") / "shared" / "ketamine-pages"
KETAMINE_PAGES_FILE = "pages.jsonl.gz"
SHORT_LINE_WORDS = 10


@dataclass(frozen=True)
class Page:
    """One labelled page: its non-blank lines (stripped), whether each is boilerplate, and its headline line if known."""

    id: str
    source: str
    url: str | None
    split: str
    lines: tuple[str, ...]
    boilerplate: tuple[bool, ...]
    title: int | None = None


def fold(key: str) -> int:
    """The corpora's fixed fold of a key (0..9): sha256 of the key, first 8 hex digits, modulo 10."""
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) % 10


def site(url: str) -> str:
    """Host name of a URL without a leading www., as the corpora's README groups sites."""
    return re.sub(r"^www\d*\.", "", url.split("/")[2].lower())


def non_blank_lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def corpus_path(folder: Path, name: str) -> Path:
    path = Path(folder) / CORPUS_FILES[name]
    if not Path(folder).is_dir():
        raise FaultError(folder, f"boilerplate corpora folder not found; {HOW_TO_GET}")
    if not path.is_file():
        raise FaultError(path, f"corpus file not found; {HOW_TO_GET}")
    return path


def load_corpus(folder: Path, name: str) -> list[Page]:
    """Every page of one corpus file, checked: one label per non-blank line; InputError naming the file and line of
    anything unreadable (not gzip, truncated, not UTF-8, not a page)."""
    path = corpus_path(folder, name)
    pages = []
    number = 0
    try:
        with gzip.open(path, "rb") as f:
            for number, line in enumerate(f, 1):
                try:
                    row = json.loads(line.decode("utf-8"))
                    lines = non_blank_lines(row["text"])
                    labels = list(row["labels"])
                    page = Page(
                        row["id"], row["source"], row.get("url"), row["split"], tuple(lines),
                        tuple(not label for label in labels), row.get("headline_line"),
                    )
                except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
                    raise InputError(path, f"not a corpus page ({type(exc).__name__}: {exc})", line=number) from None
                if len(lines) != len(labels):
                    raise InputError(path, f"{row['id']}: {len(lines)} non-blank lines but {len(labels)} labels", line=number)
                pages.append(page)
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        raise InputError(path, f"not a readable gzipped JSONL file ({type(exc).__name__}: {exc})", line=number + 1) from None
    return pages


def ketamine_pages_path(folder: Path) -> Path:
    path = Path(folder) / KETAMINE_PAGES_FILE
    if not Path(folder).is_dir():
        raise FaultError(folder, "ketamine-pages folder not found (pass --pages; see docs/corpora.md)")
    if not path.is_file():
        raise FaultError(path, "ketamine-pages file not found")
    return path


def load_ketamine_pages(folder: Path) -> list[Page]:
    """Every page of the ketamine-pages corpus, checked: its segments are those `split_segments` makes of its text."""
    from ketamine_claims.text.segments import split_segments

    path = ketamine_pages_path(folder)
    pages = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            try:
                row = json.loads(line)
                segments = split_segments(row["text"])
                labelled = [(s["start"], s["end"]) for s in row["segments"]]
                page = Page(
                    row["id"], "ketamine-pages", row["url"], row["split"], tuple(s.text for s in segments),
                    tuple(bool(s["boilerplate"]) for s in row["segments"]), row["title_segment"],
                )
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise InputError(path, f"not a ketamine-pages page ({exc})", line=number) from exc
            if labelled != [(s.start, s.end) for s in segments]:
                raise InputError(path, f"{row['id']}: its segments are not those of split_segments", line=number)
            pages.append(page)
    return pages


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def visible_chars(line: str) -> int:
    """The non-whitespace characters of a line (the unit of the character scores)."""
    return len(line) - sum(c.isspace() for c in line)


def short_line_flags(lines: Sequence[str]) -> list[bool]:
    """The "lines < 10 words" baseline: a line of fewer than 10 whitespace-separated words is boilerplate."""
    return [len(line.split()) < SHORT_LINE_WORDS for line in lines]
