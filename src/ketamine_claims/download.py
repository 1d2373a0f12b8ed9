"""Downloading a released version, every file checked against the registry shipped in the package.

Files come from `<base>/v<version>/<relative path>` through pooch (registry and sha256 checks).
The base URL is `DEFAULT_BASE_URL` unless the environment variable `KETAMINE_CLAIMS_BASE_URL`
is set. Files are fetched into a hidden staging folder next to the destination, which is renamed
to the destination only once every file has been verified; a file that fails its hash is deleted.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from .registry import REGISTRY_DIR, check_assets, known_versions, read_registry, registry_path

if TYPE_CHECKING:
    import pooch

BASE_URL_VARIABLE = "KETAMINE_CLAIMS_BASE_URL"
# A Hugging Face Hub dataset repository with one tag per release; its `resolve/<tag>/` URLs serve
# the release folder, laid out as <base>/v<version>/<relative path>.
DEFAULT_BASE_URL = "https://huggingface.co/datasets/ketamine-claims/ketamine-claims/resolve"
CACHE_NAME = "ketamine-claims"


class DownloadError(ValueError):
    """A download failed; the message names the file, the URL and what to do."""


def base_url() -> str:
    """The base URL releases are downloaded from (environment variable, else the default)."""
    return (os.environ.get(BASE_URL_VARIABLE) or DEFAULT_BASE_URL).rstrip("/")


def default_dest(version: str) -> Path:
    """The cache folder of a version: <user cache>/ketamine-claims/v<version>."""
    import pooch

    return Path(pooch.os_cache(CACHE_NAME)) / f"v{version}"


def _fetch(fetcher: pooch.Pooch, rel: str) -> None:
    import requests

    url = fetcher.get_url(rel)
    try:
        fetcher.fetch(rel)
    except requests.HTTPError as exc:
        status = exc.response.status_code if exc.response is not None else "an error"
        raise DownloadError(f"{rel}: the server answered {status} for {url}") from exc
    except requests.exceptions.ChunkedEncodingError as exc:
        raise DownloadError(f"{rel}: truncated download from {url} (connection closed early); try again") from exc
    except requests.RequestException as exc:
        raise DownloadError(
            f"{rel}: cannot reach {url} ({type(exc).__name__}); check {BASE_URL_VARIABLE} or the network"
        ) from exc
    except ValueError as exc:
        raise DownloadError(
            f"{rel}: sha256 of the file from {url} does not match the registry; the file was deleted "
            "(the server holds different bytes than the release: a truncated or altered file)"
        ) from exc


def download(version: str, dest: str | Path | None = None) -> Path:
    """Fetch every file of a released version into dest (default: the user cache) and return dest.

    The returned folder holds `README.md` (the card), `dataset/`, `datapackage.json` and `schemas/`:
    `datasets.load_dataset(str(folder), "claims")` and `frictionless validate folder/datapackage.json`
    work on it as is. Files already present and matching the registry are not fetched again.
    """
    import pooch

    known = known_versions(REGISTRY_DIR)
    if version not in known:
        raise DownloadError(f"unknown version {version!r}; known versions: {', '.join(known) or 'none'}")
    assets = read_registry(registry_path(version, REGISTRY_DIR))
    dest = Path(dest).resolve() if dest is not None else default_dest(version)
    if dest.exists():
        problems = check_assets(dest, assets) if dest.is_dir() else [f"{dest} is not a folder"]
        if not problems:
            return dest
        if not dest.is_dir() or any(dest.iterdir()):
            raise DownloadError(
                f"{dest} exists but is not a complete copy of v{version} ({'; '.join(problems[:3])}); "
                "delete it or choose another destination"
            )
        dest.rmdir()
    staging = dest.with_name(f".{dest.name}.partial")
    pooch.get_logger().setLevel(logging.WARNING)
    fetcher = pooch.create(
        path=staging,
        base_url=f"{base_url()}/v{version}/",
        registry={a.path: f"sha256:{a.sha256}" for a in assets},
        allow_updates=True,
    )
    try:
        for asset in assets:
            _fetch(fetcher, asset.path)
    finally:
        if staging.is_dir() and not any(p.is_file() for p in staging.rglob("*")):
            shutil.rmtree(staging)
    problems = check_assets(staging, assets)
    if problems:
        raise DownloadError(f"v{version} in {staging} does not match the registry: " + "; ".join(problems))
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staging, dest)
    return dest
