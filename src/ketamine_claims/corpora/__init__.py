"""The labelled corpora beside the repository: loading, conversion from public HTML and fetching."""
