"""Gold labels: annotation files, the references table, inter-annotator agreement and Label Studio."""
