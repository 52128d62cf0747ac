"""The catch-up page gives the secretary the radiographer's notes and the complications of the
exam to copy into RIS, with the rest of the exam, before the report."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from .catchup_support import new_case
from .factories import exam_data

NOTES = "Bilder endast på modaliteten; bränd på CD.\nUpprepad serie <rörelse>"


@pytest.fixture
def case_id(client: FlaskClient, auth) -> int:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    return new_case(client, auth)


def _catchup_page(client: FlaskClient, auth, case_id: int) -> str:
    auth.logout()
    auth.login("secretary")
    return client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)


def test_the_catchup_page_lists_the_exam_notes_to_copy_with_the_exam(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiographer")
    assert client.post(f"/cases/{case_id}/exam", data=exam_data(notes=NOTES)).status_code == 302
    page = _catchup_page(client, auth, case_id)
    escaped = NOTES.replace("<", "&lt;").replace(">", "&gt;")
    assert f'<span class="copy-value" dir="auto" id="val-exam-notes">{escaped}</span>' in page
    assert 'data-copy="val-exam-notes"' in page
    # Keyed as the exam is completed in RIS: after its facts, before the report's heading.
    assert page.index('id="val-pacs"') < page.index('id="val-exam-notes"')
    assert page.index('id="val-exam-notes"') < page.index(">Utlåtande</h3>")


def test_an_exam_without_notes_offers_nothing_to_copy(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiographer")
    assert client.post(f"/cases/{case_id}/exam", data=exam_data()).status_code == 302
    page = _catchup_page(client, auth, case_id)
    assert 'id="val-exam-notes">–</span>' in page
    assert 'data-copy="val-exam-notes"' not in page


COMPLICATIONS = "Lätt illamående efter kontrast <övergående>"


def test_the_catchup_page_lists_the_exam_complications_to_copy_with_the_exam(
    client: FlaskClient, auth, case_id: int
) -> None:
    """The documentation form records them; RIS is to hold them with the exam."""
    auth.login("radiographer")
    data = exam_data(complications=COMPLICATIONS, notes=NOTES)
    assert client.post(f"/cases/{case_id}/exam", data=data).status_code == 302
    page = _catchup_page(client, auth, case_id)
    escaped = COMPLICATIONS.replace("<", "&lt;").replace(">", "&gt;")
    assert f'<span class="copy-value" dir="auto" id="val-complications">{escaped}</span>' in page
    assert 'data-copy="val-complications"' in page
    assert '<span class="copy-label" id="lbl-complications">Komplikationer</span>' in page
    # Among the exam's facts, before the notes that close them.
    assert page.index('id="val-pacs"') < page.index('id="val-complications"')
    assert page.index('id="val-complications"') < page.index('id="val-exam-notes"')


def test_an_exam_without_complications_offers_nothing_to_copy(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiographer")
    assert client.post(f"/cases/{case_id}/exam", data=exam_data()).status_code == 302
    page = _catchup_page(client, auth, case_id)
    assert 'id="val-complications">–</span>' in page
    assert 'data-copy="val-complications"' not in page
