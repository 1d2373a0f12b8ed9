"""Stage 5b: annotation in Label Studio — pre-annotated tasks out, annotation files back.

Plain JSON and XML; no Label Studio package is needed here (the server and its SDK are the `label-studio` extra,
used by the maintainer and the integration tests only).

- `labeling_config` writes the labeling configuration (XML). Every label set comes from `schemas/` (the enums the
  guidelines define) and the reference ids from `annotations/references.yaml`, so the tool offers exactly the labels
  the build accepts.
- `export_tasks` turns documents into Label Studio tasks whose prediction is the document's current labels: gold
  where an annotation file exists, else auto. Boilerplate segments are regions labelled with their kind, the title
  is a region labelled `title`, every claim row is a region labelled with its claim_type that carries condition,
  intervention, hedged, attribution, verdict, rationale and refs as per-region answers, and the document flags are
  a choice over the whole text.
- `import_export` reads Label Studio's JSON export back into annotation files in the normal form (`annotation_yaml`),
  checking every region against the article first; nothing is written unless every task is valid.

Offsets are code points, as everywhere in the dataset. Label Studio's editor has counted UTF-16 units after emoji in
some versions, so every region's `text` must equal `text[start:end]`; a mismatch is refused, naming task and region.
"""

from __future__ import annotations

import json
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ketamine_claims import __version__, schema
from ketamine_claims.errors import FaultError, InputError
from ketamine_claims.gold.annotations import FLAG_NAMES, NOT_CHECKABLE, Anchor, check_refs, find_anchor, load_annotation, resolve
from ketamine_claims.text.segments import Segment, split_segments

TEXT = "text"  # the object tag (the article) every control labels
FLAGS = "document"  # choices over the whole document: the flags that are true
TITLE = "title"  # span label of the title segment
BOILERPLATE = "boilerplate"  # span labels: the boilerplate kinds
CLAIM = "claim_type"  # span labels: the claim types; a claim region carries the per-region answers below
SINGLE_CHOICES = ("condition", "intervention", "hedged", "attribution", "verdict")
RATIONALE = "rationale"
REFS = "refs"
PER_REGION = (*SINGLE_CHOICES, RATIONALE, REFS)
NO_CONDITION = "none"  # the explicit answer for a claim about no condition (null in the dataset)
BOOLEANS = {"true": True, "false": False}
STYLE = ".htx-text { white-space: pre-wrap; }"  # show the article's line breaks: one segment per line


@dataclass(frozen=True)
class Vocabulary:
    """Every label set the configuration offers, from the Table Schemas and the references table."""

    kinds: tuple[str, ...]
    claim_types: tuple[str, ...]
    choices: dict[str, tuple[str, ...]]  # the single-choice per-region answers
    refs: tuple[str, ...]
    ref_hints: dict[str, str] = field(default_factory=dict)


def vocabulary(references: Sequence[dict[str, Any]]) -> Vocabulary:
    """The label sets: schema enums (boilerplate kinds, claim labels) and the reference ids of the references table."""
    choices = {
        "condition": (*schema.enum_values("claims", "condition"), NO_CONDITION),
        "intervention": schema.enum_values("claims", "intervention"),
        "hedged": tuple(BOOLEANS),
        "attribution": schema.enum_values("claims", "attribution"),
        "verdict": schema.enum_values("claims", "verdict"),
    }
    return Vocabulary(
        kinds=schema.enum_values("segments", "boilerplate_kind"),
        claim_types=schema.enum_values("claims", "claim_type"),
        choices=choices,
        refs=tuple(r["ref_id"] for r in references),
        ref_hints={r["ref_id"]: r["citation"] for r in references},
    )


def _description(table: str, column: str) -> str:
    """The first clause of a column's schema description (what an annotator needs, without notes on nulls)."""
    text = next(f.get("description", column) for f in schema.fields(table) if f["name"] == column)
    return text.split("; ")[0].split(". ")[0].rstrip(".")


def labeling_config(vocab: Vocabulary) -> str:
    """The Label Studio labeling configuration (XML) for tasks from `export_tasks`."""
    view = ET.Element("View")
    ET.SubElement(view, "Style").text = STYLE
    ET.SubElement(view, "Header", value="$doc_id", size="5")
    ET.SubElement(view, "Header", value="Document flags (tick every flag that is true):", size="6")
    flags = ET.SubElement(view, "Choices", name=FLAGS, toName=TEXT, choice="multiple", showInline="true")
    for name in FLAG_NAMES:
        ET.SubElement(flags, "Choice", value=name, hint=_description("documents", name))
    ET.SubElement(view, "Header", value="Title, boilerplate kind (one per segment) and claim_type spans:", size="6")
    title = ET.SubElement(view, "Labels", name=TITLE, toName=TEXT, choice="single")
    ET.SubElement(title, "Label", value=TITLE, hint="the first content segment, which becomes documents.title")
    kinds = ET.SubElement(view, "Labels", name=BOILERPLATE, toName=TEXT, choice="single")
    for kind in vocab.kinds:
        ET.SubElement(kinds, "Label", value=kind)
    claims = ET.SubElement(view, "Labels", name=CLAIM, toName=TEXT, choice="single")
    for claim_type in vocab.claim_types:
        ET.SubElement(claims, "Label", value=claim_type)
    ET.SubElement(view, "Text", name=TEXT, value="$text")
    region = ET.SubElement(view, "View", visibleWhen="region-selected")
    ET.SubElement(region, "Header", value="Labels of the selected claim span (leave empty for title and boilerplate):", size="6")
    for name in SINGLE_CHOICES:
        note = f" ({NO_CONDITION}: a claim about no condition)" if name == "condition" else ""
        ET.SubElement(region, "Header", value=f"{name}: {_description('claims', name)}{note}", size="6")
        control = ET.SubElement(region, "Choices", name=name, toName=TEXT, perRegion="true", choice="single", showInline="true")
        for value in vocab.choices[name]:
            ET.SubElement(control, "Choice", value=value)
    ET.SubElement(region, "Header", value=f"{RATIONALE}: {_description('claims', RATIONALE)}", size="6")
    ET.SubElement(
        region, "TextArea", name=RATIONALE, toName=TEXT, perRegion="true", maxSubmissions="1", editable="true", rows="2"
    )
    ET.SubElement(region, "Header", value="refs: the references the verdict cites (none for not_checkable)", size="6")
    refs = ET.SubElement(region, "Choices", name=REFS, toName=TEXT, perRegion="true", choice="multiple", showInline="true")
    for ref_id in vocab.refs:
        ET.SubElement(refs, "Choice", value=ref_id, hint=vocab.ref_hints.get(ref_id, ref_id))
    ET.indent(view, space="  ")
    return ET.tostring(view, encoding="unicode") + "\n"


# ---------------------------------------------------------------------------------------------------------------- export


def _span(region_id: str, control: str, start: int, end: int, text: str, label: str) -> dict[str, Any]:
    value = {"start": start, "end": end, "text": text[start:end], "labels": [label]}
    return {"id": region_id, "from_name": control, "to_name": TEXT, "type": "labels", "value": value}


def _answer(region_id: str, control: str, start: int, end: int, answer: list[str]) -> dict[str, Any]:
    """A per-region answer: choices, or the rationale's text area (whose value key is `text`)."""
    kind, key = ("textarea", "text") if control == RATIONALE else ("choices", "choices")
    value: dict[str, Any] = {"start": start, "end": end, key: answer}
    return {"id": region_id, "from_name": control, "to_name": TEXT, "type": kind, "value": value}


def prediction_result(doc_rows: dict[str, list[dict[str, Any]]], vocab: Vocabulary) -> list[dict[str, Any]]:
    """Label Studio regions of one document's rows (as `pipeline.process_doc` returns them)."""
    document = doc_rows["documents"][0]
    text = document["text"]
    result: list[dict[str, Any]] = []
    flags = [name for name in FLAG_NAMES if document[name]]
    if flags:
        result.append({"id": FLAGS, "from_name": FLAGS, "to_name": TEXT, "type": "choices", "value": {"choices": flags}})
    for seg in doc_rows["segments"]:
        if seg["block_type"] == TITLE:
            result.append(_span(TITLE, TITLE, seg["start"], seg["end"], text, TITLE))
        if seg["is_boilerplate"]:
            result.append(_span(f"b{seg['index']:03d}", BOILERPLATE, seg["start"], seg["end"], text, seg["boilerplate_kind"]))
    refs: dict[str, list[str]] = {}
    for row in doc_rows["claim_evidence"]:
        refs.setdefault(row["claim_id"], []).append(row["ref_id"])
    order = {ref_id: n for n, ref_id in enumerate(vocab.refs)}
    for n, claim in enumerate(doc_rows["claims"], start=1):
        region, start, end = f"c{n:03d}", claim["start"], claim["end"]
        result.append(_span(region, CLAIM, start, end, text, claim["claim_type"]))
        answers = {
            "condition": claim["condition"] or NO_CONDITION,
            "intervention": claim["intervention"],
            "hedged": "true" if claim["hedged"] else "false",
            "attribution": claim["attribution"],
            "verdict": claim["verdict"],
        }
        for name, answer in answers.items():
            if answer is not None:  # auto rows carry no verdict: the annotator gives it
                result.append(_answer(region, name, start, end, [answer]))
        if claim["rationale"] is not None:
            result.append(_answer(region, RATIONALE, start, end, [claim["rationale"]]))
        cited = sorted(refs.get(claim["claim_id"], []), key=lambda r: (order.get(r, len(order)), r))
        if cited:
            result.append(_answer(region, REFS, start, end, cited))
    return result


def task(doc_rows: dict[str, list[dict[str, Any]]], vocab: Vocabulary) -> dict[str, Any]:
    """One Label Studio task: the article and, as its prediction, its current labels."""
    document = doc_rows["documents"][0]
    source = document["label_source"]
    return {
        "data": {
            "doc_id": document["doc_id"],
            "text": document["text"],
            "label_source": source,
            "seed_file": document["seed_file"],
        },
        "predictions": [
            {"model_version": f"ketamine-claims {__version__} {source}", "result": prediction_result(doc_rows, vocab)}
        ],
    }


def export_tasks(paths, doc_ids: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Tasks for the chosen documents (default: every seed article), in seed order."""
    from ketamine_claims.inputs import load_inputs
    from ketamine_claims.pipeline import process_doc

    inputs = load_inputs(paths)
    known = {s.doc_id for s in inputs.seeds}
    unknown = [d for d in doc_ids if d not in known]
    if unknown:
        raise InputError(paths.seeds, f"no seed article with doc_id {', '.join(unknown)} (see seeds/manifest.csv)")
    chosen = set(doc_ids) or known
    vocab = vocabulary(inputs.references)
    tasks = []
    for seed in inputs.seeds:
        if seed.doc_id in chosen:
            rows = process_doc(seed.doc_id, seed.text, inputs.annotations.get(seed.doc_id), meta=seed.meta).rows
            tasks.append(task(rows, vocab))
    return tasks


def tasks_json(tasks: list[dict[str, Any]]) -> str:
    """The tasks file Label Studio imports (UTF-8 JSON, one key per line)."""
    return json.dumps(tasks, ensure_ascii=False, indent=1) + "\n"


# ---------------------------------------------------------------------------------------------------------------- import


@dataclass(frozen=True)
class Region:
    """A labelled span of one annotation (title, boilerplate kind or claim type)."""

    region_id: str
    control: str
    start: int
    end: int
    label: str


@dataclass
class ImportedDocument:
    """One task's chosen annotation, checked, as an annotation file in normal form."""

    task_id: Any
    annotation_id: Any
    doc_id: str
    yaml_text: str
    n_boilerplate: int
    n_claims: int


@dataclass
class ImportReport:
    documents: list[ImportedDocument]
    skipped: list[str]  # one line per task left out (no annotation)


class _Task:
    """Error helper for one task: every message names the export file, the task and (where given) the region."""

    def __init__(self, path: Path, task_id: Any, doc_id: str | None):
        self.path, self.task_id, self.doc_id = path, task_id, doc_id

    def error(self, message: str, region: str | None = None) -> InputError:
        where = f"task {self.task_id}" + (f" (doc {self.doc_id})" if self.doc_id else "")
        if region is not None:
            where += f", region {region}"
        return InputError(self.path, message, entry=where)


def _utf16_hint(text: str, start: int, end: int, quoted: str) -> str:
    """A hint when the offsets fit the text counted in UTF-16 units (Label Studio's editor bug after emoji)."""
    units = text.encode("utf-16-le")
    if units[2 * start : 2 * end].decode("utf-16-le", errors="replace") == quoted:
        return " (the offsets count UTF-16 units, as Label Studio's editor does after an emoji; relabel the span)"
    return ""


def _one(ctx: _Task, region: str, name: str, values: Any, allowed: Sequence[str]) -> str:
    if not isinstance(values, list) or len(values) != 1:
        raise ctx.error(f"{name} needs exactly one answer, got {values!r}", region)
    if values[0] not in allowed:
        raise ctx.error(f"{name} {values[0]!r} is not one of: {', '.join(allowed)}", region)
    return values[0]


def _regions(ctx: _Task, result: list[Any], text: str, vocab: Vocabulary):
    """Split an annotation's result into flags, labelled regions and per-region answers, checking each item."""
    labels = {TITLE: (TITLE,), BOILERPLATE: vocab.kinds, CLAIM: vocab.claim_types}
    flags: list[str] | None = None
    regions: dict[str, Region] = {}
    answers: dict[str, dict[str, dict[str, Any]]] = {}
    for n, item in enumerate(result, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("value"), dict):
            raise ctx.error(f"result item {n} is not a region (a mapping with a value)")
        rid = str(item.get("id", f"#{n}"))
        control, value = item.get("from_name"), item["value"]
        if control == FLAGS:
            chosen = value.get("choices")
            if not isinstance(chosen, list) or any(c not in FLAG_NAMES for c in chosen):
                raise ctx.error(f"document flags {chosen!r} are not among: {', '.join(FLAG_NAMES)}", rid)
            flags = chosen
        elif control in labels:
            start, end, quoted = value.get("start"), value.get("end"), value.get("text")
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
                raise ctx.error(f"start and end must be whole numbers, got {start!r} and {end!r}", rid)
            if not 0 <= start < end <= len(text):
                raise ctx.error(f"offsets [{start}, {end}) lie outside the text (0 to {len(text)})", rid)
            if not isinstance(quoted, str):
                raise ctx.error("the region has no text to check its offsets against", rid)
            if text[start:end] != quoted:
                hint = _utf16_hint(text, start, end, quoted)
                raise ctx.error(f"text[{start}:{end}] is {text[start:end]!r}, but the region's text is {quoted!r}{hint}", rid)
            label = _one(ctx, rid, control, value.get("labels"), labels[control])
            if rid in regions:
                raise ctx.error(f"the region has two labels ({regions[rid].label} and {label}); keep one per region", rid)
            regions[rid] = Region(rid, control, start, end, label)
        elif control in PER_REGION:
            if control in answers.get(rid, {}):
                raise ctx.error(f"{control} is answered twice", rid)
            answers.setdefault(rid, {})[control] = value
        else:
            known = ", ".join((FLAGS, TITLE, BOILERPLATE, CLAIM, *PER_REGION))
            raise ctx.error(f"unknown control {control!r} (the labeling config has: {known})", rid)
    for rid, given in answers.items():
        if rid not in regions or regions[rid].control != CLAIM:
            raise ctx.error(f"{', '.join(sorted(given))} given for a region that is not a claim span", rid)
    return flags or [], regions, answers


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace (Label Studio selections often take a trailing space)."""
    span = text[start:end]
    return start + (len(span) - len(span.lstrip())), end - (len(span) - len(span.rstrip()))


def _segments_of(ctx: _Task, segments: list[Segment], region: Region) -> list[int]:
    touched = [s.index for s in segments if s.start < region.end and region.start < s.end]
    if not touched:
        raise ctx.error("the region holds only whitespace between segments", region.region_id)
    return touched


def _claim(ctx: _Task, region: Region, given: dict[str, dict[str, Any]], vocab: Vocabulary, text: str) -> dict[str, Any]:
    rid = region.region_id
    missing = [name for name in (*SINGLE_CHOICES, RATIONALE) if name not in given]
    if missing:
        raise ctx.error(f"claim span without {', '.join(missing)}", rid)
    labels = {name: _one(ctx, rid, name, given[name].get("choices"), vocab.choices[name]) for name in SINGLE_CHOICES}
    rationale = given[RATIONALE].get("text")
    if not isinstance(rationale, list) or len(rationale) != 1 or not isinstance(rationale[0], str) or not rationale[0].strip():
        raise ctx.error(f"rationale needs exactly one non-empty text, got {rationale!r}", rid)
    refs = given.get(REFS, {}).get("choices", [])
    if (
        not isinstance(refs, list)
        or not all(isinstance(r, str) for r in refs)
        or len(set(refs)) != len(refs)
        or any(r not in vocab.refs for r in refs)
    ):
        raise ctx.error(f"refs {refs!r} must be distinct ids of the references table ({', '.join(vocab.refs)})", rid)
    if labels["verdict"] != NOT_CHECKABLE and not refs:
        raise ctx.error(f"verdict {labels['verdict']} needs at least one reference in refs", rid)
    start, end = _trimmed(text, region.start, region.end)
    if start >= end:
        raise ctx.error("the claim span holds only whitespace", rid)
    order = {ref_id: n for n, ref_id in enumerate(vocab.refs)}
    return {
        "start": start,
        "end": end,
        "claim_type": region.label,
        "condition": None if labels["condition"] == NO_CONDITION else labels["condition"],
        "intervention": labels["intervention"],
        "hedged": BOOLEANS[labels["hedged"]],
        "attribution": labels["attribution"],
        "verdict": labels["verdict"],
        "rationale": rationale[0].strip(),
        "refs": sorted(refs, key=order.__getitem__),
        "region": rid,
    }


def document_labels(ctx: _Task, result: list[Any], text: str, vocab: Vocabulary) -> tuple[dict[str, bool], dict[int, str], list]:
    """Flags, boilerplate kind per segment index and claim rows of one annotation result, every region checked."""
    flags, regions, answers = _regions(ctx, result, text, vocab)
    segments = split_segments(text)
    kinds: dict[int, str] = {}
    marked_by: dict[int, str] = {}
    titles, claims = [], []
    for region in sorted(regions.values(), key=lambda r: (r.start, r.end, r.region_id)):
        if region.control == BOILERPLATE:
            for index in _segments_of(ctx, segments, region):
                if kinds.get(index, region.label) != region.label:
                    raise ctx.error(
                        f"segment {index} is marked {kinds[index]} by region {marked_by[index]} and {region.label} by this one",
                        region.region_id,
                    )
                kinds[index], marked_by[index] = region.label, region.region_id
        elif region.control == TITLE:
            titles.append(region)
        else:
            touched = _segments_of(ctx, segments, region)
            if len(touched) > 1:
                raise ctx.error(
                    f"the claim span crosses segments {touched[0]} to {touched[-1]} (a span stays in one line)", region.region_id
                )
            claims.append(_claim(ctx, region, answers.get(region.region_id, {}), vocab, text))
    first_content = next((s.index for s in segments if s.index not in kinds), None)
    if len(titles) > 1:
        raise ctx.error(f"{len(titles)} title regions ({', '.join(t.region_id for t in titles)}); the title is one segment")
    for title in titles:
        touched = _segments_of(ctx, segments, title)
        if touched != [first_content]:
            raise ctx.error(
                f"the title region lies on segment(s) {touched}, but the title is the first segment not marked boilerplate "
                f"(segment {first_content}); mark the segments above it as boilerplate or move the title",
                title.region_id,
            )
    seen: dict[tuple[int, int, str | None], str] = {}
    for claim in claims:
        key = (claim["start"], claim["end"], claim["condition"])
        if key in seen:
            raise ctx.error(f"same span and condition as region {seen[key]}; one row per (span, condition)", claim["region"])
        seen[key] = claim["region"]
    return {name: name in flags for name in FLAG_NAMES}, kinds, claims


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar: printable characters as they are, every other one escaped (NBSP as \\u00a0)."""
    out = []
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == " " or ch.isprintable():
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def _anchor_lines(text: str, start: int, end: int) -> list[str]:
    quote = text[start:end]
    matches = find_anchor(text, Anchor(quote))
    lines = [f"  - quote: {yaml_string(quote)}"]
    if len(matches) > 1:
        lines.append(f"    occurrence: {matches.index(start) + 1}")
    return lines


def annotation_yaml(doc_id: str, text: str, flags: dict[str, bool], kinds: dict[int, str], claims: Iterable[dict]) -> str:
    """An annotation file in the normal form `annotate import` writes.

    Flags in FLAG_NAMES order; boilerplate in segment order, each quoting its whole segment; claims ordered by start,
    end and condition, each quoting its span; `occurrence` only where the quote occurs more than once; refs in the
    order of the references table; no comments. Two annotations with the same labels give the same bytes.
    """
    bool_text = {True: "true", False: "false"}
    lines = [f"doc_id: {doc_id}", "document:"]
    lines += [f"  {name}: {bool_text[flags[name]]}" for name in FLAG_NAMES]
    segments = split_segments(text)
    lines.append("boilerplate:" if kinds else "boilerplate: []")
    for index in sorted(kinds):
        seg = segments[index]
        lines += [*_anchor_lines(text, seg.start, seg.end), f"    kind: {kinds[index]}"]
    ordered = sorted(claims, key=lambda c: (c["start"], c["end"], c["condition"] or ""))
    lines.append("claims:" if ordered else "claims: []")
    for c in ordered:
        lines += _anchor_lines(text, c["start"], c["end"])
        lines += [
            f"    claim_type: {c['claim_type']}",
            f"    condition: {c['condition'] or 'null'}",
            f"    intervention: {c['intervention']}",
            f"    hedged: {bool_text[c['hedged']]}",
            f"    attribution: {c['attribution']}",
            f"    verdict: {c['verdict']}",
            f"    rationale: {yaml_string(c['rationale'])}",
            f"    refs: [{', '.join(c['refs'])}]",
        ]
    return "\n".join(lines) + "\n"


def _chosen_annotation(ctx: _Task, item: dict[str, Any], chosen: set[str]) -> dict[str, Any] | None:
    annotations = item.get("annotations", [])
    if not isinstance(annotations, list) or not all(isinstance(a, dict) for a in annotations):
        raise ctx.error("annotations must be a list of annotations")
    live = [a for a in annotations if not a.get("was_cancelled")]
    picked = [a for a in live if str(a.get("id")) in chosen]
    if len(picked) == 1:
        return picked[0]
    if len(live) > 1:
        ids = ", ".join(str(a.get("id")) for a in live)
        raise ctx.error(f"{len(live)} annotations (ids {ids}); choose one with --annotation ID")
    return live[0] if live else None


def read_export(path: Path) -> list[Any]:
    """The tasks of a Label Studio JSON export."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "no such file (export the project from Label Studio as JSON)") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid UTF-8 at byte offset {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise InputError(path, f"invalid JSON: {exc.msg}", line=exc.lineno) from None
    if not isinstance(data, list):
        raise InputError(path, "expected a list of tasks (Label Studio's JSON export)")
    return data


def check_documents(
    export: Path, tasks: list[Any], seeds: dict[str, str], references: Sequence[dict[str, Any]], chosen: Sequence[str] = ()
) -> ImportReport:
    """Every task of an export, checked and turned into annotation files in normal form (nothing written)."""
    vocab = vocabulary(references)
    known_refs = set(vocab.refs)
    documents: list[ImportedDocument] = []
    skipped: list[str] = []
    first_task: dict[str, Any] = {}
    for n, item in enumerate(tasks, start=1):
        task_id = item.get("id", f"#{n}") if isinstance(item, dict) else f"#{n}"
        data = item.get("data") if isinstance(item, dict) else None
        doc_id = data.get("doc_id") if isinstance(data, dict) else None
        ctx = _Task(export, task_id, doc_id if isinstance(doc_id, str) else None)
        if not isinstance(data, dict) or not isinstance(doc_id, str) or not isinstance(data.get(TEXT), str):
            raise ctx.error("the task's data needs doc_id and text (export tasks made by `annotate export`)")
        if doc_id not in seeds:
            raise ctx.error(f"no seed article with doc_id {doc_id}")
        if data[TEXT] != seeds[doc_id]:
            raise ctx.error("the task's text differs from the seed article's text")
        if doc_id in first_task:
            raise ctx.error(f"doc {doc_id} is also task {first_task[doc_id]}; export each document once")
        first_task[doc_id] = task_id
        annotation = _chosen_annotation(ctx, item, set(map(str, chosen)))
        if annotation is None:
            skipped.append(f"task {task_id} (doc {doc_id}): no annotation submitted")
            continue
        ctx.task_id = f"{task_id}, annotation {annotation.get('id')}"
        result = annotation.get("result")
        if not isinstance(result, list):
            raise ctx.error("the annotation has no result list")
        text = seeds[doc_id]
        flags, kinds, claims = document_labels(ctx, result, text, vocab)
        yaml_text = annotation_yaml(doc_id, text, flags, kinds, claims)
        _check_with_the_build(ctx, doc_id, text, yaml_text, known_refs)
        documents.append(ImportedDocument(task_id, annotation.get("id"), doc_id, yaml_text, len(kinds), len(claims)))
    unused = sorted(set(map(str, chosen)) - {str(doc.annotation_id) for doc in documents})
    if unused:
        raise InputError(export, f"--annotation {', '.join(unused)}: no such annotation among the tasks' annotations")
    return ImportReport(documents, skipped)


def _check_with_the_build(ctx: _Task, doc_id: str, text: str, yaml_text: str, known_refs: set[str]) -> None:
    """Parse the written form back with the build's own loader, resolve it and run the nested-claim checks."""
    import polars as pl

    from ketamine_claims.checks.cross_table import nested_claims
    from ketamine_claims.pipeline import process_doc

    with tempfile.TemporaryDirectory(prefix="ketamine-claims-import-") as folder:
        path = Path(folder) / f"{doc_id}.yaml"
        path.write_text(yaml_text, encoding="utf-8")
        try:
            annotation = load_annotation(path)
            check_refs(annotation, known_refs)
            resolve(annotation, text, split_segments(text))
            rows = process_doc(doc_id, text, annotation).rows["claims"]
        except InputError as exc:
            raise ctx.error(f"the annotation file would not build: {exc.entry or ''} {exc.message}".strip()) from None
    if rows:
        problems = nested_claims({"claims": pl.DataFrame(rows, infer_schema_length=None)})
        if problems:
            raise ctx.error("; ".join(problems))


def write_annotations(out: Path, documents: Sequence[ImportedDocument]) -> list[Path]:
    """Write every document's file into out, all or nothing (staged next to the files, then swapped in)."""
    from ketamine_claims.staging import Staging, note_recovered, recover

    if not out.is_dir():
        raise FaultError(out, "no such folder (give an existing folder with --out)")
    note_recovered(recover(out, IMPORT_PREFIX), "annotate import")
    targets = []
    with Staging(out, IMPORT_PREFIX) as staging:
        moves = []
        for doc in documents:
            staged = staging.path / f"{doc.doc_id}.yaml"
            staged.write_text(doc.yaml_text, encoding="utf-8")
            target = out / f"{doc.doc_id}.yaml"
            moves.append((staged, target))
            targets.append(target)
        staging.swap_in(moves, "annotate-import")
    return targets


IMPORT_PREFIX = ".import-"
