"""The catch-up page gives each addendum apart from the report, with its own signer and time.

Pasted into the report's text, an addendum another radiologist signed later (an urgent finding
among them) would go into RIS as the first signer's report, its author and urgency lost.
"""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from .routines_support import make_case

SECOND = "test-radiologist-2"


def _copied(page: str, value_id: str) -> str:
    return page.split(f'id="{value_id}">', 1)[1].split("</span>", 1)[0]


def _label(page: str, value_id: str) -> str:
    return page.split(f'id="lbl-{value_id}">', 1)[1].split("</span>", 1)[0]


def _case_with_addenda(client: FlaskClient, auth: Any) -> int:
    case_id = make_case(client, auth, report="definitive")
    auth.login("radiologist", username=SECOND)
    url = f"/reporting/{case_id}/addendum"
    assert client.post(url, data={"text": "Oförändrat vid omgranskning."}).status_code == 302
    assert client.post(url, data={"text": "Pneumothorax.", "is_urgent": "y"}).status_code == 302
    auth.logout()
    auth.login("secretary")
    return case_id


def test_the_report_copy_holds_the_signed_report_only(client: FlaskClient, auth: Any) -> None:
    page = client.get(f"/catchup/cases/{_case_with_addenda(client, auth)}").get_data(as_text=True)
    report = _copied(page, "val-report")
    assert "Normalt fynd." in report
    assert "Pneumothorax." not in report and "Oförändrat" not in report


def test_each_addendum_is_copied_apart_with_its_signer_and_urgency(
    client: FlaskClient, auth: Any
) -> None:
    page = client.get(f"/catchup/cases/{_case_with_addenda(client, auth)}").get_data(as_text=True)
    assert _copied(page, "val-addendum-1").strip() == "Oförändrat vid omgranskning."
    assert _label(page, "addendum-1").strip() == "Tillägg"
    assert _copied(page, "val-addendum-2").strip() == "Pneumothorax."
    assert _label(page, "addendum-2").strip() == "Tillägg – akut fynd"
    for n in (1, 2):
        signed = _copied(page, f"val-addendum-{n}-signed")
        assert "Testa Radiologist" in signed and "20" in signed  # the signer and a date
    assert 'data-copy="val-addendum-2"' in page
