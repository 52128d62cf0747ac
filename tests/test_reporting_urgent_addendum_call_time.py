"""An urgent addendum is answered by a call made after it was signed, by the time the call was
made: a call made before it (its form opened earlier, about the first finding) and logged
after it told the referrer nothing of the new finding."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from .factories import local_minute
from .printforms.conftest import pdf_text
from .test_reporting_urgent_addendum import _addendum, _open_calls, _signed

REMINDER = "Akut fynd: ring remittenten"


def _call(client: FlaskClient, case_id: int, called_at: str) -> None:
    data = {"called_person": "Dr Åberg", "called_at": called_at, "note": "Blödningen"}
    response = client.post(f"/reporting/{case_id}/call", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_call_made_before_the_urgent_addendum_but_logged_after_does_not_count_for_it(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id = _signed(client, auth)
    made_before = local_minute(timedelta(minutes=-10))
    _addendum(client, "Pneumothorax höger.", urgent=True)
    _call(client, case_id, made_before)
    assert REMINDER in client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert "remittenten är inte ringd än" in client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Ring remittenten" in client.get("/reporting/").get_data(as_text=True)
    assert "call-needed" in client.get("/board/").get_data(as_text=True)
    assert _open_calls(app, case_id) == [case_id]
    # The sheet agrees: the call stands above the addendum it was not about.
    text = " ".join(pdf_text(client.get(f"/print/cases/{case_id}/report.pdf").data).split())
    assert text.index("Dr Åberg") < text.index("Pneumothorax höger.")


def test_a_call_typed_to_the_minute_the_urgent_addendum_was_signed_counts_for_it(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id = _signed(client, auth)
    _addendum(client, "Pneumothorax höger.", urgent=True)
    _call(client, case_id, local_minute())
    assert REMINDER not in client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert "call-needed" not in client.get("/board/").get_data(as_text=True)
    assert _open_calls(app, case_id) == []
