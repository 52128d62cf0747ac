"""Why a backup could not be written, in words the admin screen can show in either language."""

from __future__ import annotations

import errno
import sqlite3

from .storage_errors import DatabaseBusy

# Why a backup could not be written, as the admin is told; the system's own English words go
# to the log. Fixed phrases, so the admin screen shows them in the user's language.
FAILURE_REASONS = {
    "missing": "målmappen finns inte (är USB-minnet urtaget?)",
    "not_a_folder": "en fil står där målmappen ska vara",
    "full": "disken är full",
    "low_space": "för lite ledigt utrymme skulle bli kvar på databasens disk",
    "denied": "behörighet saknas till målmappen",
    "read_only": "målmappen är skrivskyddad",
    "io": "läs- eller skrivfel på disken (är USB-minnet urtaget eller skadat?)",
    "busy": "databasen var upptagen; försök igen",
    "integrity": "kopian klarade inte integritetskontrollen",
    "other": "oväntat systemfel (se serverns logg)",
}
_ERRNO_REASONS = {
    errno.ENOENT: "missing",
    errno.ENODEV: "missing",
    errno.ENXIO: "missing",
    errno.ENOTDIR: "not_a_folder",
    errno.EEXIST: "not_a_folder",
    errno.ENOSPC: "full",
    errno.EFBIG: "full",
    errno.EDQUOT: "full",
    errno.EACCES: "denied",
    errno.EPERM: "denied",
    errno.EROFS: "read_only",
    errno.EIO: "io",
}
# SQLite's primary result codes (the low byte of sqlite_errorcode).
_SQLITE_REASONS = {3: "denied", 5: "busy", 6: "busy", 8: "read_only", 10: "io", 13: "full"}


class BackupError(RuntimeError):
    """A backup or restore that could not be done safely.

    reason: a key of FAILURE_REASONS, for the admin screen to say why in the user's language.
    """

    def __init__(self, message: str, reason: str = "other") -> None:
        super().__init__(message)
        self.reason = reason


def failure_reason(exc: BaseException) -> str:
    """The FAILURE_REASONS key for an error of the disk or of SQLite."""
    if isinstance(exc, BackupError):
        return exc.reason
    if isinstance(exc, DatabaseBusy):
        # A write of the app's own (an audit row) that met another program's lock.
        return "busy"
    if isinstance(exc, OSError):
        return _ERRNO_REASONS.get(exc.errno or 0, "other")
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        return _SQLITE_REASONS.get(code & 0xFF, "other") if code is not None else "other"
    return "other"
