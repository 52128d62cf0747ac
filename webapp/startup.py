"""Getting the data dir and database ready before serving or running a command."""

from __future__ import annotations

import logging

from flask import Flask

from .extensions import db
from .site_files import SiteFiles
from .sites import load_site_files
from .storage import check_sqlite_settings, ensure_local_disk


def prepare(app: Flask, *, run_migrations: bool = True, load_sites: bool = True) -> None:
    """Check the disk, bring the schema up to date, check SQLite's settings, load the site.

    load_sites: False leaves the site files unread (a restore logs itself in the database first).
    """
    with app.app_context():
        if app.config.get("CHECK_LOCAL_DISK", True):
            ensure_local_disk(app.config["DATA_DIR"])
        if run_migrations:
            from flask_migrate import upgrade

            upgrade(directory=app.extensions["migrate"].directory)
        else:
            db.create_all()
        check_sqlite_settings(db.engine)
        db.session.remove()
    if load_sites:
        read_site_files(app)


def read_site_files(app: Flask) -> None:
    """Bring the sites in the database and their files in the data dir into agreement."""
    with app.app_context():
        # A shared regional instance keeps one TOML per further site in DATA_DIR/sites/.
        load_site_files(SiteFiles.from_config(app.config))
        db.session.remove()


def configure_logging() -> None:
    """The server's log: time, level and message on stderr, from INFO up."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
