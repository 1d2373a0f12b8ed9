"""The inputs of a build, read and cross-checked: seed articles, gold annotations and the references table.

Read by the build (`publish.build`), the training scripts, the Label Studio export and `score`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ketamine_claims.errors import InputError
from ketamine_claims.gold.annotations import Annotation, check_refs, load_annotations, load_references
from ketamine_claims.paths import Paths, require_checkout
from ketamine_claims.text.seeds import Seed, load_seeds


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads: seed articles, gold annotations and the references table."""

    seeds: list[Seed]
    annotations: dict[str, Annotation]
    references: list[dict[str, Any]]

    def gold_documents(self) -> list[tuple[str, str, Annotation]]:
        return [(s.doc_id, s.text, self.annotations[s.doc_id]) for s in self.seeds if s.doc_id in self.annotations]


def load_inputs(paths: Paths) -> Inputs:
    """Read and cross-check seeds, annotation files and references."""
    require_repository(paths.root)
    seeds = load_seeds(paths.seeds)
    annotations = load_annotations(paths.annotations)
    references = load_references(paths.references)
    known_refs = {r["ref_id"] for r in references}
    seed_ids = {s.doc_id for s in seeds}
    for doc_id, annotation in annotations.items():
        if doc_id not in seed_ids:
            raise InputError(annotation.path, f"no seed file for doc_id {doc_id} in {paths.seeds}")
        check_refs(annotation, known_refs)
    return Inputs(seeds, annotations, references)


def require_repository(root: Path) -> Paths:
    """The input paths of root, or FaultError naming root when it is not a repository root."""
    return Paths(require_checkout(root, "seeds/", "annotations/", "schemas/"))
