"""Releases: the gate a release passes (gate), cutting one (cut), registries of released files, the diff between
releases, and verified downloads."""
