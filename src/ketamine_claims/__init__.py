"""ketamine-claims: web articles about ketamine therapy as a schema-validated claim dataset."""

from .download import download
from .pipeline import ProcessedDoc, process_doc

__version__ = "1.0.0"

__all__ = ["ProcessedDoc", "__version__", "download", "process_doc"]
