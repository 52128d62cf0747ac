"""A database that cannot take a write (a full disk, a read-only file): said, never a 500."""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy.exc import DBAPIError

STORAGE_REFUSED = (
    "Datorn kunde inte spara: dess disk är full eller skrivskyddad. Inget av det du skickade "
    "sparades. Texten finns kvar i formuläret och på plattan. Säg till den som ansvarar för "
    "datorn och försök sedan igen."
)
# SQLite's primary result codes of a file that cannot be written: READONLY, IOERR, FULL, CANTOPEN.
_SQLITE_CODES = frozenset({8, 10, 13, 14})
# PostgreSQL's: disk full, read-only transaction (a standby), I/O error, out of resources.
_POSTGRES_STATES = frozenset({"53100", "25006", "58030", "53000"})
_REFUSED_FLAG = "storage_refused"
_REDRAW_FLAG = "redrawing_refused_form"


class StorageUnavailable(RuntimeError):
    """The database refused a write for want of room or permission; nothing of it was stored.

    Not a Refused (a ValueError): a view's `except ValueError` would take it for bad input and
    answer 400, which the tablet's autosave gives up on instead of sending again.
    """

    def __init__(self) -> None:
        super().__init__(STORAGE_REFUSED)


def is_storage_failure(exc: BaseException) -> bool:
    """Tell a disk that cannot be written from any other database error."""
    if isinstance(exc, StorageUnavailable):
        return True
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _SQLITE_CODES
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return state in _POSTGRES_STATES


def refused_write() -> StorageUnavailable:
    """The error to raise for a refused write; the request remembers it was refused.

    The page drawn after a refused submit shows the typed input back, and its own audit row
    of the read meets the same disk: see write_was_refused.
    """
    if has_request_context():
        setattr(g, _REFUSED_FLAG, True)
    return StorageUnavailable()


def write_was_refused() -> bool:
    """Whether this request's write already met a disk that cannot be written."""
    return has_request_context() and bool(g.get(_REFUSED_FLAG))


def start_redrawing() -> None:
    """This request's view runs again only to draw the form whose write the disk refused.

    Its form then reports no valid submit (BaseForm.validate), so the view takes its path for
    input to correct, and no write is tried again (write_transaction): a disk that came back
    meanwhile must not store a submit the user is told was not stored.
    """
    setattr(g, _REDRAW_FLAG, True)


def is_redrawing() -> bool:
    """Whether this request only draws again a form whose write the disk refused."""
    return has_request_context() and bool(g.get(_REDRAW_FLAG))
