"""process_doc: pure per-document function; gold overrides auto."""

from __future__ import annotations

import pickle

from conftest import REPO
from ketamine_claims import process_doc
from ketamine_claims.gold.annotations import load_annotations
from ketamine_claims.text.seeds import load_seeds

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
