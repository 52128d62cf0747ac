"""A database that cannot take a write (a full disk, a read-only file, another program's write
lock held past the wait): said, never a 500."""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy.exc import DBAPIError

STORAGE_REFUSED = (
    "Datorn kunde inte spara: dess disk är full eller skrivskyddad. Inget av det du skickade "
    "sparades. Texten finns kvar i formuläret och på plattan. Säg till den som ansvarar för "
    "datorn och försök sedan igen."
)
DATABASE_BUSY = (
    "Datorn hann inte spara: databasen var upptagen av en annan skrivning. Inget av det du "
    "skickade sparades. Texten finns kvar i formuläret och på plattan. Försök igen om en stund."
)
# SQLite's primary result codes of a file that cannot be written: READONLY, IOERR, FULL, CANTOPEN.
_SQLITE_CODES = frozenset({8, 10, 13, 14})
# PostgreSQL's: disk full, read-only transaction (a standby), I/O error, out of resources.
_POSTGRES_STATES = frozenset({"53100", "25006", "58030", "53000"})
# SQLite's BUSY and LOCKED: another connection kept the lock past busy_timeout.
_SQLITE_BUSY = frozenset({5, 6})
# PostgreSQL's lock not available, deadlock, serialization failure: the transaction was rolled
# back whole and nothing here retries it; sent again it goes through.
_POSTGRES_BUSY = frozenset({"55P03", "40P01", "40001"})
_REFUSED_FLAG = "storage_refused"
_REDRAW_FLAG = "redrawing_refused_form"


class StorageUnavailable(RuntimeError):
    """The database refused a write for want of room or permission; nothing of it was stored.

    Not a Refused (a ValueError): a view's `except ValueError` would take it for bad input and
    answer 400, which the tablet's autosave gives up on instead of sending again.
    """

    def __init__(self, message: str = STORAGE_REFUSED) -> None:
        super().__init__(message)


class DatabaseBusy(StorageUnavailable):
    """Another writer held the database's lock past the wait; nothing was stored, try again.

    A refused write in all but its words: a lock is not a full disk, and passes by itself.
    """

    def __init__(self) -> None:
        super().__init__(DATABASE_BUSY)


def _codes(exc: BaseException) -> tuple[int | None, str | None]:
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    code = getattr(orig, "sqlite_errorcode", None)
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return (code & 0xFF if isinstance(code, int) else None), state


def is_database_busy(exc: BaseException) -> bool:
    """Tell another writer's lock, held past the wait, from any other database error."""
    if isinstance(exc, StorageUnavailable):
        return isinstance(exc, DatabaseBusy)
    code, state = _codes(exc)
    if code is not None:
        return code in _SQLITE_BUSY
    return state in _POSTGRES_BUSY


def is_storage_failure(exc: BaseException) -> bool:
    """Tell a write the database could not take (its disk, or a lock) from any other error."""
    if isinstance(exc, StorageUnavailable) or is_database_busy(exc):
        return True
    code, state = _codes(exc)
    if code is not None:
        return code in _SQLITE_CODES
    return state in _POSTGRES_STATES


def refusal_of(cause: BaseException) -> StorageUnavailable:
    """The refusal to raise for a database error: a busy one is told as such."""
    return DatabaseBusy() if is_database_busy(cause) else StorageUnavailable()


def refused_write(cause: BaseException | None = None) -> StorageUnavailable:
    """The error to raise for a refused write; the request remembers it was refused, and why.

    cause: the database's error; without it, the request's earlier refusal again, or the
    disk's. The page drawn after a refused submit shows the typed input back, and its own audit
    row of the read meets the same disk: see write_was_refused.
    """
    earlier = g.get(_REFUSED_FLAG) if has_request_context() else None
    basis = cause if cause is not None else earlier
    error = refusal_of(basis) if basis is not None else StorageUnavailable()
    if has_request_context():
        setattr(g, _REFUSED_FLAG, error)
    return error


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
