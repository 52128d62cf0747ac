"""Static files: public (they carry no patient data), and cached by the tablets.

Each static URL the app writes carries a version taken from the file's content (`?v=`). A
request with the current version is answered with a year's `max-age`, so a tablet loads the
stylesheet and scripts once instead of revalidating five files on every page it opens; a
changed file gets a new URL, so an upgrade is never hidden behind a stale copy. A request
without the current version still gets `no-cache`.

Scripts and styles go gzipped to a browser that takes it (every tablet's does): compressed once
per file version and kept, so a first page weighs a third of the files as they are, for no CPU
per request. Waitress compresses nothing itself.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG
from typing import Any

from flask import Flask, Response, request
from werkzeug.security import safe_join

from .access import public

ONE_YEAR = 365 * 24 * 3600
# Text files; images and fonts are compressed in their own formats already.
COMPRESSIBLE = (".css", ".js", ".svg", ".json", ".webmanifest", ".txt")


def declare_static(app: Flask) -> None:
    """Mark the static endpoint public so the deny-by-default rule lets it through."""
    view = app.view_functions.get("static")
    if view is not None:
        app.view_functions["static"] = public(view)


@lru_cache(maxsize=256)
def _content_version(path: str, _mtime_ns: int, _size: int) -> str:
    # Keyed by modification time and size too, so an edited file is hashed again.
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


@lru_cache(maxsize=64)
def _gzipped(path: str, _mtime_ns: int, _size: int) -> bytes:
    # mtime=0: the same file gives the same bytes, so its compressed ETag stays true.
    return gzip.compress(Path(path).read_bytes(), compresslevel=9, mtime=0)


def _file_stat(folder: str, filename: str) -> tuple[str, os.stat_result] | None:
    path = safe_join(folder, filename)
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (path, stat) if S_ISREG(stat.st_mode) else None


def static_version(folder: str, filename: str) -> str:
    """A short hash of a static file's content, or "" if it is not a file under folder."""
    # Runs for every static URL a page writes: safe_join (as the static view itself uses) and
    # one stat, rather than resolving the path through the file system.
    found = _file_stat(folder, filename)
    if found is None:
        return ""
    path, stat = found
    return _content_version(path, stat.st_mtime_ns, stat.st_size)


def _compressed(response: Response, folder: str, filename: str) -> Response:
    """The static file's response gzipped, when the browser takes gzip and the file is text."""
    # Said on every answer, plain ones too: a cache between must not hand one to the other.
    response.vary.add("Accept-Encoding")
    if (
        response.status_code != 200
        or not filename.endswith(COMPRESSIBLE)
        or not request.accept_encodings["gzip"]
    ):
        return response
    found = _file_stat(folder, filename)
    if found is None:
        return response
    path, stat = found
    body = _gzipped(path, stat.st_mtime_ns, stat.st_size)
    response.close()  # the file the static view opened
    response.direct_passthrough = False
    response.set_data(body)
    response.content_encoding = "gzip"
    etag, weak = response.get_etag()
    if etag:
        # Its own tag: a revalidation of the plain copy must not be answered for this one.
        response.set_etag(f"{etag}-gzip", bool(weak))
        response.make_conditional(request.environ)
    return response


def version_static(app: Flask) -> None:
    """Write static URLs with their content version and let the tablets cache those."""
    folder = app.static_folder
    if folder is None:
        return

    @app.url_defaults
    def _add_version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = static_version(folder, values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def _cache_versioned(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        wanted = request.args.get("v")
        filename = (request.view_args or {}).get("filename", "")
        if wanted and wanted == static_version(folder, filename):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
        return _compressed(response, folder, filename)
