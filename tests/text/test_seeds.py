"""Seed files: byte-exact, listed in the manifest, and refused with a clear error when broken."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import REPO
from ketamine_claims.errors import InputError
from ketamine_claims.text.seeds import decode_seed, load_seeds, read_manifest, today_utc


def test_every_seed_matches_its_manifest_row():
    manifest = read_manifest(REPO / "seeds" / "manifest.csv")
    files = sorted(p.name for p in (REPO / "seeds").glob("*.txt"))
    assert sorted(manifest) == files
    for name, (_, row) in manifest.items():
        assert row["doc_id"] == name[4:20]
        assert hashlib.sha256((REPO / "seeds" / name).read_bytes()).hexdigest() == row["sha256"]


def test_seeds_load_in_doc_id_order_with_metadata():
    seeds = load_seeds(REPO / "seeds")
    assert [s.doc_id for s in seeds] == sorted(s.doc_id for s in seeds)
    assert len(seeds) == len(read_manifest(REPO / "seeds" / "manifest.csv")) == len(list((REPO / "seeds").glob("*.txt")))
    by_id = {s.doc_id: s for s in seeds}
    assert by_id["c943435de8c1574b"].meta.site_name == "TikTikTalk"
    assert all(s.text.encode("utf-8") == s.path.read_bytes() for s in seeds)


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"", "empty", None),
        (b" \n\n", "empty", None),
        (b"\xef\xbb\xbfTitle\nBody", "byte order mark", 1),
        (b"Title\nBody\x00 text\n", "NUL byte", 2),
        (b"Title\nline two\ncaf\xe9 latin-1\n", "not valid UTF-8", 3),
    ],
)
def test_bad_seed_bytes_are_refused_with_file_and_line(data, message, line):
    with pytest.raises(InputError) as caught:
        decode_seed(Path("seeds/000_0123456789abcdef.txt"), data)
    assert message in str(caught.value)
    assert caught.value.path == "seeds/000_0123456789abcdef.txt"
    assert caught.value.line == line


def test_seed_changed_after_manifest_is_refused(tmp_path):
    for p in (REPO / "seeds").iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    target = tmp_path / "002_c9b1cdd440c953e5.txt"
    target.write_bytes(target.read_bytes() + b"\nextra line")
    with pytest.raises(InputError, match=r"sha256 of 002_c9b1cdd440c953e5\.txt does not match") as caught:
        load_seeds(tmp_path)
    assert caught.value.line == 4  # the manifest row of that seed


def test_badly_named_seed_is_refused(tmp_path):
    (tmp_path / "article.txt").write_text("Ketamine", encoding="utf-8")
    with pytest.raises(InputError, match="must be named"):
        load_seeds(tmp_path)


def _manifest_with(tmp_path: Path, url: str, retrieved: str) -> Path:
    """A copy of the seeds whose first manifest row has the given url and retrieved fields."""
    for p in (REPO / "seeds").iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    header, first, *rest = (tmp_path / "manifest.csv").read_text(encoding="utf-8").splitlines()
    first = ",".join([*first.split(",")[:-2], url, retrieved])
    (tmp_path / "manifest.csv").write_text("\n".join([header, first, *rest]) + "\n", encoding="utf-8")
    return tmp_path


def test_manifest_url_and_retrieved_reach_the_seed_metadata(tmp_path):
    seeds = load_seeds(_manifest_with(tmp_path, "https://example.org/ketamine", "2024-03-05"))
    first = next(s for s in seeds if s.path.name.startswith("000_"))
    assert (first.meta.url, first.meta.retrieved.isoformat()) == ("https://example.org/ketamine", "2024-03-05")
    assert all(s.meta.url is None and s.meta.retrieved is None for s in seeds if s is not first)


@pytest.mark.parametrize(
    ("url", "retrieved", "message"),
    [
        ("ftp://example.org/a", "", r"is not an http\(s\) URL"),
        ("https://example.org/a b", "", r"is not an http\(s\) URL"),
        ("", "2024-03-05", "retrieved is set but url is empty"),
        ("https://example.org/a", "5 March 2024", "is not a date written YYYY-MM-DD"),
        ("https://example.org/a", "2024-02-30", "is not a date written YYYY-MM-DD"),
        ("https://example.org/a", "9999-01-01", "is in the future"),
    ],
)
def test_bad_manifest_url_or_retrieved_is_refused_with_its_line(tmp_path, url, retrieved, message):
    with pytest.raises(InputError, match=message) as caught:
        load_seeds(_manifest_with(tmp_path, url, retrieved))
    assert caught.value.path.endswith("manifest.csv") and caught.value.line == 2


def test_today_is_not_in_the_future(tmp_path):
    seeds = load_seeds(_manifest_with(tmp_path, "https://example.org/a", today_utc().isoformat()))
    assert today_utc() in {s.meta.retrieved for s in seeds}
