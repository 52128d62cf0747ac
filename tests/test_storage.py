"""SQLite durability settings, immediate write transactions, local-disk check."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import event, select, text

from webapp import create_app
from webapp.extensions import db
from webapp.startup import prepare
from webapp.storage import (
    StorageError,
    insert_row,
    is_network_path,
    update_row,
    write_transaction,
)


@pytest.mark.sqlite_only
def test_every_pooled_connection_has_the_durable_pragmas(app: Flask) -> None:
    with app.app_context():
        for _ in range(3):
            with db.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


@pytest.mark.sqlite_only
def test_write_transaction_begins_immediate(app: Flask) -> None:
    statements: list[str] = []
    with app.app_context():

        def capture(conn, cursor, statement, *args) -> None:
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", capture)
        try:
            with write_transaction() as session:
                session.execute(text("SELECT 1"))
            db.session.execute(text("SELECT 1"))
            db.session.rollback()
        finally:
            event.remove(db.engine, "before_cursor_execute", capture)
    assert "BEGIN IMMEDIATE" in statements
    assert statements.count("BEGIN") == 1


def test_write_transaction_refuses_stray_pending_changes(app: Flask) -> None:
    from webapp.models import Site

    with app.app_context():
        db.session.add(Site(code="X", name="x", config_toml=""))
        with pytest.raises(RuntimeError), write_transaction():
            pass
        db.session.rollback()


def test_write_transaction_rolls_back_on_error(app: Flask) -> None:
    from webapp.models import Site

    with app.app_context():
        with pytest.raises(ValueError), write_transaction() as session:
            session.add(Site(code="ROLLBACK", name="x", config_toml=""))
            session.flush()
            raise ValueError("boom")
        assert db.session.scalar(text("SELECT count(*) FROM site WHERE code='ROLLBACK'")) == 0


def test_update_row_writes_at_once_and_the_flush_does_not_repeat_it(app: Flask) -> None:
    from webapp.models import Site

    with app.app_context():
        with write_transaction() as session:
            session.add(Site(code="UPD", name="före", config_toml=""))
        statements: list[str] = []

        def capture(conn, cursor, statement, *args) -> None:
            statements.append(statement)

        with write_transaction() as session:
            site = session.scalar(select(Site).where(Site.code == "UPD"))
            event.listen(db.engine, "before_cursor_execute", capture)
            try:
                update_row(session, site, {"name": "efter"})
                assert site.name == "efter"
                assert site not in session.dirty
            finally:
                event.remove(db.engine, "before_cursor_execute", capture)
        assert [s for s in statements if s.startswith("UPDATE")] == [statements[0]]
        assert db.session.scalar(select(Site.name).where(Site.code == "UPD")) == "efter"


def test_insert_row_returns_the_new_key_and_rolls_back_with_its_transaction(app: Flask) -> None:
    from webapp.models import Site

    with app.app_context():
        with pytest.raises(ValueError), write_transaction() as session:
            key = insert_row(
                session, Site.__table__, {"code": "INS", "name": "x", "config_toml": ""}
            )
            assert isinstance(key, int)
            raise ValueError("boom")
        assert db.session.scalar(select(Site.id).where(Site.code == "INS")) is None


MOUNTS = """\
/dev/sda1 / ext4 rw 0 0
server:/export /mnt/share nfs4 rw 0 0
//nas/radiologi /media/nas cifs rw 0 0
/dev/sdb1 /media/usb vfat rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/home/rtg/data", False),
        ("/mnt/share/data", True),
        ("/media/nas/reservrutin", True),
        ("/media/usb/backup", False),
        ("/mnt/shared-other", False),
    ],
)
def test_network_shares_are_detected(path: str, expected: bool) -> None:
    assert is_network_path(Path(path), MOUNTS) is expected


def test_start_is_refused_on_a_network_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import webapp.storage as storage

    monkeypatch.setattr(storage, "is_network_path", lambda path, mounts_text=None: True)
    app = create_app({"TESTING": True, "DATA_DIR": tmp_path})
    with pytest.raises(StorageError, match="nätverksdisk"):
        prepare(app)


def test_migrations_match_the_models(app: Flask) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_rows_appended_from_many_threads_are_all_committed_on_return(app: Flask) -> None:
    import threading

    from webapp.models import AuditEvent
    from webapp.storage import append_rows

    table = AuditEvent.__table__
    returned: list[int] = []

    def read(n: int) -> None:
        with app.app_context():
            append_rows([(table, {"action": "board_view", "detail": f"t{n}"})])
            # Committed before returning: a fresh connection already sees the row.
            with db.engine.connect() as conn:
                found = conn.execute(
                    text("SELECT count(*) FROM audit_event WHERE detail = :d"), {"d": f"t{n}"}
                ).scalar()
            returned.append(int(found or 0))

    threads = [threading.Thread(target=read, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert returned == [1] * 12


def test_a_failed_group_commit_raises_in_the_caller(app: Flask) -> None:
    from webapp.models import AuditEvent
    from webapp.storage import append_rows

    with app.app_context(), pytest.raises(Exception):  # noqa: B017 (the driver's own error)
        append_rows([(AuditEvent.__table__, {"action": None})])  # action is NOT NULL
