"""Downloading a released version, every file checked against the registry shipped in the package.

Files come from `<base>/v<version>/<relative path>` through pooch (registry and sha256 checks).
The base URL is `DEFAULT_BASE_URL` unless the environment variable `KETAMINE_CLAIMS_BASE_URL`
is set. Files are fetched into a hidden staging folder next to the destination, which is renamed
to the destination only once every file has been verified (and nothing else is in it); a file
that fails its hash is deleted. Network faults raise FaultError (exit 4), wrong bytes and
refusals RefusedError (exit 1).
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ketamine_claims.checks.assets import Asset, release_problems
from ketamine_claims.errors import FaultError, RefusedError, positive_seconds, server_faults
from ketamine_claims.faults import fault_point
from ketamine_claims.release.registry import (
    REGISTRY_DIR,
    decode_registry,
    known_versions,
    parse_registry,
    parse_version,
    read_registry,
    registry_dir,
    registry_path,
)
from ketamine_claims.staging import Staging, note_recovered, recover

if TYPE_CHECKING:
    import pooch

BASE_URL_VARIABLE = "KETAMINE_CLAIMS_BASE_URL"
# A Hugging Face Hub dataset repository with one tag per release; its `resolve/<tag>/` URLs serve
# the release folder, laid out as <base>/v<version>/<relative path>.
DEFAULT_BASE_URL = "https://huggingface.co/datasets/ketamine-claims/ketamine-claims/resolve"
CACHE_NAME = "ketamine-claims"
# A release newer than the installed package: its registry is published with its files, at
# <base>/v<version>/REGISTRY_FILE (the same text as src/ketamine_claims/registries/v<version>.txt).
REGISTRY_FILE = "registry.txt"
REGISTRY_MAX_BYTES = 1 << 20


# Limits of one file's download: to connect, between two reads, and in all (a server that
# trickles bytes never trips a per-read timeout). The total is overridden by the environment
# variable KETAMINE_CLAIMS_DOWNLOAD_TIMEOUT (seconds).
CONNECT_TIMEOUT_S = 30
READ_TIMEOUT_S = 60
TOTAL_TIMEOUT_S = 1800
TIMEOUT_VARIABLE = "KETAMINE_CLAIMS_DOWNLOAD_TIMEOUT"
CHUNK_BYTES = 1 << 16
FILE_MODE, FOLDER_MODE = 0o644, 0o755


def base_url() -> str:
    """The base URL releases are downloaded from (environment variable, else the default)."""
    return (os.environ.get(BASE_URL_VARIABLE) or DEFAULT_BASE_URL).rstrip("/")


def total_timeout() -> float:
    """Seconds one file may take to download in all."""
    return positive_seconds(
        TIMEOUT_VARIABLE,
        TOTAL_TIMEOUT_S,
        lambda value: RefusedError(TIMEOUT_VARIABLE, f"{TIMEOUT_VARIABLE}={value!r} is not a positive number of seconds"),
    )


def default_dest(version: str) -> Path:
    """The cache folder of a version: <user cache>/ketamine-claims/v<version>."""
    import pooch

    return Path(pooch.os_cache(CACHE_NAME)) / f"v{version}"


class TimedDownloader:
    """A pooch downloader (requests, streamed) that asks for the file's bytes as they are (no compression), refuses
    a compressed answer, stops reading past the registry's size and gives up after `total` seconds in all."""

    def __init__(self, total: float, sizes: dict[str, int]):
        self.total = total
        self.sizes = sizes  # URL -> the registry's size in bytes

    def __call__(self, url: str, output_file: str, pooch_object: object, check_only: bool = False) -> bool | None:
        import requests
        import urllib3

        deadline = time.monotonic() + self.total
        too_slow = f"took longer than {self.total:g} s in all (set {TIMEOUT_VARIABLE} to allow more)"
        timeouts = (min(CONNECT_TIMEOUT_S, self.total), min(READ_TIMEOUT_S, self.total))
        limit = self.sizes[url]
        with requests.get(url, stream=True, timeout=timeouts, headers={"Accept-Encoding": "identity"}) as response:
            response.raise_for_status()
            if check_only:
                return True
            encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
            if encoding not in ("", "identity"):
                raise RefusedError(
                    url,
                    f"{url}: the server sent the file with Content-Encoding {encoding}, which was not asked for "
                    "(only identity); refused without decoding it",
                )
            announced = int(response.headers.get("Content-Length", 0) or 0)
            if announced > limit:
                raise RefusedError(url, f"{url}: the server announces {announced} bytes, the registry says {limit}; refused")
            received = 0
            with open(output_file, "wb") as out:
                try:
                    while True:
                        _limit_read_wait(response, deadline)
                        chunk = response.raw.read1(CHUNK_BYTES, decode_content=False)
                        if not chunk:
                            break
                        received += len(chunk)
                        if received > limit:
                            raise RefusedError(
                                url, f"{url}: the server sent more than the registry's {limit} bytes; stopped reading"
                            )
                        out.write(chunk)
                        fault_point("download-write", output_file)
                        if time.monotonic() > deadline:
                            raise TimeoutError(too_slow)
                except urllib3.exceptions.ReadTimeoutError as exc:
                    if time.monotonic() >= deadline:
                        raise TimeoutError(too_slow) from None
                    raise requests.exceptions.ReadTimeout(exc) from None
                except urllib3.exceptions.ProtocolError as exc:
                    raise requests.exceptions.ChunkedEncodingError(exc) from None
                if response.raw.tell() < announced:
                    raise requests.exceptions.ChunkedEncodingError("connection closed before the announced length")
        return None


def _limit_read_wait(response: object, deadline: float) -> None:
    """Let the next read wait at most until the deadline (and never more than READ_TIMEOUT_S)."""
    sock = getattr(getattr(response.raw, "connection", None), "sock", None)  # urllib3's connection, while streaming
    if sock is not None:
        sock.settimeout(max(0.001, min(READ_TIMEOUT_S, deadline - time.monotonic())))


def _fetch(fetcher: pooch.Pooch, rel: str, downloader: TimedDownloader) -> None:
    import requests

    url = fetcher.get_url(rel)
    try:
        fetcher.fetch(rel, downloader=downloader)
    except requests.HTTPError as exc:
        status = exc.response.status_code if exc.response is not None else "an error"
        raise FaultError(url, f"{rel}: the server answered {status}") from exc
    except requests.exceptions.ChunkedEncodingError as exc:
        raise FaultError(url, f"{rel}: truncated download (connection closed early); try again") from exc
    except TimeoutError as exc:
        raise FaultError(url, f"{rel}: download {exc}") from exc
    except requests.RequestException as exc:
        raise FaultError(
            url, f"{rel}: cannot reach the server ({type(exc).__name__}); check {BASE_URL_VARIABLE} or the network"
        ) from exc
    except RefusedError:
        raise
    except ValueError as exc:
        raise RefusedError(
            url,
            f"{rel}: sha256 of the file from {url} does not match the registry; the file was deleted "
            "(the server holds different bytes than the release: a truncated or altered file)",
        ) from exc
    except OSError as exc:  # writing the file failed (a full disk names no file)
        where = exc.filename or fetcher.abspath / rel
        raise FaultError(where, f"{exc.strerror or exc} while downloading {url}; nothing was kept") from exc


def release_registry(version: str, registry_sha256: str | None = None) -> list[Asset]:
    """The assets of a version: from the registry shipped in the package, else from the release host.

    A registry from the host is as trustworthy as the host and its TLS certificate; `registry_sha256`
    (the registry's sha256, published with the release) pins it, and a registry that differs is refused."""
    known = known_versions(REGISTRY_DIR)
    if version in known:
        path = registry_path(version, REGISTRY_DIR)
        text = decode_registry(path.read_bytes(), path)  # no newline translation: the sha256 is that of the file
    else:
        try:
            parse_version(version)
        except ValueError as exc:
            raise RefusedError(
                version, f"unknown version {version!r} ({exc}); known versions: {', '.join(known) or 'none'}"
            ) from None
        path, text = fetch_registry(version, known)
    if registry_sha256 is not None:
        actual = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if actual != registry_sha256.lower():
            raise RefusedError(
                path, f"{path}: the registry's sha256 is {actual}, not the {registry_sha256} given; nothing was downloaded"
            )
    return parse_registry(text, path)


def fetch_registry(version: str, known: list[str]) -> tuple[str, str]:
    """(URL, text) of the registry of a version the package does not ship, from <base>/v<version>/registry.txt."""
    import requests

    url = f"{base_url()}/v{version}/{REGISTRY_FILE}"
    with (
        server_faults(url, BASE_URL_VARIABLE),
        requests.get(url, stream=True, timeout=(CONNECT_TIMEOUT_S, READ_TIMEOUT_S)) as response,
    ):
        if response.status_code == 404:
            raise RefusedError(
                url,
                f"unknown version {version!r}: this package ships the registries of {', '.join(known) or 'none'} and "
                f"{url} answered 404 (not released there)",
            )
        response.raise_for_status()
        data = response.raw.read(REGISTRY_MAX_BYTES + 1, decode_content=True)
    if len(data) > REGISTRY_MAX_BYTES:
        raise RefusedError(url, f"{url}: more than {REGISTRY_MAX_BYTES} bytes; not a registry")
    try:
        return url, data.decode("utf-8")
    except UnicodeDecodeError:
        raise RefusedError(url, f"{url}: not UTF-8 text; not a registry") from None


def release_folder(root: Path, version: str, dist: Path) -> Path:
    """The files of a released version, checked against its registry: dist/v<version>, else downloaded.

    Registries come from the repository at root, or from the installed package outside a checkout."""
    registries = registry_dir(root) if registry_dir(root).is_dir() else REGISTRY_DIR
    known = known_versions(registries)
    if version not in known:
        raise RefusedError(registries, f"unknown version {version!r}; released versions: {', '.join(known) or 'none'}")
    assets = read_registry(registry_path(version, registries))
    local = dist / f"v{version}"
    if local.is_dir() and not release_problems(local, assets):
        return local
    return download(version)


def publish_modes(folder: Path) -> None:
    """World-readable files (0644) and folders (0755), as a release is published."""
    for path in [folder, *folder.rglob("*")]:
        os.chmod(path, FOLDER_MODE if path.is_dir() else FILE_MODE)


def download(version: str, dest: str | Path | None = None, registry_sha256: str | None = None) -> Path:
    """Fetch every file of a released version into dest (default: the user cache) and return dest.

    The sha256 and size of every file come from the registry shipped in the package or, for a version
    newer than the package, from `<base>/v<version>/registry.txt` on the release host, pinned by
    `registry_sha256` when given (see docs/download.md, "The trust chain").

    The returned folder holds `README.md` (the card), `dataset/`, `datapackage.json` and `schemas/`:
    `datasets.load_dataset(str(folder), "claims")` and `frictionless validate folder/datapackage.json`
    work on it as is. A folder already present and matching the registry is not fetched again.
    Files are fetched into a staging folder `.<dest name>.partial-*` next to dest, which becomes
    dest only when every file is verified; a failed or killed download leaves no file behind
    (a killed one's staging folder is removed by the next download into the same place).
    """
    assets = release_registry(version, registry_sha256)
    dest = Path(dest).resolve() if dest is not None else default_dest(version)
    limit = total_timeout()
    if _complete_copy(dest, version, assets):
        return dest
    created = [p for p in [dest.parent, *dest.parent.parents] if not p.exists()]
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        prefix = f".{dest.name}.partial-"
        note_recovered(recover(dest.parent, prefix), "download")
        with Staging(dest.parent, prefix) as staging:
            files = staging.path / "files"
            fetch_release(version, assets, files, limit)
            publish_modes(files)
            try:
                os.rename(files, dest)  # replaces an empty folder, never a full one
            except OSError:
                if dest.is_dir() and not release_problems(dest, assets):
                    return dest  # another download of the same version finished first
                raise
    except BaseException:
        for folder in created:  # deepest first: only the folders this call created, if still empty
            try:
                folder.rmdir()
            except OSError:
                break
        raise
    return dest


def _complete_copy(dest: Path, version: str, assets: list[Asset]) -> bool:
    """Whether dest already holds exactly the release; RefusedError if it holds anything else (an empty folder: False)."""
    if not dest.exists():
        return False
    problems = release_problems(dest, assets) if dest.is_dir() else [f"{dest} is not a folder"]
    if not problems:
        return True
    if not dest.is_dir() or any(dest.iterdir()):
        raise RefusedError(
            dest,
            f"{dest} exists but is not a complete copy of v{version} ({'; '.join(problems[:3])}); "
            "delete it or choose another destination",
        )
    return False


def fetch_release(version: str, assets: list[Asset], files: Path, limit: float) -> None:
    """Fetch every asset of version into the new folder files through pooch, each checked against the registry."""
    import pooch

    pooch.get_logger().setLevel(logging.WARNING)
    fetcher = pooch.create(
        path=files,
        base_url=f"{base_url()}/v{version}/",
        registry={a.path: f"sha256:{a.sha256}" for a in assets},
        allow_updates=True,
    )
    downloader = TimedDownloader(limit, {fetcher.get_url(a.path): a.size for a in assets})
    for asset in assets:
        _fetch(fetcher, asset.path, downloader)
        fault_point("download-file", files / asset.path)
    problems = release_problems(files, assets)
    if problems:
        raise RefusedError(files, f"v{version} from {base_url()} does not match the registry: " + "; ".join(problems))
