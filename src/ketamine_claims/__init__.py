"""ketamine-claims: web articles about ketamine therapy as a schema-validated claim dataset.

`download` needs only the runtime dependencies; `process_doc` (the per-document pipeline) needs the
`maintainer` extra and is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ketamine_claims.release.download import download

if TYPE_CHECKING:
    from ketamine_claims.pipeline import ProcessedDoc, process_doc

__version__ = "2.0.0"

__all__ = ["ProcessedDoc", "__version__", "download", "process_doc"]


def __getattr__(name: str) -> Any:
    if name in ("ProcessedDoc", "process_doc"):
        try:
            from ketamine_claims import pipeline
        except ModuleNotFoundError as exc:
            from ketamine_claims.errors import missing_module_message

            raise ModuleNotFoundError(missing_module_message(exc.name, f"ketamine_claims.{name}"), name=exc.name) from exc

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
