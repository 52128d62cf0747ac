"""The printed report carries every call to the referrer about an urgent finding, in time order
among the addenda, not only the latest one after them all."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient

from .clock_support import clock_set_back
from .printforms.conftest import pdf_text
from .routines_support import make_case


def _call(client: FlaskClient, case_id: int, person: str, at: str, key: str) -> None:
    data = {"form_key": key * 20, "called_person": person, "called_at": at}
    assert client.post(f"/reporting/{case_id}/call", data=data).status_code == 302


def test_the_report_prints_each_call_where_it_was_made_among_the_addenda(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    # The report signed two days ago and an urgent addendum a day ago, by the laptop's clock.
    with clock_set_back(48):
        case_id = make_case(client, auth, report="definitive")
    auth.login("radiologist")
    # The referrer phoned about the signed report's finding, before the addendum.
    _call(client, case_id, "Dr Åberg", "2026-01-15T11:20", "a")
    with clock_set_back(24):
        data = {"text": "Pneumothorax höger.", "is_urgent": "y"}
        assert client.post(f"/reporting/{case_id}/addendum", data=data).status_code == 302
    # The clock put right jumps a day past the login's last use: it has gone idle.
    auth.login("radiologist")
    # And again about the addendum's finding, an hour ago.
    zone = ZoneInfo(app.config["TIMEZONE"])
    later = (datetime.now(zone) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    _call(client, case_id, "Dr Berg-Lind", later, "b")
    text = " ".join(pdf_text(client.get(f"/print/cases/{case_id}/report.pdf").get_data()).split())
    first = text.index("Ringt 2026-01-15 11:20")
    assert "Till Dr Åberg" in text[first:]
    second = text.index(f"Ringt {later.replace('T', ' ')}")
    assert "Till Dr Berg-Lind" in text[second:]
    assert first < text.index("Pneumothorax höger.") < second
