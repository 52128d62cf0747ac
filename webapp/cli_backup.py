"""The `backup` command: a consistent copy of the database now, to the backup folder or a stick."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from . import backup
from .backup_errors import FAILURE_REASONS, BackupError, failure_reason
from .file_rights import make_private_folders
from .storage_errors import StorageUnavailable


def take_backup(target: str | None) -> None:
    """Copy the database to target (the configured backup folder when None) and log it; exit 2
    with the reason in Swedish when no copy that the access log names could be left."""
    folder = Path(target) if target else Path(current_app.config["BACKUP_DIR"])
    made_now = not folder.exists()
    try:
        make_private_folders(folder)
        path = backup.make_backup(
            current_app.config["SQLALCHEMY_DATABASE_URI"],
            folder,
            int(current_app.config["BACKUP_KEEP"]),
            current_app.config["DISK_USAGE"],
        )
    except BackupError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    except OSError as exc:
        # The folder could not be made (a stick pulled out, read-only or a file in its
        # place): said in Swedish, with what the system said.
        reason = FAILURE_REASONS[failure_reason(exc)]
        click.echo(f"Säkerhetskopian kunde inte skrivas till {folder}: {reason} ({exc})", err=True)
        sys.exit(2)
    try:
        backup.log_backup(path, folder)
    except (StorageUnavailable, SQLAlchemyError) as exc:
        # Another program's write lock, a full disk: a copy of every patient that no access
        # log names may not stay on the stick, as for Säkerhetskopiera nu.
        backup.remove_partial(path)
        reason = FAILURE_REASONS[failure_reason(exc)]
        click.echo(
            f"Säkerhetskopian togs inte: den kunde inte skrivas i åtkomstloggen ({reason}).",
            err=True,
        )
        sys.exit(2)
    click.echo(f"Säkerhetskopia: {path}")
    database = backup.sqlite_path(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if target and made_now and folder.stat().st_dev == database.parent.stat().st_dev:
        # A stick not plugged in: its mount point's folder was just made on the laptop.
        click.echo(
            f"Obs: mappen {folder} fanns inte och skapades nu, på samma disk som databasen. "
            "Är USB-minnet anslutet? Kopian följer inte med om datorn går sönder.",
            err=True,
        )
