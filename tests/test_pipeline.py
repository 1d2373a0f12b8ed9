"""process_doc: pure per-document function; gold overrides auto."""

from __future__ import annotations

import pickle

from conftest import REPO
from ketamine_claims import process_doc
from ketamine_claims.gold.annotations import load_annotations
from ketamine_claims.pipeline import auto_labels, gold_labels, table_rows
from ketamine_claims.text.seeds import load_seeds
from ketamine_claims.text.segments import split_segments
from ketamine_claims.text.sentences import split_sentences

TABLES = {"documents", "segments", "sentences", "claims", "claim_evidence"}


def test_process_doc_is_pure_and_picklable():
    seed = load_seeds(REPO / "seeds")[0]
    first = process_doc(seed.doc_id, seed.text, meta=seed.meta)
    second = process_doc(seed.doc_id, seed.text, meta=seed.meta)
    assert first.rows == second.rows
    assert set(first.rows) == TABLES
    assert pickle.loads(pickle.dumps(first)).rows == first.rows


def test_auto_rows_without_annotation_and_gold_rows_with_it():
    annotations = load_annotations(REPO / "annotations")
    seed = next(s for s in load_seeds(REPO / "seeds") if s.doc_id in annotations)
    annotation = annotations[seed.doc_id]
    auto = process_doc(seed.doc_id, seed.text)
    gold = process_doc(seed.doc_id, seed.text, annotation, meta=seed.meta)
    for table in ("documents", "segments", "sentences", "claims"):
        assert {r["label_source"] for r in auto.rows[table]} == {"auto"}
        assert {r["label_source"] for r in gold.rows[table]} == {"gold"}
    assert all(c["verdict"] is None for c in auto.rows["claims"])
    assert auto.rows["claim_evidence"] == []
    assert auto.rows["documents"][0]["commercial_intent"] is None
    assert gold.rows["documents"][0]["commercial_intent"] in (True, False)
    assert sum(auto.rule_counts.values()) > 0 and sum(gold.rule_counts.values()) == 0


def test_process_doc_without_metadata_uses_defaults():
    result = process_doc("00000000000000aa", "Ketamine Basics\nKetamine may relieve depression within hours.\n")
    doc = result.rows["documents"][0]
    assert (doc["seed_file"], doc["site_name"], doc["language"]) == (None, None, "en")
    (claim,) = result.rows["claims"]
    assert claim["text"] == "Ketamine may relieve depression within hours"
    assert (claim["claim_type"], claim["condition"], claim["hedged"]) == ("onset", "depression", True)


def test_each_path_makes_one_labels_value_and_one_function_makes_the_rows():
    annotations = load_annotations(REPO / "annotations")
    seed = next(s for s in load_seeds(REPO / "seeds") if s.doc_id in annotations)
    segments = split_segments(seed.text)
    sentences = split_sentences(seed.text, segments)
    gold = gold_labels(annotations[seed.doc_id], seed.text, segments, sentences)
    auto = auto_labels(seed.text, segments, sentences)
    assert (gold.source, auto.source) == ("gold", "auto")
    assert len(gold.kinds) == len(auto.kinds) == len(segments)
    assert all(c.verdict is None and c.refs == () for c in auto.claims) and any(c.refs for c in gold.claims)
    for labels, annotation in ((gold, annotations[seed.doc_id]), (auto, None)):
        rows = table_rows(seed.doc_id, seed.text, seed.meta, segments, sentences, labels)
        assert rows == process_doc(seed.doc_id, seed.text, annotation, meta=seed.meta).rows
        assert len(rows["claims"]) == len(labels.claims)
        claimed = {sentences[c.sentence_index].start for c in labels.claims}
        assert {s["start"] for s in rows["sentences"] if s["has_claim"]} == claimed
        for claim in labels.claims:
            sentence = sentences[claim.sentence_index]
            assert sentence.start <= claim.start < sentence.end and sentence.segment_index == claim.segment_index
    gold_rows = table_rows(seed.doc_id, seed.text, seed.meta, segments, sentences, gold)
    auto_rows = table_rows(seed.doc_id, seed.text, seed.meta, segments, sentences, auto)
    for table in TABLES - {"claim_evidence"}:
        assert {tuple(r) for r in gold_rows[table]} == {tuple(r) for r in auto_rows[table]}, table
