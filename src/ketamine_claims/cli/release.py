"""The release room's commands: release, diff and download."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ketamine_claims.cli.common import _add, _checkout, _reading, _root


def cmd_release(args: argparse.Namespace) -> int:
    from datasets.utils.logging import disable_progress_bar

    from ketamine_claims.checks.assets import file_sha256
    from ketamine_claims.release.cut import release
    from ketamine_claims.release.diff import format_diff

    disable_progress_bar()  # the release gate loads every config; its bars would bury the refusal message
    root = _checkout(args, "seeds/", "annotations/", "dataset/")
    cut = release(root, args.version, Path(args.dist) if args.dist else None, allow_auto=args.allow_auto_labelled)
    print(format_diff(cut.diff) if cut.diff else f"first release: nothing to compare {cut.version} with")
    if cut.auto_documents:
        print(f"documents with automatic labels added ({len(cut.auto_documents)}, named in CHANGELOG.md):")
        print("\n".join(f"  {doc_id} {title!r}" for doc_id, title in cut.auto_documents))
    print(f"released {cut.version}: assets in {cut.folder}, registry {cut.registry} (sha256 {file_sha256(cut.registry)})")
    print(f"next: commit {cut.registry}, tag v{cut.version}, publish {cut.folder} (see docs/releasing.md, 'Cut a release')")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from ketamine_claims.release.diff import diff_folders, format_diff
    from ketamine_claims.release.download import release_folder
    from ketamine_claims.release.registry import VERSION_PATTERN

    root = _root(args)
    dist = Path(args.dist) if args.dist else root / "dist"

    def folder(spec: str) -> tuple[Path, str]:
        if spec == "working":
            return root, "working build"
        if VERSION_PATTERN.match(spec):
            return release_folder(root, spec, dist), f"v{spec}"
        return Path(spec), spec

    (old, old_label), (new, new_label) = folder(args.old), folder(args.new)
    with _reading(args):
        diff = diff_folders(old, new, old_label, new_label)
    print(json.dumps(diff.to_dict(), indent=2, ensure_ascii=False) if args.json else format_diff(diff))
    return 0


def cmd_download(args: argparse.Namespace) -> int:
    from ketamine_claims.release.download import REGISTRY_FILE, base_url, download
    from ketamine_claims.release.registry import known_versions

    folder = download(args.version, args.dest, registry_sha256=args.registry_sha256)
    if args.version not in known_versions():
        pinned = "pinned by the sha256 given" if args.registry_sha256 else "not pinned (pass --registry-sha256 to pin it)"
        print(
            f"v{args.version} is newer than this package: its registry came from {base_url()}/v{args.version}/{REGISTRY_FILE}, "
            f"{pinned}; every file matched it",
            file=sys.stderr,
        )
    print(folder)
    return 0



def add_release(sub, common: argparse.ArgumentParser) -> None:
    p = _add(
        sub,
        "release",
        "cut a release: refuse unless clean, valid, new, greater, in CHANGELOG.md and bumped enough; "
        "write dist/vX.Y.Z/ and the registry",
        "Cut release X.Y.Z: refuse, writing nothing, unless the git tree is clean, the version is new, greater than "
        "the last release and equal to the package version, CHANGELOG.md has its entry, every validation passes, the "
        "committed build equals a fresh build, the bump is large enough and it adds no document with automatic labels "
        "(unless --allow-auto-labelled, with each named in CHANGELOG.md); then write dist/vX.Y.Z/ and the registry.",
        "  ketamine-claims release 1.1.0\n  ketamine-claims release 1.1.0 --dist /tmp/releases",
        common,
    )
    p.add_argument("version", help="the version to release, MAJOR.MINOR.PATCH; must equal the package version")
    p.add_argument("--dist", help="folder for release folders (default: <root>/dist)")
    p.add_argument(
        "--allow-auto-labelled",
        action="store_true",
        help="release documents added with automatic labels (label_source auto); the CHANGELOG entry must name each doc_id",
    )
    p.set_defaults(func=cmd_release)


def add_diff(sub, common: argparse.ArgumentParser) -> None:
    p = _add(
        sub,
        "diff",
        "rows added, removed and changed per table between two versions, keyed by primary key",
        "Compare two versions table by table (rows keyed by the primary key of their Table Schema), list schema "
        "changes (metadata-only edits apart) and print the smallest version bump the change needs.",
        "  ketamine-claims diff 1.0.0            # a release against the working build\n"
        "  ketamine-claims diff 1.0.0 1.1.0      # two releases\n"
        "  ketamine-claims diff 1.0.0 --json",
        common,
    )
    p.add_argument("old", help="a released version X.Y.Z, `working` (the built dataset at --root) or a release folder")
    p.add_argument("new", nargs="?", default="working", help="same choices (default: working)")
    p.add_argument("--dist", help="folder holding local release folders (default: <root>/dist); else versions are downloaded")
    p.add_argument("--json", action="store_true", help="print the diff as JSON (for scripts and CI)")
    p.set_defaults(func=cmd_diff)


def add_download(sub, common: argparse.ArgumentParser) -> None:
    p = _add(
        sub,
        "download",
        "download a released version, verify every sha256 and print its folder",
        "Download every file of a released version into the user cache (or --dest), check each against the sha256 and "
        "size of its registry, and print the folder. The registry is shipped with the package; for a version newer "
        "than the package it comes from <base>/v<version>/registry.txt, optionally pinned by --registry-sha256. The "
        "base URL is the Hub repository unless KETAMINE_CLAIMS_BASE_URL is set.",
        "  ketamine-claims download 1.1.0\n  ketamine-claims download 1.1.0 --dest /data/ketamine-claims-1.1.0\n"
        "  ketamine-claims download 1.2.0 --registry-sha256 <sha256 published with the release>",
        common,
    )
    p.add_argument("version", help="a released version X.Y.Z")
    p.add_argument("--dest", help="destination folder (default: the user cache); base URL from KETAMINE_CLAIMS_BASE_URL")
    p.add_argument(
        "--registry-sha256",
        metavar="HEX",
        help="sha256 the version's registry must have (a version newer than the package fetches it from the release host)",
    )
    p.set_defaults(func=cmd_download)
