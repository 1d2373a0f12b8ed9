"""Stage 7c: Croissant 1.1 metadata (dataset/croissant.json), derived from schemas/ and the card.

One FileObject per Parquet file (with its sha256) and one RecordSet per table, whose Fields come
from the Table Schema's fields, whose key is its primary key and whose foreign keys become Field
references. The Responsible-AI (`rai:`) properties are the text of the card's sections of the same
topic (or the bullets or ISO dates written in them), so the card and croissant.json say the same
thing.
"""

from __future__ import annotations

import re
from typing import Any

from ketamine_claims import about, schema
from ketamine_claims.publish.citation import bibtex
from ketamine_claims.tables import parquet_relpath

CROISSANT_FILE = "croissant.json"
CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
PARQUET_FORMAT = "application/x-parquet"
_DATA_TYPES = {"string": "sc:Text", "integer": "sc:Integer", "boolean": "sc:Boolean", "date": "sc:Date"}

# Croissant RAI property → the card section (Markdown heading) its value is taken from, and whether the
# section's subsections are included.
RAI_SECTIONS: dict[str, tuple[str, bool]] = {
    "rai:dataCollection": ("Source data", True),
    "rai:dataAnnotationProtocol": ("Annotation process", True),
    "rai:dataUseCases": ("Uses", True),
    "rai:dataLimitations": ("Limitations", False),
    "rai:dataBiases": ("Biases", False),
    "rai:personalSensitiveInformation": ("Personal and sensitive information", False),
    "rai:dataReleaseMaintenancePlan": ("Versions and maintenance", False),
    "rai:dataAnnotationAnalysis": ("Inter-annotator agreement", False),
    "rai:annotationsPerItem": ("Annotations per item", False),
    "rai:dataCollectionRawData": ("Raw data", False),
}
# RAI properties whose values are lists: each bullet of the card section (machine annotation tools), or
# each ISO date (YYYY-MM-DD) written in it (the time frame of collection), in order.
RAI_LIST_SECTIONS: dict[str, str] = {"rai:machineAnnotationTools": "Annotation tools"}
RAI_DATE_SECTIONS: dict[str, str] = {"rai:dataCollectionTimeFrame": "Collection time frame"}
ISO_DATE = re.compile(r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}\b")

# The Croissant 1.1 JSON-LD context, as published with the specification (mlcroissant 1.1.1 checks its keys).
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "description": {"@container": "@language"},
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "name": {"@container": "@language"},
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}


def file_object_id(table: str) -> str:
    return f"{table}-parquet"


def field_id(table: str, column: str) -> str:
    return f"{table}/{column}"


def _ids(table: str, columns: list[str]) -> dict[str, str] | list[dict[str, str]]:
    ids = [{"@id": field_id(table, c)} for c in columns]
    return ids[0] if len(ids) == 1 else ids


def file_object(table: str, sha256: str, size: int) -> dict[str, Any]:
    """The FileObject of one table's Parquet file, relative to dataset/."""
    return {
        "@type": "cr:FileObject",
        "@id": file_object_id(table),
        "name": file_object_id(table),
        "description": f"Parquet file of the {table} table.",
        "contentUrl": parquet_relpath(table),
        "contentSize": f"{size} B",
        "encodingFormat": PARQUET_FORMAT,
        "sha256": sha256,
    }


def record_set(table: str) -> dict[str, Any]:
    """The RecordSet of one table: a Field per column, the primary key and foreign-key references."""
    references = {
        column: field_id(fk["reference"]["resource"], ref_column)
        for fk in schema.foreign_keys(table)
        for column, ref_column in zip(fk["fields"], fk["reference"]["fields"], strict=True)
    }
    fields = []
    for f in schema.fields(table):
        field: dict[str, Any] = {
            "@type": "cr:Field",
            "@id": field_id(table, f["name"]),
            "name": f["name"],
            "description": f["description"],
            "dataType": _DATA_TYPES[f["type"]],
            "source": {"fileObject": {"@id": file_object_id(table)}, "extract": {"column": f["name"]}},
        }
        if f["name"] in references:
            field["references"] = {"field": {"@id": references[f["name"]]}}
        fields.append(field)
    return {
        "@type": "cr:RecordSet",
        "@id": table,
        "name": table,
        "description": schema.table_schema(table)["description"],
        "key": _ids(table, schema.primary_key(table)),
        "field": fields,
    }


def card_section_text(card: str, title: str, nested: bool) -> str | None:
    """The text under a card heading, up to the next heading (nested: the next of the same or a higher level)."""
    headings = [(m.start(), m.end(), len(m.group(1)), m.group(2).strip()) for m in re.finditer(r"^(#{1,6}) (.+)$", card, re.M)]
    for i, (_, end, level, heading) in enumerate(headings):
        if heading == title:
            stop = next((start for start, _, lvl, _ in headings[i + 1 :] if not nested or lvl <= level), len(card))
            return card[end:stop].strip()
    return None


def plain(markdown: str) -> str:
    """Card Markdown as plain text: links keep their words (their targets are relative to the card), headings lose #."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"^#{1,6} ", "", text, flags=re.M)


def bullets(markdown: str) -> list[str]:
    """The items of a Markdown bullet list as plain text, each joined onto one line."""
    items = re.split(r"^- ", markdown, flags=re.M)[1:]
    return [" ".join(plain(item).split()) for item in items]


def rai_properties(card: str) -> dict[str, Any]:
    """The Croissant RAI properties, each from its card section: the section's text (RAI_SECTIONS), its
    bullets (RAI_LIST_SECTIONS) or the ISO dates written in it (RAI_DATE_SECTIONS)."""
    texts = {prop: card_section_text(card, title, nested) for prop, (title, nested) in RAI_SECTIONS.items()}
    lists = {prop: bullets(card_section_text(card, title, False) or "") for prop, title in RAI_LIST_SECTIONS.items()}
    dates = {
        prop: list(dict.fromkeys(ISO_DATE.findall(card_section_text(card, title, False) or "")))
        for prop, title in RAI_DATE_SECTIONS.items()
    }
    missing = [RAI_SECTIONS[prop][0] for prop, text in texts.items() if not text]
    missing += [RAI_LIST_SECTIONS[prop] + " (bullets)" for prop, items in lists.items() if not items]
    missing += [RAI_DATE_SECTIONS[prop] + " (ISO dates)" for prop, items in dates.items() if not items]
    if missing:
        raise ValueError(f"the card has no (or an empty) section {', '.join(missing)} for croissant.json")
    return {**{prop: plain(text) for prop, text in texts.items() if text}, **lists, **dates}


def croissant_metadata(
    hashes: dict[str, str], sizes: dict[str, int], *, version: str, card: str, date_published: str | None = None
) -> dict[str, Any]:
    """The Croissant JSON-LD document for the built Parquet files (sha256 and byte size per table).

    card is the dataset card's text, the source of the RAI properties; date_published the release
    date of the version (from CHANGELOG.md), left out before the version is released."""
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": about.TITLE,
        "description": about.DESCRIPTION,
        "version": version,
        "license": [
            {
                "@type": "sc:CreativeWork",
                "name": about.ANNOTATIONS_LICENSE,
                "url": about.ANNOTATIONS_LICENSE_URL,
                "description": about.LICENSE_STATEMENT,
            }
        ],
        "url": about.HOMEPAGE,
        "creator": {"@type": "sc:Organization", "name": about.AUTHOR, "url": about.HOMEPAGE},
        **({"datePublished": date_published} if date_published else {}),
        "inLanguage": "en",
        "citeAs": bibtex(version, date_published),
        "keywords": about.KEYWORDS,
        **rai_properties(card),
        "distribution": [file_object(t, hashes[t], sizes[t]) for t in schema.TABLES],
        "recordSet": [record_set(t) for t in schema.TABLES],
    }
