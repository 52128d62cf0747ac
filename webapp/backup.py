"""Consistent online backups of the SQLite database, to a second folder (e.g. a USB stick)."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from .audit import Actor, log_event
from .backup_errors import FAILURE_REASONS, BackupError, failure_reason
from .config import PRIVATE_FILE
from .file_rights import make_private_folders
from .laptop_health import DISK_CRITICAL, DiskUsage, size_text
from .models import Site, User
from .storage import write_transaction
from .storage_errors import StorageUnavailable

PREFIX = "reservrutin-"
SUFFIX = ".db"
STAMP = "%Y%m%d-%H%M%S-%f"
# The stamp is UTC (never repeated when summer time ends); the name says so, as the admin screen
# shows times in local time and an admin picks the copy to restore by its name.
UTC_MARK = "-UTC"
# Where the folder that could not be made is noted for the admin screen (app.extensions).
DIR_PROBLEM = "reservrutin_backup_dir_problem"
# Where the last backup's failure is noted for the admin screen (app.extensions), until one
# succeeds: the timer's failures are otherwise only in the server's log.
LAST_FAILURE = "reservrutin_backup_failure"
# The room a backup must leave free on the database's own disk. Each copy is as large as the
# database; a full disk stops every save (principle 1), so no copy is worth it. The WAL can
# grow towards the database's size before a checkpoint, and the next copy is written before
# the oldest is pruned: twice the database. Never less than the laptop's critical disk level
# (500 MB), below which saves may already fail.
MIN_FREE_AFTER_BACKUP = DISK_CRITICAL

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackupStatus:
    target: Path
    target_exists: bool
    latest: Path | None
    latest_at: datetime | None
    count: int
    # A FAILURE_REASONS key when the folder can't be used (a file in its place, no access).
    problem: str | None = None

    def is_old(self, interval_minutes: int) -> bool:
        if self.latest_at is None:
            return True
        age = (datetime.now(UTC) - self.latest_at).total_seconds()
        return age > 2 * interval_minutes * 60 + 60


def backs_up_itself(database_url: str) -> bool:
    """Whether the app backs this database up (SQLite); PostgreSQL is backed up with pg_dump."""
    return make_url(database_url).get_backend_name() == "sqlite"


def sqlite_path(database_url: str) -> Path:
    """The database file behind a SQLite URL; other databases are backed up with their tools."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(
            "Säkerhetskopiering här gäller SQLite. För PostgreSQL: använd pg_dump enligt README."
        )
    return Path(url.database)


def fsync_dir(path: Path) -> None:
    # Directory fsync makes the rename durable; Windows has no directory handles for it.
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def check_integrity(path: Path) -> str:
    """PRAGMA integrity_check of a database file ('ok' when sound)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return str(result[0]) if result else "tom"


def make_backup(
    database_url: str, target_dir: Path, keep: int, disk_usage: DiskUsage = shutil.disk_usage
) -> Path:
    """Copy the live database consistently, check it, and keep the newest `keep` copies.

    The copy is written under a temporary name and renamed only once it is flushed to the disk
    and checked, so a copy that failed part-way (a full or pulled stick) never looks like a
    backup; what it left is removed. A copy that would leave too little room on the database's
    own disk is not taken (disk_usage measures the room). Raises BackupError, with the reason
    in Swedish.
    """
    source = sqlite_path(database_url)
    try:
        if not target_dir.is_dir():
            reason = "not_a_folder" if target_dir.exists() else "missing"
            raise BackupError(_failure_text(target_dir, reason), reason)
        _check_room(source, target_dir, disk_usage)
        final = target_dir / f"{PREFIX}{_next_stamp(target_dir)}{UTC_MARK}{SUFFIX}"
    except OSError as exc:
        raise _write_error(target_dir, exc) from exc
    tmp = target_dir / f".{final.name}.tmp"
    try:
        copy_database(source, tmp)
        verdict = check_integrity(tmp)
        if verdict != "ok":
            raise BackupError(f"Kopian klarade inte integritetskontrollen: {verdict}", "integrity")
        tmp.replace(final)
        fsync_dir(target_dir)
    except (OSError, sqlite3.Error) as exc:
        log.error("backup to %s failed: %s", target_dir, exc)
        raise _write_error(target_dir, exc) from exc
    finally:
        remove_partial(tmp)
    # The copy just taken is never among those pruned, whatever the setting.
    try:
        prune(target_dir, max(1, keep))
    except OSError:
        # The copy is made and sound; old ones left over only take room, and a full stick is
        # reported by the next backup.
        log.exception("old backups in %s could not be removed", target_dir)
    return final


def free_margin(database_size: int) -> int:
    """The room a backup must leave free on the database's own disk."""
    return max(2 * database_size, MIN_FREE_AFTER_BACKUP)


def _check_room(source: Path, target_dir: Path, disk_usage: DiskUsage) -> None:
    """Refuse a copy on the database's own disk that would leave less than free_margin there.

    A stick or another disk filling up harms no save: there a full disk fails the copy alone.
    """
    if os.stat(target_dir).st_dev != os.stat(source.parent).st_dev:
        return
    size = sum(
        p.stat().st_size for p in (source, source.with_name(source.name + "-wal")) if p.exists()
    )
    left = int(disk_usage(target_dir).free) - size
    margin = free_margin(size)
    if left < margin:
        log.error("backup to %s refused: %s bytes left, %s needed", target_dir, left, margin)
        raise BackupError(
            f"Säkerhetskopian togs inte: den skulle lämna {size_text(max(0, left))} ledigt på "
            f"databasens disk ({target_dir}), mindre än de {size_text(margin)} databasen behöver "
            "för att kunna spara. Frigör utrymme eller välj en annan mapp, t.ex. ett USB-minne.",
            "low_space",
        )


def _write_error(target_dir: Path, exc: BaseException) -> BackupError:
    if isinstance(exc, BackupError):
        return exc
    reason = failure_reason(exc)
    return BackupError(_failure_text(target_dir, reason), reason)


def _failure_text(target_dir: Path, reason: str) -> str:
    return f"Säkerhetskopian kunde inte skrivas till {target_dir}: {FAILURE_REASONS[reason]}."


def copy_database(source: Path, tmp: Path) -> None:
    # The copy holds every site's patients: made for this account alone before a page is in
    # it (SQLite would make it readable by every account of the laptop). A stick formatted
    # FAT keeps no such bits; there the stick itself is what is kept safe.
    remove_partial(tmp)
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    src = sqlite3.connect(str(source), timeout=30)
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            # The backup API copies a consistent snapshot while tablets keep writing.
            src.backup(dst, pages=1024)
            # The copy would keep the live file's WAL mode: it then needs -wal and -shm files
            # beside it (left behind on the stick by a read-only check) and a writable folder
            # to be opened at all. A rollback-journal copy is one self-contained file.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    with tmp.open("rb+") as handle:
        os.fsync(handle.fileno())


def remove_partial(tmp: Path) -> None:
    """Remove what a copy left under its temporary name (nothing once it is renamed)."""
    for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in ("-journal", "-wal", "-shm"))):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            # Not named like a backup, so never taken for one; the stick may be gone.
            log.warning("%s could not be removed", leftover)


def list_backups(target_dir: Path) -> list[Path]:
    """The app's own backups in a folder, oldest first.

    A file named otherwise (a copy made by hand, a restore's replaced database kept on the
    stick) was never checked by the app: it is neither pruned nor shown as the latest, and
    it cannot outrank the copy just taken, which pruning would then delete.
    """
    if not target_dir.exists():
        return []
    named = [
        (at, p)
        for p in target_dir.glob(f"{PREFIX}*{SUFFIX}")
        if (at := backup_time(p.name)) is not None and p.is_file()
    ]
    return [p for _, p in sorted(named)]


def backup_time(name: str) -> datetime | None:
    """The UTC time in a backup's file name, or None for a name the app does not give."""
    if not (name.startswith(PREFIX) and name.endswith(SUFFIX)):
        return None
    # Copies named before the mark came have none; the oldest, no microseconds either.
    stamp = name[len(PREFIX) : -len(SUFFIX)].removesuffix(UTC_MARK)
    for pattern in (STAMP, "%Y%m%d-%H%M%S"):
        try:
            return datetime.strptime(stamp, pattern)
        except ValueError:
            continue
    return None


def _next_stamp(target_dir: Path) -> str:
    """The new copy's name: the time now, or just after the newest copy's name.

    The names order the copies (pruning, the latest shown, the one to restore). After the
    laptop's clock was set back, the time alone would name the newest copy as the oldest, and
    pruning would delete it at once.
    """
    now = datetime.now(UTC).replace(tzinfo=None)
    newest = list_backups(target_dir)[-1:]
    newest_at = backup_time(newest[0].name) if newest else None
    if newest_at is None:
        return now.strftime(STAMP)
    return max(now, newest_at + timedelta(microseconds=1)).strftime(STAMP)


def prune(target_dir: Path, keep: int) -> None:
    """Delete all but the newest `keep` backups."""
    backups = list_backups(target_dir)
    for old in backups[: max(0, len(backups) - keep)]:
        old.unlink(missing_ok=True)


def status(target_dir: Path) -> BackupStatus:
    """What the admin screen shows: the latest good backup and whether the target is there."""
    try:
        backups = list_backups(target_dir)
        latest = backups[-1] if backups else None
        latest_at = (
            datetime.fromtimestamp(latest.stat().st_mtime, UTC) if latest is not None else None
        )
        if target_dir.is_dir():
            return BackupStatus(target_dir, True, latest, latest_at, len(backups))
        problem = "not_a_folder" if target_dir.exists() else None
    except OSError as exc:
        # The screen that would warn must not fail itself (a stick that errors when read).
        problem = failure_reason(exc)
    return BackupStatus(target_dir, False, None, None, 0, problem)


def take_backup(app: Flask) -> Path:
    """One backup with the app's settings; raises BackupError saying why in Swedish.

    Its failure is noted for the admin screen until a backup succeeds.
    """
    try:
        path = make_backup(
            app.config["SQLALCHEMY_DATABASE_URI"],
            Path(app.config["BACKUP_DIR"]),
            int(app.config["BACKUP_KEEP"]),
            app.config["DISK_USAGE"],
        )
    except BackupError as exc:
        app.extensions[LAST_FAILURE] = exc.reason
        raise
    app.extensions.pop(LAST_FAILURE, None)
    return path


def run_backup(app: Flask, *, how: str = "automatisk", user: User | None = None) -> Path | None:
    """One backup with the app's settings, in each site's access log; logs instead of raising.

    Used by the timer (no user: the system) and at an incident's close (the closing user).
    how: said in the audit row beside the file's name.
    """
    folder = Path(app.config["BACKUP_DIR"])
    try:
        path = take_backup(app)
    except BackupError as exc:
        app.logger.error("Säkerhetskopiering misslyckades: %s", exc)
        return None
    try:
        log_backup(path, folder, how=how, user=user)
    except (StorageUnavailable, SQLAlchemyError):
        # The copy is made and sound; the database refusing the row is told on every page, and
        # a write lock held too long by another program is no reason to stop the timer.
        app.logger.exception("Säkerhetskopian %s kunde inte loggas", path.name)
    return path


def make_backup_dir(app: Flask) -> bool:
    """Make the backup folder; when it can't be, the reason is noted for the admin screen.

    The app serves all the same: in an outage the tablets matter more than the copies.
    """
    folder = Path(app.config["BACKUP_DIR"])
    try:
        make_private_folders(folder)
    except OSError as exc:
        reason = failure_reason(exc)
        app.extensions[DIR_PROBLEM] = reason
        app.logger.warning(
            "Målmappen för säkerhetskopior %s kunde inte skapas: %s (%s)",
            folder,
            FAILURE_REASONS[reason],
            exc,
        )
        return False
    app.extensions.pop(DIR_PROBLEM, None)
    return True


def start_scheduler(app: Flask) -> threading.Thread | None:
    """Back up every BACKUP_INTERVAL_MINUTES in a daemon thread of the serving process."""
    try:
        sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"])
    except BackupError:
        return None
    interval = max(1, int(app.config["BACKUP_INTERVAL_MINUTES"])) * 60
    made = make_backup_dir(app)

    def loop() -> None:
        nonlocal made
        while True:
            # Tried again until made once (a stick plugged in after the start); after that a
            # missing folder is a stick pulled out, and is not made again on the laptop's disk.
            made = made or make_backup_dir(app)
            try:
                # The audit row is written through the app's database session.
                with app.app_context():
                    run_backup(app)
            except Exception:
                # An error escaping here would end the thread: no copy again until a restart.
                app.logger.exception("Säkerhetskopieringen med timer misslyckades")
            time.sleep(interval)

    thread = threading.Thread(target=loop, name="reservrutin-backup", daemon=True)
    thread.start()
    return thread


def log_backup(
    path: Path, folder: Path, *, how: str = "kommandorad", user: User | None = None
) -> None:
    """Log a backup in every site's access log: the file, how it was taken and where it went.

    A backup is a copy of every patient's data, often onto a USB stick: an export like any
    other. Taken from the command line or by the timer, no logged-in user made it (user None).
    """
    actor = Actor.of(user) if user is not None else None
    with write_transaction() as session:
        for site_id in session.scalars(select(Site.id)).all():
            log_event(
                "backup", user=actor, detail=f"{path.name} ({how}, {folder})", site_id=site_id
            )
