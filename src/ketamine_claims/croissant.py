"""Stage 7c: Croissant 1.0 metadata (dataset/croissant.json), derived from schemas/.

One FileObject per Parquet file (with its sha256) and one RecordSet per table, whose Fields come
from the Table Schema's fields, whose key is its primary key and whose foreign keys become Field
references.
"""

from __future__ import annotations

from typing import Any

from . import schema
from .tables import parquet_relpath

CROISSANT_FILE = "croissant.json"
CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
PARQUET_FORMAT = "application/x-parquet"
_DATA_TYPES = {"string": "sc:Text", "integer": "sc:Integer", "boolean": "sc:Boolean"}

# The Croissant 1.0 JSON-LD context, as published with the specification.
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
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


def croissant_metadata(
    hashes: dict[str, str], sizes: dict[str, int], *, version: str, name: str, description: str, license_url: str
) -> dict[str, Any]:
    """The Croissant JSON-LD document for the built Parquet files (sha256 and byte size per table)."""
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": name,
        "description": description,
        "version": version,
        "license": license_url,
        "url": "README.md",
        "citeAs": (
            f"@misc{{ketamine_claims, title={{{{{name}}}}}, author={{{{ketamine-claims maintainers}}}}, "
            f"note={{Version {version}}}}}"
        ),
        "keywords": ["ketamine", "health misinformation", "claim detection", "boilerplate removal"],
        "distribution": [file_object(t, hashes[t], sizes[t]) for t in schema.TABLES],
        "recordSet": [record_set(t) for t in schema.TABLES],
    }
