"""Image transfer to and from other regions: requests, tries per route, troubleshooting ticks."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.checklist_keys import text_key
from webapp.extensions import db
from webapp.models import AuditEvent, ImageTransfer, TransferAttempt, TransferCheck

from .routines_support import transfer_case, transfer_data


def _transfer(app: Flask) -> ImageTransfer:
    with app.app_context():
        transfer = db.session.scalar(select(ImageTransfer))
        assert transfer is not None
        return transfer


def test_new_transfer_lists_counterparts_from_the_site_config(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    page = client.get("/routines/transfers/new").get_data(as_text=True)
    assert "Grannby universitetssjukhus (Region Grannby)" in page
    assert "Söderby sjukhus" in page


def test_transfer_request_is_saved_and_audited(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    response = client.post("/routines/transfers/new", data=transfer_data())
    assert response.status_code == 302
    transfer = _transfer(app)
    assert (transfer.direction, transfer.counterpart_key, transfer.urgency) == (
        "send",
        "grannby_us",
        "akut",
    )
    assert transfer.counterpart_name == "Grannby universitetssjukhus (Region Grannby)"
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "transfer_create"))


def test_transfer_from_a_case_code_takes_the_exam_from_the_case(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = transfer_case(app, client, auth)
    client.post(
        "/routines/transfers/new",
        data=transfer_data(exam_text="", patient_ref="", case_code=code),
    )
    transfer = _transfer(app)
    assert transfer.case_id == case_id
    assert transfer.exam_text == "DT hjärna utan kontrast"


def test_transfer_of_a_case_shows_the_patients_two_identifiers(
    app: Flask, client: FlaskClient, auth
) -> None:
    _, code = transfer_case(app, client, auth)
    url = client.post(
        "/routines/transfers/new",
        data=transfer_data(exam_text="", patient_ref="", case_code=code),
    ).headers["Location"]
    page = client.get(url).get_data(as_text=True)
    header = page[page.index('class="patient-header') :]
    assert "Örjan Älvström" in header and "19121212-1212" in header and code in header


def test_a_typed_id_of_another_patient_than_the_cases_is_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = transfer_case(app, client, auth)
    refused = client.post(
        "/routines/transfers/new",
        data=transfer_data(case_code=code, patient_ref="19500101-1237"),
    )
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert 'id="patient_ref-error"' in page and 'value="19500101-1237"' in page
    assert f'value="{code}"' in page
    with app.app_context():
        assert db.session.scalar(select(ImageTransfer)) is None
    # The same patient written in another form is the case's patient.
    same = client.post(
        "/routines/transfers/new",
        data=transfer_data(case_code=code, patient_ref="191212121212"),
    )
    assert same.status_code == 302
    assert _transfer(app).case_id == case_id


def test_transfer_needs_an_exam_and_a_known_counterpart(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    response = client.post(
        "/routines/transfers/new", data=transfer_data(exam_text="", counterpart="nowhere")
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="exam_text-error"' in page and 'id="counterpart-error"' in page
    assert 'value="19121212-1212"' in page


def test_transfer_without_a_case_needs_the_patients_id(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    response = client.post("/routines/transfers/new", data=transfer_data(patient_ref=""))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="patient_ref-error"' in page
    assert "Ange patientens person- eller reservnummer, eller ärendekoden." in page
    assert 'value="DT hjärna"' in page  # the rest of the input is kept
    with app.app_context():
        assert db.session.scalar(select(ImageTransfer)) is None


def test_tries_are_logged_per_route_with_outcome(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    client.post(url + "/attempts", data={"route": "direct", "outcome": "failed"})
    client.post(
        url + "/attempts",
        data={"route": "via_region", "via_region": "Region Västerby", "outcome": "ok"},
    )
    with app.app_context():
        tries = [
            (a.route, a.via_region, a.outcome, a.user.username)
            for a in db.session.scalars(select(TransferAttempt).order_by(TransferAttempt.id))
        ]
    assert tries == [
        ("direct", "", "failed", "test-radiographer"),
        ("via_region", "Region Västerby", "ok", "test-radiographer"),
    ]
    page = client.get(url).get_data(as_text=True)
    assert "Via grannregion (Region Västerby)" in page


def test_routing_via_a_region_must_be_a_named_neighbour(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    response = client.post(
        url + "/attempts",
        data={"route": "via_region", "via_region": "Region Okänd", "outcome": "ok"},
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(TransferAttempt)) is None


def test_troubleshooting_ticks_are_logged_from_the_config_texts(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    page = client.get(url).get_data(as_text=True)
    assert "Problem med att skicka" in page and "Problem med att ta emot" in page
    assert "Länkdatorn är ur funktion eller avstängd." in page
    assert "LNK-0001" in page
    label = "Länkdatorn är ur funktion eller avstängd."
    item = text_key(label)
    client.post(url + "/checks", data={"list_key": "send", "item": item, "is_done": "1"})
    client.post(url + "/checks", data={"list_key": "send", "item": item, "is_done": "0"})
    # A key of no item in the list (e.g. one removed since the page was shown) logs nothing.
    client.post(url + "/checks", data={"list_key": "send", "item": "0" * 12, "is_done": "1"})
    with app.app_context():
        ticks = [
            (c.list_key, c.item, c.label, c.is_done)
            for c in db.session.scalars(select(TransferCheck).order_by(TransferCheck.id))
        ]
        audited = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "transfer_check")
        ).all()
    assert ticks == [("send", 1, label, True), ("send", 1, label, False)]
    assert len(audited) == 2


def test_transfer_is_done_only_after_a_successful_try(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    refused = client.post(url + "/close", data={"close-status": "done"})
    assert refused.status_code == 400
    assert "Logga först det försök som lyckades." in refused.get_data(as_text=True)
    client.post(url + "/attempts", data={"route": "dvd", "outcome": "ok"})
    client.post(url + "/close", data={"close-status": "done", "close-note": "DVD med ambulansen"})
    transfer = _transfer(app)
    assert transfer.status == "done" and transfer.closed_at is not None
    late = client.post(url + "/attempts", data={"route": "dvd", "outcome": "ok"})
    assert late.status_code == 400
    assert "Överföringen är avslutad." in late.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(TransferAttempt)).all()) == 1


def test_abandoning_a_transfer_needs_a_reason(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    assert client.post(url + "/close", data={"close-status": "abandoned"}).status_code == 400
    client.post(
        url + "/close",
        data={"close-status": "abandoned", "close-note": "Patienten skickas till annan region"},
    )
    assert _transfer(app).status == "abandoned"


def test_a_missing_reason_to_abandon_is_shown_next_to_the_reason(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    refused = client.post(url + "/close", data={"close-status": "abandoned", "close-note": "  "})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    note_error = re.search(r'id="close-note-error"[^>]*>(.*?)</p>', page, re.S)
    assert note_error and "Skriv varför överföringen avbryts." in note_error.group(1)
    assert 'id="close-status-error"' not in page


def test_transfer_list_shows_open_transfers(client: FlaskClient, auth) -> None:
    auth.login("secretary")
    client.post("/routines/transfers/new", data=transfer_data())
    page = client.get("/routines/transfers").get_data(as_text=True)
    assert "Grannby universitetssjukhus" in page and "Pågår" in page


def test_tick_with_a_line_break_or_a_look_alike_digit_is_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    for data in (
        {
            "list_key": "send\r\nSet-Cookie: x=1",
            "item": text_key("Avsändande dator är ur funktion."),
            "is_done": "1",
        },
        {"list_key": "send", "item": "²", "is_done": "1"},
        # A place in the list, as pages posted before the items were keyed by their text.
        {"list_key": "send", "item": "1", "is_done": "1"},
    ):
        response = client.post(url + "/checks", data=data)
        assert response.status_code == 302, data
        assert response.headers["Location"] in (url, url + "#list-send")
    with app.app_context():
        assert db.session.scalar(select(TransferCheck)) is None


def test_a_transfer_for_a_patient_not_in_the_app_is_found_by_patient_in_the_access_log(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    location = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    assert client.get(location).status_code == 200
    auth.logout()
    auth.login("admin")
    log = client.get("/admin/audit.csv?patient=191212121212").get_data(as_text=True)
    assert "transfer_create" in log
    assert "transfer_view" in log


@pytest.mark.parametrize("typed", ["19121212 1212", "121212+1212", "191212121212"])
def test_a_transfer_patient_typed_as_a_personnummer_is_found_in_the_access_log(
    app: Flask, client: FlaskClient, auth, typed: str
) -> None:
    auth.login("radiographer")
    response = client.post("/routines/transfers/new", data=transfer_data(patient_ref=typed))
    assert response.status_code == 302
    assert _transfer(app).patient_ref == "19121212-1212"
    client.get(response.headers["Location"])
    auth.logout()
    auth.login("admin")
    raw = client.get("/admin/audit.csv?patient=19121212-1212").get_data().decode("utf-8-sig")
    actions = {r["händelse"] for r in csv.DictReader(io.StringIO(raw), delimiter=";")}
    assert {"transfer_create", "transfer_view"} <= actions


def test_a_transfer_patient_that_is_no_personnummer_is_kept_as_typed(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/routines/transfers/new", data=transfer_data(patient_ref="RES 0007 (Grannby)"))
    assert _transfer(app).patient_ref == "RES 0007 (Grannby)"


def test_the_transfer_list_names_each_transfers_patient(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Two head CTs on their way out differed on the list only by their number.
    _case_id, code = transfer_case(app, client, auth)
    client.post("/routines/transfers/new", data=transfer_data(patient_ref="", case_code=code))
    client.post("/routines/transfers/new", data=transfer_data(patient_ref="19860303-0332"))
    page = client.get("/routines/transfers").get_data(as_text=True)
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("</tr>")
    linked = next(r for r in rows if code in r)
    assert "Örjan Älvström" in linked and "19121212-1212" in linked
    assert any("19860303-0332" in r for r in rows if code not in r)


def test_the_routines_page_counts_one_ongoing_transfer_in_the_singular(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    assert "0 pågående överföringar." in client.get("/routines/").get_data(as_text=True)
    assert client.post("/routines/transfers/new", data=transfer_data()).status_code == 302
    page = client.get("/routines/").get_data(as_text=True)
    assert "1 pågående överföring." in page and "1 pågående överföringar" not in page
    client.post(
        "/routines/transfers/new",
        data=transfer_data(patient_ref="19121212-1212", exam_text="DT buk", form_key="k" * 20),
    )
    assert "2 pågående överföringar." in client.get("/routines/").get_data(as_text=True)
