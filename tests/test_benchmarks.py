"""The committed benchmark results and the README's headline come from the same `scripts/bench` run."""

from __future__ import annotations

import re

from conftest import REPO


def test_readme_headline_is_the_one_in_benchmark_results():
    results = (REPO / "benchmarks" / "RESULTS.md").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    in_results = re.search(r"^## Headline\n\n(.*?)\n\n", results, re.S | re.M)
    in_readme = re.search(r"<!-- benchmark headline: [^\n]*-->\n(.*?)\n<!-- end of benchmark headline -->", readme, re.S)
    assert in_results and in_readme, "RESULTS.md needs a '## Headline' table and README.md the headline markers"
    assert in_readme.group(1) == in_results.group(1), "README's benchmark headline differs from RESULTS.md; re-run scripts/bench"
