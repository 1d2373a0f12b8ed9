"""Training the claim-sentence classifier (`scripts/train-claims`): deterministic, and it rebuilds the shipped model."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

from conftest import KETAMINE_PAGES, REPO, ketamine_pages, sha256_of
from ketamine_claims.auto.claim_model import MODEL_FILE
from ketamine_claims.corpora.claim_pages import auto_rows
from ketamine_claims.training.claims import label_examples, page_doc, rule_rows, train


def test_training_twice_gives_identical_bytes():
    docs = [page_doc(p) for p in ketamine_pages("train")[:8]]
    choices = {"claim_type": (0.0, 0.1, 1.0), "condition": (0.1, 0.3, 1.0)}
    runs = [json.dumps(train(docs, 1.0, choices)) for _ in range(2)]
    assert {"claim_type", "condition"} <= set(json.loads(runs[0]))
    assert runs[0] == runs[1]


def test_train_script_rebuilds_the_shipped_model(tmp_path):
    ketamine_pages("train")
    result = subprocess.run(
        [sys.executable, "-m", "ketamine_claims.training.claims", str(KETAMINE_PAGES), "--root", str(REPO), "--out",
         str(tmp_path), "--skip-eval"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # Compared by digest: a byte diff of the model file would take pytest minutes to render.
    assert sha256_of(tmp_path / MODEL_FILE.name) == sha256_of(MODEL_FILE)


def test_rows_and_examples_are_computed_per_document_not_per_key():
    """A second document under a key already seen (another run in the same process) gets its own rows and examples."""
    first, second = (page_doc(p) for p in ketamine_pages("train")[:2])
    reused_key = dataclasses.replace(second, key=first.key)
    before = (rule_rows(first), label_examples(first, "claim_type"), label_examples(first, "condition"))
    assert rule_rows(reused_key) == auto_rows(second.text, second.spans, None) != before[0]
    assert label_examples(reused_key, "claim_type") == label_examples(second, "claim_type") != before[1]
    assert label_examples(reused_key, "condition") == label_examples(second, "condition")
