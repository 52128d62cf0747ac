"""Reviewer log lines name the line they answer in a column of their own (refers_to_id): a
removal task its undone answer, a removal its task. Lines written before it name none and keep
working as they did (a removal without a link clears the due lines before it); the downgrade
takes the column away again."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade
from sqlalchemy import inspect, select

from webapp.extensions import db
from webapp.models import ReviewerExchange, ReviewerLogEntry
from webapp.startup import prepare

from .test_migrations import HEAD, RELEASE_RIS_NOTE, version_and_tables
from .test_routines_reviewer_undo_after_ris import (
    QUEUE,
    _entered_in_ris,
    _received_on_a,
    _removal_action,
    _removal_form,
    _undo,
)


def _to_release_ris_note(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        downgrade(directory=app.extensions["migrate"].directory, revision=RELEASE_RIS_NOTE)
        columns = {c["name"] for c in inspect(db.engine).get_columns("reviewer_log_entry")}
        db.engine.dispose()
    assert "refers_to_id" not in columns


def test_an_empty_database_goes_down_and_up_again(app: Flask) -> None:
    _to_release_ris_note(app)
    prepare(app)
    assert version_and_tables(app)[0] == HEAD
    with app.app_context():
        columns = {c["name"] for c in inspect(db.engine).get_columns("reviewer_log_entry")}
        [reference] = [
            f
            for f in inspect(db.engine).get_foreign_keys("reviewer_log_entry")
            if f["constrained_columns"] == ["refers_to_id"]
        ]
        db.session.remove()
    assert "refers_to_id" in columns
    assert reference["referred_table"] == "reviewer_log_entry"
    assert reference["referred_columns"] == ["id"]


def test_a_task_logged_before_the_upgrade_stays_to_remove_and_is_removed_by_its_link(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, _code = _received_on_a(app, client, auth)
    _entered_in_ris(app, client, auth)
    _undo(client, auth, case_id)
    _to_release_ris_note(app)
    prepare(app)
    with app.app_context():
        [task] = db.session.scalar(select(ReviewerExchange)).removal_tasks
        # Written before the link: it names no answer, and is still to remove.
        assert task.due.refers_to_id is None and task.answer_number == 0
        assert task.removed is None
        db.session.remove()

    auth.login("admin")
    action = _removal_action(app)
    data = _removal_form(client.get(QUEUE).get_data(as_text=True), action)
    assert client.post(action, data=data).status_code == 302
    with app.app_context():
        exchange = db.session.scalar(select(ReviewerExchange))
        [task] = exchange.removal_tasks
        assert task.removed is not None and task.removed.refers_to_id == task.due.id
        assert not exchange.awaits_ris_removal
        kinds = db.session.scalars(select(ReviewerLogEntry.kind)).all()
        db.session.remove()
    assert kinds.count("ris_removed") == 1
