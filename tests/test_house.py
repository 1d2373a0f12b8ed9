"""House rules over the whole package: no import cycle (function-level imports count), no function over 60 lines,
and tests that mirror the package's rooms. Each rule is also run on a small package made here that breaks it."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

from conftest import REPO

PACKAGE = "ketamine_claims"
SRC = REPO / "src" / PACKAGE
TESTS = REPO / "tests"
MAX_FUNCTION_LINES = 60  # declarative tables are module constants, not functions


def import_cycles(graph: grimp.ImportGraph) -> list[str]:
    """One line per set of modules that import one another in a circle (strongly connected): every import between
    them, with its line."""
    seen: set[str] = set()
    cycles = []
    for module in sorted(graph.modules):
        circle = graph.find_upstream_modules(module) & graph.find_downstream_modules(module)
        if module in seen or not circle:
            continue
        members = sorted(circle | {module})
        seen.update(members)
        imports = [
            f"{a} -> {b} (line {graph.get_import_details(importer=a, imported=b)[0]['line_number']})"
            for a in members
            for b in sorted(graph.find_modules_directly_imported_by(a))
            if b in circle | {module}
        ]
        cycles.append(f"{len(members)} modules in a circle: " + "; ".join(imports))
    return cycles


def long_functions(root: Path, limit: int = MAX_FUNCTION_LINES) -> list[str]:
    """`path:line name (N lines)` for every function or method under root longer than limit, from `def` to its end."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > limit:
                    found.append(f"{path.relative_to(root.parent)}:{node.lineno} {node.name} ({lines} lines)")
    return found


def mirror_problems(src: Path, tests: Path) -> list[str]:
    """Test folders without a room of the same name in src, and rooms (sub-packages) without a test module."""
    rooms = {init.parent.name for init in src.glob("*/__init__.py")}
    folders = {p.name for p in tests.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))}
    problems = [f"tests/{name}/ has no room {src.name}/{name}/" for name in sorted(folders - rooms)]
    untested = [room for room in sorted(rooms) if not any((tests / room).glob("test_*.py"))]
    problems += [f"{src.name}/{room}/ has no tests/{room}/test_*.py" for room in untested]
    return problems


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    """import-linter's `lint-imports` with the contracts in cwd/pyproject.toml, cwd importable (no cache written)."""
    command = [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(cwd)})


def test_the_import_contracts_are_kept():
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_no_module_imports_itself_through_others():
    cycles = import_cycles(grimp.build_graph(PACKAGE, cache_dir=None))
    assert not cycles, "import cycles (function-level imports count):\n" + "\n".join(cycles)


def test_no_function_is_over_60_lines():
    found = long_functions(SRC)
    assert not found, f"functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(found)


def test_tests_mirror_the_rooms():
    problems = mirror_problems(SRC, TESTS)
    assert not problems, "\n".join(problems)


@pytest.fixture
def broken_house(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package `house_probe` that breaks every rule: a function-level import cycle inside its room `room`,
    a 61-line function, a room without tests and a test folder without a room; with this repository's cycle contract."""
    room = tmp_path / "house_probe" / "room"
    room.mkdir(parents=True)
    (room.parent / "__init__.py").write_text("")
    (room / "__init__.py").write_text("")
    (room / "first.py").write_text("def late():\n    from house_probe.room import second\n\n    return second\n")
    body = "".join(f"    x{n} = {n}\n" for n in range(59))
    (room / "second.py").write_text(f"import house_probe.room.first\n\n\ndef long():\n{body}    return x0\n")
    (tmp_path / "tests" / "elsewhere").mkdir(parents=True)
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    lines = ['[tool.importlinter]\nroot_package = "house_probe"\n']
    for contract in (c for c in config["contracts"] if c["type"] == "acyclic_siblings"):
        lines.append("[[tool.importlinter.contracts]]\n")
        for key, value in contract.items():
            value = [v.replace(PACKAGE, "house_probe") for v in value] if isinstance(value, list) else value
            lines.append(f"{key} = {json.dumps(value)}\n")
    (tmp_path / "pyproject.toml").write_text("".join(lines))
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_each_rule_catches_a_package_that_breaks_it(broken_house):
    linted = lint_imports(broken_house)
    assert linted.returncode == 1 and "No cycles are allowed in house_probe.room" in linted.stdout, linted.stdout + linted.stderr
    cycles = import_cycles(grimp.build_graph("house_probe", cache_dir=None))
    assert cycles == [
        "2 modules in a circle: house_probe.room.first -> house_probe.room.second (line 2); "
        "house_probe.room.second -> house_probe.room.first (line 1)"
    ]
    assert long_functions(broken_house / "house_probe") == ["house_probe/room/second.py:4 long (61 lines)"]
    assert mirror_problems(broken_house / "house_probe", broken_house / "tests") == [
        "tests/elsewhere/ has no room house_probe/elsewhere/",
        "house_probe/room/ has no tests/room/test_*.py",
    ]
