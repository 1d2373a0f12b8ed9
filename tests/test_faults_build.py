"""Faults and bad input around `build`: killed or failing at every step of the swap, unwritable and full
disks, and every bad seed, manifest and annotation file — nothing destroyed, nothing half-written,
no staging folder left, every error naming its file and place."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from fault_helpers import SMALL_DOC, SMALL_SEED, minimal_repo, run_cli, run_main, snapshot, staging_leftovers, unwritable
from ketamine_claims.build import BUILD_OUTPUTS, BUILD_PREFIX
from ketamine_claims.corpora.pages import CORPUS_FILES
from ketamine_claims.staging import Staging, swap_points
from ketamine_claims.text.seeds import MANIFEST_COLUMNS, MAX_ARTICLE_BYTES

KILL_POINTS = ["build-staged", *swap_points("build", len(BUILD_OUTPUTS)), "build-committed"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = minimal_repo(tmp_path_factory.mktemp("built"))
    code, _, err = run_main("build", root=root)
    assert code == 0, err
    return root


@pytest.fixture(scope="module")
def rebuilt(built, tmp_path_factory) -> Path:
    """The same repository after an input change (a site name in the manifest), built."""
    root = tmp_path_factory.mktemp("rebuilt") / "repo"
    shutil.copytree(built, root)
    change_site_name(root)
    code, _, err = run_main("build", root=root)
    assert code == 0, err
    return root


def change_site_name(root: Path) -> None:
    manifest = root / "seeds" / "manifest.csv"
    header, row = manifest.read_text(encoding="utf-8").splitlines()
    fields = row.split(",")
    fields[3] = "Renamed Site"
    manifest.write_text(f"{header}\n{','.join(fields)}\n", encoding="utf-8")


@pytest.fixture
def repo(built, tmp_path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(built, root)
    return root


def outputs(root: Path) -> dict:
    """What a build writes: dataset/, datapackage.json and CITATION.cff, byte for byte."""
    return {k: v for k, v in snapshot(root).items() if k.split("/")[0] in BUILD_OUTPUTS}


def assert_refused(root: Path, before: dict, result: tuple[int, str, str], code: int, *needles: str) -> None:
    """Exit code, message naming file and place, outputs byte-identical, no staging folder."""
    got, _, err = result
    assert got == code, err
    for needle in needles:
        assert needle in err, err
    assert outputs(root) == before
    assert staging_leftovers(root) == []


@pytest.mark.parametrize("point", KILL_POINTS)
def test_corrupt_build_killed_at_each_step_is_rolled_back_by_the_next_command(repo, rebuilt, point):
    before = outputs(repo)
    change_site_name(repo)
    killed = run_cli("build", root=repo, fault=point)
    assert killed.returncode == -9, killed.stderr
    code, _, err = run_main("validate", "--fast", root=repo)  # any later start recovers
    assert code == 0, err
    assert "left by an interrupted build" in err
    assert outputs(repo) == (outputs(rebuilt) if point == "build-committed" else before)
    assert staging_leftovers(repo) == []


@pytest.mark.parametrize("point", swap_points("build", len(BUILD_OUTPUTS)))
def test_corrupt_build_failing_at_each_step_of_the_swap_rolls_back(repo, monkeypatch, point):
    before = outputs(repo)
    change_site_name(repo)
    monkeypatch.setenv("KETAMINE_CLAIMS_FAULT", f"{point}:oserror")
    assert_refused(repo, before, run_main("build", root=repo), 4, "injected fault", str(repo))


def test_leftover_build_interrupted_by_ctrl_c_mid_swap_exits_130_and_rolls_back(repo):
    before = outputs(repo)
    change_site_name(repo)
    result = run_cli("build", root=repo, fault="build-swap-2-aside:sigint")
    assert result.returncode == 130, result.stderr
    assert outputs(repo) == before and staging_leftovers(repo) == []


def test_corrupt_build_never_removes_a_live_or_foreign_staging_folder(repo):
    foreign = repo / ".build-notes"
    foreign.mkdir()
    (foreign / "draft.txt").write_text("someone else's\n", encoding="utf-8")
    with Staging(repo, BUILD_PREFIX) as live:  # owned by a live process (this one)
        (live.path / "part.txt").write_text("in progress\n", encoding="utf-8")
        code, _, err = run_main("build", root=repo)
        assert code == 0, err
        assert (live.path / "part.txt").exists() and (foreign / "draft.txt").exists()
    assert staging_leftovers(repo) == [str(foreign)]


def test_corrupt_build_with_an_immutable_datapackage_changes_nothing(repo):
    before = outputs(repo)
    change_site_name(repo)
    with unwritable(repo / "datapackage.json"):
        result = run_main("build", root=repo)
    assert_refused(repo, before, result, 4, "datapackage.json")


def test_corrupt_build_with_a_read_only_dataset_folder_changes_nothing(repo):
    before = outputs(repo)
    change_site_name(repo)
    with unwritable(repo / "dataset"):
        result = run_main("build", root=repo)
    assert_refused(repo, before, result, 4, str(repo / "dataset"))


def test_corrupt_build_on_a_full_disk_changes_nothing(repo):
    before = outputs(repo)
    change_site_name(repo)
    result = run_cli("build", root=repo, max_file_bytes=20_000)
    assert result.returncode == 4, result.stderr
    assert "File too large" in result.stderr and str(repo) in result.stderr
    assert outputs(repo) == before and staging_leftovers(repo) == []


def test_place_build_in_an_unwritable_root_names_it(repo):
    before = outputs(repo)
    with unwritable(repo):
        result = run_main("build", root=repo)
    assert_refused(repo, before, result, 4, f"{repo}/.build-")


def bad_seed_symlink(root: Path) -> tuple[str, ...]:
    (root / "seeds" / "005_0123456789abcdef.txt").symlink_to("/etc/passwd")
    return "005_0123456789abcdef.txt", "symbolic link"


def bad_seed_upper_case_suffix(root: Path) -> tuple[str, ...]:
    (root / "seeds" / "005_0123456789abcdef.TXT").write_text("Ketamine helps.\n", encoding="utf-8")
    return "005_0123456789abcdef.TXT", "must be named NNN_<16 lowercase hex digits>.txt"


def bad_seed_folder(root: Path) -> tuple[str, ...]:
    (root / "seeds" / "005_0123456789abcdef.txt").mkdir()
    return "005_0123456789abcdef.txt", "is not a regular file"


def bad_manifest_extra_field(root: Path) -> tuple[str, ...]:
    manifest = root / "seeds" / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").rstrip("\n") + ",extra\n", encoding="utf-8")
    return "manifest.csv:2", f"expected {len(MANIFEST_COLUMNS)} fields"


def bad_manifest_missing_field(root: Path) -> tuple[str, ...]:
    manifest = root / "seeds" / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").rstrip("\n").rsplit(",", 1)[0] + "\n", encoding="utf-8")
    return "manifest.csv:2", f"expected {len(MANIFEST_COLUMNS)} fields"


def bad_manifest_folder(root: Path) -> tuple[str, ...]:
    (root / "seeds" / "manifest.csv").unlink()
    (root / "seeds" / "manifest.csv").mkdir()
    return "manifest.csv", "is not a regular file"


def bad_manifest_encoding(root: Path) -> tuple[str, ...]:
    manifest = root / "seeds" / "manifest.csv"
    manifest.write_bytes(manifest.read_bytes().replace(b",en", b",\xe9n"))
    return "manifest.csv:2", "not valid UTF-8"


def annotation(root: Path) -> Path:
    return root / "annotations" / f"{SMALL_DOC}.yaml"


def bad_annotation_duplicate_key(root: Path) -> tuple[str, ...]:
    text = annotation(root).read_text(encoding="utf-8")
    annotation(root).write_text(text.replace("claims:\n", "claims: []\nclaims:\n", 1), encoding="utf-8")
    line = text[: text.index("claims:\n")].count("\n") + 2
    return f"{SMALL_DOC}.yaml:{line}", "duplicate key 'claims'"


def bad_annotation_merge_key(root: Path) -> tuple[str, ...]:
    text = annotation(root).read_text(encoding="utf-8")
    annotation(root).write_text(text.replace("document:\n", "document:\n  <<: {commercial_intent: true}\n", 1), encoding="utf-8")
    line = text[: text.index("document:\n")].count("\n") + 2
    return f"{SMALL_DOC}.yaml:{line}", "merge keys (<<) are not allowed"


def bad_annotation_upper_case_name(root: Path) -> tuple[str, ...]:
    annotation(root).rename(root / "annotations" / f"{SMALL_DOC.upper()}.yaml")
    return f"{SMALL_DOC.upper()}.yaml", "must be named <doc_id>.yaml in lower case"


def bad_annotation_yml_suffix(root: Path) -> tuple[str, ...]:
    annotation(root).rename(root / "annotations" / f"{SMALL_DOC}.yml")
    return f"{SMALL_DOC}.yml", "must be named <doc_id>.yaml in lower case"


def bad_annotation_nested_too_deeply(root: Path) -> tuple[str, ...]:
    annotation(root).write_text("claims: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    return f"{SMALL_DOC}.yaml", "nested too deeply"


def bad_references_missing(root: Path) -> tuple[str, ...]:
    (root / "annotations" / "references.yaml").unlink()
    return "annotations/references.yaml", "missing"


BAD_INPUTS = {
    "silent": [
        bad_seed_symlink,
        bad_seed_upper_case_suffix,
        bad_manifest_extra_field,
        bad_manifest_missing_field,
        bad_annotation_duplicate_key,
        bad_annotation_upper_case_name,
        bad_annotation_yml_suffix,
    ],
    "place": [
        bad_seed_folder,
        bad_manifest_folder,
        bad_manifest_encoding,
        bad_annotation_nested_too_deeply,
        bad_references_missing,
    ],
    "hang": [bad_annotation_merge_key],
}


@pytest.mark.parametrize("make_bad", BAD_INPUTS["silent"], ids=lambda f: f.__name__)
def test_silent_bad_input_is_refused_naming_file_and_place(repo, make_bad):
    before = outputs(repo)
    needles = make_bad(repo)
    assert_refused(repo, before, run_main("build", root=repo), 3, *needles)


@pytest.mark.parametrize("make_bad", BAD_INPUTS["place"], ids=lambda f: f.__name__)
def test_place_unreadable_input_is_refused_naming_file_and_place(repo, make_bad):
    before = outputs(repo)
    needles = make_bad(repo)
    assert_refused(repo, before, run_main("build", root=repo), 3, *needles)


def test_hang_yaml_alias_bomb_is_refused_at_once(repo):
    before = outputs(repo)
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    annotation(repo).write_text("\n".join(levels) + "\n", encoding="utf-8")
    result = run_cli("build", root=repo, timeout=60)
    assert result.returncode == 3, result.stderr
    assert f"{SMALL_DOC}.yaml:2: invalid YAML: aliases (*name) are not allowed" in result.stderr
    assert outputs(repo) == before and staging_leftovers(repo) == []


@pytest.mark.parametrize("make_bad", BAD_INPUTS["hang"], ids=lambda f: f.__name__)
def test_hang_yaml_merge_key_is_refused(repo, make_bad):
    before = outputs(repo)
    needles = make_bad(repo)
    assert_refused(repo, before, run_main("build", root=repo), 3, *needles)


def test_hang_a_named_pipe_as_seed_is_refused_without_reading_it(repo):
    before = outputs(repo)
    os.mkfifo(repo / "seeds" / "005_0123456789abcdef.txt")  # reading it would block forever
    result = run_cli("build", root=repo, timeout=60)
    assert result.returncode == 3, result.stderr
    assert "005_0123456789abcdef.txt: is not a regular file" in result.stderr
    assert outputs(repo) == before and staging_leftovers(repo) == []


def test_hang_oversized_seed_is_refused_before_reading_it(repo):
    before = outputs(repo)
    with (repo / "seeds" / "005_0123456789abcdef.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB (sparse): refused by its size, never read
    result = run_cli("build", root=repo, timeout=60)
    assert result.returncode == 3, result.stderr
    message = f"005_0123456789abcdef.txt: seed file is {50 * 1024 * 1024} bytes, over the limit of {MAX_ARTICLE_BYTES}"
    assert message in result.stderr
    assert outputs(repo) == before and staging_leftovers(repo) == []


@pytest.mark.parametrize(
    "args",
    [["build"], ["check-annotations"], ["score"], ["validate"], ["view", "--out", "site"], ["diff", "working", "working"]],
    ids=lambda a: a[0],
)
def test_place_commands_outside_a_repository_root_name_the_folder_they_expected(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    code, _, err = run_main(*args)
    assert code == 4, err
    assert f"error: {tmp_path}" in err and "expected" in err and ("pass --root" in err or "repository root" in err), err
    assert list(tmp_path.iterdir()) == []


def test_place_generate_corpus_without_seeds_names_the_folder(tmp_path):
    code, _, err = run_main("--root", str(tmp_path), "generate-corpus", str(tmp_path / "out"), "--docs", "3")
    assert code == 4 and f"error: {tmp_path}: not a ketamine-claims checkout" in err and "expected seeds/" in err, err
    (tmp_path / "seeds").mkdir()
    code, _, err = run_main("--root", str(tmp_path), "generate-corpus", str(tmp_path / "out"), "--docs", "3")
    assert code == 3 and f"error: {tmp_path / 'seeds'}: no seed article with content" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seeds"]


def test_place_check_annotations_names_a_seedless_annotation(repo):
    (repo / "seeds" / SMALL_SEED).unlink()
    manifest = repo / "seeds" / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    code, _, err = run_main("check-annotations", root=repo)
    assert code == 3 and f"{SMALL_DOC}.yaml: no seed file for doc_id {SMALL_DOC}" in err, err


def nest_a_copy_of_the_first_claim(root: Path) -> int:
    """Append a claim whose span lies inside the first claim's span with the same proposition; return its line."""
    data = yaml.safe_load(annotation(root).read_text(encoding="utf-8"))
    inner = {**data["claims"][0], "quote": data["claims"][0]["quote"].rsplit(" ", 2)[0]}
    inner.pop("suffix", None)
    text = annotation(root).read_text(encoding="utf-8")
    planted = textwrap.indent(yaml.safe_dump([inner], sort_keys=False, allow_unicode=True, width=1000), "  ")
    annotation(root).write_text(text.rstrip("\n") + "\n" + planted, encoding="utf-8")
    return text.rstrip("\n").count("\n") + 2


@pytest.mark.parametrize("command", ["build", "check-annotations"])
def test_place_a_nested_claim_repeating_its_container_is_named_by_file_and_line(repo, command):
    before = outputs(repo)
    line = nest_a_copy_of_the_first_claim(repo)
    entries = len(yaml.safe_load(annotation(repo).read_text(encoding="utf-8"))["claims"])
    needle = f"{SMALL_DOC}.yaml:{line}: claims entry {entries}: nested inside claims entry 1"
    assert_refused(repo, before, run_main(command, root=repo), 3, needle, "repeats its proposition")


def test_place_disk_full_while_writing_the_build_names_the_folder(repo):
    before = outputs(repo)
    change_site_name(repo)
    result = run_cli("build", root=repo, fault="build-write:enospc")
    assert result.returncode == 4, result.stderr
    assert f"error: {repo}/.build-" in result.stderr and "No space left on device" in result.stderr, result.stderr
    assert "(no file named)" not in result.stderr
    assert outputs(repo) == before and staging_leftovers(repo) == []


def test_silent_build_with_root_reads_that_roots_schemas(repo):
    path = repo / "schemas" / "claims.schema.json"
    described = json.loads(path.read_text(encoding="utf-8"))
    described["fields"][0]["description"] = "Claim id as this checkout describes it."
    path.write_text(json.dumps(described, indent=2) + "\n", encoding="utf-8")
    code, _, err = run_main("build", root=repo)
    assert code == 0, err
    assert "Claim id as this checkout describes it." in (repo / "dataset" / "croissant.json").read_text(encoding="utf-8")
    assert "Claim id as this checkout describes it." in (repo / "dataset" / "README.md").read_text(encoding="utf-8")
    code, _, err = run_main("validate", "--fast", root=repo)
    assert code == 0, err


def test_hang_add_article_refuses_a_named_pipe_without_opening_it(repo, tmp_path):
    before = snapshot(repo / "seeds")
    pipe = tmp_path / "article.txt"
    os.mkfifo(pipe)  # opening it for reading would block until a writer comes
    result = run_cli("add-article", str(pipe), root=repo, timeout=60)
    assert result.returncode == 3, result.stderr
    assert f"error: {pipe}: is not a regular file" in result.stderr
    assert snapshot(repo / "seeds") == before


def test_silent_add_article_refuses_an_oversized_file_before_copying(repo, tmp_path):
    before = snapshot(repo / "seeds")
    big = tmp_path / "article.txt"
    with big.open("wb") as handle:
        handle.truncate(53 * 1000 * 1000)  # sparse: refused by its size
    code, _, err = run_main("add-article", str(big), root=repo)
    assert code == 3, err
    assert f"error: {big}: file is {53 * 1000 * 1000} bytes, over the limit of {MAX_ARTICLE_BYTES}" in err
    assert snapshot(repo / "seeds") == before


def test_silent_add_article_refuses_a_site_name_with_a_line_break(repo, tmp_path):
    before = snapshot(repo / "seeds")
    article = tmp_path / "article.txt"
    article.write_text("Ketamine infusions may ease depression for some adults.\n", encoding="utf-8")
    code, _, err = run_main("add-article", str(article), "--site-name", "Clinic\nseed_file,doc_id", root=repo)
    assert code == 3, err
    assert f"error: {article}: --site-name 'Clinic\\nseed_file,doc_id' holds a line break" in err
    assert snapshot(repo / "seeds") == before


@pytest.fixture
def second_annotation(repo) -> Path:
    """repo with annotations/second/ holding a copy of the gold annotation."""
    (repo / "annotations" / "second").mkdir()
    shutil.copyfile(annotation(repo), repo / "annotations" / "second" / annotation(repo).name)
    assert run_main("agreement", "--json", root=repo)[0] == 0
    return repo / "annotations" / "second"


def add_second_article(repo: Path) -> str:
    """A second seed (a copy of the first under another doc id) with its manifest row; return its doc id."""
    doc_id = "0123456789abcdef"
    data = (repo / "seeds" / SMALL_SEED).read_bytes() + b"\nOne more line.\n"
    (repo / "seeds" / f"005_{doc_id}.txt").write_bytes(data)
    manifest = repo / "seeds" / "manifest.csv"
    row = f"005_{doc_id}.txt,{doc_id},{hashlib.sha256(data).hexdigest()},,en" + "," * (len(MANIFEST_COLUMNS) - 5) + "\n"
    manifest.write_text(manifest.read_text(encoding="utf-8") + row, encoding="utf-8")
    return doc_id


@pytest.mark.parametrize("side", ["first", "second"])
def test_silent_agreement_refuses_an_article_annotated_on_one_side_only(repo, second_annotation, side):
    doc_id = add_second_article(repo)
    gold = annotation(repo).read_text(encoding="utf-8").replace(SMALL_DOC, doc_id)
    annotated = repo / "annotations" if side == "first" else second_annotation
    (annotated / f"{doc_id}.yaml").write_text(gold, encoding="utf-8")
    missing = (second_annotation if side == "first" else repo / "annotations") / f"{doc_id}.yaml"
    code, out, err = run_main("agreement", root=repo)
    assert code == 3 and out == "", err
    assert f"error: {missing}: missing, but {annotated / f'{doc_id}.yaml'} annotates this article" in err


def test_silent_agreement_refuses_a_second_annotation_linked_to_the_first(repo, second_annotation):
    linked = second_annotation / annotation(repo).name
    linked.unlink()
    linked.symlink_to(annotation(repo))
    code, out, err = run_main("agreement", root=repo)
    assert code == 3 and out == "", err
    assert f"error: {linked}: is a symbolic link" in err


def corrupt_corpora(folder: Path, data: bytes) -> Path:
    folder.mkdir()
    for name in CORPUS_FILES.values():
        (folder / name).write_bytes(data)
    return folder


PAGE = b'{"id": "a", "source": "s", "split": "test", "text": "Ketamine.", "labels": [1]}\n'  # one well-formed page
CORRUPT_CORPORA = {  # file bytes, the line at fault
    "not_gzip": (b"not gzip at all\n", 1),
    "truncated": (gzip.compress(PAGE * 50)[:-30], 1),
    "not_utf8": (gzip.compress(PAGE + b"\xff\xfe\n"), 2),
}


@pytest.mark.parametrize("kind", CORRUPT_CORPORA)
def test_place_score_names_a_corrupt_corpus_file_and_line(repo, tmp_path, kind):
    data, line = CORRUPT_CORPORA[kind]
    corpora = corrupt_corpora(tmp_path / "corpora", data)
    code, _, err = run_main("score", "--corpora", str(corpora), root=repo)
    assert code == 3, err
    assert err.startswith(f"error: {corpora / CORPUS_FILES['zyte']}:{line}: "), err


def test_place_train_boilerplate_names_a_corrupt_corpus_file_without_a_traceback(tmp_path):
    corpora = corrupt_corpora(tmp_path / "corpora", CORRUPT_CORPORA["truncated"][0])
    out = tmp_path / "model"
    command = [str(REPO / "scripts" / "train-boilerplate"), str(corpora), "--skip-eval", "--out", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 3, result.stderr
    assert f"error: {corpora / CORPUS_FILES['zyte']}:1: not a readable gzipped JSONL file" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()
