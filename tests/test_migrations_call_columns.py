"""A call to the referrer after an undone cancellation, logged before the call had columns of
its own (whom in message, the number in fax_number, when in faxed_at), is moved into them on
upgrade: the case page still shows it, and it still answers the fax before it."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade
from sqlalchemy import inspect, text

from webapp.extensions import db
from webapp.startup import prepare

from .test_cases_restore_call import FLAG, _restored_after_notice
from .test_migrations import FAILED_LOGIN, HEAD, version_and_tables


def _to_failed_login(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        downgrade(directory=app.extensions["migrate"].directory, revision=FAILED_LOGIN)
        columns = {c["name"] for c in inspect(db.engine).get_columns("cancel_notice")}
        tables = set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert "called_person" not in columns and "ris_pacs_clean_up" not in tables


def _call_at_the_old_head(app: Flask, case_id: int) -> None:
    """The call as the old head stored it, next to the faxed notice it answers."""
    with app.app_context():
        faxed = db.session.execute(
            text(
                "SELECT cancelled_at, user_id FROM cancel_notice"
                " WHERE case_id = :c AND kind = 'faxed'"
            ),
            {"c": case_id},
        ).one()
        db.session.execute(
            text(
                "INSERT INTO cancel_notice (case_id, kind, cancelled_at, message, fax_number,"
                " faxed_at, user_id, note, logged_at, identity_revision) VALUES (:c, 'called',"
                " :cancelled, 'Dr Åberg', '0999-123 45', '2026-01-15 10:40:00.000000', :u,"
                " 'Görs i eftermiddag', '2026-01-15 10:41:00.000000', 0)"
            ),
            {"c": case_id, "cancelled": faxed.cancelled_at, "u": faxed.user_id},
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _calls(app: Flask) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(
            text(
                "SELECT called_person, phone_number, called_at IS NOT NULL, message, fax_number,"
                " faxed_at IS NULL FROM cancel_notice WHERE kind = 'called'"
            )
        ).all()
        db.session.remove()
    return [tuple(r) for r in rows]


def test_a_call_logged_at_the_old_head_moves_into_its_own_columns(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _restored_after_notice(client, auth)
    _to_failed_login(app)
    _call_at_the_old_head(app, case_id)
    prepare(app)
    assert version_and_tables(app)[0] == HEAD
    assert _calls(app) == [("Dr Åberg", "0999-123 45", True, "", "", True)]
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert "Dr Åberg" in page and "0999-123 45" in page and "Görs i eftermiddag" in page
    assert "Remittenten är ringd om att undersökningen görs ändå" in page
    assert FLAG not in client.get("/board").get_data(as_text=True)


def test_the_downgrade_puts_a_call_back_in_the_notice_columns(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _restored_after_notice(client, auth)
    _to_failed_login(app)
    _call_at_the_old_head(app, case_id)
    prepare(app)
    _to_failed_login(app)
    with app.app_context():
        row = db.session.execute(
            text("SELECT message, fax_number FROM cancel_notice WHERE kind = 'called'")
        ).one()
        db.session.remove()
    assert tuple(row) == ("Dr Åberg", "0999-123 45")


def test_an_empty_database_goes_down_and_up_again(app: Flask) -> None:
    _to_failed_login(app)
    prepare(app)
    version, tables = version_and_tables(app)
    assert version == HEAD and "ris_pacs_clean_up" in tables
