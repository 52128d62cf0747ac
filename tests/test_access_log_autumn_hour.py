"""The access log says which of the two autumn hours a read was in, on the page and in its CSV.

When the clocks go back, 02:00–03:00 comes twice: unmarked, two reads an hour apart both show
02:30, and a course of looks over the night cannot be told apart (the reconciliation CSV and
the case's screens already mark that hour).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, tzinfo

import pytest
from flask import Flask

from webapp.audit import log_event
from webapp.models import base
from webapp.storage import write_transaction

from .factories import default_site
from .test_access_wall import login

# 2026-10-25 in Stockholm: 02:30 summer time (UTC+2), then 02:30 winter time (UTC+1).
FIRST_0230 = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
SECOND_0230 = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def _log_at(app: Flask, at: datetime, detail: str) -> None:
    class _Fixed(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
            return at.astimezone(tz) if tz else at.replace(tzinfo=None)

    with app.app_context(), pytest.MonkeyPatch.context() as clock:
        clock.setattr(base, "datetime", _Fixed)
        with write_transaction():
            log_event("test_event", detail=detail, site_id=default_site().id)


def _two_reads_in_the_repeated_hour(app: Flask) -> None:
    _log_at(app, FIRST_0230, "forsta")
    _log_at(app, SECOND_0230, "andra")


def test_access_log_csv_marks_which_repeated_autumn_hour(app: Flask) -> None:
    _two_reads_in_the_repeated_hour(app)
    client = app.test_client()
    login(client, app, "admin")
    response = client.get("/admin/audit.csv")
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.get_data().decode("utf-8")[1:]), delimiter=";")
    times = {row["detalj"]: row["tid"] for row in rows if row["händelse"] == "test_event"}
    assert times["forsta"] == "2026-10-25 02:30 (UTC+2)"
    assert times["andra"] == "2026-10-25 02:30 (UTC+1)"


def test_access_log_page_marks_which_repeated_autumn_hour(app: Flask) -> None:
    _two_reads_in_the_repeated_hour(app)
    client = app.test_client()
    login(client, app, "admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "2026-10-25 02:30:00 (UTC+2)" in page
    assert "2026-10-25 02:30:00 (UTC+1)" in page
