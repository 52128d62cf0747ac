"""A restore over a database holding work newer than the backup says what and asks first.

The wrong (older) file picked from a stick would silently roll the department back: cases,
reports and ticks since the backup vanish from every screen until someone notices.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.backup import list_backups, sqlite_path
from webapp.extensions import db
from webapp.models import AuditEvent, Case

from .factories import referral_data

pytestmark = pytest.mark.sqlite_only


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _backup(runner, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    assert runner.invoke(args=["backup", "--to", str(tmp_path / "usb")]).exit_code == 0
    [path] = list_backups(tmp_path / "usb")
    return path


def _release(app: Flask) -> Path:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"])


@pytest.fixture
def older_backup(app: Flask, client: FlaskClient, auth, runner, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """A backup, then a case written after it in the live database."""
    auth.login()
    client.post("/incidents/new", data={"scenario": "pacs"})
    path = _backup(runner, tmp_path)
    client.post("/cases/new", data=referral_data(key_suffix="late", patient_name="Sen Patient"))
    auth.logout()
    return path


def _late_case_kept(app: Flask) -> bool:
    with app.app_context():
        db.session.remove()
        names = db.session.scalars(select(Case.patient_name)).all()
    return "Sen Patient" in names


@pytest.mark.parametrize("answer", ["", "n\n", "nej\n"])
def test_a_restore_over_newer_work_is_refused_without_a_yes(
    app: Flask, runner, older_backup: Path, answer: str
) -> None:
    live = _release(app)
    before = _dump(live)
    result = runner.invoke(args=["restore", str(older_backup)], input=answer)
    assert result.exit_code != 0, result.output
    assert "nyare än säkerhetskopian" in result.output
    assert "1 ärende" in result.output
    assert "Databasen är oförändrad" in result.output
    assert _dump(live) == before
    assert not list(live.parent.glob("*fore-aterstallning*"))
    assert _late_case_kept(app)


@pytest.mark.parametrize("answer", ["j\n", "ja\n", "y\n", "yes\n", "JA\n"])
def test_a_restore_over_newer_work_goes_ahead_when_confirmed(
    app: Flask, runner, older_backup: Path, answer: str
) -> None:
    _release(app)
    result = runner.invoke(args=["restore", str(older_backup)], input=answer)
    assert result.exit_code == 0, result.output
    assert "nyare än säkerhetskopian" in result.output
    assert "Återställd från" in result.output
    assert not _late_case_kept(app)


def test_a_restore_over_newer_work_goes_ahead_with_yes_for_scripts(
    app: Flask, runner, older_backup: Path
) -> None:
    _release(app)
    result = runner.invoke(args=["restore", "--yes", str(older_backup)])
    assert result.exit_code == 0, result.output
    assert "nyare än säkerhetskopian" in result.output
    assert "Återställd från" in result.output
    assert not _late_case_kept(app)


def test_a_restore_over_a_database_not_newer_asks_nothing(
    app: Flask, runner, client: FlaskClient, auth, tmp_path: Path
) -> None:
    # The backup command logs itself in the live database after the copy: no work of its own.
    auth.login()
    client.post("/incidents/new", data={"scenario": "pacs"})
    client.post("/cases/new", data=referral_data())
    auth.logout()
    path = _backup(runner, tmp_path)
    _release(app)
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code == 0, result.output
    assert "nyare än säkerhetskopian" not in result.output
    assert "Återställd från" in result.output


def test_a_restore_over_an_unreadable_database_asks_nothing_and_says_why(
    app: Flask, runner, older_backup: Path
) -> None:
    live = _release(app)
    for wal in live.parent.glob(f"{live.name}-*"):
        wal.unlink()
    live.write_bytes(b"inte en databas " * 4096)
    result = runner.invoke(args=["restore", str(older_backup)])
    assert result.exit_code == 0, result.output
    assert "jämfördes inte" in result.output and "kan inte läsas" in result.output
    assert "Återställd från" in result.output
    [aside] = live.parent.glob("*fore-aterstallning*")
    # The broken file is kept as it was, for whoever investigates it.
    assert aside.read_bytes() == b"inte en databas " * 4096
    assert not _late_case_kept(app)


def test_a_restore_over_an_empty_database_file_asks_nothing_and_says_why(
    app: Flask, runner, older_backup: Path
) -> None:
    live = _release(app)
    for wal in live.parent.glob(f"{live.name}-*"):
        wal.unlink()
    live.write_bytes(b"")
    result = runner.invoke(args=["restore", str(older_backup)])
    assert result.exit_code == 0, result.output
    assert "jämfördes inte" in result.output and "tom" in result.output
    assert "Återställd från" in result.output


def test_the_question_names_the_cases_per_site_and_the_newest(
    app: Flask, runner, older_backup: Path
) -> None:
    _release(app)
    result = runner.invoke(args=["restore", str(older_backup)], input="n\n")
    assert "Ärenden per enhet, nu / i säkerhetskopian: EXS 1 / 0." in result.output
    assert "Nyaste ärendet nu: skapat " in result.output
    assert "i säkerhetskopian: inget." in result.output
    # The terminal is no audited screen: no case code, no patient.
    with app.app_context():
        [code] = db.session.scalars(select(Case.code)).all()
    assert code not in result.output and "Sen Patient" not in result.output


def test_work_logged_under_a_clock_set_back_still_counts_as_newer(
    app: Flask, runner, older_backup: Path
) -> None:
    # The laptop's clock set back after the backup: the work since has the higher ids.
    live = _release(app)
    conn = sqlite3.connect(live)
    with conn:
        conn.execute("UPDATE audit_event SET at = '2001-01-01 00:00:00.000000'")
    conn.close()
    result = runner.invoke(args=["restore", str(older_backup)], input="n\n")
    assert result.exit_code != 0, result.output
    assert "nyare än säkerhetskopian" in result.output
    assert _late_case_kept(app)


def test_a_broken_live_database_is_kept_aside_with_its_wal_and_the_wal_not_replayed(
    app: Flask, runner, older_backup: Path
) -> None:
    live = _release(app)
    wal = live.with_name(live.name + "-wal")
    live.write_bytes(b"inte en databas " * 4096)
    wal.write_bytes(b"en trasig logg")
    result = runner.invoke(args=["restore", str(older_backup)])
    assert result.exit_code == 0, result.output
    [aside] = live.parent.glob("*fore-aterstallning*.db")
    assert aside.with_name(aside.name + "-wal").read_bytes() == b"en trasig logg"
    assert not _late_case_kept(app)


def test_a_live_file_of_another_program_is_not_compared_and_is_restored_over(
    app: Flask, runner, older_backup: Path
) -> None:
    live = _release(app)
    for journal in live.parent.glob(f"{live.name}-*"):
        journal.unlink()
    live.unlink()
    conn = sqlite3.connect(live)
    with conn:
        conn.execute("CREATE TABLE annat (x)")
    conn.close()
    result = runner.invoke(args=["restore", str(older_backup)])
    assert result.exit_code == 0, result.output
    assert "jämfördes inte" in result.output and "inte en databas från Reservrutin" in result.output
    assert "Återställd från" in result.output


@pytest.mark.parametrize(
    ("args", "answer", "how"), [([], "j\n", "bekräftat"), (["--yes"], "", "--yes")]
)
def test_a_restore_over_newer_work_says_so_in_its_audit_row(
    app: Flask, runner, older_backup: Path, args: list[str], answer: str, how: str
) -> None:
    _release(app)
    result = runner.invoke(args=["restore", *args, str(older_backup)], input=answer)
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.remove()
        [row] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "restore"))
    # The logout after the case is a row of the access log, told apart from the work.
    assert f"över 1 nyare händelse i 1 ärende och 1 nyare rad i åtkomstloggen ({how})" in (
        row.detail
    )


DRAFT_KEY = "utkast-efter-kopian-0001"


def _autosave(client: FlaskClient, seq: int, history: str) -> None:
    body = {
        "kind": "referral",
        "seq": seq,
        "label": "Sent Utkast",
        "data": {"patient_name": "Sent Utkast", "history": history},
    }
    assert client.put(f"/api/drafts/{DRAFT_KEY}", json=body).status_code == 200


@pytest.mark.parametrize("saved_before", [False, True])
def test_a_draft_saved_after_the_backup_is_newer_work_and_asked_about(
    app: Flask, client: FlaskClient, auth, runner, tmp_path: Path, saved_before: bool
) -> None:
    """An autosave writes no audit row: typed, unsent text must still hold the restore back."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "pacs"})
    if saved_before:
        _autosave(client, 1, "Början")
    path = _backup(runner, tmp_path)
    _autosave(client, 2, "Början och allt som skrevs sedan kopian togs")
    live = _release(app)
    before = _dump(live)
    result = runner.invoke(args=["restore", str(path)], input="\n")
    assert result.exit_code == 1, result.output
    assert "1 utkast som sparats sedan säkerhetskopian" in result.output
    assert "Sent Utkast" not in result.output
    assert _dump(live) == before


def test_a_draft_left_as_it_was_in_the_backup_is_no_newer_work(
    app: Flask, client: FlaskClient, auth, runner, tmp_path: Path
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "pacs"})
    _autosave(client, 1, "Början")
    path = _backup(runner, tmp_path)
    _release(app)
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code == 0, result.output
    assert "utkast" not in result.output
    assert "Återställd från" in result.output


def test_the_restores_audit_row_counts_the_drafts_it_went_over(
    app: Flask, client: FlaskClient, auth, runner, tmp_path: Path
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "pacs"})
    path = _backup(runner, tmp_path)
    _autosave(client, 1, "Skrivet efter kopian")
    _release(app)
    result = runner.invoke(args=["restore", "--yes", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.remove()
        details = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "restore")
        ).all()
    assert details and all("1 utkast" in d and "--yes" in d for d in details)
