"""Every command, path, link and module name in README.md and docs/*.md works as written on a fresh clone.

Command lines are taken from the pages' fenced shell blocks. Each is parsed by the real argument parser of the
program it names (`ketamine-claims`, or the Python module or command a `scripts/` file runs), without running it;
the cheap ones (that read the repository or write into a folder of their own) then run for real, in page order,
in a copy of the repository.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import functools
import importlib
import os
import re
import runpy
import shlex
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, copy_inputs

PAGES = (REPO / "README.md", *sorted((REPO / "docs").glob("*.md")))
FENCE = re.compile(r"^[ \t]*```(\w*)\n(.*?)^[ \t]*```", re.M | re.S)
KETAMINE_CLAIMS = (".venv/bin/ketamine-claims", "ketamine-claims")
# Subcommands cheap enough to run for real in a copy of the repository (no network, no corpora, no build).
CHEAP = ("add-article", "agreement", "annotate", "check-annotations", "generate-corpus", "run", "view")
LOCAL_ENGINES = ("local", "datatrove")
# Placeholders of the pages (whole arguments) and what stands for them when a command runs.
PLACEHOLDERS = {"A": "annotations", "B": "annotations/second"}


@dataclass(frozen=True)
class Command:
    page: str
    line: str
    argv: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.page}: {self.line}"


def fenced_blocks(language: tuple[str, ...]) -> list[tuple[Path, str]]:
    blocks = ((page, m) for page in PAGES for m in FENCE.finditer(page.read_text(encoding="utf-8")))
    return [(page, textwrap.dedent(m.group(2))) for page, m in blocks if m.group(1) in language]


def shell_commands() -> list[Command]:
    """Every simple command of the pages' shell blocks (split at &&, ; and |; `x=$(…)` unwrapped)."""
    commands = []
    for page, block in fenced_blocks(("bash", "sh", "")):
        for line in block.splitlines():
            words = shlex.split(line.strip(), comments=True)
            if not words:
                continue
            part: list[str] = []
            for word in [*words, "&&"]:
                if word in ("&&", ";", "|", "||"):
                    if part:
                        commands.append(Command(str(page.relative_to(REPO)), line.strip(), tuple(part)))
                    part = []
                    continue
                part.append(re.sub(r"^\w+=\$\(", "", word).removesuffix(")"))
    return commands


def program_commands() -> list[Command]:
    """Commands of this repository: ketamine-claims, scripts/…, and Python files run with the environment's python."""
    return [
        c for c in shell_commands()
        if c.argv[0] in KETAMINE_CLAIMS or c.argv[0].startswith("scripts/") or c.argv[0] == ".venv/bin/python"
    ]


class Parsed(BaseException):
    """Raised right after a successful parse_args, so that nothing runs."""


def parse_only(run, argv: list[str], monkeypatch) -> None:
    """Run a program's entry point with argv until its parser has parsed it: argparse's errors exit 2, --help exits 0."""
    original = argparse.ArgumentParser.parse_args

    def parse_and_stop(self, args=None, namespace=None):
        original(self, args, namespace)
        raise Parsed

    with monkeypatch.context() as patch:
        patch.setattr(argparse.ArgumentParser, "parse_args", parse_and_stop)
        patch.setattr(sys, "argv", argv)
        try:
            run()
        except Parsed:
            return
    pytest.fail(f"{' '.join(argv)}: returned without parsing its arguments")


def script_target(script: Path) -> tuple[str, str]:
    """What a scripts/ wrapper runs with its arguments: ("module", name), ("path", file), ("cli", subcommand),
    ("pytest", "") or ("shell", "") for a script that parses its own arguments."""
    text = script.read_text(encoding="utf-8")
    if m := re.search(r"^exec python -m (\S+) \"\$@\"$", text, re.M):
        return ("pytest", "") if m.group(1) == "pytest" else ("module", m.group(1))
    if m := re.search(r"^exec python (\S+\.py) \"\$@\"$", text, re.M):
        return "path", m.group(1)
    if m := re.search(r"^(?:exec )?ketamine-claims (\S+) \"\$@\"$", text, re.M):
        return "cli", m.group(1)
    return "shell", ""


def check_parses(command: Command, monkeypatch) -> None:
    program, *args = command.argv
    if program == ".venv/bin/python":
        target, *args = args
        monkeypatch.syspath_prepend(str((REPO / target).parent))
        parse_only(lambda: runpy.run_path(str(REPO / target), run_name="__main__"), [target, *args], monkeypatch)
        return
    if program in KETAMINE_CLAIMS:
        parse_only(lambda: runpy.run_module("ketamine_claims", run_name="__main__"), ["ketamine-claims", *args], monkeypatch)
        return
    script = REPO / program
    assert script.is_file() and os.access(script, os.X_OK), f"{command}: no executable {program}"
    kind, target = script_target(script)
    if kind == "module":
        monkeypatch.delitem(sys.modules, target, raising=False)  # runpy runs a fresh copy; no warning about the old one
        parse_only(lambda: runpy.run_module(target, run_name="__main__"), [target, *args], monkeypatch)
    elif kind == "path":
        monkeypatch.syspath_prepend(str((REPO / target).parent))
        parse_only(lambda: runpy.run_path(str(REPO / target), run_name="__main__"), [target, *args], monkeypatch)
    elif kind == "cli":
        argv = ["ketamine-claims", target, *args]
        parse_only(lambda: runpy.run_module("ketamine_claims", run_name="__main__"), argv, monkeypatch)
    elif kind == "pytest":
        options = pytest_options()
        assert all(a in options for a in args if a.startswith("-")), f"{command}: not an option of pytest"
    else:
        text = script.read_text(encoding="utf-8")
        assert all(a in text for a in args if a.startswith("-")), f"{command}: {program} does not take these options"
        assert all(a.startswith("-") for a in args) or "$1" in text, f"{command}: {program} takes no argument"


@functools.cache
def pytest_options() -> set[str]:
    result = subprocess.run([sys.executable, "-m", "pytest", "--help"], capture_output=True, text=True, check=True)
    return set(re.findall(r"(?<![\w-])(-{1,2}[\w-]+)", result.stdout))


def test_pages_show_commands():
    commands = program_commands()
    pages = {c.page for c in commands}
    assert "README.md" in pages and len(pages) >= 8, pages
    assert {("scripts/build",), ("scripts/test",)} <= {c.argv for c in commands if c.page == "README.md"}


def test_every_other_program_of_the_environment_exists():
    """`.venv/bin/X` commands other than ketamine-claims and python name a program of this environment."""
    programs = {c.argv[0] for c in shell_commands() if c.argv[0].startswith(".venv/bin/")}
    assert programs
    bin_dir = Path(sys.executable).parent
    assert [p for p in sorted(programs) if not (bin_dir / p.removeprefix(".venv/bin/")).is_file()] == []


@pytest.mark.parametrize("command", program_commands(), ids=str)
def test_every_command_parses(command, monkeypatch):
    """The program exists, the subcommand exists, and its parser accepts the options and arguments as written."""
    monkeypatch.chdir(REPO)
    try:
        check_parses(command, monkeypatch)
    except SystemExit as exc:  # argparse's error exit (2; its message is on stderr), or --help (0)
        if exc.code not in (0, None):
            pytest.fail(f"{command}: the parser refused it (exit {exc.code})")


def test_the_parse_check_can_fail(monkeypatch):
    monkeypatch.chdir(REPO)
    wrong = (("ketamine-claims", "no-such-command"), ("ketamine-claims", "view", "--no-such"), ("scripts/train-claims", "--nope"))
    for argv in wrong:
        with pytest.raises((SystemExit, pytest.fail.Exception)):
            check_parses(Command("test", " ".join(argv), argv), monkeypatch)


def shards_before_run() -> bool:
    """In docs/scale.md, shards are made before the first `run shards/ …`."""
    scale = [c for c in program_commands() if c.page == "docs/scale.md"]
    first_run = next(i for i, c in enumerate(scale) if c.argv[1:3] == ("run", "shards/"))
    return any(c.argv[1:3] == ("generate-corpus", "shards/") for c in scale[:first_run])


def test_shards_are_made_before_the_first_run():
    assert shards_before_run()


def cheap_commands() -> list[Command]:
    """Distinct cheap commands in page order; `run` once per local engine (the other lines are parsed only)."""
    chosen, engines_run = {}, set()
    for command in program_commands():
        args = command.argv[1:]
        if command.argv[0] not in KETAMINE_CLAIMS or not args or args[0] not in CHEAP:
            continue
        if args[:2] == ("annotate", "import"):  # needs a Label Studio export
            continue
        if args[0] == "run":
            engine = args[args.index("--engine") + 1] if "--engine" in args else "local"
            if engine not in LOCAL_ENGINES or engine in engines_run:
                continue
            engines_run.add(engine)
        chosen.setdefault(command.argv, command)
    return list(chosen.values())


def test_cheap_commands_run_as_written(tmp_path):
    """In page order, in a copy of the repository: the commands that read it or write into folders of their own."""
    root = copy_inputs(tmp_path / "clone", with_dataset=True)
    doc_id = sorted(p.stem for p in (root / "annotations").glob("*.yaml") if p.stem != "references")[0]
    (root / "article.txt").write_text("Ketamine clinics\nKetamine may help some people with depression.\n", encoding="utf-8")
    commands = cheap_commands()
    assert {c.argv[1] for c in commands} >= {"add-article", "agreement", "annotate", "check-annotations", "run"}
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    for command in commands:
        args = [PLACEHOLDERS.get(a, a).replace("<doc_id>", doc_id) for a in command.argv[1:]]
        command_line = [sys.executable, "-m", "ketamine_claims", *args]
        result = subprocess.run(command_line, cwd=root, capture_output=True, text=True, env=env)
        assert result.returncode == 0, f"{command}\n{result.stderr}"


# ---------------------------------------------------------------- Python blocks, module names, paths and links


def test_python_blocks_compile_and_import_what_they_name():
    blocks = fenced_blocks(("python",))
    assert blocks
    for page, block in blocks:
        for node in ast.parse(block, str(page)).body:
            if isinstance(node, ast.ImportFrom) and node.module.startswith("ketamine_claims"):
                module = importlib.import_module(node.module)
                assert all(hasattr(module, alias.name) for alias in node.names), f"{page}: from {node.module} import …"


def test_readme_load_example_runs(monkeypatch):
    readme = PAGES[0].read_text(encoding="utf-8")
    block = next(b for p, b in fenced_blocks(("python",)) if p == PAGES[0] and "load_dataset(\"dataset\"" in b)
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    scope: dict = {}
    exec(compile(block, "README.md", "exec"), scope)
    assert len(scope["documents"]) > 0 and 0 < len(scope["gold"]) <= len(scope["claims"])
    assert "ketamine_claims.download(" in readme


def dotted_names() -> set[tuple[str, str, bool]]:
    """(page, `ketamine_claims.…` name, whether the page calls it)."""
    names = set()
    for page in PAGES:
        for name, call in re.findall(r"\bketamine_claims((?:\.\w+)+)(\(?)", page.read_text(encoding="utf-8")):
            names.add((str(page.relative_to(REPO)), f"ketamine_claims{name}", bool(call)))
    return names


def resolves(name: str, called: bool) -> bool:
    """The name is a module or an attribute of one (callable when the page calls it)."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        with contextlib.suppress(ModuleNotFoundError):
            obj = importlib.import_module(".".join(parts[:cut]))
            for attr in parts[cut:]:
                if not hasattr(obj, attr):
                    return False
                obj = getattr(obj, attr)
            return callable(obj) or not called
    return False


def test_every_module_name_resolves():
    names = dotted_names()
    assert names and any(called for _, _, called in names)
    assert [f"{page}: {name}" for page, name, called in sorted(names) if not resolves(name, called)] == []
    assert not resolves("ketamine_claims.release.download", called=True)  # a module, not the function


PATH_PREFIXES = ("src/", "tests/", "scripts/", "schemas/", "annotations/", "benchmarks/", "docs/", "seeds/", "dataset/")


def named_paths(page: Path) -> set[str]:
    """Repository paths in backticks and link targets of a page, relative to the repository root."""
    text = page.read_text(encoding="utf-8")
    paths = {p for p in re.findall(r"`([^`\s]+)`", text) if p.startswith(PATH_PREFIXES)}
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if not re.match(r"\w+:", target):
            paths.add(os.path.normpath(page.parent.relative_to(REPO) / target.split("#")[0]))
    return {p for p in paths if not re.search(r"[<>*{}]|X\.Y\.Z|NNN", p)}


def test_every_named_path_exists():
    named = [(page.relative_to(REPO), path) for page in PAGES for path in sorted(named_paths(page))]
    assert [f"{page}: {path}" for page, path in named if not (REPO / path).exists()] == []


def test_readme_stays_short_and_links_every_page():
    readme = PAGES[0].read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    for page in PAGES[1:]:
        assert f"](docs/{page.name})" in readme, page.name


def slug(heading: str) -> str:
    """GitHub's anchor of a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_anchor_exists():
    anchors = []
    for page in PAGES:
        for target, anchor in re.findall(r"\]\(([^)\s#]*\.md)#([^)\s]+)\)", page.read_text(encoding="utf-8")):
            text = (page.parent / target).read_text(encoding="utf-8")
            headings = {slug(h) for h in re.findall(r"^#+ (.+)$", text, re.M)}
            anchors.append((page.name, target, anchor, anchor in headings))
    assert anchors and all(found for *_, found in anchors), [a for a in anchors if not a[3]]
