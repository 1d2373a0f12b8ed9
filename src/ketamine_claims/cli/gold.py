"""The gold room's commands: check-annotations, add-article, annotate (export, config, import) and agreement."""

from __future__ import annotations

import argparse
from pathlib import Path

from ketamine_claims.cli.common import _add, _checkout
from ketamine_claims.errors import InputError, RefusedError


def cmd_check_annotations(args: argparse.Namespace) -> int:
    from ketamine_claims.gold.annotations import check_nested, check_refs, load_annotation, load_references, resolve
    from ketamine_claims.paths import Paths
    from ketamine_claims.text.seeds import load_seeds
    from ketamine_claims.text.segments import split_segments

    paths = Paths(_checkout(args, "seeds/", "annotations/"))
    known = {r["ref_id"] for r in load_references(paths.references)}
    seeds = {s.doc_id: s for s in load_seeds(paths.seeds)}
    files = [Path(f) for f in args.files] or sorted(p for p in paths.annotations.glob("*.yaml") if p.name != "references.yaml")
    for path in files:
        annotation = load_annotation(path)
        if annotation.doc_id not in seeds:
            raise InputError(path, f"no seed file for doc_id {annotation.doc_id}")
        check_refs(annotation, known)
        text = seeds[annotation.doc_id].text
        kinds, claims = resolve(annotation, text, split_segments(text))
        check_nested(annotation, claims)
        print(f"{path}: ok ({len(kinds)} boilerplate segments, {len(claims)} claims)")
    return 0


def cmd_add_article(args: argparse.Namespace) -> int:
    from ketamine_claims.text.add_article import add_article

    root = _checkout(args, "seeds/")
    added = add_article(
        root / "seeds",
        Path(args.file),
        url=args.url,
        retrieved=args.retrieved,
        site_name=args.site_name,
        language=args.language,
    )
    rel = added.path.relative_to(root)
    print(f"added {rel} (doc_id {added.doc_id}, sha256 {added.sha256}) and its row in seeds/manifest.csv")
    if added.retrieved is not None and args.retrieved is None:
        print(f"retrieved recorded as {added.retrieved} (today, UTC); if the page was saved on another day, pass --retrieved")
    print("next:")
    print("  1. scripts/build   (the article's labels are auto until it has a gold annotation)")
    print(f"  2. to make it gold: .venv/bin/ketamine-claims annotate export {added.doc_id} --out tasks.json, label it in")
    print("     Label Studio following annotations/GUIDELINES.md (docs/annotating.md), then")
    print("     .venv/bin/ketamine-claims annotate import EXPORT.json and scripts/build again")
    print("  3. scripts/test, and a CHANGELOG.md entry under [Unreleased]")
    return 0


def cmd_annotate_export(args: argparse.Namespace) -> int:
    from ketamine_claims.annotate.label_studio import export_tasks, tasks_json
    from ketamine_claims.paths import Paths
    from ketamine_claims.staging import write_atomically

    tasks = export_tasks(Paths(_checkout(args, "seeds/", "annotations/")), args.doc_ids)
    write_atomically(tasks_json(tasks).encode("utf-8"), Path(args.out))
    sources = ", ".join(f"{t['data']['doc_id']} ({t['data']['label_source']})" for t in tasks)
    print(f"wrote {len(tasks)} Label Studio task(s) to {args.out}: {sources}")
    print("next: create a Label Studio project with the config of `ketamine-claims annotate config`, import this file,")
    print("      label, export the project as JSON, then `ketamine-claims annotate import EXPORT.json`")
    return 0


def cmd_annotate_config(args: argparse.Namespace) -> int:
    from ketamine_claims.annotate.label_studio import labeling_config, vocabulary
    from ketamine_claims.gold.annotations import load_references
    from ketamine_claims.paths import Paths
    from ketamine_claims.staging import write_atomically

    paths = Paths(_checkout(args, "annotations/"))
    config = labeling_config(vocabulary(load_references(paths.references)))
    if args.out:
        write_atomically(config.encode("utf-8"), Path(args.out))
        print(f"wrote the labeling config to {args.out}")
    else:
        print(config, end="")
    return 0


def cmd_annotate_import(args: argparse.Namespace) -> int:
    from ketamine_claims.annotate.label_studio import check_documents, read_export, write_annotations
    from ketamine_claims.gold.annotations import load_references
    from ketamine_claims.paths import Paths
    from ketamine_claims.text.seeds import load_seeds

    paths = Paths(_checkout(args, "seeds/", "annotations/"))
    out = Path(args.out) if args.out else paths.annotations
    export = Path(args.export)
    seeds = {s.doc_id: s.text for s in load_seeds(paths.seeds)}
    report = check_documents(export, read_export(export), seeds, load_references(paths.references), args.annotation or ())
    for line in report.skipped:
        print(f"skipped {line}")
    if not report.documents:
        raise RefusedError(export, f"{export}: no task has a submitted annotation; nothing written")
    written = write_annotations(out, report.documents)
    for doc, path in zip(report.documents, written, strict=True):
        print(
            f"wrote {path} (task {doc.task_id}, annotation {doc.annotation_id}: "
            f"{doc.n_boilerplate} boilerplate segments, {doc.n_claims} claims)"
        )
    print("next: review the changes (git diff annotations/), then scripts/build")
    return 0

def compared_states(first: Path, second: Path, paths) -> dict[str, str]:
    """What the two folders of an agreement run hold: the repository's gold folder is the state after
    adjudication and its second/ folder the blind second annotation as delivered; other folders are named only."""
    known = {
        paths.annotations.resolve(): "the gold labels as they are now, after adjudication",
        (paths.annotations / "second").resolve(): "the blind second annotation, as delivered",
    }
    return {
        "first": f"{first} ({known.get(first.resolve(), 'as given')})",
        "second": f"{second} ({known.get(second.resolve(), 'as given')})",
        "before_adjudication": f"{paths.agreement} (recorded when the two annotations were first compared)",
    }


def cmd_agreement(args: argparse.Namespace) -> int:
    from ketamine_claims.evaluation.agreement import agreement_json, agreement_markdown, compare_folders
    from ketamine_claims.paths import Paths

    paths = Paths(_checkout(args, "seeds/", "annotations/"))
    first = Path(args.first) if args.first else paths.annotations
    second = Path(args.second) if args.second else paths.annotations / "second"
    result = compare_folders(first, second, paths.seeds)
    compared = compared_states(first, second, paths)
    if args.json:
        print(agreement_json({"compared": compared, **result}), end="")
        return 0
    print(f"First annotation: {compared['first']}.")
    print(f"Second annotation: {compared['second']}.")
    print(f"Agreement before adjudication: {compared['before_adjudication']}.")
    print()
    print(agreement_markdown(result), end="")
    return 0



def add_check_annotations(sub, common: argparse.ArgumentParser) -> None:
    p = _add(
        sub,
        "check-annotations",
        "check annotation files: labels, references and that every quote resolves",
        "Check gold annotation files against the guidelines' label sets and the references table, and resolve every "
        "quote anchor to offsets in its seed article.",
        "  ketamine-claims check-annotations\n  ketamine-claims check-annotations annotations/c9b1cdd440c953e5.yaml",
        common,
    )
    p.add_argument("files", nargs="*", help="annotation files (default: every annotations/<doc_id>.yaml)")
    p.set_defaults(func=cmd_check_annotations)


def add_add_article(sub, common: argparse.ArgumentParser) -> None:
    p = _add(
        sub,
        "add-article",
        "copy an article into seeds/ with a derived doc id and write its manifest row",
        "Copy FILE byte for byte to seeds/NNN_<doc id>.txt (the next free NNN) and append its row to "
        "seeds/manifest.csv. The doc id is the first 16 hex digits of the SHA-256 of --url when given (the same page "
        "always gets the same id), else of the file's bytes. The URL and the retrieval day are kept in the manifest "
        "and become the documents table's url and retrieved columns; without --url both stay empty. "
        "The file must be a regular file of at most 2 MiB of UTF-8 without a byte order mark or NUL, and the "
        "metadata single lines.",
        "  ketamine-claims add-article article.txt --url https://example.org/ketamine-therapy\n"
        "  ketamine-claims add-article article.txt --url https://example.org/ketamine-therapy --retrieved 2026-11-30\n"
        "  ketamine-claims add-article article.txt --site-name 'Example Clinic'",
        common,
    )
    p.add_argument("file", metavar="FILE", help="the article as plain UTF-8 text, exactly as extracted from the page")
    p.add_argument("--url", help="the page's URL (the doc id is derived from it; kept as documents.url)")
    p.add_argument(
        "--retrieved",
        metavar="YYYY-MM-DD",
        help="the day the page at --url was saved, kept as documents.retrieved (default with --url: today, UTC; "
        "not in the future; needs --url)",
    )
    p.add_argument("--site-name", help="the site name the page shows (default: empty)")
    p.add_argument("--language", default="en", help="ISO 639-1 language code (default: en)")
    p.set_defaults(func=cmd_add_article)


def add_annotate(sub, common: argparse.ArgumentParser) -> None:
    p = _add(
        sub,
        "annotate",
        "annotate in Label Studio: export pre-annotated tasks, print the labeling config, import annotations",
        "Connect the dataset to Label Studio. `annotate export` writes tasks whose predictions are the current labels "
        "(gold where an annotation file exists, else auto); `annotate config` prints the labeling configuration "
        "generated from schemas/ and annotations/references.yaml; `annotate import` turns Label Studio's JSON export "
        "back into annotation files. Neither needs Label Studio installed (see docs/annotating.md).",
        "  ketamine-claims annotate config > label-config.xml\n"
        "  ketamine-claims annotate export 5f0c3a1e9b2d4c6a --out tasks.json\n"
        "  ketamine-claims annotate import project-export.json",
        common,
    )
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    _add_annotate_export(actions, common)
    _add_annotate_config(actions, common)
    _add_annotate_import(actions, common)


def _add_annotate_export(actions, common: argparse.ArgumentParser) -> None:
    p = _add(
        actions,
        "export",
        "write Label Studio tasks (JSON) with the current labels as predictions",
        "Write one Label Studio task per document: data.text is the article, data.doc_id its id, and the prediction "
        "holds the current labels: the title, every boilerplate segment with its kind, the document flags and every "
        "claim row as a span with claim_type, condition, intervention, hedged, attribution, verdict, rationale and refs. "
        "Gold labels where the document has an annotation file, else the auto labels (which have no verdict).",
        "  ketamine-claims annotate export --out tasks.json\n"
        "  ketamine-claims annotate export 5f0c3a1e9b2d4c6a c9b1cdd440c953e5 --out tasks.json",
        common,
    )
    p.add_argument("doc_ids", nargs="*", metavar="DOC_ID", help="documents to export (default: every seed article)")
    p.add_argument("--out", required=True, metavar="FILE", help="the tasks file to write (JSON)")
    p.set_defaults(func=cmd_annotate_export)


def _add_annotate_config(actions, common: argparse.ArgumentParser) -> None:
    p = _add(
        actions,
        "config",
        "print the Label Studio labeling configuration (XML) matching the exported tasks",
        "Print the labeling configuration: document flags, the title, the boilerplate kinds and claim types as span "
        "labels, and per claim span the condition, intervention, hedged, attribution, verdict, rationale and refs. "
        "Every label set comes from schemas/*.schema.json and annotations/references.yaml.",
        "  ketamine-claims annotate config\n  ketamine-claims annotate config --out label-config.xml",
        common,
    )
    p.add_argument("--out", metavar="FILE", help="write the XML to FILE instead of standard output")
    p.set_defaults(func=cmd_annotate_config)


def _add_annotate_import(actions, common: argparse.ArgumentParser) -> None:
    p = _add(
        actions,
        "import",
        "turn a Label Studio JSON export into annotation files (all or nothing)",
        "Read Label Studio's JSON export of a project made from `annotate export` tasks and write one annotation file "
        "per annotated task, in the normal form (docs/annotating.md). Every region is checked "
        "first (text[start:end] equals its text, known labels, every claim label given, references known, the "
        "title is the first content segment) and the files are parsed back with the build's own checks; an error "
        "names the task and region, and then nothing is written. A task with several annotations needs --annotation.",
        "  ketamine-claims annotate import project-export.json\n"
        "  ketamine-claims annotate import project-export.json --annotation 42 --out /tmp/annotations",
        common,
    )
    p.add_argument("export", metavar="EXPORT.json", help="Label Studio's export of the project (JSON format)")
    p.add_argument("--out", metavar="FOLDER", help="folder for the <doc_id>.yaml files (default: <root>/annotations)")
    p.add_argument(
        "--annotation",
        action="append",
        metavar="ID",
        help="for a task with several annotations, the id of the one to import (repeatable)",
    )
    p.set_defaults(func=cmd_annotate_import)


def add_agreement(sub, common: argparse.ArgumentParser) -> None:
    p = _add(
        sub,
        "agreement",
        "inter-annotator agreement (boilerplate kappa, claim span P/R/F1, label kappas) per article and overall",
        "Compare two annotations of the same articles (same YAML format): boilerplate segment kappa, claim span-overlap "
        "precision/recall/F1 and Cohen's kappa of claim_type, condition, hedged, attribution and verdict over matched "
        "rows, per article and overall. By default the gold annotation as it is now (after adjudication) against the "
        "blind second annotation; the output says which state each folder holds. The figures recorded before "
        "adjudication are in annotations/agreement-before-adjudication.json.",
        "  ketamine-claims agreement\n  ketamine-claims agreement --json\n"
        "  ketamine-claims agreement --first annotations --second annotations/second",
        common,
    )
    p.add_argument("--first", help="folder of the first annotation (default: <root>/annotations)")
    p.add_argument("--second", help="folder of the second annotation (default: <root>/annotations/second)")
    p.add_argument("--json", action="store_true", help="print JSON instead of Markdown tables")
    p.set_defaults(func=cmd_agreement)
