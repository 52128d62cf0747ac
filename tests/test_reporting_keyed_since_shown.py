"""A keyed-in report (faxed or from paper) over a keyed preliminary report that arrived after
the form was opened: refused beside the tick naming what is there now, everything typed kept,
and entered once the keyer ticks to replace it."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Report

from .factories import faxed_report_data, hidden_value, paper_report_data
from .routines_support import make_case

FIRST = {"author_name": "Dr Första Granskare", "received_at": "2026-01-15T11:05"}
SECOND = {
    "form_key": "g" * 20,
    "author_name": "Dr Andra Granskare",
    "received_at": "2026-01-15T11:10",
    "findings": "Ingen lungembolism.",
}


def _opened(client: FlaskClient, case_id: int, form: str = "fax") -> dict[str, str]:
    """The fax (or paper) form as opened now: its hidden versions."""
    page = client.get(f"/reporting/{case_id}/{form}").get_data(as_text=True)
    return {
        "report_version": hidden_value(page, "report_version"),
        "report_confirmed": hidden_value(page, "report_confirmed"),
    }


def _findings(app: Flask) -> str:
    with app.app_context():
        report = db.session.scalar(select(Report))
        return str(report.sections[0]["text"])


def test_a_fax_keyed_over_a_preliminary_keyed_since_the_form_opened_is_refused(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    opened = _opened(client, case_id)
    other = tablet_factory("sekr-bo", role="secretary")
    assert (
        other.post(f"/reporting/{case_id}/fax", data=faxed_report_data(**FIRST)).status_code == 302
    )
    response = client.post(f"/reporting/{case_id}/fax", data=faxed_report_data(**SECOND, **opened))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="replace_report-error"' in page
    assert "preliminärt utlåtande av Dr Första Granskare förts in av Testa Secretary Åström" in page
    for typed in (SECOND["author_name"], SECOND["findings"]):
        assert typed in page
    assert _findings(app) == "Lungembolism höger."


def test_a_fax_ticked_to_replace_the_preliminary_keyed_since_is_entered(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    opened = _opened(client, case_id)
    other = tablet_factory("sekr-bo", role="secretary")
    other.post(f"/reporting/{case_id}/fax", data=faxed_report_data(**FIRST))
    url = f"/reporting/{case_id}/fax"
    refused = client.post(url, data=faxed_report_data(**SECOND, **opened)).get_data(as_text=True)
    confirmed = hidden_value(refused, "report_confirmed")
    sent = faxed_report_data(**SECOND, **opened) | {
        "report_confirmed": confirmed,
        "replace_report": "y",
    }
    response = client.post(url, data=sent)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _findings(app) == SECOND["findings"]
    # A double tap of the confirmed form is answered as the first was.
    assert client.post(url, data=sent).status_code == 302


def test_a_fax_form_opened_over_the_preliminary_replaces_it_without_a_tick(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    client.post(f"/reporting/{case_id}/fax", data=faxed_report_data(**FIRST))
    opened = _opened(client, case_id)
    sent = faxed_report_data(**SECOND, **opened, state="definitive")
    assert client.post(f"/reporting/{case_id}/fax", data=sent).status_code == 302
    assert _findings(app) == SECOND["findings"]


def test_a_paper_report_keyed_over_a_fax_keyed_since_the_form_opened_is_refused(
    app: Flask, client: FlaskClient, auth, tablet_factory, radiologist_id: int
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    opened = _opened(client, case_id, "paper")
    other = tablet_factory("sekr-bo", role="secretary")
    other.post(f"/reporting/{case_id}/fax", data=faxed_report_data(**FIRST))
    sent = paper_report_data(radiologist_id, **opened, findings="Ingen lungembolism.")
    response = client.post(f"/reporting/{case_id}/paper", data=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="replace_report-error"' in page and "Dr Första Granskare" in page
    assert "Ingen lungembolism." in page
    assert _findings(app) == "Lungembolism höger."


def test_a_tick_given_for_an_earlier_keyed_report_is_asked_for_again(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    opened = _opened(client, case_id)
    url = f"/reporting/{case_id}/fax"
    other = tablet_factory("sekr-bo", role="secretary")
    other.post(url, data=faxed_report_data(**FIRST))
    refused = client.post(url, data=faxed_report_data(**SECOND, **opened)).get_data(as_text=True)
    ticked = faxed_report_data(**SECOND, **opened) | {
        "report_confirmed": hidden_value(refused, "report_confirmed"),
        "replace_report": "y",
    }
    # A third fax keyed after the tick: the tick was for the one before.
    other.post(url, data=faxed_report_data(**FIRST, form_key="h" * 20, findings="Tredje."))
    again = client.post(url, data=ticked)
    assert again.status_code == 400
    assert "ändrades igen efter det du bockade i" in again.get_data(as_text=True)
    assert _findings(app) == "Tredje."


def test_a_draft_from_before_the_version_field_continues_over_the_preliminary_it_saw(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    client.post(f"/reporting/{case_id}/fax", data=faxed_report_data(**FIRST))
    key = "faxrep-" + "k" * 20
    # What an older drafts.js sent: no report_version; the preliminary was there all along.
    data = faxed_report_data(**SECOND) | {"form_key": key, "state": "definitive"}
    response = client.put(
        f"/api/drafts/{key}",
        json={"kind": "fax_report", "seq": 1, "case_id": str(case_id), "data": data},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    page = client.get(f"/reporting/{case_id}/fax?draft={key}").get_data(as_text=True)
    sent = data | {"report_version": hidden_value(page, "report_version")}
    assert client.post(f"/reporting/{case_id}/fax", data=sent).status_code == 302
    assert _findings(app) == SECOND["findings"]
