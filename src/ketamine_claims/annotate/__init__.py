"""Annotating in Label Studio: pre-annotated tasks out, annotation files back (the `annotate` command)."""
