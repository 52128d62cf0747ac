"""Where a redirect to a return address (a login's next, the language switch's) may lead."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request, url_for
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from .access import records_on_open
from .local_paths import local_path


def get_endpoint(path: str) -> str | None:
    """The endpoint a GET of this path reaches, or None (no page, or a redirect to another)."""
    page = get_page(path)
    return page[0] if page is not None else None


def get_page(path: str) -> tuple[str, dict[str, Any]] | None:
    """The endpoint and view arguments a GET of this path reaches, or None (as get_endpoint)."""
    try:
        endpoint, values = current_app.url_map.bind_to_environ(request.environ).match(
            path, method="GET"
        )
    except HTTPException:
        return None
    return str(endpoint), dict(values)


def without_recording(page: str) -> str:
    """The local `page`, or for a print or export the page with its link, which a tap opens.

    A return address comes from a link or from where a session ended, not from a choice the
    user just made: followed by itself, /login?next=<export> recorded the export (the next
    "changed only" left its cases out) and a print's next sheet said KOPIA.
    """
    endpoint = get_endpoint(urlsplit(page).path)
    if endpoint is not None and records_on_open(current_app.view_functions[endpoint]):
        return url_for("main.open_page", page=page)
    return page


def _takes_only_other_methods(path: str) -> bool:
    try:
        current_app.url_map.bind_to_environ(request.environ).match(path, method="GET")
    except MethodNotAllowed:
        return True
    except HTTPException:
        return False
    return False


def page_answering_get(target: str | None) -> str:
    """The page to show again after a language switch or a refused form: one a GET can reach.

    A form refused by the rules is drawn again as the answer to its POST, so the page may name
    an address that takes only POST (a cancel, a confirm): going back there gave a 405. The
    nearest page above it is shown instead.
    """
    page = local_path(target) or url_for("main.index")
    path = urlsplit(page).path
    if not _takes_only_other_methods(path):
        return without_recording(page)
    segments = path.rstrip("/").split("/")
    while len(segments) > 1:
        segments.pop()
        parent = "/".join(segments)
        for candidate in (parent, parent + "/"):
            if candidate and get_endpoint(candidate) is not None:
                return candidate
    return url_for("main.index")
