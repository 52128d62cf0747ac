"""Durable storage: SQLite pragmas, immediate write transactions, local-disk check."""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Insert,
    Integer,
    Select,
    Table,
    Update,
    bindparam,
    event,
    func,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, scoped_session
from sqlalchemy.orm.attributes import set_committed_value

from .config import PRIVATE_FILE
from .extensions import db
from .storage_errors import is_redrawing, is_storage_failure, refusal_of, refused_write

NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smbfs", "smb3", "fuse.sshfs", "sshfs", "afs", "9p", "ncpfs", "davfs"}
)
BUSY_TIMEOUT_MS = 15000
WRITE_OPTION = "reservrutin_write"

# One writer at a time inside this process: SQLite's busy handler sleeps and retries,
# which spreads latency to seconds when tablets submit at once; a lock queues them fairly.
_sqlite_write_lock = threading.Lock()


class StorageError(RuntimeError):
    """The database cannot be used safely."""


def _is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@event.listens_for(Engine, "do_connect")
def _private_database_file(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> None:
    """Create a new SQLite database file for the app's own account alone, before SQLite opens it.

    SQLite would create it as the umask leaves it (usually readable by every account of the
    laptop), and gives its -wal and -shm the database file's own rights. A file that exists
    keeps the rights it has: the laptop's health page names one that is open to others.
    """
    if dialect.name != "sqlite" or cparams.get("uri"):
        return
    name = cargs[0] if cargs else cparams.get("database")
    if not isinstance(name, str) or name in ("", ":memory:"):
        return
    # There already (it keeps its rights), or not creatable: SQLite then says why itself.
    with suppress(OSError):
        os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


@event.listens_for(Engine, "connect")
def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    # Let SQLAlchemy's begin event emit BEGIN itself, so writes can say IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


@event.listens_for(Engine, "begin")
def _on_begin(conn: Any) -> None:
    if not _is_sqlite(conn.engine):
        return
    if conn.get_execution_options().get(WRITE_OPTION):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def check_sqlite_settings(engine: Engine) -> dict[str, Any]:
    """Read back the pragmas of a pooled connection and refuse to run without them."""
    if not _is_sqlite(engine):
        return {}
    with engine.connect() as conn:
        found = {
            "journal_mode": conn.exec_driver_sql("PRAGMA journal_mode").scalar(),
            "synchronous": conn.exec_driver_sql("PRAGMA synchronous").scalar(),
            "foreign_keys": conn.exec_driver_sql("PRAGMA foreign_keys").scalar(),
            "busy_timeout": conn.exec_driver_sql("PRAGMA busy_timeout").scalar(),
        }
    in_memory = engine.url.database in (None, "", ":memory:")
    if not in_memory and str(found["journal_mode"]).lower() != "wal":
        raise StorageError(f"SQLite kör inte i WAL-läge (journal_mode={found['journal_mode']}).")
    if found["synchronous"] != 2 or found["foreign_keys"] != 1:
        raise StorageError(f"SQLite-inställningarna är fel: {found}")
    return found


@contextmanager
def write_transaction() -> Iterator[Any]:
    """Run one user action as one write transaction that waits for the write lock."""
    if is_redrawing():
        raise refused_write()
    session = db.session
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("Unsaved changes outside a write transaction")
    # End any read snapshot first: upgrading a read to a write fails at once in WAL mode.
    session.rollback()
    engine = db.engine
    lock = _sqlite_write_lock if _is_sqlite(engine) else None
    if lock is not None:
        lock.acquire()
    try:
        try:
            session.connection(execution_options={WRITE_OPTION: True})
            yield session
            session.commit()
        except BaseException as exc:
            session.rollback()
            if isinstance(exc, DBAPIError) and is_storage_failure(exc):
                raise refused_write(exc) from exc
            raise
    finally:
        if lock is not None:
            lock.release()


_PK_PARAM = "pk_of_row"


@cache
def _lock_by_pk(table: Table) -> Select[Any]:
    (pk,) = table.primary_key.columns
    return select(pk).where(pk == bindparam(_PK_PARAM)).with_for_update()


def lock_before_reading(session: Session | scoped_session[Any], table: Table, key: Any) -> None:
    """Lock one row (PostgreSQL) before the statements that read what the lock guards.

    A statement reads as of its start, so a row joined into the statement that waits for the
    lock would be read as it was before the holder committed; the next statement sees it. On
    SQLite the write transactions already run one at a time: nothing to do, no round trip.
    """
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        conn.execute(_lock_by_pk(table), {_PK_PARAM: key})


# The first key of the two-key advisory locks that stand for form keys; the one-key (bigint)
# locks are a space of their own, and nothing else here takes advisory locks.
_FORM_KEY_LOCKS = 0x5252
_LOCK_FORM_KEY = select(
    func.pg_advisory_xact_lock(bindparam("space", type_=Integer), bindparam("key", type_=Integer))
)


def _form_key_hash(form_key: str) -> int:
    """The form key as a signed 32-bit number (two keys sharing one only wait for each other)."""
    digest = hashlib.blake2b(form_key.encode("utf-8"), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_form_key(session: Session | scoped_session[Any], form_key: str) -> None:
    """Hold one form's key (PostgreSQL) until the transaction ends: its saves take turns.

    The first autosave of a form inserts its draft, and a submit of the form marks the draft
    done; neither has a row to lock before the other commits, so without this an autosave
    and the submit at the same moment both miss each other's write. An advisory lock needs no
    row. Take it before reading the draft or the form's stored submit. SQLite runs the write
    transactions one at a time: nothing to do.
    """
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        conn.execute(_LOCK_FORM_KEY, {"space": _FORM_KEY_LOCKS, "key": _form_key_hash(form_key)})


# Statements built once per table: building one, and its cache key, costs more than running it.
@cache
def _insert(table: Table) -> Insert:
    return table.insert()


@cache
def _update_by_pk(table: Table) -> Update:
    (pk,) = table.primary_key.columns
    # The SET clause comes from the keys of the parameters each call passes.
    return update(table).where(pk == bindparam(_PK_PARAM))


def insert_row(
    session: Session | scoped_session[Any], table: Table, values: Mapping[str, Any]
) -> Any:
    """Insert one row in the session's transaction now; returns its primary key.

    For rows the caller needs no tracked object of (audit events, versions, submissions, the
    records a submit creates): the ORM's unit of work costs several times the INSERT itself.
    Column defaults (e.g. timestamps) apply as with the ORM.
    """
    result = session.connection().execute(_insert(table), dict(values))
    key = result.inserted_primary_key
    return key[0] if key else None


def update_by_key(
    session: Session | scoped_session[Any], table: Table, key: Any, values: Mapping[str, Any]
) -> None:
    """Write columns of one row now: UPDATE by primary key in the session's transaction."""
    if values:
        session.connection().execute(_update_by_pk(table), {**values, _PK_PARAM: key})


def update_row(session: Session | scoped_session[Any], obj: Any, values: Mapping[str, Any]) -> None:
    """Write columns of one loaded row now (UPDATE by primary key); the object shows them too.

    A flush of a changed case walks every relationship that points at cases, which costs several
    times the UPDATE itself. The new values are set on the object as already stored, so the
    flush at commit does not write them again.
    """
    if not values:
        return
    state = inspect(obj)
    (ident,) = state.identity
    update_by_key(session, state.mapper.local_table, ident, values)
    for key, value in values.items():
        set_committed_value(obj, key, value)


@contextmanager
def _storage_refusal() -> Iterator[None]:
    # Not refused_write: the request is not marked refused by these rows (an audit row of its
    # read), or the read would be let through unlogged as if it redrew a refused submit.
    try:
        yield
    except DBAPIError as exc:
        if is_storage_failure(exc):
            raise refusal_of(exc) from exc
        raise


class _Batch:
    """Rows of one caller, waiting for the group commit that stores them."""

    __slots__ = ("done", "engine", "error", "rows")

    def __init__(self, engine: Engine, rows: Sequence[tuple[Table, dict[str, Any]]]) -> None:
        self.engine = engine
        self.rows = rows
        self.done = False
        self.error: BaseException | None = None


class _GroupCommit:
    """Append-only rows from many threads stored together: one transaction, one fsync.

    A caller queues its rows and waits. The first waiting caller with no commit under way leads:
    it takes everything queued, inserts it in one write transaction and wakes the others. Nobody
    returns before the transaction holding its rows is committed (synchronous=FULL: fsynced).
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._queue: list[_Batch] = []
        self._leading = False

    def append(self, engine: Engine, rows: Sequence[tuple[Table, dict[str, Any]]]) -> None:
        mine = _Batch(engine, rows)
        with self._cond:
            self._queue.append(mine)
            while not mine.done and self._leading:
                self._cond.wait()
            if mine.done:
                if mine.error is not None:
                    raise mine.error
                return
            self._leading = True
            # Only rows for this database; another app in the process (tests) leads its own.
            batch = [item for item in self._queue if item.engine is engine]
            self._queue = [item for item in self._queue if item.engine is not engine]
        error: BaseException | None = None
        try:
            self._store(engine, batch)
        except BaseException as exc:
            error = exc
        finally:
            with self._cond:
                for item in batch:
                    item.done = True
                    item.error = error
                self._leading = False
                self._cond.notify_all()
        if error is not None:
            raise error

    @staticmethod
    def _store(engine: Engine, batch: list[_Batch]) -> None:
        lock = _sqlite_write_lock if _is_sqlite(engine) else None
        if lock is not None:
            lock.acquire()
        try:
            with (
                _storage_refusal(),
                engine.connect().execution_options(**{WRITE_OPTION: True}) as conn,
                conn.begin(),
            ):
                # One executemany per table and key set: a batch is mostly alike audit rows.
                groups: dict[tuple[Table, tuple[str, ...]], list[dict[str, Any]]] = {}
                for item in batch:
                    for table, values in item.rows:
                        groups.setdefault((table, tuple(values)), []).append(values)
                for (table, _keys), rows in groups.items():
                    conn.execute(_insert(table), rows)
        finally:
            if lock is not None:
                lock.release()


_group_commit = _GroupCommit()


def append_rows(rows: Sequence[tuple[Table, dict[str, Any]]]) -> None:
    """Insert append-only rows (audit of a read, a scan) durably, sharing the commit with others.

    Returns once the rows are committed; rows of one call are stored in one transaction.
    """
    _group_commit.append(db.engine, rows)


def _linux_mount_fstype(path: Path, mounts_text: str) -> str | None:
    best: tuple[int, str] | None = None
    target = str(path)
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) > best[0]):
            best = (len(mount_point), parts[2])
    return best[1] if best else None


def is_network_path(path: Path, mounts_text: str | None = None) -> bool:
    """Tell whether a folder lives on a network share, where SQLite's WAL is unsafe."""
    path = path.resolve()
    if sys.platform == "win32":
        if str(path).startswith("\\\\"):
            return True
        import ctypes

        drive = path.drive + "\\"
        drive_remote = 4
        return bool(ctypes.windll.kernel32.GetDriveTypeW(drive) == drive_remote)  # type: ignore[attr-defined]
    if mounts_text is None:
        mounts = Path("/proc/mounts")
        if not mounts.exists():
            return False
        mounts_text = mounts.read_text(encoding="utf-8", errors="replace")
    fstype = _linux_mount_fstype(path, mounts_text)
    return fstype in NETWORK_FILESYSTEMS


def ensure_local_disk(data_dir: Path) -> None:
    """Refuse a data dir on a network share with a message the installer understands."""
    if is_network_path(data_dir):
        raise StorageError(
            f"Datamappen {data_dir} ligger på en nätverksdisk. SQLite (WAL) kan förlora data där: "
            "välj en mapp på den bärbara datorns egen disk med --data-dir."
        )
