"""Text units: seed articles, segments (one per non-blank line) and sentence spans, and adding an article."""
