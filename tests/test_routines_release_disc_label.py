"""The label of a released disc (or a USB stick's envelope), printed from the release's page."""

from __future__ import annotations

import dataclasses
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from webapp.extensions import db
from webapp.models import AuditEvent, ExamRecord, ImageRelease, PrintRecord
from webapp.printing.disc_label import disc_label_content_version

from .factories import DEFAULT_PIN, declare_incident, make_user, second_site
from .printforms import factories as pf_factories
from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text
from .routines_support import make_case, release_data
from .test_cases_move import move_form

BY_POST = {
    "recipient_kind": "other_region_hospital",
    "recipient_name": "Växjö lasarett",
    "channel": "media",
    "recipient_not_on_iep": "y",
    "media_kind": "cd",
    "delivery": "post",
}
ON_IEP = {
    "recipient_kind": "other_region_hospital",
    "recipient_name": "Växjö lasarett",
    "channel": "iep",
}
TO_THE_ARCHIVE = {
    "recipient_kind": "own_region_hospital",
    "recipient_name": "Lillby lasarett",
    "channel": "archive_push",
}
# The one release of a case without a definitive report: the disc goes with the patient.
WITH_PATIENT = {
    "recipient_kind": "other_region_hospital",
    "recipient_name": "Växjö lasarett",
    "is_urgent_care": "y",
    "channel": "media",
    "media_kind": "cd",
    "delivery": "with_patient",
}
LINK_TEXT = "Skriv ut skivetikett"


def _release(
    app: Flask, client: FlaskClient, auth, data: dict[str, str], report: str = "definitive"
) -> int:
    """A reported case released as `data` says, by a secretary (still logged in)."""
    case_id = make_case(client, auth, report=report)
    auth.login("secretary")
    response = client.post(f"/routines/releases/cases/{case_id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        return db.session.scalars(select(ImageRelease.id)).one()


def _code(app: Flask, release_id: int) -> str:
    with app.app_context():
        return db.session.get(ImageRelease, release_id).case.code


def _prints(app: Flask) -> list[tuple[str, bool]]:
    with app.app_context():
        return [
            (r.doc, r.is_reprint)
            for r in db.session.scalars(select(PrintRecord).order_by(PrintRecord.id))
        ]


def _text(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def test_a_disc_release_offers_its_label_in_a_new_tab(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _release(app, client, auth, BY_POST)
    page = client.get(f"/routines/releases/{release_id}").get_data(as_text=True)
    link = re.search(rf'<a [^>]*href="/routines/releases/{release_id}/label.pdf"[^>]*>', page)
    assert link is not None and 'target="_blank"' in link.group(0)
    assert LINK_TEXT in page


def test_the_label_names_the_patient_twice_over_the_exam_the_parties_and_reads_back(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _release(app, client, auth, BY_POST)
    response = client.get(f"/routines/releases/{release_id}/label.pdf")
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    pdf = response.get_data()
    text = _text(pdf)
    code = _code(app, release_id)
    for value in (
        "SKIVETIKETT",
        "Örjan Älvström",
        "19121212-1212",
        code,
        "CD: Bilder och svarsutlåtande",
        "Sjukhus utanför regionen: Växjö lasarett",
        "Med post",
        "INNEHÅLLER PATIENTUPPGIFTER",
        "röntgenstämpeln",
    ):
        assert value in text, value
    assert decoded_payloads(pdf, STANDARD_FAX) == [
        [f"RR1:{code.replace('-', '')}:ETKU{release_id}:1"]
    ]


def test_the_label_print_is_logged_and_a_second_is_a_copy(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _release(app, client, auth, BY_POST)
    first = client.get(f"/routines/releases/{release_id}/label.pdf").get_data()
    second = client.get(f"/routines/releases/{release_id}/label.pdf").get_data()
    assert "KOPIA" not in _text(first) and "KOPIA" in _text(second)
    assert _prints(app) == [(f"disc-{release_id}", False), (f"disc-{release_id}", True)]
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "print")).all()
        case_id = db.session.get(ImageRelease, release_id).case_id
        assert [(e.username, e.case_id) for e in events] == [("test-secretary", case_id)] * 2
        assert events[0].patient_ref == "191212121212"


def test_the_recipients_report_printed_before_does_not_make_the_label_a_copy(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _release(app, client, auth, BY_POST)
    address = {"svar-recipient_name": "Röntgen Växjö", "svar-recipient_address": "Box 1"}
    client.post(f"/routines/releases/{release_id}/report.pdf", data=address)
    pdf = client.get(f"/routines/releases/{release_id}/label.pdf").get_data()
    assert "KOPIA" not in _text(pdf)


@pytest.mark.parametrize("role", ["radiographer", "radiologist", "admin"])
def test_every_role_that_sees_the_release_prints_its_label(
    app: Flask, client: FlaskClient, auth, role: str
) -> None:
    release_id = _release(app, client, auth, BY_POST)
    auth.logout()
    auth.login(role)
    response = client.get(f"/routines/releases/{release_id}/label.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"


def test_another_sites_user_gets_no_label_and_nothing_is_logged(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _release(app, client, auth, BY_POST)
    auth.logout()
    with app.app_context():
        make_user(role="secretary", username="lillby-sek", site_id=second_site(app))
    client.post("/login", data={"username": "lillby-sek", "secret": DEFAULT_PIN})
    response = client.get(f"/routines/releases/{release_id}/label.pdf")
    assert response.status_code == 404
    assert "Örjan" not in response.get_data(as_text=True)
    assert _prints(app) == []


@pytest.mark.parametrize("data", [ON_IEP, TO_THE_ARCHIVE], ids=["iep", "archive"])
def test_a_release_without_a_medium_has_no_label(
    app: Flask, client: FlaskClient, auth, data: dict[str, str]
) -> None:
    release_id = _release(app, client, auth, data)
    page = client.get(f"/routines/releases/{release_id}").get_data(as_text=True)
    assert "label.pdf" not in page and LINK_TEXT not in page
    response = client.get(f"/routines/releases/{release_id}/label.pdf")
    assert response.status_code == 302 and response.mimetype != "application/pdf"
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "det finns ingen etikett att skriva ut" in shown
    assert _prints(app) == []


def test_a_released_case_is_not_cancelled_and_its_disc_keeps_its_label(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Released before its report was signed: the one release a case could be cancelled after,
    # until the cancel was refused for a case whose images are out (test_cases_cancel_released).
    release_id = _release(app, client, auth, WITH_PATIENT, report="")
    with app.app_context():
        case_id = db.session.get(ImageRelease, release_id).case_id
    auth.logout()
    auth.login("radiographer")
    cancelled = client.post(
        f"/cases/{case_id}/cancel", data={"confirm_ris_pacs": "y", "reason": "Fel patient"}
    )
    assert cancelled.status_code == 409
    page = client.get(f"/routines/releases/{release_id}").get_data(as_text=True)
    assert "label.pdf" in page
    assert client.get(f"/routines/releases/{release_id}/label.pdf").status_code == 200


def test_a_patients_pickup_label_says_what_the_routine_asks_at_the_desk(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _release(app, client, auth, release_data())
    text = _text(client.get(f"/routines/releases/{release_id}/label.pdf").get_data())
    assert "Patienten (privat bruk)" in text and "Hämtas i receptionen" in text
    assert "Patienten visar giltig ID-handling vid hämtning." in text
    assert "ID-handling för både ombud och patient" in text


def test_a_patients_posted_label_says_the_address_and_no_registered_post(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _release(app, client, auth, release_data(delivery="post"))
    text = _text(client.get(f"/routines/releases/{release_id}/label.pdf").get_data())
    assert "folkbokföringsadress, inte som rekommenderad försändelse" in text
    assert "ID-handling" not in text


def test_a_usb_sticks_label_is_for_its_envelope(app: Flask, client: FlaskClient, auth) -> None:
    release_id = _release(app, client, auth, release_data(media_kind="usb"))
    page = client.get(f"/routines/releases/{release_id}").get_data(as_text=True)
    assert "Skriv ut etikett till kuvertet" in page and LINK_TEXT not in page
    text = _text(client.get(f"/routines/releases/{release_id}/label.pdf").get_data())
    assert "ETIKETT USB-MINNE" in text and "USB: Bilder" in text
    assert "Skriv på kuvertet" in text


def test_the_label_link_reads_in_english(app: Flask, client: FlaskClient, auth) -> None:
    release_id = _release(app, client, auth, BY_POST)
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/routines/releases/{release_id}").get_data(as_text=True)
    assert "Print the disc label" in page and LINK_TEXT not in page


def test_the_label_names_a_sided_exam_with_its_side(app: Flask, client: FlaskClient, auth) -> None:
    release_id = _release(app, client, auth, BY_POST)
    with app.app_context():
        # Set here rather than typed: the helper's exam is the catalogue's unsided head CT.
        db.session.execute(update(ExamRecord).values(side="left"))
        db.session.commit()
    text = _text(client.get(f"/routines/releases/{release_id}/label.pdf").get_data())
    assert "DT hjärna utan kontrast, vänster" in text


def test_a_label_reprinted_after_a_move_between_real_outages_is_a_copy(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The label prints no incident: the move raised the case's version (the QR's), nothing on it.
    release_id = _release(app, client, auth, BY_POST)
    first = client.get(f"/routines/releases/{release_id}/label.pdf").get_data()
    with app.app_context():
        case_id = db.session.get(ImageRelease, release_id).case_id
    auth.login("radiographer")
    other = declare_incident(client, "pacs")
    data = move_form(client, case_id, other, "Fel driftstopp")
    assert client.post(f"/cases/{case_id}/move", data=data).status_code == 302
    auth.login("secretary")
    again = client.get(f"/routines/releases/{release_id}/label.pdf").get_data()
    assert "ÄNDRAD" not in _text(again)
    assert "KOPIA" in _text(again)
    # A scan of either print is current.
    for pdf in (first, again):
        payload = decoded_payloads(pdf, STANDARD_FAX)[0][0]
        scanned = client.get("/scan", query_string={"code": payload}, follow_redirects=True)
        assert "Papperet är inaktuellt" not in scanned.get_data(as_text=True)


def test_the_labels_content_version_counts_its_drill_mark_not_its_qr_version() -> None:
    label = pf_factories.disc_label()
    later = pf_factories.with_meta(label, qr_payload="RR1:K7M2QX:ETK:3")
    drill = pf_factories.with_meta(later, is_drill=True)
    assert disc_label_content_version(later) == disc_label_content_version(label)
    assert disc_label_content_version(drill) != disc_label_content_version(later)


def test_the_labels_content_version_counts_the_reserve_number_it_prints() -> None:
    label = pf_factories.disc_label()
    corrected = dataclasses.replace(
        label, patient=dataclasses.replace(label.patient, earlier_reserve="RES-0007")
    )
    assert disc_label_content_version(corrected) != disc_label_content_version(label)
