"""A case cancelled after RIS keying began (accession saved) or after its images were sent to
PACS: the cancel form warns what is there and wants a tick to confirm; once cancelled, the
catch-up batch and the follow-up list it to clean up in RIS/PACS."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Case

from .catchup_support import accession_of, save_accession
from .factories import exam_data, referral_data

WARNING = "I RIS finns en beställning med accessionsnumret"
IN_PACS = "Bilderna är skickade till PACS (tillfälligt id på modaliteten: TMP-CT1-0042)"
CLEAN_UP = "Att städa upp i RIS/PACS"
REASON = "Dubblett av ett annat ärende"


def _examined(client: FlaskClient, auth, *, accession: bool = True, exam: bool = True):
    auth.login("radiographer")
    incident = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    url = client.post("/cases/new", data=referral_data()).headers["Location"]
    if exam:
        assert client.post(url + "/exam", data=exam_data()).status_code == 302
    case_id = int(url.rsplit("/", 1)[-1])
    if accession:
        auth.logout()
        auth.login("secretary")
        save_accession(client, case_id)
        # Booked with the accession, which RIS gives a booked exam only: a booked case is
        # not cancelled here. The booking undone (cancelled in RIS), its number stays.
        undo = {"step": "booked", "is_done": "0"}
        assert client.post(f"/catchup/cases/{case_id}/steps", data=undo).status_code == 302
    auth.logout()
    auth.login("radiographer")
    return int(incident.rsplit("/", 1)[-1]), case_id, url


def _status(app: Flask, case_id: int) -> str:
    with app.app_context():
        return db.session.get(Case, case_id).status


def _cancel_box(page: str) -> str:
    return page.split('class="panel cancel-box"', 1)[1].split("</details>", 1)[0]


def test_the_cancel_form_warns_what_is_in_ris_and_pacs(client: FlaskClient, auth) -> None:
    _incident, case_id, url = _examined(client, auth)
    box = _cancel_box(client.get(url).get_data(as_text=True))
    assert WARNING in box and accession_of(case_id) in box
    assert IN_PACS in box
    assert 'name="confirm_ris_pacs"' in box


def test_a_cancel_without_the_tick_is_refused_with_what_was_typed(
    app: Flask, client: FlaskClient, auth
) -> None:
    _incident, case_id, url = _examined(client, auth)
    response = client.post(url + "/cancel", data={"reason": REASON, "message": "Till remittent"})
    assert response.status_code == 409
    box = _cancel_box(response.get_data(as_text=True))
    assert 'id="confirm_ris_pacs-error"' in box
    assert "Bekräfta att ärendet ska städas upp i RIS/PACS" in box
    assert REASON in box and "Till remittent" in box
    assert _status(app, case_id) == "exam_done"


def test_a_cancel_with_the_tick_goes_through(app: Flask, client: FlaskClient, auth) -> None:
    _incident, case_id, url = _examined(client, auth)
    response = client.post(url + "/cancel", data={"reason": REASON, "confirm_ris_pacs": "y"})
    assert response.status_code == 302
    assert _status(app, case_id) == "cancelled"


def test_a_case_with_nothing_in_ris_or_pacs_cancels_as_before(
    app: Flask, client: FlaskClient, auth
) -> None:
    _incident, case_id, url = _examined(client, auth, accession=False, exam=False)
    box = _cancel_box(client.get(url).get_data(as_text=True))
    assert WARNING not in box and 'name="confirm_ris_pacs"' not in box
    assert client.post(url + "/cancel", data={"reason": REASON}).status_code == 302
    assert _status(app, case_id) == "cancelled"


def _clean_up_section(page: str) -> str:
    return page.split('id="clean-up-ris-pacs"', 1)[1].split("</section>", 1)[0]


def test_the_batch_and_the_follow_up_list_it_to_clean_up(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id, url = _examined(client, auth)
    client.post(url + "/cancel", data={"reason": REASON, "confirm_ris_pacs": "y"})
    with app.app_context():
        code = db.session.get(Case, case_id).code
    auth.logout()
    auth.login("secretary")
    page = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    assert CLEAN_UP in page
    section = _clean_up_section(page)
    for text in (code, "Örjan Älvström", "19121212-1212", accession_of(case_id), "TMP-CT1-0042"):
        assert text in section, text
    # The follow-up goes to the RIS/PACS administrators and names cases by code alone: what
    # they clean up is found by the accession and the modality's id, the patient is not named.
    page = client.get(f"/incidents/{incident_id}/followup").get_data(as_text=True)
    section = _clean_up_section(page)
    for text in (code, accession_of(case_id), "TMP-CT1-0042"):
        assert text in section, text
    for text in ("Örjan Älvström", "19121212-1212", "191212121212"):
        assert text not in page, text


def test_a_cancelled_case_with_nothing_in_ris_or_pacs_is_not_listed(
    client: FlaskClient, auth
) -> None:
    incident_id, _case_id, url = _examined(client, auth, accession=False, exam=False)
    client.post(url + "/cancel", data={"reason": REASON})
    auth.logout()
    auth.login("secretary")
    assert CLEAN_UP not in client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
