"""datapackage.json and every Table Schema against the official Data Package v2 profiles.

The profiles are the JSON Schema files published at https://datapackage.org/profiles/2.0/, as shipped
inside dplib-py (the Frictionless reference implementation, MIT). Two independent checks: the
JSON Schemas with format checking (URIs, e-mails), and dplib-py's own `check_package`, which also
follows every `schema` path. dplib-py 1.1.0 only uses its bundled copy for 1.0 URLs and otherwise
fetches the profile, so the tests serve the bundled 2.0 files on 127.0.0.1 and point `$schema` there.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from pathlib import Path

import dplib
import pytest
from dplib.actions.package.check import check_package
from jsonschema.validators import validator_for

from conftest import REPO
from ketamine_claims import schema

PROFILE_URL = "https://datapackage.org/profiles/2.0/"
PROFILES = Path(dplib.__file__).parent / "profiles" / "2.0"


def strict_validator(profile: str):
    """A validator of the named v2 profile that also checks formats (uri needs rfc3986-validator)."""
    document = json.loads((PROFILES / profile).read_text(encoding="utf-8"))
    cls = validator_for(document)
    assert "uri" in cls.FORMAT_CHECKER.checkers, "URI format checking needs rfc3986-validator (dev extra)"
    return cls(document, format_checker=cls.FORMAT_CHECKER)


def errors(validator, descriptor: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(descriptor)]


def test_datapackage_is_valid_against_the_v2_profile():
    descriptor = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["$schema"] == PROFILE_URL + "datapackage.json"
    assert errors(strict_validator("datapackage.json"), descriptor) == []


@pytest.mark.parametrize("table", schema.TABLES)
def test_table_schema_is_valid_against_the_v2_profile(table):
    descriptor = schema.table_schema(table)
    assert descriptor["$schema"] == PROFILE_URL + "tableschema.json"
    assert errors(strict_validator("tableschema.json"), descriptor) == []


def test_the_profile_check_is_not_vacuous():
    """The same validators reject what the issue reported: fieldsMatch as a string, a relative homepage."""
    table = {**schema.table_schema("claims"), "fieldsMatch": "equal"}
    assert any(e.startswith("fieldsMatch") for e in errors(strict_validator("tableschema.json"), table))
    package = {**json.loads((REPO / "datapackage.json").read_text(encoding="utf-8")), "homepage": "dataset/README.md"}
    assert any(e.startswith("homepage") for e in errors(strict_validator("datapackage.json"), package))


def test_every_source_path_is_a_file_of_the_release():
    descriptor = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    for source in descriptor["sources"]:
        assert (REPO / source["path"]).is_file(), source


@pytest.fixture(scope="module")
def profile_server():
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(PROFILES))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def with_local_profiles(folder: Path, base: str) -> None:
    """Point every `$schema` under folder at the local copy of the same profile file."""
    for path in [folder / "datapackage.json", *sorted((folder / "schemas").glob("*.json"))]:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        assert descriptor["$schema"].startswith(PROFILE_URL), path
        descriptor["$schema"] = base + descriptor["$schema"].removeprefix(PROFILE_URL)
        path.write_text(json.dumps(descriptor), encoding="utf-8")


def test_dplib_accepts_the_package_and_every_table_schema(tmp_path, profile_server):
    shutil.copyfile(REPO / "datapackage.json", tmp_path / "datapackage.json")
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    with_local_profiles(tmp_path, profile_server)
    assert [str(e) for e in check_package(str(tmp_path / "datapackage.json"))] == []

    broken = json.loads((tmp_path / "schemas" / "claims.schema.json").read_text(encoding="utf-8"))
    (tmp_path / "schemas" / "claims.schema.json").write_text(json.dumps({**broken, "fieldsMatch": "equal"}), encoding="utf-8")
    assert any("fieldsMatch" in str(e) or "'equal'" in str(e) for e in check_package(str(tmp_path / "datapackage.json")))
