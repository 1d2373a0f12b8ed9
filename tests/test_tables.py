"""Row order of the Arrow tables: natural order of the ROW_ORDER keys, ties in input order."""

from __future__ import annotations

import random

from conftest import REPO
from ketamine_claims.pipeline import process_doc
from ketamine_claims.tables import to_arrow
from ketamine_claims.text.seeds import load_seeds


def test_keys_in_natural_order_and_ties_keep_their_input_order():
    rows = [("a-c10-5", "K2"), ("a-c9-5", "K2"), ("a-c1-5", "K10"), ("a-c1-5", "K1"), ("a-c1-5", "K01"), ("a-c1-5", "K2")]
    table = to_arrow("claim_evidence", [{"claim_id": c, "ref_id": r} for c, r in rows])
    # "K1" and "K01" have the same natural key: they stay in input order
    assert [tuple(row.values()) for row in table.to_pylist()] == [
        ("a-c1-5", "K1"), ("a-c1-5", "K01"), ("a-c1-5", "K2"), ("a-c1-5", "K10"), ("a-c9-5", "K2"), ("a-c10-5", "K2"),
    ]  # fmt: skip
    swapped = [rows[0], rows[1], rows[2], rows[4], rows[3], rows[5]]
    table = to_arrow("claim_evidence", [{"claim_id": c, "ref_id": r} for c, r in swapped])
    assert [row["ref_id"] for row in table.to_pylist()][:2] == ["K01", "K1"]


def test_same_table_whatever_the_input_order():
    rows = []
    for seed in load_seeds(REPO / "seeds"):
        rows.extend(process_doc(seed.doc_id, seed.text).rows["sentences"])
    shuffled = list(rows)
    random.Random(0).shuffle(shuffled)
    table = to_arrow("sentences", rows)
    assert to_arrow("sentences", shuffled).equals(table)
    ordered = [(r["doc_id"], r["index"]) for r in table.to_pylist()]
    doc_ids = [doc_id for doc_id, _ in ordered]
    changes = [doc_id for i, doc_id in enumerate(doc_ids) if i == 0 or doc_id != doc_ids[i - 1]]
    assert len(changes) == len(set(doc_ids)) > 1  # each document's rows together
    assert ordered == sorted(ordered, key=lambda key: (doc_ids.index(key[0]), key[1]))  # in index order


def test_row_order_equals_a_stable_sort_on_the_sort_values_with_nulls_first():
    from ketamine_claims.tables import ROW_ORDER, sort_value

    rng = random.Random(7)
    doc_ids = ["a9", "a10", "b2", "a09"]  # "a9" and "a09" share a natural key: ties keep input order
    rows = [
        {
            "claim_id": f"c{n}", "doc_id": rng.choice(doc_ids), "segment_id": "s", "sentence_id": "t",
            "start": rng.randint(0, 3), "end": rng.randint(3, 5), "text": str(n), "claim_type": "efficacy",
            "condition": rng.choice(["depression", "ptsd10", "ptsd9", None]), "intervention": "ketamine", "hedged": False,
            "attribution": "none", "verdict": None, "rationale": None, "in_boilerplate": False, "label_source": "auto",
        }
        for n in range(400)
    ]  # fmt: skip
    expected = sorted(rows, key=lambda row: tuple(sort_value(row[key]) for key in ROW_ORDER["claims"]))
    assert [row["claim_id"] for row in to_arrow("claims", rows).to_pylist()] == [row["claim_id"] for row in expected]


def test_part_tables_in_order_or_not_write_the_same_parquet_bytes(tmp_path):
    from ketamine_claims.schema import column_names
    from ketamine_claims.tables import PART_PARQUET_OPTIONS, columns_to_arrow, sort_value, write_parquet

    rows = []
    for seed in sorted(load_seeds(REPO / "seeds"), key=lambda seed: sort_value(seed.doc_id)):
        rows.extend(process_doc(seed.doc_id, seed.text).rows["segments"])
    shuffled = list(rows)
    random.Random(1).shuffle(shuffled)
    for name, table_rows in (("in-order", rows), ("shuffled", shuffled)):
        columns = {column: [row[column] for row in table_rows] for column in column_names("segments")}
        write_parquet(columns_to_arrow("segments", columns), tmp_path / name, PART_PARQUET_OPTIONS)
    assert [row["segment_id"] for row in rows] == to_arrow("segments", rows).column("segment_id").to_pylist()  # in order
    assert (tmp_path / "in-order").read_bytes() == (tmp_path / "shuffled").read_bytes()
    assert columns_to_arrow("segments", {c: [r[c] for r in shuffled] for c in column_names("segments")}).equals(
        to_arrow("segments", rows)
    )
