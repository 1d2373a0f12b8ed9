"""Synthetic corpora for benchmarks only: real seed segments recombined into many distinct articles.

Each generated article keeps the page chrome (the segments the rule-based detector marks as
boilerplate) before and after the content of one seed, and fills the middle with a seeded random
choice of content paragraphs from all seeds. The same seed number always gives the same corpus.
Generated articles are not real pages and never enter `dataset/`.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ketamine_claims.auto.boilerplate import detect_boilerplate
from ketamine_claims.errors import InputError, RefusedError
from ketamine_claims.faults import fault_point
from ketamine_claims.staging import Staging, note_recovered, recover
from ketamine_claims.text.seeds import load_seeds, sha256_hex
from ketamine_claims.text.segments import split_segments

SHARD_FORMATS = ("jsonl", "parquet")


@dataclass(frozen=True)
class Template:
    """One seed cut into its leading chrome, its content paragraphs and its trailing chrome."""

    head: list[str]
    body: list[str]
    tail: list[str]


def templates(seeds_dir: Path) -> list[Template]:
    """The seeds of seeds_dir (those with content), each split at its first and last content segment."""
    result = []
    for seed in load_seeds(seeds_dir):
        segments = split_segments(seed.text)
        kinds, _ = detect_boilerplate(segments)
        content = [i for i, kind in enumerate(kinds) if kind is None]
        if not content:
            continue
        first, last = content[0], content[-1]
        texts = [s.text for s in segments]
        result.append(Template(texts[:first], [texts[i] for i in content], texts[last + 1 :]))
    return result


def generate_articles(seeds_dir: Path, n_docs: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """(doc_id, text) of n_docs distinct synthetic articles; doc_id is the first 16 hex digits of the text's sha256.

    The seeds are read at the call (errors are raised here), the articles produced lazily."""
    pool = templates(seeds_dir)
    if not pool:
        raise InputError(seeds_dir, "no seed article with content segments to recombine")
    return _articles(pool, n_docs, seed)


def _articles(pool: list[Template], n_docs: int, seed: int) -> Iterator[tuple[str, str]]:
    paragraphs = [p for t in pool for p in t.body]
    seen: set[str] = set()
    rng = random.Random(seed)
    produced = 0
    while produced < n_docs:
        base = rng.choice(pool)
        n_body = max(3, round(len(base.body) * rng.uniform(0.6, 1.4)))
        body = [base.body[0], *rng.sample(paragraphs, min(n_body, len(paragraphs)))]
        text = "\n\n".join([*base.head, *body, *base.tail]) + "\n"
        doc_id = sha256_hex(text.encode("utf-8"))[:16]
        if doc_id in seen:
            continue
        seen.add(doc_id)
        produced += 1
        yield doc_id, text


def write_corpus(
    seeds_dir: Path, out: Path, n_docs: int, *, shard_size: int = 1000, seed: int = 0, fmt: str = "jsonl"
) -> list[Path]:
    """Write n_docs generated articles as shards `shard-00000.<fmt>`, ... of shard_size documents each.

    out must be absent or empty; the shards are written into a staging folder next to it and
    moved in when all are written."""
    if fmt not in SHARD_FORMATS:
        raise ValueError(f"format must be one of {SHARD_FORMATS}, not {fmt!r}")
    out = out.resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise RefusedError(out, f"{out} exists and is not an empty folder; choose a new or empty folder for the corpus")
    articles = generate_articles(seeds_dir, n_docs, seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{out.name}-tmp-"
    note_recovered(recover(out.parent, prefix), "generate-corpus")
    with Staging(out.parent, prefix) as staging:
        names = _write_shards(articles, staging.path / "shards", shard_size, fmt)
        fault_point("corpus-staged")
        staging.swap_in([(staging.path / "shards", out)], "corpus")
    return [out / name for name in names]


def _write_shards(articles: Iterator[tuple[str, str]], out: Path, shard_size: int, fmt: str) -> list[str]:
    out.mkdir()
    paths: list[Path] = []
    batch: list[tuple[str, str]] = []

    def flush() -> None:
        path = out / f"shard-{len(paths):05d}.{fmt}"
        if fmt == "jsonl":
            lines = (json.dumps({"doc_id": d, "text": t}, ensure_ascii=False) + "\n" for d, t in batch)
            path.write_text("".join(lines), encoding="utf-8")
        else:
            table = pa.table({"doc_id": [d for d, _ in batch], "text": [t for _, t in batch]})
            pq.write_table(table, path, compression="zstd")
        paths.append(path)
        batch.clear()

    for article in articles:
        batch.append(article)
        if len(batch) == shard_size:
            flush()
    if batch:
        flush()
    return [path.name for path in paths]
