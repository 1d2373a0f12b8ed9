"""The checks and release rooms import in one direction: release uses checks, checks never use release, and no
module of either (or paths, errors) lies on an import cycle. Imports inside functions and under TYPE_CHECKING count."""

from __future__ import annotations

import ast

from conftest import REPO

PACKAGE = REPO / "src" / "ketamine_claims"
ROOMS = ("ketamine_claims.checks", "ketamine_claims.release", "ketamine_claims.paths", "ketamine_claims.errors")


def module_name(path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Every module of the package and the package modules it imports anywhere in its body."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}

    def known(name: str) -> str:
        while name not in modules:
            name = name.rpartition(".")[0]
        return name

    graph = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {known(a.name) for a in node.names if a.name.startswith("ketamine_claims")}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("ketamine_claims"):
                targets |= {known(f"{node.module}.{a.name}") for a in node.names}
        graph[name] = targets - {name}
    return graph


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for target in graph[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def in_rooms(name: str) -> bool:
    return any(name == room or name.startswith(room + ".") for room in ROOMS)


def test_no_module_of_checks_or_release_is_on_an_import_cycle():
    graph = import_graph()
    on_cycle = sorted(name for name in graph if in_rooms(name) and name in reachable(graph, name))
    assert on_cycle == [], f"on an import cycle: {on_cycle}"


def test_checks_never_import_release():
    graph = import_graph()
    wrong = {
        name: sorted(t for t in targets if t.startswith("ketamine_claims.release"))
        for name, targets in graph.items()
        if name.startswith("ketamine_claims.checks")
    }
    assert {name: targets for name, targets in wrong.items() if targets} == {}
