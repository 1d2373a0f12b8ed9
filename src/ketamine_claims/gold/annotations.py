"""Stage 5a: gold annotation files (annotations/<doc_id>.yaml) and the references table.

Labels are anchored by quote in the spirit of the W3C Web Annotation TextQuoteSelector: `quote`
is exact text, `prefix`/`suffix` must stand right before/after it, and `occurrence` (1-based)
picks among the remaining matches. Resolving an anchor gives offsets into the raw text; any
problem stops the build with the file, line and entry at fault.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ketamine_claims import schema
from ketamine_claims.errors import InputError
from ketamine_claims.text.segments import Segment

FLAG_NAMES = ("commercial_intent", "machine_paraphrased", "keyword_stuffing")
ANCHOR_KEYS = frozenset({"quote", "prefix", "suffix", "occurrence"})
BOILERPLATE_KEYS = ANCHOR_KEYS | {"kind"}
CLAIM_LABELS = ("claim_type", "condition", "intervention", "hedged", "attribution", "verdict", "rationale", "refs")
CLAIM_KEYS = ANCHOR_KEYS | frozenset(CLAIM_LABELS)
TOP_KEYS = frozenset({"doc_id", "document", "boilerplate", "claims"})
REFERENCE_KEYS = tuple(schema.column_names("references"))
NOT_CHECKABLE = "not_checkable"
LINE = "__line__"
# Guidelines 3.6, rule 3: verdicts from best to worst, and the words a nested row's rationale uses to say why its
# verdict is better than that of a span containing it.
VERDICT_SEVERITY = {"accurate": 0, "not_checkable": 1, "overstated": 2, "unsupported": 3, "contradicted": 4}
NESTED_REASON = "containing span"


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records the line of every mapping under the key `__line__`, and refuses
    duplicate keys, aliases (`*name`) and merge keys (`<<`): an annotation spells out every label,
    and a few bytes of nested aliases would otherwise expand into billions of nodes."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.MarkedYAMLError(problem="aliases (*name) are not allowed; write the value out", problem_mark=mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                problem = "merge keys (<<) are not allowed; write the keys out"
                raise yaml.MarkedYAMLError(problem=problem, problem_mark=key_node.start_mark)
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                continue  # SafeLoader refuses unhashable keys with its own error
            if key in seen:
                raise yaml.MarkedYAMLError(problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark)
            seen.add(key)
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


def _read_yaml(path: Path) -> Any:
    if not path.is_file():
        raise InputError(path, "missing or not a file" if not path.exists() else "is not a regular file")
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise InputError(path, f"invalid YAML: {exc.problem}", line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise InputError(path, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise InputError(path, "invalid YAML: nested too deeply") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid UTF-8 at byte offset {exc.start} ({exc.reason})") from None


@dataclass(frozen=True)
class Anchor:
    quote: str
    prefix: str = ""
    suffix: str = ""
    occurrence: int | None = None


@dataclass(frozen=True)
class BoilerplateEntry:
    where: str
    line: int
    anchor: Anchor
    kind: str


@dataclass(frozen=True)
class ClaimEntry:
    where: str
    line: int
    anchor: Anchor
    claim_type: str
    condition: str | None
    intervention: str
    hedged: bool
    attribution: str
    verdict: str
    rationale: str
    refs: tuple[str, ...]


@dataclass(frozen=True)
class Annotation:
    """A parsed, label-checked annotation file (anchors not yet resolved)."""

    path: str
    doc_id: str
    flags: dict[str, bool]
    boilerplate: tuple[BoilerplateEntry, ...]
    claims: tuple[ClaimEntry, ...]

    def error(self, message: str, entry: BoilerplateEntry | ClaimEntry | None = None) -> InputError:
        if entry is None:
            return InputError(self.path, message)
        return InputError(self.path, message, line=entry.line, entry=entry.where)


@dataclass(frozen=True)
class ResolvedClaim:
    start: int
    end: int
    segment_index: int
    entry: ClaimEntry


def _check_keys(path: Path, item: dict, allowed: frozenset[str] | set[str], where: str) -> None:
    unknown = sorted(set(item) - set(allowed) - {LINE})
    if unknown:
        raise InputError(path, f"unknown key(s) {', '.join(unknown)}", line=item.get(LINE), entry=where)


def _enum(path: Path, item: dict, key: str, table: str, where: str, *, nullable: bool = False) -> str | None:
    value = item.get(key)
    if value is None and nullable:
        return None
    allowed = schema.enum_values(table, key if key != "kind" else "boilerplate_kind")
    if value not in allowed:
        raise InputError(path, f"{key} {value!r} is not one of: {', '.join(allowed)}", line=item.get(LINE), entry=where)
    return value


def _anchor(path: Path, item: dict, where: str) -> Anchor:
    quote = item.get("quote")
    line = item.get(LINE)
    if not isinstance(quote, str) or not quote:
        raise InputError(path, "quote must be a non-empty string", line=line, entry=where)
    if quote != quote.strip():
        raise InputError(path, "quote starts or ends with whitespace", line=line, entry=where)
    for key in ("prefix", "suffix"):
        if not isinstance(item.get(key, ""), str):
            raise InputError(path, f"{key} must be a string", line=line, entry=where)
    occurrence = item.get("occurrence")
    if occurrence is not None and (not isinstance(occurrence, int) or isinstance(occurrence, bool) or occurrence < 1):
        raise InputError(path, "occurrence must be a whole number from 1", line=line, entry=where)
    return Anchor(quote, item.get("prefix", ""), item.get("suffix", ""), occurrence)


def _claim(path: Path, item: dict, where: str) -> ClaimEntry:
    line = item.get(LINE)
    missing = [k for k in CLAIM_LABELS if k not in item]
    if missing:
        raise InputError(path, f"missing label(s) {', '.join(missing)}", line=line, entry=where)
    if not isinstance(item["hedged"], bool):
        raise InputError(path, "hedged must be true or false", line=line, entry=where)
    verdict = _enum(path, item, "verdict", "claims", where)
    rationale = item["rationale"]
    if not isinstance(rationale, str) or not rationale.strip():
        raise InputError(path, "rationale must be a non-empty sentence", line=line, entry=where)
    refs = item["refs"]
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs) or len(set(refs)) != len(refs):
        raise InputError(path, "refs must be a list of distinct reference ids", line=line, entry=where)
    if verdict != NOT_CHECKABLE and not refs:
        raise InputError(path, f"verdict {verdict} needs at least one reference id in refs", line=line, entry=where)
    return ClaimEntry(
        where=where,
        line=line,
        anchor=_anchor(path, item, where),
        claim_type=_enum(path, item, "claim_type", "claims", where),
        condition=_enum(path, item, "condition", "claims", where, nullable=True),
        intervention=_enum(path, item, "intervention", "claims", where),
        hedged=item["hedged"],
        attribution=_enum(path, item, "attribution", "claims", where),
        verdict=verdict,
        rationale=rationale.strip(),
        refs=tuple(refs),
    )


def _boilerplate(path: Path, item: dict, where: str) -> BoilerplateEntry:
    return BoilerplateEntry(where, item.get(LINE), _anchor(path, item, where), _enum(path, item, "kind", "segments", where))


def _entries(path: Path, data: dict, section: str, allowed: frozenset[str], parse) -> list:
    """Parse the list under `section`, naming each entry "<section> entry N" in errors."""
    entries = []
    for n, item in enumerate(data.get(section) or [], start=1):
        where = f"{section} entry {n}"
        if not isinstance(item, dict):
            raise InputError(path, "expected a mapping with a quote and labels", entry=where)
        _check_keys(path, item, allowed, where)
        entries.append(parse(path, item, where))
    return entries


def load_annotation(path: Path) -> Annotation:
    """Parse one annotation file and check its structure and labels (not its anchors)."""
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise InputError(path, "expected a mapping with doc_id, document, boilerplate and claims")
    _check_keys(path, data, TOP_KEYS, "top level")
    doc_id = data.get("doc_id")
    if doc_id != path.stem:
        raise InputError(path, f"doc_id {doc_id!r} does not match the file name {path.name}", line=data.get(LINE))
    document = data.get("document") or {}
    if not isinstance(document, dict):
        raise InputError(path, "document must be a mapping of flags", line=data.get(LINE))
    _check_keys(path, document, frozenset(FLAG_NAMES), "document")
    flags = {}
    for name in FLAG_NAMES:
        if not isinstance(document.get(name), bool):
            raise InputError(path, f"{name} must be true or false", line=document.get(LINE), entry="document")
        flags[name] = document[name]

    boilerplate = tuple(_entries(path, data, "boilerplate", BOILERPLATE_KEYS, _boilerplate))
    claims = tuple(_entries(path, data, "claims", CLAIM_KEYS, _claim))
    return Annotation(str(path), doc_id, flags, boilerplate, claims)


def load_annotations(folder: Path) -> dict[str, Annotation]:
    """Every annotations/<doc_id>.yaml in folder (references.yaml excluded), keyed by doc_id."""
    found = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".yaml", ".yml") or path.name == "references.yaml":
            continue
        looks_like_annotation = re.fullmatch(r"[0-9a-fA-F]{16}", path.stem) is not None
        if looks_like_annotation and (path.suffix != ".yaml" or path.stem != path.stem.lower()):
            raise InputError(path, f"annotation files must be named <doc_id>.yaml in lower case ({path.stem.lower()}.yaml)")
        if path.suffix != ".yaml" or path.name.lower() == "references.yaml":
            raise InputError(path, "unexpected YAML file name: annotations/ holds <doc_id>.yaml files and references.yaml")
        if looks_like_annotation:
            found[path.stem] = load_annotation(path)
    return found


def load_references(path: Path) -> list[dict[str, Any]]:
    """Rows of the references table from annotations/references.yaml."""
    data = _read_yaml(path)
    if not isinstance(data, list):
        raise InputError(path, "expected a list of references")
    rows, seen = [], set()
    for n, item in enumerate(data, start=1):
        where = f"reference {n}"
        if not isinstance(item, dict):
            raise InputError(path, "expected a mapping", entry=where)
        _check_keys(path, item, frozenset(REFERENCE_KEYS), where)
        row = {key: item.get(key) for key in REFERENCE_KEYS}
        if not re.fullmatch(r"[A-Z]+[0-9]+", str(row["ref_id"])):
            raise InputError(path, f"ref_id {row['ref_id']!r} must look like K7 or M1", line=item.get(LINE), entry=where)
        if row["ref_id"] in seen:
            raise InputError(path, f"ref_id {row['ref_id']} listed twice", line=item.get(LINE), entry=where)
        if not row["citation"] or not row["summary"]:
            raise InputError(path, "citation and summary are required", line=item.get(LINE), entry=where)
        seen.add(row["ref_id"])
        rows.append(row)
    return rows


def check_refs(annotation: Annotation, known: set[str]) -> None:
    """Every reference id a verdict cites must be in the references table."""
    for claim in annotation.claims:
        unknown = [r for r in claim.refs if r not in known]
        if unknown:
            raise annotation.error(f"unknown reference id(s) {', '.join(unknown)}", claim)


def find_anchor(text: str, anchor: Anchor) -> list[int]:
    """Start offsets of every match of the anchor's quote that fits its prefix and suffix."""
    starts, at = [], text.find(anchor.quote)
    while at >= 0:
        end = at + len(anchor.quote)
        if text[max(0, at - len(anchor.prefix)) : at] == anchor.prefix and text[end : end + len(anchor.suffix)] == anchor.suffix:
            starts.append(at)
        at = text.find(anchor.quote, at + 1)
    return starts


def resolve_anchor(
    annotation: Annotation, entry: BoilerplateEntry | ClaimEntry, text: str, segments: list[Segment]
) -> tuple[int, int, int]:
    """(start, end, segment index) of an entry's anchor, or InputError naming the entry."""
    anchor = entry.anchor
    starts = find_anchor(text, anchor)
    if not starts:
        raise annotation.error(f"quote not found in the document: {anchor.quote!r}", entry)
    if anchor.occurrence is None:
        if len(starts) > 1:
            raise annotation.error(
                f"quote is ambiguous ({len(starts)} matches at offsets {starts}); add prefix, suffix or occurrence", entry
            )
        start = starts[0]
    elif anchor.occurrence > len(starts):
        raise annotation.error(f"occurrence {anchor.occurrence} asked for, but the quote matches {len(starts)} time(s)", entry)
    else:
        start = starts[anchor.occurrence - 1]
    end = start + len(anchor.quote)
    for seg in segments:
        if seg.start <= start < seg.end:
            if end > seg.end:
                raise annotation.error(f"quote crosses a segment boundary (segment {seg.index} ends at {seg.end})", entry)
            return start, end, seg.index
    raise annotation.error("quote lies outside every segment (only whitespace)", entry)


def resolve(annotation: Annotation, text: str, segments: list[Segment]) -> tuple[dict[int, str], list[ResolvedClaim]]:
    """Boilerplate kind per segment index, and the claims with offsets, for one document."""
    kinds: dict[int, str] = {}
    owner: dict[int, BoilerplateEntry] = {}
    for entry in annotation.boilerplate:
        _, _, index = resolve_anchor(annotation, entry, text, segments)
        if index in kinds:
            raise annotation.error(f"segment {index} is already labelled by {owner[index].where}", entry)
        kinds[index], owner[index] = entry.kind, entry
    claims: list[ResolvedClaim] = []
    seen: dict[tuple[int, int, str | None], ClaimEntry] = {}
    for entry in annotation.claims:
        start, end, index = resolve_anchor(annotation, entry, text, segments)
        key = (start, end, entry.condition)
        if key in seen:
            raise annotation.error(f"same span and condition as {seen[key].where}; one row per (span, condition)", entry)
        seen[key] = entry
        claims.append(ResolvedClaim(start, end, index, entry))
    return kinds, claims


def check_nested(annotation: Annotation, claims: list[ResolvedClaim]) -> None:
    """Guidelines 3.6, rules 2 and 3, in one file: a claim nested in another (its span inside the other's, not the
    same span) states a different proposition and has no better verdict unless its rationale names "the containing
    span". InputError naming the nested entry and the one containing it."""
    for inner in claims:
        for outer in claims:
            inside = outer.start <= inner.start and inner.end <= outer.end
            if not inside or (outer.start, outer.end) == (inner.start, inner.end):
                continue
            a, b = inner.entry, outer.entry
            container = f"{b.where} (line {b.line})"
            if (a.claim_type, a.condition) == (b.claim_type, b.condition):
                raise annotation.error(
                    f"nested inside {container} and repeats its proposition (claim_type {a.claim_type}, condition "
                    f"{a.condition}); keep one of the two spans (guidelines 3.6, rule 2)",
                    a,
                )
            if VERDICT_SEVERITY[a.verdict] < VERDICT_SEVERITY[b.verdict] and NESTED_REASON not in a.rationale.lower():
                raise annotation.error(
                    f"nested inside {container} with a better verdict ({a.verdict}, the container's is {b.verdict}) and "
                    f"a rationale that gives no reason naming 'the {NESTED_REASON}' (guidelines 3.6, rule 3)",
                    a,
                )
