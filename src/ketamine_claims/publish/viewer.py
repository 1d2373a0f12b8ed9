"""The span viewer: one static HTML page per document and an index, from a built dataset/.

Boilerplate segments are greyed and labelled with their kind; every claim row is one
`mark.claim` element (rows that share or nest spans nest; a span crossing another is continued
in `mark.claim-cont` pieces), coloured by claim_type, with a tooltip holding all its labels,
rationale and references. Where spans end, one badge per verdict (with a count when several rows
ending there share it) follows the text. Pages need no server and load no external assets.
"""

from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from ketamine_claims import schema
from ketamine_claims.tables import parquet_relpath

INDEX_PAGE = "index.html"
_CLAIM_LABELS = ("claim_type", "condition", "intervention", "hedged", "attribution", "verdict", "in_boilerplate", "label_source")
_DOC_FLAGS = ("commercial_intent", "machine_paraphrased", "keyword_stuffing")
# Okabe–Ito and Tol colours, one per claim_type; the three most frequent types (efficacy, safety,
# comparative) get hues far apart (green, orange, purple). Unknown types fall back to grey.
TYPE_COLOURS = {
    "efficacy": "#009E73",
    "onset": "#56B4E9",
    "mechanism": "#0072B2",
    "safety": "#E69F00",
    "adverse_effect": "#D55E00",
    "administration": "#CC79A7",
    "eligibility": "#F0E442",
    "regulatory": "#332288",
    "cost_access": "#999933",
    "comparative": "#AA3377",
}
_FALLBACK_COLOUR = "#999999"
_VERDICT_COLOURS = {
    "accurate": "#1b7f4d",
    "overstated": "#b35900",
    "unsupported": "#8a3c78",
    "contradicted": "#b3261e",
    "not_checkable": "#33658a",
}

_STYLE = """
body { font: 15px/1.6 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 2rem; color: #222; }
header { border-bottom: 1px solid #ccc; margin-bottom: 1rem; }
.meta { color: #555; font-size: 0.9em; }
.seg { white-space: pre-wrap; margin: 0.4rem 0; }
.seg[data-block-type="title"], .seg[data-block-type="heading"] { font-weight: bold; }
.seg.boilerplate { color: #888; background: #f2f2f2; border-left: 3px solid #bbb; padding-left: 0.5rem; }
.seg.boilerplate::before { content: attr(data-kind); font-size: 0.75em; text-transform: uppercase;
  letter-spacing: 0.05em; background: #ddd; color: #444; border-radius: 3px; padding: 0 0.3em; margin-right: 0.5em; }
body.hide-boilerplate .boilerplate { display: none; }
mark.claim, mark.claim-cont { background: color-mix(in srgb, var(--type-colour) 35%, transparent);
  border-bottom: 2px solid var(--type-colour); color: inherit; padding: 0.1em 0; }
.badges { vertical-align: super; font-size: 0.7em; margin-left: 0.15em; white-space: nowrap; }
.badge::before { content: attr(data-label); color: #fff; background: var(--verdict-colour); border-radius: 3px;
  padding: 0 0.3em; margin-right: 0.15em; }
.legend span { display: inline-block; margin: 0 0.6em 0.3em 0; padding: 0 0.4em; border-bottom: 2px solid var(--type-colour);
  background: color-mix(in srgb, var(--type-colour) 35%, transparent); }
table { border-collapse: collapse; font-size: 0.85em; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.4rem; text-align: left; vertical-align: top; }
"""

_SCRIPT = """
document.getElementById("toggle-boilerplate").addEventListener("change", function (event) {
  document.body.classList.toggle("hide-boilerplate", event.target.checked);
});
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _page(title: str, body: str, script: str = "") -> str:
    scripts = f"<script>{script}</script>\n" if script else ""
    return (
        "<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
        f"<title>{_e(title)}</title>\n<link rel='icon' href='data:,'>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n{scripts}</body>\n</html>\n"
    )


def type_colour(claim_type: str) -> str:
    return TYPE_COLOURS.get(claim_type, _FALLBACK_COLOUR)


def flag_text(value: bool | None) -> str:
    """A document flag for people: yes, no, or not labelled (auto documents carry no flags)."""
    return "not labelled" if value is None else ("yes" if value else "no")


def _badges(ending: list[dict[str, Any]]) -> str:
    """One badge per verdict of the claims ending here, with a count when several share it (text via CSS only)."""
    counts: dict[str, list[str]] = {}
    for claim in ending:
        if claim["verdict"]:
            counts.setdefault(claim["verdict"], []).append(claim["claim_id"])
    if not counts:
        return ""
    badges = "".join(
        f"<span class='badge' data-verdict='{_e(verdict)}' data-label='{_e(verdict)}{f' ×{len(ids)}' if len(ids) > 1 else ''}' "
        f"style='--verdict-colour: {_VERDICT_COLOURS[verdict]}' title='{_e(', '.join(ids))}'></span>"
        for verdict, ids in counts.items()
    )
    return f"<span class='badges'>{badges}</span>"


def claim_tooltip(claim: dict[str, Any], references: list[dict[str, Any]]) -> str:
    """Every label of a claim row, its rationale and the references its verdict cites, as plain text."""
    lines = [f"{claim['claim_id']} [{claim['start']}, {claim['end']})"]
    for column in _CLAIM_LABELS:
        lines.append(f"{column}: {'null' if claim[column] is None else claim[column]}")
    if claim["rationale"]:
        lines.append(f"rationale: {claim['rationale']}")
    for ref in references:
        lines.append(f"{ref['ref_id']}: {ref['citation']}")
    return "\n".join(lines)


def _open_tag(claim: dict[str, Any], tooltip: str, first: bool) -> str:
    style = f"--type-colour: {type_colour(claim['claim_type'])}"
    attrs = f" data-claim-id='{_e(claim['claim_id'])}' data-type='{_e(claim['claim_type'])}'"
    if first and claim["verdict"]:
        style += f"; --verdict-colour: {_VERDICT_COLOURS[claim['verdict']]}"
        attrs += f" data-verdict='{_e(claim['verdict'])}'"
    css_class = "claim" if first else "claim-cont"
    return f"<mark class='{css_class}'{attrs} style='{style}' title='{_e(tooltip)}'>"


def highlight(text: str, offset: int, claims: list[dict[str, Any]], tooltips: dict[str, str]) -> str:
    """HTML of text (which starts at offset in the document) with one mark.claim per claim row.

    Marks nest; a claim that crosses the end of an enclosing one is closed there and continued
    in a mark.claim-cont, so the count of mark.claim elements equals the number of claims.
    """
    ordered = sorted(claims, key=lambda c: (c["start"], -c["end"], c["claim_id"]))
    bounds = sorted({offset, offset + len(text)} | {c["start"] for c in ordered} | {c["end"] for c in ordered})
    starting: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for claim in ordered:
        starting[claim["start"]].append(claim)
    out: list[str] = []
    stack: list[dict[str, Any]] = []
    for i, position in enumerate(bounds):
        if any(c["end"] == position for c in stack):
            reopen, ending = [], []
            while any(c["end"] == position for c in stack):
                top = stack.pop()
                out.append("</mark>")
                (ending if top["end"] == position else reopen).append(top)
            out.append(_badges(sorted(ending, key=lambda c: c["claim_id"])))
            for claim in reversed(reopen):
                out.append(_open_tag(claim, tooltips[claim["claim_id"]], first=False))
                stack.append(claim)
        for claim in starting.get(position, []):
            out.append(_open_tag(claim, tooltips[claim["claim_id"]], first=True))
            stack.append(claim)
        if i + 1 < len(bounds):
            out.append(_e(text[position - offset : bounds[i + 1] - offset]))
    return "".join(out)


def document_page(
    doc: dict[str, Any], segments: list[dict[str, Any]], claims: list[dict[str, Any]], refs_by_claim: dict[str, list[dict]]
) -> str:
    """The HTML page of one document: its segments, highlighted claims and a table of every claim row."""
    tooltips = {c["claim_id"]: claim_tooltip(c, refs_by_claim.get(c["claim_id"], [])) for c in claims}
    by_segment: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for claim in claims:
        by_segment[claim["segment_id"]].append(claim)
    parts = [
        "<header>",
        f"<p><a href='{INDEX_PAGE}'>All documents</a></p>",
        f"<h1>{_e(doc['title'])}</h1>",
        f"<p class='meta'>doc_id <code>{_e(doc['doc_id'])}</code> · site {_e(doc['site_name'] or 'unknown')} · "
        f"labels <strong>{_e(doc['label_source'])}</strong> · {doc['n_segments']} segments "
        f"({doc['n_boilerplate_segments']} boilerplate) · {doc['n_claims']} claim rows</p>",
        "<p class='meta'>" + " · ".join(f"{flag}: {flag_text(doc[flag])}" for flag in _DOC_FLAGS) + "</p>",
        "<p><label><input type='checkbox' id='toggle-boilerplate'> Hide boilerplate</label></p>",
        "<p class='legend'>"
        + "".join(
            f"<span style='--type-colour: {type_colour(t)}'>{_e(t)}</span>" for t in schema.enum_values("claims", "claim_type")
        )
        + "</p>",
        "</header>",
        "<main>",
    ]
    for seg in segments:
        css = "seg boilerplate" if seg["is_boilerplate"] else "seg"
        kind = (
            f" data-kind='{_e(seg['boilerplate_kind'])}' title='{_e(seg['segment_id'])}: boilerplate "
            f"{_e(seg['boilerplate_kind'])} ({_e(seg['label_source'])})'"
            if seg["is_boilerplate"]
            else ""
        )
        parts.append(
            f"<p class='{css}' id='{_e(seg['segment_id'])}' data-block-type='{_e(seg['block_type'])}'{kind}>"
            f"{highlight(seg['text'], seg['start'], by_segment.get(seg['segment_id'], []), tooltips)}</p>"
        )
    parts += ["</main>", "<h2>Claim rows</h2>", "<table class='claims'>"]
    parts.append(
        "<tr><th>span</th><th>text</th><th>claim_type</th><th>condition</th><th>verdict</th><th>rationale</th><th>references</th></tr>"
    )
    for c in claims:
        refs = ", ".join(r["ref_id"] for r in refs_by_claim.get(c["claim_id"], []))
        parts.append(
            f"<tr><td>{c['start']}–{c['end']}</td><td>{_e(c['text'])}</td><td>{_e(c['claim_type'])}</td>"
            f"<td>{_e(c['condition'])}</td><td>{_e(c['verdict'])}</td><td>{_e(c['rationale'])}</td><td>{_e(refs)}</td></tr>"
        )
    parts.append("</table>")
    return _page(f"{doc['title']} · ketamine-claims", "\n".join(parts), _SCRIPT)


def index_page(docs: list[dict[str, Any]], rendered: set[str] | None = None) -> str:
    """The list of every document; titles link to the pages in rendered (default: all)."""

    def title(d: dict[str, Any]) -> str:
        if rendered is None or d["doc_id"] in rendered:
            return f"<a href='{_e(d['doc_id'])}.html'>{_e(d['title'])}</a>"
        return f"{_e(d['title'])} <span class='meta'>(page not rendered: view --doc {_e(d['doc_id'])})</span>"

    rows = "\n".join(
        f"<tr><td>{title(d)}</td><td><code>{_e(d['doc_id'])}</code></td>"
        f"<td>{_e(d['site_name'])}</td><td>{_e(d['label_source'])}</td><td>{d['n_segments']}</td>"
        f"<td>{d['n_boilerplate_segments']}</td><td>{d['n_claims']}</td></tr>"
        for d in docs
    )
    body = (
        "<h1>ketamine-claims: documents</h1>\n<table>\n<tr><th>title</th><th>doc_id</th><th>site</th><th>labels</th>"
        f"<th>segments</th><th>boilerplate</th><th>claim rows</th></tr>\n{rows}\n</table>"
    )
    return _page("ketamine-claims documents", body)


def _read(dataset: Path, table: str) -> list[dict[str, Any]]:
    return pq.read_table(dataset / parquet_relpath(table)).to_pylist()


def render_site(dataset: Path, out: Path, doc_ids: list[str] | None = None) -> list[Path]:
    """Write out/<doc_id>.html for the chosen documents (all by default) and out/index.html; return the pages.

    The index always lists every document, linking each one whose page is in out (so `--doc` adds pages to a
    site without shrinking its index)."""
    all_docs = docs = _read(dataset, "documents")
    known = {d["doc_id"] for d in docs}
    unknown = sorted(set(doc_ids or []) - known)
    if unknown:
        raise ValueError(f"unknown doc_id(s) {', '.join(unknown)} in {dataset}; known: {', '.join(sorted(known))}")
    if doc_ids:
        docs = [d for d in docs if d["doc_id"] in set(doc_ids)]
    references = {r["ref_id"]: r for r in _read(dataset, "references")}
    refs_by_claim: dict[str, list[dict]] = defaultdict(list)
    for link in _read(dataset, "claim_evidence"):
        refs_by_claim[link["claim_id"]].append(references[link["ref_id"]])
    segments: dict[str, list[dict]] = defaultdict(list)
    for seg in _read(dataset, "segments"):
        segments[seg["doc_id"]].append(seg)
    claims: dict[str, list[dict]] = defaultdict(list)
    for claim in _read(dataset, "claims"):
        claims[claim["doc_id"]].append(claim)
    out.mkdir(parents=True, exist_ok=True)
    pages = [out / INDEX_PAGE]
    for doc in docs:
        page = out / f"{doc['doc_id']}.html"
        page.write_text(document_page(doc, segments[doc["doc_id"]], claims[doc["doc_id"]], refs_by_claim), encoding="utf-8")
        pages.append(page)
    rendered = {d["doc_id"] for d in all_docs if (out / f"{d['doc_id']}.html").is_file()}
    pages[0].write_text(index_page(all_docs, rendered), encoding="utf-8")
    return pages
