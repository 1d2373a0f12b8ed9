"""Reading the ketamine-pages corpus: a bad line is named by file and line, a missing folder by its path."""

from __future__ import annotations

import gzip
import json

import pytest

from ketamine_claims.corpora.claim_pages import PAGES_FILE, load_pages
from ketamine_claims.errors import FaultError, InputError


def test_a_bad_corpus_line_names_the_file_and_line(tmp_path):
    page = {"id": "kweb-x", "url": "https://a.example/x", "host": "a.example", "kind": "news", "split": "train",
            "text": "Ketamine\n", "segments": [{"index": 0, "start": 0, "end": 8, "boilerplate": False, "kind": None}],
            "title_segment": 0, "sentences": []}  # fmt: skip
    with gzip.open(tmp_path / PAGES_FILE, "wt", encoding="utf-8") as f:
        f.write(json.dumps(page) + "\n" + json.dumps({**page, "segments": []}) + "\n")
    with pytest.raises(InputError, match=r"pages\.jsonl\.gz:2: .*segments differ"):
        load_pages(tmp_path)
    with pytest.raises(FaultError, match="ketamine-pages folder not found"):
        load_pages(tmp_path / "missing")
