"""`ketamine-claims add-article`: derive the doc id, copy byte-exact with the next number, write the manifest row;
then the repository still builds and validates."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import REPO, copy_inputs, run_cli
from ketamine_claims.errors import EXIT_INPUT, InputError
from ketamine_claims.text.add_article import add_article, doc_id_for
from ketamine_claims.text.seeds import load_seeds, read_manifest, today_utc

# A short article in the project's input form (page chrome lines around the content), written for this test.
ARTICLE = (
    "Sponsored\n"
    "\n"
    "Ketamine Infusions — What Patients Should Know\n"
    "\n"
    "Ketamine infusions may reduce symptoms of treatment-resistant depression within hours for some patients.\n"
    "Esketamine nasal spray is approved for adults with treatment-resistant depression.\n"
    "Dissociation and raised blood pressure are common side effects during a session.\n"
    "\n"
    "Share this article\n"
    "Call us today to book a consultation!\n"
).encode()


def seeds_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for path in (REPO / "seeds").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def test_doc_id_comes_from_the_url_else_from_the_text():
    url = "https://example.org/ketamine"
    assert doc_id_for(ARTICLE, url) == hashlib.sha256(url.encode()).hexdigest()[:16]
    assert doc_id_for(ARTICLE) == hashlib.sha256(ARTICLE).hexdigest()[:16]


def test_article_is_copied_byte_exact_with_the_next_number_and_a_manifest_row(tmp_path):
    seeds = seeds_copy(tmp_path)
    source = tmp_path / "article.txt"
    source.write_bytes(ARTICLE)
    before = sorted(p.name for p in seeds.glob("*.txt"))
    added = add_article(seeds, source, url="https://example.org/ketamine", retrieved="2024-03-05", site_name="Example Clinic")
    number = max(int(name[:3]) for name in before) + 1
    assert added.path.name == f"{number:03d}_{added.doc_id}.txt"
    assert added.path.read_bytes() == ARTICLE
    line, row = read_manifest(seeds / "manifest.csv")[added.path.name]
    assert row == {
        "seed_file": added.path.name,
        "doc_id": added.doc_id,
        "sha256": hashlib.sha256(ARTICLE).hexdigest(),
        "site_name": "Example Clinic",
        "language": "en",
        "url": "https://example.org/ketamine",
        "retrieved": "2024-03-05",
    }
    assert line == len(before) + 2  # header, then one row per seed
    assert [s.doc_id for s in load_seeds(seeds)] == sorted([*(n[4:20] for n in before), added.doc_id])
    assert sorted(p.name for p in seeds.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize(
    ("data", "url", "message"),
    [
        (b"\xef\xbb\xbfText", None, "byte order mark"),
        (b"caf\xe9\n", None, "not valid UTF-8"),
        (ARTICLE, "not a url", r"is not an http\(s\) URL"),
    ],
)
def test_bad_articles_are_refused_and_nothing_is_written(tmp_path, data, url, message):
    seeds = seeds_copy(tmp_path)
    before = {p.name: p.read_bytes() for p in seeds.iterdir()}
    source = tmp_path / "article.txt"
    source.write_bytes(data)
    with pytest.raises(InputError, match=message):
        add_article(seeds, source, url=url)
    assert {p.name: p.read_bytes() for p in seeds.iterdir()} == before


@pytest.mark.parametrize(
    ("url", "retrieved", "message"),
    [
        (None, "2024-03-05", "--retrieved needs --url"),
        ("https://example.org/a", "05/03/2024", "is not a date written YYYY-MM-DD"),
        ("https://example.org/a", "9999-12-31", "is in the future"),
    ],
)
def test_a_bad_retrieval_day_is_refused_and_nothing_is_written(tmp_path, url, retrieved, message):
    seeds = seeds_copy(tmp_path)
    before = {p.name: p.read_bytes() for p in seeds.iterdir()}
    source = tmp_path / "article.txt"
    source.write_bytes(ARTICLE)
    with pytest.raises(InputError, match=message) as caught:
        add_article(seeds, source, url=url, retrieved=retrieved)
    assert caught.value.path == str(source)
    assert {p.name: p.read_bytes() for p in seeds.iterdir()} == before


def test_retrieved_defaults_to_today_with_a_url_and_stays_empty_without(tmp_path):
    seeds = seeds_copy(tmp_path)
    source = tmp_path / "article.txt"
    source.write_bytes(ARTICLE)
    before = today_utc()
    with_url = add_article(seeds, source, url="https://example.org/today")
    assert before <= with_url.retrieved <= today_utc()
    (tmp_path / "other.txt").write_bytes(ARTICLE + b"Another page.\n")
    without = add_article(seeds, tmp_path / "other.txt")
    rows = read_manifest(seeds / "manifest.csv")
    assert rows[with_url.path.name][1]["retrieved"] == with_url.retrieved.isoformat()
    assert without.retrieved is None
    assert (rows[without.path.name][1]["url"], rows[without.path.name][1]["retrieved"]) == ("", "")


def test_an_article_already_in_seeds_is_refused(tmp_path):
    seeds = seeds_copy(tmp_path)
    existing = sorted(seeds.glob("*.txt"))[0]
    with pytest.raises(InputError, match="the same text is already seed"):
        add_article(seeds, existing)
    source = tmp_path / "article.txt"
    source.write_bytes(ARTICLE)
    add_article(seeds, source, url="https://example.org/a")
    (tmp_path / "other.txt").write_bytes(ARTICLE + b"Updated.\n")
    with pytest.raises(InputError, match="is already used by"):
        add_article(seeds, tmp_path / "other.txt", url="https://example.org/a")


def test_added_article_builds_and_validates(tmp_path):
    root = copy_inputs(tmp_path / "repo")
    source = tmp_path / "article.txt"
    source.write_bytes(ARTICLE)
    result = run_cli("add-article", str(source), "--url", "https://example.org/ketamine", root=root)
    assert result.returncode == 0, result.stderr
    doc_id = doc_id_for(ARTICLE, "https://example.org/ketamine")
    assert f"doc_id {doc_id}" in result.stdout and "next:" in result.stdout and "scripts/build" in result.stdout
    assert "(today, UTC)" in result.stdout and "--retrieved" in result.stdout
    (tmp_path / "dated.txt").write_bytes(ARTICLE.replace(b"What Patients Should Know", b"Questions Patients Ask"))
    dated = run_cli(
        "add-article", str(tmp_path / "dated.txt"), "--url", "https://example.org/dated", "--retrieved", "2024-03-05", root=root
    )
    assert dated.returncode == 0 and "(today, UTC)" not in dated.stdout, dated.stderr

    built = run_cli("build", root=root)
    assert built.returncode == 0, built.stderr
    validated = run_cli("validate", root=root)
    assert validated.returncode == 0, validated.stderr
    documents = pq.read_table(root / "dataset" / "data" / "documents" / "train-00000-of-00001.parquet").to_pylist()
    assert len(documents) == len(list((root / "seeds").glob("*.txt")))
    added = next(d for d in documents if d["doc_id"] == doc_id)
    assert added["label_source"] == "auto" and added["text"].encode("utf-8") == ARTICLE
    assert added["url"] == "https://example.org/ketamine" and added["retrieved"] is not None
    dated_row = next(d for d in documents if d["doc_id"] == doc_id_for(ARTICLE, "https://example.org/dated"))
    assert (dated_row["url"], dated_row["retrieved"].isoformat()) == ("https://example.org/dated", "2024-03-05")

    again = run_cli("add-article", str(source), root=root)
    assert again.returncode == EXIT_INPUT and "the same text is already seed" in again.stderr
