"""The reliability table of docs/reliability.md counts the cases of the fault-injection suite, per category."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter

from conftest import REPO
from fault_helpers import CATEGORIES


def collected_cases() -> Counter[str]:
    """Cases (parametrized tests) of tests/test_faults_*.py per category, the word after `test_`."""
    tests = (REPO / "tests").rglob("test_faults_*.py")
    files = sorted(str(p.relative_to(REPO)) for p in tests if p.name != "test_faults_table.py")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", *files], cwd=REPO, capture_output=True, text=True, check=True
    )
    names = [line.split("::", 1)[1] for line in proc.stdout.splitlines() if "::" in line]
    return Counter(name.removeprefix("test_").split("_", 1)[0] for name in names)


PAGE = REPO / "docs" / "reliability.md"


def documented_table() -> dict[str, tuple[int, int]]:
    section = PAGE.read_text(encoding="utf-8")
    rows = re.findall(r"^\| .*\(`(\w+)`\) \| (\d+) \| (\d+) \|$", section, re.M)
    return {category: (int(tried), int(failing)) for category, tried, failing in rows}


def test_reliability_table_counts_the_fault_suite():
    cases = collected_cases()
    assert set(cases) <= set(CATEGORIES), f"test names must start with a category {CATEGORIES}: {sorted(cases)}"
    expected = {category: (cases[category], 0) for category in CATEGORIES}
    table = "\n".join(f"{category}: {tried} cases" for category, (tried, _) in expected.items())
    assert documented_table() == expected, f"update the table of docs/reliability.md to:\n{table}"
    assert f"| total | {sum(cases.values())} | 0 |" in PAGE.read_text(encoding="utf-8")
