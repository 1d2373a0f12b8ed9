"""Releases: cutting one, registries of released files, the diff between releases, and verified downloads."""
