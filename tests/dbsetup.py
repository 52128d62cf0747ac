"""A fresh database per test: a SQLite file by default, or PostgreSQL for the second CI run.

Set RESERVRUTIN_TEST_POSTGRES to a server URL (see scripts/postgres_for_tests.sh) and every
app built here gets its own PostgreSQL database, copied from a template migrated once per
test worker, so the whole suite runs against PostgreSQL too.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from webapp import create_app
from webapp.config import DB_FILENAME, SITE_FILENAME
from webapp.extensions import db
from webapp.site_files import SITES_DIRNAME
from webapp.startup import prepare

from .build_cache import TEMPLATE_BYTECODE, share_compiled_statements
from .data_day import ON_DATA_DAY
from .factories import CHEAP_ARGON2

POSTGRES_URL = os.environ.get("RESERVRUTIN_TEST_POSTGRES", "")
_template: str | None = None
_admin_connection: Connection | None = None
_sqlite_template: Path | None = None
_sqlite_site_template: Path | None = None


def using_postgres() -> bool:
    """Whether this run is the PostgreSQL one."""
    return bool(POSTGRES_URL)


def _admin() -> Connection:
    """One autocommit connection per worker for creating and dropping its databases."""
    global _admin_connection
    if _admin_connection is None:
        engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        _admin_connection = engine.connect()
    return _admin_connection


def _admin_execute(sql: str) -> None:
    _admin().execute(text(sql))


def _database_url(name: str) -> str:
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _template_database(tmp_path: Path) -> str:
    """Migrate one template database per worker; each test copies it (fast).

    Only the schema, as the SQLite template: each test's prepare() loads its own site files,
    so a test whose site is not the example one gets that site and no other.
    """
    global _template
    if _template is None:
        from flask_migrate import upgrade

        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        name = f"rr_template_{worker}_{uuid.uuid4().hex[:6]}"
        _admin_execute(f'CREATE DATABASE "{name}"')
        app = create_app(
            {
                "TESTING": True,
                "DATA_DIR": tmp_path / "template",
                "SQLALCHEMY_DATABASE_URI": _database_url(name),
                **CHEAP_ARGON2,
            }
        )
        with app.app_context():
            upgrade(directory=app.extensions["migrate"].directory)
            db.session.remove()
            db.engine.dispose()
        _template = name
        atexit.register(_drop_template, name)
    return _template


def _drop_template(name: str) -> None:
    """Drop the worker's template when it ends, and with it the admin connection."""
    _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin().close()


def _sqlite_template_file() -> Path:
    """Migrate one SQLite file per test worker; each test starts from a copy of it.

    Running every migration for every test cost about half a second a test, most of the
    suite's time. Only the schema is copied: prepare() still runs on the copy (a no-op upgrade,
    then the SQLite checks and the site files), as on any laptop's start.
    """
    global _sqlite_template
    if _sqlite_template is None:
        from flask_migrate import upgrade

        build = Path(tempfile.mkdtemp(prefix="rr-test-template-"))
        atexit.register(shutil.rmtree, build, ignore_errors=True)
        app = create_app({"TESTING": True, "DATA_DIR": build, **CHEAP_ARGON2})
        with app.app_context():
            upgrade(directory=app.extensions["migrate"].directory)
            with db.engine.connect() as conn:
                # Everything into the main file: the copy is of that file alone.
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            db.session.remove()
            db.engine.dispose()
        _sqlite_template = build / DB_FILENAME
    return _sqlite_template


def _sqlite_site_template_dir() -> Path:
    """A data dir started once per worker from the schema template: the example site loaded.

    Loading the example site file (its row, its default report templates, each commit fsynced)
    was about a fifth of building a test's app. A test given a copy of this dir still runs
    prepare() on it, which reads the same file, finds it loaded and writes nothing, as on any
    later start of a laptop. The loading itself is run for real here, and by every test with
    its own site file or database.
    """
    global _sqlite_site_template
    if _sqlite_site_template is None:
        build = Path(tempfile.mkdtemp(prefix="rr-test-site-template-"))
        atexit.register(shutil.rmtree, build, ignore_errors=True)
        shutil.copyfile(_sqlite_template_file(), build / DB_FILENAME)
        app = create_app(
            {
                "TESTING": True,
                "DATA_DIR": build,
                "POWER_SUPPLY_ROOT": build / "power",
                **CHEAP_ARGON2,
            }
        )
        prepare(app)
        with app.app_context():
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            db.session.remove()
            db.engine.dispose()
        _sqlite_site_template = build
    return _sqlite_site_template


def _copy_sqlite_template(data_dir: Path, config: dict[str, Any]) -> None:
    """The fresh database of a test: with the example site loaded when the test's data dir
    would get it at start-up anyway (no site file of its own, no other site file path)."""
    site_file = data_dir / SITE_FILENAME
    if "SITE_CONFIG_PATH" in config or site_file.exists() or (data_dir / SITES_DIRNAME).exists():
        shutil.copyfile(_sqlite_template_file(), data_dir / DB_FILENAME)
        return
    loaded = _sqlite_site_template_dir()
    shutil.copyfile(loaded / DB_FILENAME, data_dir / DB_FILENAME)
    shutil.copyfile(loaded / SITE_FILENAME, site_file)
    # Stamped now, as a load at this test's start would have: the parsed configuration is
    # cached per site id and time, which must not be shared with another test's database.
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    with closing(sqlite3.connect(data_dir / DB_FILENAME)) as conn, conn:
        conn.execute("UPDATE site SET updated_at = ?", (now,))
        conn.execute("UPDATE report_template SET updated_at = ?", (now,))


def make_test_app(
    tmp_path: Path, *, on_data_day: bool = True, **config: Any
) -> tuple[Flask, Callable[[], None]]:
    """Build and prepare an app on a fresh database; returns it and its teardown.

    `on_data_day`: the outages it declares begin on the suite's data's day (data_day.py).
    """
    settings: dict[str, Any] = {
        "TESTING": True,
        "DATA_DIR": tmp_path,
        # No power supplies until a test writes some: the machine running the tests, on
        # battery or not, changes no page.
        "POWER_SUPPLY_ROOT": Path(tmp_path) / "power_supply",
        **CHEAP_ARGON2,
        **config,
    }
    name = None
    if using_postgres():
        template = _template_database(tmp_path)
        name = f"rr_{uuid.uuid4().hex[:12]}"
        _admin_execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        settings["SQLALCHEMY_DATABASE_URI"] = _database_url(name)
    elif "SQLALCHEMY_DATABASE_URI" not in config and not os.environ.get("DATABASE_URL"):
        target = Path(tmp_path) / DB_FILENAME
        if not target.exists():  # an app started again on the same data dir keeps its data
            _copy_sqlite_template(Path(tmp_path), config)
    app = create_app(settings)
    app.jinja_env.bytecode_cache = TEMPLATE_BYTECODE
    if on_data_day:
        app.extensions[ON_DATA_DAY] = True
    with app.app_context():
        share_compiled_statements(db.engine)
    prepare(app)

    def teardown() -> None:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if name is not None:
            _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return app, teardown
