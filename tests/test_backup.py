"""Online backups, retention, the admin warning, and restore that refuses corrupt files."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp import backup
from webapp.backup import (
    BackupError,
    check_integrity,
    list_backups,
    make_backup,
    sqlite_path,
    status,
)
from webapp.backup_restore import restore
from webapp.extensions import db
from webapp.models import AuditEvent, Incident, Site

from .clock_support import clock_set_back
from .factories import exam_data, referral_data, second_site

pytestmark = pytest.mark.sqlite_only


def _url(app: Flask) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"]


@pytest.fixture
def filled(app: Flask, client: FlaskClient, auth) -> int:
    auth.login()
    incident = client.post("/incidents/new", data={"scenario": "pacs"}).headers["Location"]
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(location + "/exam", data=exam_data())
    auth.logout()
    return int(incident.rsplit("/", 1)[-1])


def test_backup_is_a_sound_copy(app: Flask, filled: int, tmp_path: Path) -> None:
    target = tmp_path / "usb"
    target.mkdir()
    path = make_backup(_url(app), target, keep=3)
    assert path.exists() and path.parent == target
    assert check_integrity(path) == "ok"
    assert not list(target.glob(".*.tmp"))


def test_backup_is_one_self_contained_file(app: Flask, filled: int, tmp_path: Path) -> None:
    """Nothing but the copies is left on the stick, and each copy opens on its own, read-only."""
    stick = tmp_path / "usb"
    stick.mkdir()
    for _ in range(2):
        make_backup(_url(app), stick, keep=3)
    assert sorted(p.name for p in stick.iterdir()) == [p.name for p in list_backups(stick)]
    [first, _] = list_backups(stick)
    # Not in WAL mode: a copy on write-protected media opens without -wal and -shm beside it.
    assert first.read_bytes()[18:20] == b"\x01\x01"
    conn = sqlite3.connect(f"file:{first}?mode=ro&immutable=1", uri=True)
    try:
        assert conn.execute("SELECT count(*) FROM incident").fetchone() == (1,)
    finally:
        conn.close()


def test_only_the_newest_copies_are_kept(app: Flask, filled: int, tmp_path: Path) -> None:
    for _ in range(5):
        make_backup(_url(app), tmp_path, keep=3)
    assert len(list_backups(tmp_path)) == 3


def test_missing_target_is_an_error(app: Flask, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="finns inte"):
        make_backup(_url(app), tmp_path / "no-usb", keep=3)


def test_restore_gives_the_same_reconciliation_export(
    app: Flask, client: FlaskClient, auth, filled: int, tmp_path: Path
) -> None:
    auth.login("secretary")
    before = client.get(f"/catchup/incidents/{filled}/export/json").get_json()
    backup = make_backup(_url(app), tmp_path, keep=3)
    client.post("/cases/new", data=referral_data(key_suffix="late", patient_name="Sen Patient"))
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    restore(backup, _url(app))
    after = client.get(f"/catchup/incidents/{filled}/export/json").get_json()
    strip = ("generated_at", "since")
    assert {k: v for k, v in before.items() if k not in strip} == {
        k: v for k, v in after.items() if k not in strip
    }


def test_restoring_twice_in_a_row_keeps_every_replaced_database(
    app: Flask, filled: int, tmp_path: Path
) -> None:
    """A wrong file restored and at once put right: the database from before both is kept."""
    stick = tmp_path / "usb"
    stick.mkdir()
    backup = make_backup(_url(app), stick, keep=3)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    first_aside = restore(backup, _url(app))
    second_aside = restore(backup, _url(app))
    assert first_aside != second_aside
    assert first_aside.exists() and second_aside.exists()


def test_restore_refuses_a_corrupt_file(app: Flask, filled: int, tmp_path: Path) -> None:
    broken = tmp_path / "reservrutin-broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x13" * 5000)
    with pytest.raises(BackupError, match="skadad"):
        restore(broken, _url(app))


def _only_an_empty_version_table(conn: sqlite3.Connection) -> None:
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        conn.execute(f'DROP TABLE "{name}"')
    conn.execute("CREATE TABLE alembic_version (version_num TEXT)")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_only_an_empty_version_table, "tabeller saknas"),
        (lambda conn: conn.execute('DROP TABLE "case"'), "tabeller saknas (case)"),
        (lambda conn: conn.execute("DELETE FROM alembic_version"), "databasversion saknas"),
        (
            lambda conn: conn.execute("UPDATE alembic_version SET version_num = 'f00dfeed0000'"),
            "okänd databasversion f00dfeed0000",
        ),
    ],
    ids=["only-an-empty-version-table", "no-case-table", "no-version", "unknown-version"],
)
def test_restore_refuses_a_sound_file_that_is_not_a_reservrutin_database(
    app: Flask,
    runner,
    filled: int,
    tmp_path: Path,
    change: Callable[[sqlite3.Connection], object],
    reason: str,
) -> None:
    copy = make_backup(_url(app), tmp_path, keep=3)
    conn = sqlite3.connect(copy)
    conn.execute("PRAGMA foreign_keys = OFF")
    change(conn)
    conn.commit()
    conn.close()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    result = runner.invoke(args=["restore", str(copy)])
    assert result.exit_code == 2
    assert "inte en säkerhetskopia av Reservrutin" in result.output
    assert reason in result.output
    live = sqlite_path(_url(app))
    assert not list(live.parent.glob("*fore-aterstallning*"))
    with app.app_context():
        assert db.session.get(Incident, filled) is not None


def test_backup_and_restore_commands(app: Flask, runner, filled: int, tmp_path: Path) -> None:
    result = runner.invoke(args=["backup", "--to", str(tmp_path)])
    assert result.exit_code == 0, result.output
    [path] = list_backups(tmp_path)
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code == 0, result.output
    bad = tmp_path / "bad.db"
    bad.write_text("inte en databas")
    assert runner.invoke(args=["restore", str(bad)]).exit_code == 2


def test_a_backup_to_a_folder_made_on_the_databases_own_disk_says_so(
    app: Flask, runner, filled: int, tmp_path: Path
) -> None:
    # --to /media/usb with no stick plugged in makes the folder on the laptop's own disk: the
    # copy is taken (better than none), but the admin must not leave believing it is on the stick.
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "media" / "usb")])
    assert result.exit_code == 0, result.output
    assert list_backups(tmp_path / "media" / "usb")
    assert "samma disk som databasen" in result.output
    assert "USB-minnet" in result.output


def test_a_backup_to_a_folder_that_was_there_says_nothing_of_the_disk(
    app: Flask, runner, filled: int, tmp_path: Path
) -> None:
    (tmp_path / "usb").mkdir()
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "usb")])
    assert result.exit_code == 0, result.output
    assert "samma disk" not in result.output


def test_admin_screen_warns_when_backups_are_old_or_target_missing(
    app: Flask, client: FlaskClient, auth, tmp_path: Path
) -> None:
    app.config["BACKUP_DIR"] = tmp_path / "usb"
    auth.login("admin")
    assert "Målmappen saknas" in client.get("/admin/").get_data(as_text=True)
    (tmp_path / "usb").mkdir()
    assert "för gammal" in client.get("/admin/").get_data(as_text=True)
    client.post("/admin/backup")
    page = client.get("/admin/").get_data(as_text=True)
    assert "Senaste säkerhetskopia" in page
    assert status(tmp_path / "usb").count == 1


def test_a_backup_taken_from_the_command_line_is_in_each_sites_access_log(
    app: Flask, runner, filled: int, tmp_path: Path
) -> None:
    # A copy of every patient's data, often onto a USB stick: an export like any other.
    second = second_site(app)
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "usb")])
    assert result.exit_code == 0, result.output
    [path] = list_backups(tmp_path / "usb")
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "backup")).all()
        sites = set(db.session.scalars(select(Site.id)))
        assert {r.site_id for r in rows} == sites and second in sites
        assert all(path.name in r.detail and str(tmp_path / "usb") in r.detail for r in rows)


def test_a_backup_an_admin_takes_is_in_each_sites_access_log_in_the_admins_name(
    app: Flask, client: FlaskClient, auth, filled: int, tmp_path: Path
) -> None:
    # The copy holds every site's patients: another site's log review must see it was taken,
    # and by whom, as for a copy taken from the command line.
    second = second_site(app)
    app.config["BACKUP_DIR"] = tmp_path / "usb"
    (tmp_path / "usb").mkdir()
    auth.login("admin")
    assert client.post("/admin/backup", data={}).status_code == 302
    [path] = list_backups(tmp_path / "usb")
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "backup")).all()
        sites = set(db.session.scalars(select(Site.id)))
        assert {r.site_id for r in rows} == sites and second in sites
        assert all(path.name in r.detail and r.username == "test-admin" for r in rows)


def test_a_restore_is_in_each_sites_access_log_with_where_the_replaced_log_went(
    app: Flask, runner, client: FlaskClient, auth, filled: int, tmp_path: Path
) -> None:
    # The restored database holds the access log as it was at the backup: the reads made since
    # are only in the replaced database, and the log review must be told where it is.
    second = second_site(app)
    assert runner.invoke(args=["backup", "--to", str(tmp_path / "usb")]).exit_code == 0
    [path] = list_backups(tmp_path / "usb")
    auth.login("admin")
    client.get("/admin/audit")
    auth.logout()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    # Logins and a read since the backup: newer work, restored over on purpose.
    result = runner.invoke(args=["restore", "--yes", str(path)])
    assert result.exit_code == 0, result.output
    [aside] = sqlite_path(_url(app)).parent.glob("*fore-aterstallning*")
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "restore")).all()
        sites = set(db.session.scalars(select(Site.id)))
        assert {r.site_id for r in rows} == sites and second in sites
        assert all(path.name in r.detail and aside.name in r.detail for r in rows)
        # The read after the backup is gone from the live log, kept in the file it names.
        assert not db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "audit_view")
        ).all()


def test_the_backup_just_taken_is_never_pruned(app: Flask, filled: int, tmp_path: Path) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    path = make_backup(_url(app), stick, keep=0)
    assert list_backups(stick) == [path]


@pytest.mark.parametrize(
    ("interval", "said"),
    [(1, "varje minut"), (2, "var 2:a minut"), (5, "var 5:e minut"), (12, "var 12:e minut")],
)
def test_admin_screen_counts_backups_and_their_interval_in_swedish(
    app: Flask, client: FlaskClient, auth, tmp_path: Path, interval: int, said: str
) -> None:
    app.config["BACKUP_DIR"] = tmp_path / "usb"
    app.config["BACKUP_INTERVAL_MINUTES"] = interval
    (tmp_path / "usb").mkdir()
    auth.login("admin")
    client.post("/admin/backup")
    page = client.get("/admin/").get_data(as_text=True)
    assert "1 kopia ·" in page and "1 kopior" not in page
    assert said in page


def test_backup_command_says_in_swedish_when_the_folder_cannot_be_made(
    app: Flask, runner, filled: int, tmp_path: Path
) -> None:
    # A file where the folder should be (a stick mounted wrong): no traceback, a non-zero exit.
    (tmp_path / "usb").write_text("en fil")
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "usb" / "kopior")])
    assert result.exit_code == 2, result.exc_info
    assert "Säkerhetskopian kunde inte skrivas till" in result.output


def test_a_copy_taken_after_the_clock_was_set_back_is_kept_as_the_newest(
    app: Flask, filled: int, tmp_path: Path
) -> None:
    """Named by the clock alone, it sorted as the oldest: pruned at once, and the admin screen
    went on naming an earlier copy as the latest."""
    for _ in range(3):
        make_backup(_url(app), tmp_path, keep=3)
    with clock_set_back(2, backup):
        taken = make_backup(_url(app), tmp_path, keep=3)
    assert taken.exists()
    assert list_backups(tmp_path)[-1] == taken == status(tmp_path).latest
    assert len(list_backups(tmp_path)) == 3
