"""The ketamine-pages corpus (`../shared/ketamine-pages`) as claim-detector evaluation data.

Real web pages about ketamine with line-level boilerplate labels and sentence-level claim rows,
split by site into `train` and `dev` (see the folder's README). This module reads the pages, turns
their gold rows into the `sentences` / `claims` row shape of `process_doc`, and runs the detector
on them two ways: with the page chrome set from the gold labels (the detector alone) and end to
end (`process_doc`, boilerplate model included). Corpus text is read at run time, never copied.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from ketamine_claims.auto.boilerplate import detect_boilerplate_and_title
from ketamine_claims.auto.claim_model import ClaimModel
from ketamine_claims.auto.claims import SentenceSpan, detect_claims, sentence_spans
from ketamine_claims.corpora.pages import DEFAULT_KETAMINE_PAGES, KETAMINE_PAGES_FILE, ketamine_pages_path
from ketamine_claims.errors import InputError
from ketamine_claims.text.segments import split_segments
from ketamine_claims.text.sentences import split_sentences

DEFAULT_PAGES = DEFAULT_KETAMINE_PAGES
PAGES_FILE = KETAMINE_PAGES_FILE
SPLITS = ("train", "dev")
LABEL_COLUMNS = ("claim_type", "condition", "intervention", "hedged", "attribution")


@dataclass(frozen=True)
class ClaimPage:
    """One labelled page: its text, gold boilerplate flag per segment and gold claim rows."""

    id: str
    host: str
    kind: str
    split: str
    text: str
    boilerplate: tuple[bool, ...]
    sentences: tuple[dict, ...]  # every sentence: start, end, has_claim, amb
    claims: tuple[dict, ...]  # gold rows: start, end and the five labels


def load_pages(folder: Path = DEFAULT_PAGES) -> list[ClaimPage]:
    """Every page of the corpus, checked against the project's segment and sentence splitters."""
    path = ketamine_pages_path(folder)
    pages = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            try:
                row = json.loads(line)
                pages.append(_page(row))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise InputError(path, f"not a ketamine-pages row ({exc})", line=number) from exc
    return pages


def _page(row: dict) -> ClaimPage:
    text = row["text"]
    segments = split_segments(text)
    if [(s.start, s.end) for s in segments] != [(s["start"], s["end"]) for s in row["segments"]]:
        raise ValueError(f"{row['id']}: segments differ from split_segments")
    labelled = {s["start"]: s for s in row["sentences"]}
    sentences = []
    claims = []
    for sent in split_sentences(text, segments):
        gold = labelled.pop(sent.start, None)
        if gold is not None and gold["end"] != sent.end:
            raise ValueError(f"{row['id']}: sentence at {sent.start} ends at {gold['end']}, the splitter says {sent.end}")
        sentences.append(
            {
                "start": sent.start,
                "end": sent.end,
                "has_claim": bool(gold and gold["claim"]),
                "amb": bool(gold and gold["amb"]),
            }
        )
        for r in (gold or {}).get("rows", []) if gold and gold["claim"] else []:
            if text[r["start"] : r["end"]] != r["span"]:
                raise ValueError(f"{row['id']}: span {r['span'][:30]!r} is not at {r['start']}")
            claims.append(
                {
                    "start": r["start"],
                    "end": r["end"],
                    **{k: r[k] for k in LABEL_COLUMNS},
                }
            )
    if labelled:
        raise ValueError(f"{row['id']}: labelled sentences the splitter does not make: {sorted(labelled)}")
    return ClaimPage(
        row["id"],
        row["host"],
        row["kind"],
        row["split"],
        text,
        tuple(s["boilerplate"] for s in row["segments"]),
        tuple(sentences),
        tuple(claims),
    )


def gold_rows(page: ClaimPage) -> dict[str, list[dict]]:
    return {"sentences": list(page.sentences), "claims": list(page.claims)}


def chrome_spans(text: str, boilerplate: list[bool] | tuple[bool, ...]) -> list[SentenceSpan]:
    """The detector's sentence spans of a text, with the boilerplate flag of each segment."""
    segments = split_segments(text)
    return sentence_spans(segments, split_sentences(text, segments), boilerplate)


def auto_rows(text: str, spans: list[SentenceSpan], model: ClaimModel | None) -> dict[str, list[dict]]:
    """`sentences` / `claims` rows of the detector (with `model`, or the named rules alone when None)."""
    found, _ = detect_claims(text, spans, model)
    claimed = {position for position, _ in found}
    return {
        "sentences": [{"start": s.start, "end": s.end, "has_claim": i in claimed} for i, s in enumerate(spans)],
        "claims": [{"start": c.start, "end": c.end, **{k: getattr(c, k) for k in LABEL_COLUMNS}} for _, c in found],
    }


def detector_rows(page: ClaimPage, model: ClaimModel | None) -> dict[str, list[dict]]:
    """The detector's rows with the page chrome set from the gold labels (the detector alone)."""
    return auto_rows(page.text, chrome_spans(page.text, page.boilerplate), model)


def end_to_end_rows(page: ClaimPage, model: ClaimModel | None) -> dict[str, list[dict]]:
    """The detector's rows with the page chrome from the boilerplate model, as `process_doc` runs them."""
    kinds, _, _ = detect_boilerplate_and_title(split_segments(page.text))
    return auto_rows(page.text, chrome_spans(page.text, [k is not None for k in kinds]), model)
