"""Restoring the database from a backup: refused when the file is not one, never half done."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import select, update

from . import server_lock
from .audit import log_event
from .backup import check_integrity, copy_database, fsync_dir, remove_partial, sqlite_path
from .backup_errors import FAILURE_REASONS, BackupError, failure_reason
from .config import PRIVATE_FILE, PROJECT_ROOT
from .example_site import example_config, is_untouched_example
from .extensions import db
from .models import Site, UserSession, utcnow
from .site_files import SiteFiles, read_site_file
from .storage import write_transaction

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
# Without these the app would start on the file as on a new install (first-admin setup).
CORE_TABLES = ("alembic_version", "site", "user", "incident", "case")

log = logging.getLogger(__name__)
# SQLite's primary result codes for a file that is not a database, or a broken one.
_UNREADABLE = (11, 26)


class RestoreDeclined(BackupError):
    """The admin did not confirm replacing the live database: nothing was written."""


def known_revisions(migrations_dir: Path = MIGRATIONS_DIR) -> frozenset[str]:
    """Every schema revision of this version's migrations (older ones are upgraded on start)."""
    script = ScriptDirectory(str(migrations_dir))
    return frozenset(rev.revision for rev in script.walk_revisions())


def foreign_database_reason(path: Path, revisions: frozenset[str]) -> str | None:
    """Why a sound SQLite file is not a Reservrutin database this version can run, or None."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        missing = [t for t in CORE_TABLES if t not in tables]
        if missing:
            return f"tabeller saknas ({', '.join(missing)})"
        versions = [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
    finally:
        conn.close()
    if not versions:
        return "databasversion saknas"
    unknown = [v for v in versions if v not in revisions]
    if len(versions) > 1 or unknown:
        # A newer app's backup: its schema may hold what this version would silently drop.
        return f"okänd databasversion {', '.join(versions)}"
    return None


def _unused_aside_name(target: Path) -> Path:
    """A name for the replaced database that no earlier restore has used: never overwritten."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    aside = target.with_name(f"{target.stem}-fore-aterstallning-{stamp}{target.suffix}")
    n = 1
    while aside.exists():
        n += 1
        aside = target.with_name(f"{target.stem}-fore-aterstallning-{stamp}-{n}{target.suffix}")
    return aside


def restore(
    backup_file: Path,
    database_url: str,
    migrations_dir: Path = MIGRATIONS_DIR,
    ask: Callable[[Path], bool] | None = None,
) -> Path | None:
    """Replace the database with a backup (refusing a corrupt one); the old one is kept aside.

    ask: called with the live database, when there is one, under the lock and before anything
    is written; False refuses the restore (RestoreDeclined). Returns where the replaced
    database was kept, or None when there was none.
    """
    target = sqlite_path(database_url)
    if not backup_file.exists():
        raise BackupError(f"Filen finns inte: {backup_file}")
    verdict = check_integrity(backup_file)
    if verdict != "ok":
        raise BackupError(f"Säkerhetskopian är skadad och läses inte tillbaka: {verdict}")
    reason = foreign_database_reason(backup_file, known_revisions(migrations_dir))
    if reason is not None:
        raise BackupError(
            "Filen är inte en säkerhetskopia av Reservrutin som den här versionen kan läsa "
            f"och läses inte tillbaka: {reason}."
        )
    # Staged beside the live file and moved over it in one rename: a copy that fails part-way
    # (a full disk, a stick pulled out) leaves the live database as it was.
    staged = target.with_name(f".{target.name}.aterstallning.tmp")
    aside: Path | None = None
    journal_dropped = False
    try:
        lock = server_lock.acquire(target)
    except server_lock.ServerRunning as exc:
        raise BackupError(f"{exc} Databasen är oförändrad.", "busy") from exc
    except OSError as exc:
        # Most often a data dir owned by the account the server runs as.
        log.error("the lock beside %s could not be taken: %s", target, exc)
        raise BackupError(
            f"Låsfilen {server_lock.lock_path(target)} bredvid databasen kunde inte öppnas "
            f"({exc.strerror or exc}). Kör kommandot som den användare som äger datamappen. "
            "Databasen är oförändrad.",
            failure_reason(exc),
        ) from exc
    try:
        if ask is not None and target.exists() and not ask(target):
            raise RestoreDeclined("Återställningen avbröts. Databasen är oförändrad.")
        copy_database(backup_file, staged)
        _to_wal(staged)
        verdict = check_integrity(staged)
        if verdict != "ok":
            raise BackupError(f"Kopian klarade inte integritetskontrollen: {verdict}", "integrity")
        if target.exists():
            aside = _unused_aside_name(target)
            if _keep_aside(target, aside):
                if not _checkpoint(target):
                    raise BackupError(FAILURE_REASONS["busy"], "busy")
            else:
                # A WAL left beside the restored file would be replayed onto it as its own.
                for journal in ("-wal", "-shm"):
                    target.with_name(target.name + journal).unlink(missing_ok=True)
                journal_dropped = True
        os.replace(staged, target)
    except RestoreDeclined:
        raise
    except (OSError, sqlite3.Error, BackupError) as exc:
        log.error("restore of %s into %s failed: %s", backup_file, target, exc)
        if aside is not None and not journal_dropped:
            # A copy of a database still in place: kept, it would read as a restore done.
            remove_partial(aside)
        elif aside is not None:
            # The broken database's WAL is now only in its copy.
            log.error("the WAL of %s is kept only in %s", target, aside)
        reason = failure_reason(exc)
        raise BackupError(
            f"Säkerhetskopian kunde inte läsas tillbaka: {FAILURE_REASONS[reason]}. "
            "Databasen är oförändrad.",
            reason,
        ) from exc
    finally:
        remove_partial(staged)
        lock.close()
    try:
        fsync_dir(target.parent)
    except OSError:
        # The restore is done and in use; only its surviving a power cut at once is unsure.
        log.warning("the folder of %s could not be flushed after the restore", target)
    return aside


def _to_wal(path: Path) -> None:
    """Put a staged database in WAL mode, as the app runs it, and flush it to the disk."""
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA journal_mode=WAL")
    finally:
        conn.close()
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _keep_aside(target: Path, aside: Path) -> bool:
    """Keep the live database as `aside`; False when SQLite cannot read it (copied as it is).

    A broken database is the usual reason to restore: it is kept byte for byte, with its WAL,
    for whoever investigates it, and must not stop the restore.
    """
    try:
        # Probed read-only first: a writable connection to a file SQLite cannot read deletes
        # the WAL beside it as it closes.
        probe = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        try:
            probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            probe.close()
        live = sqlite3.connect(str(target))
        try:
            _private_file(aside)
            keep = sqlite3.connect(str(aside))
            try:
                live.backup(keep)
            finally:
                keep.close()
        finally:
            live.close()
        # On the disk before the rename puts the backup in its place: a power cut just after
        # must not leave the work since the backup in a copy that was never written out.
        with aside.open("rb+") as handle:
            os.fsync(handle.fileno())
        return True
    except sqlite3.DatabaseError as exc:
        if (getattr(exc, "sqlite_errorcode", 0) & 0xFF) not in _UNREADABLE:
            raise
    log.warning("the database %s cannot be read; kept aside as it is", target)
    remove_partial(aside)
    for journal in ("", "-wal"):
        source = target.with_name(target.name + journal)
        if source.exists():
            _private_file(aside.with_name(aside.name + journal))
            shutil.copyfile(source, aside.with_name(aside.name + journal))
            with aside.with_name(aside.name + journal).open("rb+") as handle:
                os.fsync(handle.fileno())
    return False


def _private_file(path: Path) -> None:
    # The replaced database holds every patient up to the restore: this account's alone, as
    # the database was (SQLite and copyfile would make it readable by every account).
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


def _checkpoint(target: Path) -> bool:
    """Fold the live file's WAL into it; False when another connection holds it (a server).

    A WAL left beside the restored file would be replayed onto it as if it were its own.
    """
    conn = sqlite3.connect(str(target), timeout=30)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.close()
    return not busy


def log_restore(backup_file: Path, aside: Path | None, over: str = "") -> None:
    """Log a restore in every site's access log of the restored database, and end its logins.

    The restored log ends at the backup: the reads and changes made since are only in the
    replaced database, which the log review is pointed to. over: the newer work the restore
    was confirmed over, said in the row ("" when there was none).
    """
    kept = f"; den ersatta databasen sparad som {aside}" if aside is not None else ""
    kept += f"; {over}" if over else ""
    with write_transaction() as session:
        # The backup holds its logins as they were then: one ended since (a logout, a lost
        # tablet's logins ended by an admin, a new PIN) would work again with its cookie.
        session.execute(
            update(UserSession)
            .where(UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow(), revoked_reason="restore")
        )
        for site_id in session.scalars(select(Site.id)).all():
            log_event(
                "restore", detail=f"från {backup_file.name} (kommandorad){kept}", site_id=site_id
            )


def set_example_file_aside(files: SiteFiles) -> Path | None:
    """Move a fresh laptop's example site file aside when the restored database lacks its site.

    A first start writes the fictional example's file; read after a restore it would add the
    example, with its made-up numbers and no users, beside the department's own sites. Without
    it, each restored site gets its file from its copy in the database. Returns where it went.
    """
    if not files.first.exists():
        return None
    if not is_untouched_example(read_site_file(files.first)):
        # The department's own file (or the example made its own): read in as on any start.
        return None
    code = example_config().code
    if db.session.scalar(select(Site.id).where(Site.code == code)) is not None:
        return None
    aside = files.first.with_name(f"{files.first.name}.exempel")
    os.replace(files.first, aside)
    return aside
