"""The committed benchmark results and the headline of docs/benchmarks.md come from the same `scripts/bench` run."""

from __future__ import annotations

import re

from conftest import REPO


def test_docs_headline_is_the_one_in_benchmark_results():
    results = (REPO / "benchmarks" / "RESULTS.md").read_text(encoding="utf-8")
    page = (REPO / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    in_results = re.search(r"^## Headline\n\n(.*?)\n\n", results, re.S | re.M)
    in_page = re.search(r"<!-- benchmark headline: [^\n]*-->\n(.*?)\n<!-- end of benchmark headline -->", page, re.S)
    assert in_results and in_page, "RESULTS.md needs a '## Headline' table and docs/benchmarks.md the headline markers"
    assert in_page.group(1) == in_results.group(1), "docs/benchmarks.md's headline differs from RESULTS.md; re-run scripts/bench"
