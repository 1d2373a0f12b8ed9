"""Checks across tables, as polars joins: keys, spans, containment, label consistency and document counts.

Each function is one invariant of the dataset; its problems name the table and show the first rows
that break it.
"""

from __future__ import annotations

import polars as pl

from ketamine_claims import schema
from ketamine_claims.checks.folder import Frames, problem_rows
from ketamine_claims.gold.annotations import NESTED_REASON, VERDICT_SEVERITY
from ketamine_claims.text.seeds import sha256_hex

SPAN_TABLES = ("segments", "sentences", "claims")
GOLD, AUTO = pl.col("label_source") == "gold", pl.col("label_source") == "auto"


def foreign_keys(frames: Frames) -> list[str]:
    """Every foreign key of every Table Schema points at an existing row."""
    problems = []
    for name in schema.TABLES:
        for fk in schema.foreign_keys(name):
            ref = fk["reference"]
            child = frames[name].select(fk["fields"]).unique()
            parent = frames[ref["resource"]].select(ref["fields"]).rename(dict(zip(ref["fields"], fk["fields"], strict=False)))
            problems += problem_rows(
                child.join(parent, on=fk["fields"], how="anti"), f"{name}: {fk['fields']} not in {ref['resource']}"
            )
    return problems


def primary_keys(frames: Frames) -> list[str]:
    """No two rows of a table share their primary key."""
    problems = []
    for name in schema.TABLES:
        key = schema.primary_key(name)
        problems += problem_rows(
            frames[name].group_by(key).len().filter(pl.col("len") > 1), f"{name}: duplicate primary key {key}"
        )
    return problems


def _with_document(frames: Frames, name: str) -> pl.DataFrame:
    docs = frames["documents"].select("doc_id", pl.col("text").alias("doc_text"), "label_source")
    return frames[name].join(docs, on="doc_id", how="inner")


def span_text(frames: Frames) -> list[str]:
    """Every span (segments, sentences, claims) is non-empty, inside its document and its text is documents.text[start:end]."""
    problems = []
    for name in SPAN_TABLES:
        spans = _with_document(frames, name)
        bad = spans.filter(
            (pl.col("start") >= pl.col("end"))
            | (pl.col("end") > pl.col("doc_text").str.len_chars())
            | (pl.col("doc_text").str.slice(pl.col("start"), pl.col("end") - pl.col("start")) != pl.col("text"))
        )
        problems += problem_rows(bad.drop("doc_text"), f"{name}: text != documents.text[start:end]")
    return problems


def span_label_source(frames: Frames) -> list[str]:
    """Every span has its document's label_source (a document is labelled gold or auto as a whole)."""
    problems = []
    for name in SPAN_TABLES:
        spans = _with_document(frames, name)
        problems += problem_rows(
            spans.filter(pl.col("label_source") != pl.col("label_source_right")).drop("doc_text"),
            f"{name}: label_source differs from its document's",
        )
    return problems


def segment_order(frames: Frames) -> list[str]:
    """Segments of a document do not overlap and their index counts 0, 1, 2, … in text order."""
    segs = frames["segments"].sort("doc_id", "index")
    return problem_rows(
        segs.with_columns(prev_end=pl.col("end").shift(1).over("doc_id"), expected=pl.int_range(pl.len()).over("doc_id")).filter(
            (pl.col("start") < pl.col("prev_end")) | (pl.col("index") != pl.col("expected"))
        ),
        "segments: overlapping, unordered or gaps in index",
    )


def boilerplate_kind(frames: Frames) -> list[str]:
    """A segment has a boilerplate_kind exactly when it is boilerplate."""
    segs = frames["segments"]
    return problem_rows(
        segs.filter(pl.col("is_boilerplate") != pl.col("boilerplate_kind").is_not_null()),
        "segments: boilerplate_kind must be null iff is_boilerplate is false",
    )


def _segment_bounds(frames: Frames) -> pl.DataFrame:
    return frames["segments"].select(
        "segment_id",
        pl.col("start").alias("seg_start"),
        pl.col("end").alias("seg_end"),
        pl.col("is_boilerplate").alias("seg_boilerplate"),
    )


def sentence_in_segment(frames: Frames) -> list[str]:
    """Every sentence lies inside its segment."""
    sents = frames["sentences"].join(_segment_bounds(frames), on="segment_id", how="inner")
    return problem_rows(
        sents.filter((pl.col("start") < pl.col("seg_start")) | (pl.col("end") > pl.col("seg_end"))),
        "sentences: not inside their segment",
    )


def sentence_boilerplate(frames: Frames) -> list[str]:
    """A sentence is boilerplate exactly when its segment is."""
    sents = frames["sentences"].join(_segment_bounds(frames), on="segment_id", how="inner")
    return problem_rows(
        sents.filter(pl.col("is_boilerplate") != pl.col("seg_boilerplate")),
        "sentences: is_boilerplate differs from their segment's",
    )


def _claims_in_place(frames: Frames) -> pl.DataFrame:
    """Claims with their segment's bounds and boilerplate flag, and their sentence's segment and bounds."""
    sentences = frames["sentences"].select(
        "sentence_id",
        pl.col("segment_id").alias("sent_segment"),
        pl.col("start").alias("sent_start"),
        pl.col("end").alias("sent_end"),
    )
    return (
        frames["claims"]
        .join(_segment_bounds(frames), on="segment_id", how="inner")
        .join(sentences, on="sentence_id", how="inner")
    )


def claim_in_segment(frames: Frames) -> list[str]:
    """Every claim span lies inside its segment."""
    claims = _claims_in_place(frames)
    return problem_rows(
        claims.filter((pl.col("start") < pl.col("seg_start")) | (pl.col("end") > pl.col("seg_end"))),
        "claims: span not inside its segment",
    )


def claim_sentence(frames: Frames) -> list[str]:
    """A claim's sentence_id is the sentence of its segment where the span starts."""
    claims = _claims_in_place(frames)
    return problem_rows(
        claims.filter(
            (pl.col("sent_segment") != pl.col("segment_id"))
            | (pl.col("start") < pl.col("sent_start"))
            | (pl.col("start") >= pl.col("sent_end"))
        ),
        "claims: sentence_id is not the sentence where the span starts",
    )


def claim_boilerplate(frames: Frames) -> list[str]:
    """A claim is in_boilerplate exactly when its segment is boilerplate."""
    claims = _claims_in_place(frames)
    return problem_rows(
        claims.filter(pl.col("in_boilerplate") != pl.col("seg_boilerplate")),
        "claims: in_boilerplate differs from the segment's is_boilerplate",
    )


def claim_id(frames: Frames) -> list[str]:
    """claim_id is `<doc_id>-c<start>-<end>`, followed by `-<condition>` when the claim names one."""
    condition = pl.when(pl.col("condition").is_null()).then(pl.lit("")).otherwise(pl.lit("-") + pl.col("condition"))
    parts = [pl.col("doc_id"), pl.lit("-c"), pl.col("start").cast(pl.Utf8), pl.lit("-"), pl.col("end").cast(pl.Utf8), condition]
    return problem_rows(
        frames["claims"].filter(pl.col("claim_id") != pl.concat_str(parts)), "claims: claim_id does not match span and condition"
    )


def gold_claim_verdict(frames: Frames) -> list[str]:
    """Every gold claim has a verdict and a rationale."""
    return problem_rows(
        frames["claims"].filter(GOLD & (pl.col("verdict").is_null() | pl.col("rationale").is_null())),
        "claims: gold rows need a verdict and a rationale",
    )


def auto_claim_verdict(frames: Frames) -> list[str]:
    """No automatic claim has a verdict or a rationale (machine output is never an evidence judgement)."""
    return problem_rows(
        frames["claims"].filter(AUTO & (pl.col("verdict").is_not_null() | pl.col("rationale").is_not_null())),
        "claims: auto rows carry no verdict or rationale",
    )


def gold_verdict_evidence(frames: Frames) -> list[str]:
    """Every gold claim with a verdict other than not_checkable cites a reference in claim_evidence."""
    cited = frames["claim_evidence"].select("claim_id").unique()
    return problem_rows(
        frames["claims"].filter(GOLD & (pl.col("verdict") != "not_checkable")).join(cited, on="claim_id", how="anti"),
        "claims: gold verdict without a reference in claim_evidence",
    )


def evidence_of_gold_claims(frames: Frames) -> list[str]:
    """claim_evidence links references to gold claims only."""
    return problem_rows(
        frames["claim_evidence"].join(frames["claims"].filter(AUTO).select("claim_id"), on="claim_id", how="semi"),
        "claim_evidence: evidence linked to an auto claim",
    )


def has_claim(frames: Frames) -> list[str]:
    """sentences.has_claim is true exactly for the sentences where a claim starts."""
    claimed = frames["claims"].select("sentence_id").unique().with_columns(pl.lit(True).alias("claimed"))
    return problem_rows(
        frames["sentences"]
        .join(claimed, on="sentence_id", how="left")
        .filter(pl.col("has_claim") != pl.col("claimed").fill_null(False)),
        "sentences: has_claim disagrees with the claims table",
    )


def _per_document(frames: Frames, table: str, **aggregates: pl.Expr) -> pl.DataFrame:
    """documents with aggregates of table per doc_id (null where a document has no rows)."""
    return frames["documents"].join(frames[table].group_by("doc_id").agg(**aggregates), on="doc_id", how="left")


def document_counts(frames: Frames) -> list[str]:
    """documents.n_chars, n_segments, n_boilerplate_segments, n_sentences and n_claims count the other tables' rows."""
    counts = (
        _per_document(frames, "segments", segs=pl.len(), bp=pl.col("is_boilerplate").sum())
        .join(frames["sentences"].group_by("doc_id").agg(sents=pl.len()), on="doc_id", how="left")
        .join(frames["claims"].group_by("doc_id").agg(nclaims=pl.len()), on="doc_id", how="left")
        .with_columns(pl.col("segs", "bp", "sents", "nclaims").fill_null(0))
    )
    return problem_rows(
        counts.filter(
            (pl.col("n_segments") != pl.col("segs"))
            | (pl.col("n_boilerplate_segments") != pl.col("bp"))
            | (pl.col("n_sentences") != pl.col("sents"))
            | (pl.col("n_claims") != pl.col("nclaims"))
            | (pl.col("n_chars") != pl.col("text").str.len_chars())
        ).select("doc_id", "n_segments", "segs", "n_sentences", "sents", "n_claims", "nclaims"),
        "documents: counts disagree with the other tables",
    )


CONTENT_TEXT = pl.col("text").filter(~pl.col("is_boilerplate")).sort_by(pl.col("index").filter(~pl.col("is_boilerplate")))
CONTENT_TITLE = (pl.col("block_type") == "title") & ~pl.col("is_boilerplate")


def clean_text(frames: Frames) -> list[str]:
    """documents.clean_text is the text of its content (not boilerplate) segments, in order, joined with blank lines."""
    docs = _per_document(frames, "segments", clean=CONTENT_TEXT.str.join("\n\n")).with_columns(pl.col("clean").fill_null(""))
    return problem_rows(
        docs.filter(pl.col("clean_text") != pl.col("clean")).select("doc_id"),
        "documents: clean_text is not the content segments joined with blank lines",
    )


def title_segment(frames: Frames) -> list[str]:
    """documents.title is the text of the document's one content segment with block_type title ("" if none)."""
    docs = _per_document(
        frames, "segments", title_segment=pl.col("text").filter(CONTENT_TITLE).first(), title_segments=CONTENT_TITLE.sum()
    ).with_columns(pl.col("title_segment").fill_null(""), pl.col("title_segments").fill_null(0))
    return problem_rows(
        docs.filter((pl.col("title") != pl.col("title_segment")) | (pl.col("title_segments") > 1)).select("doc_id", "title"),
        "documents: title is not the text of its one content segment with block_type title",
    )


def gold_title_first(frames: Frames) -> list[str]:
    """The title of a gold document is its first content segment."""
    docs = _per_document(frames, "segments", first_content=CONTENT_TEXT.first()).with_columns(
        pl.col("first_content").fill_null("")
    )
    return problem_rows(
        docs.filter(GOLD & (pl.col("title") != pl.col("first_content"))).select("doc_id", "title"),
        "documents: the title of a gold document is not its first content segment",
    )


def document_sha256(frames: Frames) -> list[str]:
    """documents.sha256 is the sha256 of the UTF-8 bytes of documents.text."""
    return [
        f"documents: sha256 of text differs for {doc_id}"
        for doc_id, text, digest in frames["documents"].select("doc_id", "text", "sha256").iter_rows()
        if sha256_hex(text.encode("utf-8")) != digest
    ]


def nested_claims(frames: Frames) -> list[str]:
    """Gold nested spans (guidelines 3.6, rules 2 and 3).

    A row is nested in another when its span lies inside the other's span in the same document and
    the spans differ. No nested row may repeat its container's proposition (same claim_type and
    condition), and none may have a better verdict than a row containing it unless its rationale
    gives the reason, naming "the containing span".
    """
    gold = (
        frames["claims"]
        .filter(GOLD)
        .select("doc_id", "claim_id", "start", "end", "claim_type", "condition", "verdict", "rationale")
    )
    pairs = gold.join(gold, on="doc_id", suffix="_outer").filter(
        (pl.col("start_outer") <= pl.col("start"))
        & (pl.col("end") <= pl.col("end_outer"))
        & ((pl.col("start_outer") != pl.col("start")) | (pl.col("end_outer") != pl.col("end")))
    )
    severity = {f"{side}": pl.col(f"verdict{side}").replace_strict(VERDICT_SEVERITY, default=None) for side in ("", "_outer")}
    duplicates = pairs.filter(
        (pl.col("claim_type") == pl.col("claim_type_outer")) & pl.col("condition").eq_missing(pl.col("condition_outer"))
    )
    better = pairs.filter(
        (severity[""] < severity["_outer"]) & ~pl.col("rationale").str.to_lowercase().str.contains(NESTED_REASON, literal=True)
    )
    shown = ["claim_id", "claim_id_outer", "claim_type", "condition", "verdict", "verdict_outer"]
    return problem_rows(
        duplicates.select(shown), "claims: nested span repeats its container's proposition (same claim_type and condition)"
    ) + problem_rows(
        better.select(shown),
        f"claims: nested span has a better verdict than a span containing it, and its rationale gives no reason"
        f" (naming 'the {NESTED_REASON}')",
    )
