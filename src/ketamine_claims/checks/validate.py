"""Stage 8: validation of a built folder, the gate every build and release passes.

`CHECKS` lists every check by name, in the order they run. A check is a small function with a
docstring saying what it guarantees; it is fast (every build) or thorough (the `validate` command,
tests, releases), and runs on every folder or only on a build folder (which has the repository's
inputs) or a release folder (which has a registry). To add one: write the function in the module of
its kind (files, tables, cross_table, external) and add its line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ketamine_claims.checks import cross_table, external, files, tables
from ketamine_claims.checks.folder import BUILD, RELEASE, CheckedFolder
from ketamine_claims.paths import Paths

FAST, THOROUGH = "fast", "thorough"
ANY = (BUILD, RELEASE)


@dataclass(frozen=True)
class Check:
    """One named check: its function reads the folder (on_folder) or its tables, and returns its problems."""

    name: str
    function: Callable[..., list[str]]
    on_folder: bool = False  # the function takes the CheckedFolder, not its tables
    level: str = FAST
    scopes: tuple[str, ...] = ANY
    stops: bool = False  # problems stop every later check (they read what this one found broken)


# fmt: off
CHECKS: tuple[Check, ...] = (
    Check("parquet-schemas",         files.parquet_schemas, on_folder=True, stops=True),
    Check("hashes",                  files.hashes, on_folder=True),
    Check("croissant",               files.croissant, on_folder=True),
    Check("readable-tables",         files.readable_tables, on_folder=True, stops=True),
    Check("pandera",                 tables.pandera),
    Check("foreign-keys",            cross_table.foreign_keys),
    Check("primary-keys",            cross_table.primary_keys),
    Check("span-text",               cross_table.span_text),
    Check("span-label-source",       cross_table.span_label_source),
    Check("segment-order",           cross_table.segment_order),
    Check("boilerplate-kind",        cross_table.boilerplate_kind),
    Check("sentence-in-segment",     cross_table.sentence_in_segment),
    Check("sentence-boilerplate",    cross_table.sentence_boilerplate),
    Check("claim-in-segment",        cross_table.claim_in_segment),
    Check("claim-sentence",          cross_table.claim_sentence),
    Check("claim-boilerplate",       cross_table.claim_boilerplate),
    Check("claim-id",                cross_table.claim_id),
    Check("gold-claim-verdict",      cross_table.gold_claim_verdict),
    Check("auto-claim-verdict",      cross_table.auto_claim_verdict),
    Check("gold-verdict-evidence",   cross_table.gold_verdict_evidence),
    Check("evidence-of-gold-claims", cross_table.evidence_of_gold_claims),
    Check("has-claim",               cross_table.has_claim),
    Check("document-counts",         cross_table.document_counts),
    Check("clean-text",              cross_table.clean_text),
    Check("title-segment",           cross_table.title_segment),
    Check("gold-title-first",        cross_table.gold_title_first),
    Check("document-sha256",         cross_table.document_sha256),
    Check("nested-claims",           cross_table.nested_claims),
    Check("row-order",               tables.row_order),
    Check("seeds",                   files.seeds, on_folder=True, scopes=(BUILD,)),
    Check("release-card",            files.release_card, on_folder=True, scopes=(RELEASE,)),
    Check("release-files",           files.release_files, on_folder=True, scopes=(RELEASE,)),
    Check("card",                    external.card, on_folder=True, level=THOROUGH),
    Check("frictionless",            external.frictionless, on_folder=True, level=THOROUGH),
    Check("load-dataset",            external.load_dataset, on_folder=True, level=THOROUGH),
    Check("release-loads",           external.release_loads, on_folder=True, level=THOROUGH, scopes=(RELEASE,)),
)
# fmt: on
CHECK_NAMES = tuple(check.name for check in CHECKS)


@dataclass
class Report:
    """What a validation found: its problems, and how many each check that ran found (in the order they ran)."""

    problems: list[str] = field(default_factory=list)
    ran: dict[str, int] = field(default_factory=dict)


def selected(check: Check, scope: str, thorough: bool, also: tuple[str, ...]) -> bool:
    """Whether check runs on a folder of scope: fast checks always, thorough ones when asked (or named in also)."""
    return scope in check.scopes and (check.level == FAST or thorough or check.name in also)


def run_checks(target: CheckedFolder, *, thorough: bool = True, also: tuple[str, ...] = ()) -> Report:
    """Run the checks of CHECKS that apply to target, in order, stopping after a check marked stops finds problems."""
    unknown = set(also) - set(CHECK_NAMES)
    if unknown:
        raise ValueError(f"no check named {', '.join(sorted(unknown))}; the checks are {', '.join(CHECK_NAMES)}")
    report = Report()
    for check in CHECKS:
        if not selected(check, target.scope, thorough, also):
            continue
        problems = check.function(target if check.on_folder else target.frames)
        report.ran[check.name] = len(problems)
        report.problems += problems
        if problems and check.stops:
            break
    return report


def validate_folder(folder: Path, paths: Paths | None = None, *, thorough: bool = True) -> list[str]:
    """Every problem found in a built folder (dataset/, datapackage.json, schemas/); [] when valid.

    paths: the repository inputs of a build folder (seeds are compared byte for byte); None for a
    release or download folder, whose registry is then not known (run_checks with a CheckedFolder
    that has its assets checks its files)."""
    return run_checks(CheckedFolder(folder, paths), thorough=thorough).problems
