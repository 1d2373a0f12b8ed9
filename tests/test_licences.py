"""One licence statement everywhere: code MIT, annotations CC BY 4.0, article texts their publishers'."""

from __future__ import annotations

import json
import tomllib

import yaml

from conftest import REPO
from ketamine_claims import about


def card_metadata() -> dict:
    return yaml.safe_load((REPO / "dataset" / "README.md").read_text(encoding="utf-8").split("---\n", 2)[1])


def test_licence_files_state_the_code_and_annotation_licences():
    code = (REPO / about.CODE_LICENSE_FILE).read_text(encoding="utf-8")
    annotations = (REPO / about.ANNOTATIONS_LICENSE_FILE).read_text(encoding="utf-8")
    assert code.startswith("MIT License\n")
    assert " ".join(about.LICENSE_STATEMENT.split()) in " ".join(annotations.split())
    assert about.ANNOTATIONS_LICENSE_URL in annotations
    assert (REPO / "dataset" / about.ANNOTATIONS_LICENSE_FILE).read_bytes() == annotations.encode("utf-8")


def test_card_names_the_licence_and_links_its_file():
    meta = card_metadata()
    assert {k: meta[k] for k in about.CARD_LICENSE} == about.CARD_LICENSE
    assert (REPO / "dataset" / meta["license_link"]).is_file()
    assert about.LICENSE_STATEMENT in (REPO / "dataset" / "README.md").read_text(encoding="utf-8")


def test_datapackage_croissant_and_citation_state_the_same_licence():
    package = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"] == [
        {"name": about.ANNOTATIONS_LICENSE, "path": about.ANNOTATIONS_LICENSE_URL, "title": about.LICENSE_STATEMENT}
    ]
    croissant = json.loads((REPO / "dataset" / "croissant.json").read_text(encoding="utf-8"))
    assert [(lic["url"], lic["description"]) for lic in croissant["license"]] == [
        (about.ANNOTATIONS_LICENSE_URL, about.LICENSE_STATEMENT)
    ]
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["license"] == about.ANNOTATIONS_LICENSE
    assert citation["url"] == about.HOMEPAGE


def test_package_metadata_says_mit_for_the_code():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == about.CODE_LICENSE
    assert about.CODE_LICENSE_FILE in project["license-files"]
    assert about.HOMEPAGE in project["urls"].values()


def test_readme_states_the_same_licences():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    licence = readme.split("## Licence", 1)[1]
    assert " ".join(about.LICENSE_STATEMENT.split()) in " ".join(licence.split())
