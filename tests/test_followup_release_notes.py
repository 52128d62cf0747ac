"""The follow-up lists the outage's releases of images whose referral note waits for RIS, as
it lists the other work left in RIS: by the case's code (and its accession when saved), with
who recorded the note written there, never the patient."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient

from .factories import case_code, incident_of
from .printforms.conftest import pdf_text
from .test_release_note_in_ris import _released, _tick

PATIENT = ("Örjan Älvström", "19121212-1212", "191212121212")


def _section(page: str) -> str:
    found = re.search(r'<section[^>]*id="release-notes".*?</section>', page, re.S)
    return found.group(0) if found else ""


def _sheet(client: FlaskClient, url: str) -> str:
    response = client.get(url + ".pdf")
    assert response.status_code == 200
    return " ".join(pdf_text(response.data).split())


def test_the_follow_up_lists_a_release_note_by_code_until_it_is_in_ris(
    app: Flask, client: FlaskClient, auth
) -> None:
    _incident_id, case_id, release_id = _released(client, auth)
    code = case_code(app, case_id)
    url = f"/incidents/{incident_of(app, case_id)}/followup"
    page = html.unescape(client.get(url).get_data(as_text=True))
    section = _section(page)
    assert code in section and "Inte införd i RIS" in section
    assert f'href="/catchup/cases/{case_id}#release-notes"' in section
    text = _sheet(client, url)
    assert "Remissanteckningar om utlämnade bilder att föra in i RIS" in text
    assert "Inte införd i RIS" in text

    assert _tick(client, case_id, release_id).status_code == 302
    page = html.unescape(client.get(url).get_data(as_text=True))
    section = _section(page)
    assert "Införd i RIS" in section and "Testa Secretary Åström" in section
    assert "Inte införd" not in section
    text = _sheet(client, url)
    assert "Testa Secretary Åström" in text and "Inte införd" not in text
    for shown in (text, page):
        for patient in PATIENT:
            assert patient not in shown, patient


def test_the_follow_up_says_when_a_recorded_note_changed_since(
    app: Flask, client: FlaskClient, auth
) -> None:
    _incident_id, case_id, release_id = _released(client, auth)
    _tick(client, case_id, release_id)
    handover = f"/routines/releases/{release_id}/handover"
    assert client.post(handover, data={"patient_id_checked": "y"}).status_code == 302
    url = f"/incidents/{incident_of(app, case_id)}/followup"
    section = _section(html.unescape(client.get(url).get_data(as_text=True)))
    assert "Ändrad sedan den fördes in i RIS" in section
    assert "Ändrad sedan den fördes in i RIS" in _sheet(client, url)
