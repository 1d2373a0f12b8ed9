"""ketamine-claims: web articles about ketamine therapy as a schema-validated claim dataset."""

from .pipeline import ProcessedDoc, process_doc

__version__ = "0.1.0"

__all__ = ["ProcessedDoc", "__version__", "process_doc"]
