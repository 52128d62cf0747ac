"""A cancelled case that left an order in RIS or images in PACS is recorded as cleaned up
there: until it is, the batch counts it as work left and the incident cannot end over it; the
follow-up's page and sheet list it by code, accession and modality id, never by patient."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient

from .catchup_support import accession_of, close_incident, incident_ended
from .factories import audit_events, case_code, hidden_value
from .printforms.conftest import pdf_text
from .test_cases_cancel_ris_pacs import REASON, _clean_up_section, _examined

CLEANED = "Städat i RIS/PACS"


def _cancelled(client: FlaskClient, auth) -> tuple[int, int, str]:
    """An examined case with an accession, cancelled; the secretary logged in."""
    incident_id, case_id, url = _examined(client, auth)
    page = client.get(url).get_data(as_text=True)
    data = {"reason": REASON, "confirm_ris_pacs": "y", "form_key": hidden_value(page, "form_key")}
    assert client.post(url + "/cancel", data=data).status_code == 302
    auth.logout()
    auth.login("secretary")
    return incident_id, case_id, url


def _clean_up_form(client: FlaskClient, page_url: str, case_id: int, **fields: str) -> dict:
    page = client.get(page_url).get_data(as_text=True)
    match = re.search(
        rf'<form[^>]*action="/catchup/cases/{case_id}/ris-pacs-cleaned"[^>]*>(.*?)</form>',
        page,
        re.S,
    )
    assert match is not None, "no clean-up form on the page"
    data = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', match.group(1)))
    return data | {"note": "Beställningen makulerad i RIS, bilderna raderade i PACS"} | fields


def _record(client: FlaskClient, incident_id: int, case_id: int, **fields: str):  # type: ignore[no-untyped-def]
    data = _clean_up_form(client, f"/catchup/incidents/{incident_id}", case_id, **fields)
    return client.post(f"/catchup/cases/{case_id}/ris-pacs-cleaned", data=data)


def _left_count(page: str) -> int:
    """The tasks the batch's heading counts (cases, forms and blanks are counted apart)."""
    found = re.search(r"Kvar att göra(?:: ([^<]*))?</h2>", page)
    assert found is not None
    tasks = re.search(r"(\d+) uppgift", found.group(1) or "")
    return int(tasks.group(1)) if tasks else 0


def test_the_clean_up_is_recorded_with_who_and_the_note(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id, _url = _cancelled(client, auth)
    response = _record(client, incident_id, case_id)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/catchup/incidents/{incident_id}#clean-up-ris-pacs"
    )
    page = html.unescape(client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True))
    section = _clean_up_section(page)
    assert CLEANED in section and "Testa Secretary Åström" in section
    assert f'action="/catchup/cases/{case_id}/ris-pacs-cleaned"' not in section
    events = audit_events(app, "ris_pacs_clean_up")
    assert len(events) == 1 and "bilderna raderade" in events[0].detail


def test_the_same_form_sent_twice_is_recorded_once(app: Flask, client: FlaskClient, auth) -> None:
    incident_id, case_id, _url = _cancelled(client, auth)
    data = _clean_up_form(client, f"/catchup/incidents/{incident_id}", case_id)
    url = f"/catchup/cases/{case_id}/ris-pacs-cleaned"
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data=data).status_code == 302
    assert len(audit_events(app, "ris_pacs_clean_up")) == 1


def test_a_note_with_a_personal_number_is_refused_beside_it_keeping_what_was_typed(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id, _url = _cancelled(client, auth)
    typed = "Raderat för 19121212-1212 i PACS"
    response = _record(client, incident_id, case_id, note=typed)
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "Det ser ut som ett personnummer" in page and typed in page
    error = page.split(f'id="note-{case_id}-error"', 1)[1].split("</p>", 1)[0]
    assert "Det ser ut som ett personnummer" in error
    assert audit_events(app, "ris_pacs_clean_up") == []


def test_the_batch_counts_it_as_work_left_until_recorded(client: FlaskClient, auth) -> None:
    incident_id, case_id, _url = _cancelled(client, auth)
    page = html.unescape(client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True))
    before = _left_count(page)
    assert f'href="#clean-up-{case_id}"' in page
    assert _record(client, incident_id, case_id).status_code == 302
    page = html.unescape(client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True))
    assert _left_count(page) == before - 1
    assert f'href="#clean-up-{case_id}"' not in page


def test_the_incident_cannot_end_until_it_is_cleaned_up(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id, _url = _cancelled(client, auth)
    page = html.unescape(close_incident(client, auth, incident_id))
    assert not incident_ended(app, incident_id)
    error = page.split('id="close-error"', 1)[1].split("</div>", 1)[0]
    assert case_code(app, case_id) in error and "RIS/PACS" in error
    assert f'href="/catchup/incidents/{incident_id}#clean-up-{case_id}"' in error
    assert _record(client, incident_id, case_id).status_code == 302
    close_incident(client, auth, incident_id)
    assert incident_ended(app, incident_id)


def test_the_follow_up_sheet_lists_it_by_code_accession_and_modality_id_only(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id, _url = _cancelled(client, auth)
    url = f"/incidents/{incident_id}/followup"
    text = " ".join(pdf_text(client.get(url + ".pdf").data).split())
    code = case_code(app, case_id)
    assert "Att städa upp i RIS/PACS (makulerade ärenden)" in text
    assert f"{code} {accession_of(case_id)} TMP-CT1-0042 Inte städat" in text
    _record(client, incident_id, case_id)
    text = " ".join(pdf_text(client.get(url + ".pdf").data).split())
    assert f"{code} {accession_of(case_id)} TMP-CT1-0042 Testa Secretary Åström" in text
    page = client.get(url).get_data(as_text=True)
    assert CLEANED in _clean_up_section(html.unescape(page))
    for shown in (text, page):
        for patient in ("Örjan Älvström", "19121212-1212", "191212121212", "bilderna raderade"):
            assert patient not in shown, patient


def test_a_clean_up_counts_for_its_cancellation_only(app: Flask, client: FlaskClient, auth) -> None:
    incident_id, case_id, url = _cancelled(client, auth)
    assert _record(client, incident_id, case_id).status_code == 302
    auth.logout()
    auth.login("radiographer")
    page = client.get(url).get_data(as_text=True)
    restore = {"reason": "Fel ärende makulerat", "form_key": hidden_value(page, "form_key")}
    assert client.post(url + "/restore", data=restore).status_code == 302
    page = client.get(url).get_data(as_text=True)
    cancel = {"reason": REASON, "confirm_ris_pacs": "y", "form_key": hidden_value(page, "form_key")}
    assert client.post(url + "/cancel", data=cancel).status_code == 302
    auth.logout()
    auth.login("secretary")
    page = html.unescape(client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True))
    section = _clean_up_section(page)
    assert f'action="/catchup/cases/{case_id}/ris-pacs-cleaned"' in section
    assert CLEANED not in section


def test_a_case_with_nothing_left_in_ris_or_pacs_is_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    _incident_id, case_id, _url = _examined(client, auth)
    auth.logout()
    auth.login("secretary")
    data = {"form_key": "clean-up-test-key-0001", "back": "batch", "note": ""}
    response = client.post(
        f"/catchup/cases/{case_id}/ris-pacs-cleaned", data=data, follow_redirects=True
    )
    assert "Ärendet är inte makulerat" in html.unescape(response.get_data(as_text=True))
    assert audit_events(app, "ris_pacs_clean_up") == []


def test_recorded_from_the_follow_up_it_goes_back_there(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id, _url = _cancelled(client, auth)
    url = f"/incidents/{incident_id}/followup"
    data = _clean_up_form(client, url, case_id)
    response = client.post(f"/catchup/cases/{case_id}/ris-pacs-cleaned", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{url}#clean-up-ris-pacs")
    assert len(audit_events(app, "ris_pacs_clean_up")) == 1
