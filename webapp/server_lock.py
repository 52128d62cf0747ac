"""One server per SQLite database, and no restore under a running one.

An idle server's connections hold no SQLite lock, so a restore could not tell that one ran: it
replaced the file under the server, which went on answering from the deleted file, and what
tablets saved after the restore was gone at the next start. A server therefore holds an
operating-system lock on a file beside the database for as long as it runs. The system drops
it when the process ends, killed or not, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url

from .config import PRIVATE_FILE
from .file_rights import make_private_folders, tighten

RUNNING = "Servern är igång på den här databasen ({database}, process {pid}). Stoppa servern först."


class ServerRunning(Exception):
    """Another process holds the database's server lock."""


def lock_path(database: Path) -> Path:
    """The lock file beside the database (not one of SQLite's own -wal/-shm names)."""
    return database.with_name(f"{database.name}.server-lock")


def _try_lock(handle: IO[str]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _holder(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip() or "okänd"
    except OSError:
        return "okänd"


def acquire(database: Path) -> IO[str]:
    """Take the database's lock; keep the returned handle open for as long as it must hold.

    Raises ServerRunning, in Swedish, when another process holds it.
    """
    path = lock_path(database)
    make_private_folders(path.parent)
    # The app's own account's alone, as the database beside it: made so, and one an older
    # version made readable is tightened (the database, which may be IT's, is only named).
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
    tighten(path)
    handle = os.fdopen(fd, "a+", encoding="utf-8")
    # Windows locks a byte range from the current position: the same first byte for everyone.
    handle.seek(0)
    if not _try_lock(handle):
        handle.close()
        raise ServerRunning(RUNNING.format(database=database, pid=_holder(path)))
    # Read by whoever is refused, to name the process to stop.
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def hold_for_server(database_url: str) -> IO[str] | None:
    """The lock a server holds while it runs; None for a database that is not a SQLite file."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return acquire(Path(url.database))


@contextmanager
def held(database: Path) -> Iterator[None]:
    """Hold the database's lock for the block (a restore); ServerRunning when a server has it."""
    handle = acquire(database)
    try:
        yield
    finally:
        handle.close()
