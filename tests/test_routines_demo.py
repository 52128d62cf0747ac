"""Demo data for the routines: the drill also gets exchanges, transfers and releases."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from webapp.demo import run_demo
from webapp.extensions import db
from webapp.models import ImageRelease, ImageTransfer, ReviewerExchange, ReviewerLogEntry


def test_demo_routines_fill_the_drill_incident(app: Flask) -> None:
    with app.app_context():
        result = run_demo(cases=30, seed=3)
        assert result.routines == {"exchanges": 2, "transfers": 2, "releases": 2}
        assert db.session.scalar(select(func.count(ReviewerExchange.id))) == 2
        assert db.session.scalar(select(func.count(ImageTransfer.id))) == 2
        statuses = set(db.session.scalars(select(ImageRelease.status)))
        assert statuses == {"handed_over", "sent"}


def test_a_small_demo_logs_no_copy_to_the_referrer_of_an_answer_without_a_report(
    app: Flask,
) -> None:
    # The answered case has no signed report here: the copy is printed from one, so none.
    with app.app_context():
        result = run_demo(cases=5, seed=1)
        assert result.routines["exchanges"] == 2
        kinds = set(db.session.scalars(select(ReviewerLogEntry.kind)))
        assert "report_received" in kinds and "forwarded" not in kinds
