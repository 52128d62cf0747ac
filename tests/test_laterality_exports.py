"""The side on the printed sheets and in the exports, and a changed side sends RIS work back."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import CatchupTick, Incident

from .catchup_support import book, save_accession
from .export_support import export_now
from .factories import exam_data, hidden_value, referral_data, report_data
from .printforms.conftest import pdf_text

HAND = {"exam_text": "Hand/handled", "exam_code": "CR-HAND", "modality": "CR"}
HAND_EXAM = {**HAND, "room": "Lab 1", "dlp_mgycm": "", "ctdivol_mgy": ""}
SNOMED = "http://snomed.info/sct"


@pytest.fixture
def hand_case(client: FlaskClient, auth) -> int:
    """A referral for the left hand, done on the right (confirmed); nobody logged in."""
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    url = client.post("/cases/new", data=referral_data(side="left", **HAND)).headers["Location"]
    confirmed = {"side_confirmed": "left:right"}
    data = exam_data(referral_side="left", side="right", **confirmed, **HAND_EXAM)
    assert client.post(url + "/exam", data=data).status_code == 302
    auth.logout()
    return int(url.rsplit("/", 1)[-1])


def _incident(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(Incident.id)))


def test_the_printed_referral_and_exam_sheets_name_the_sides(
    client: FlaskClient, auth, hand_case: int
) -> None:
    auth.login()
    referral = pdf_text(client.get(f"/print/cases/{hand_case}/referral.pdf").get_data())
    assert "Hand/handled, vänster" in referral
    sheet = pdf_text(client.get(f"/print/cases/{hand_case}/exam.pdf").get_data())
    assert "Hand/handled, höger" in " ".join(sheet.split())
    assert "annan sida än remissen (vänster)" in " ".join(sheet.split())


def test_the_printed_report_and_cover_name_the_side_performed(
    client: FlaskClient, auth, hand_case: int
) -> None:
    auth.login("radiologist")
    data = report_data("preliminary", "p" * 20, conclusion="Ingen fraktur.")
    client.post(f"/reporting/{hand_case}", data=data)
    report = pdf_text(client.get(f"/print/cases/{hand_case}/report.pdf").get_data())
    assert "Hand/handled, höger" in report
    cover = pdf_text(client.get(f"/print/cases/{hand_case}/cover.pdf").get_data())
    assert "Hand/handled, höger" in cover


def test_the_csv_gives_the_side_to_key_and_the_referral_s_beside_it(
    app: Flask, hand_case: int
) -> None:
    text = export_now(app, _incident(app), "csv").content.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text), delimiter=";"))[:2]
    values = dict(zip(header, row, strict=False))
    assert values["sida"] == "höger"
    assert values["sida enligt remissen"] == "vänster (avviker, bekräftat)"


def test_the_json_gives_both_sides_and_the_confirmation(app: Flask, hand_case: int) -> None:
    document = json.loads(export_now(app, _incident(app), "json").content)
    (case,) = document["cases"]
    assert case["referral"]["side"] == "left"
    assert (case["exam"]["side"], case["exam"]["side_confirmed"]) == ("right", True)


def _resource(bundle: dict[str, Any], rtype: str) -> dict[str, Any]:
    (found,) = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == rtype]
    return found


def test_fhir_gives_the_sides_as_snomed_laterality_body_sites(app: Flask, hand_case: int) -> None:
    bundle = json.loads(export_now(app, _incident(app), "fhir").content)
    Bundle.model_validate(bundle)
    order = _resource(bundle, "ServiceRequest")["bodySite"]
    assert order == [
        {"coding": [{"system": SNOMED, "code": "7771000", "display": "Left"}], "text": "Vänster"}
    ]
    procedure = _resource(bundle, "Procedure")
    assert procedure["bodySite"][0]["coding"][0]["code"] == "24028007"
    assert "Annan sida än remissen" in procedure["note"][0]["text"]


def test_an_unsided_case_has_no_body_site(app: Flask, client: FlaskClient, auth) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    client.post("/cases/new", data=referral_data())
    bundle = json.loads(export_now(app, _incident(app), "fhir").content)
    assert "bodySite" not in _resource(bundle, "ServiceRequest")


def _latest(app: Flask, case_id: int, step: str) -> CatchupTick:
    with app.app_context():
        tick = db.session.scalar(
            select(CatchupTick)
            .where(CatchupTick.case_id == case_id, CatchupTick.step == step)
            .order_by(CatchupTick.id.desc())
        )
        db.session.expunge(tick)
        return tick


def test_a_side_changed_on_a_booked_referral_unticks_the_booking(
    app: Flask, client: FlaskClient, auth, hand_case: int
) -> None:
    auth.login("secretary")
    assert book(client, hand_case).status_code == 302
    assert _latest(app, hand_case, "booked").is_done
    auth.login()
    url = f"/cases/{hand_case}/referral"
    page = client.get(url).get_data(as_text=True)
    data = referral_data(
        side="right",
        version=hidden_value(page, "version"),
        case_version=hidden_value(page, "case_version"),
        key_suffix="edit",
        **HAND,
    )
    assert client.post(url, data=data).status_code == 302
    tick = _latest(app, hand_case, "booked")
    assert not tick.is_done and "Remissen ändrades" in tick.note


def test_a_side_changed_on_a_completed_exam_unticks_its_completion(
    app: Flask, client: FlaskClient, auth, hand_case: int
) -> None:
    auth.login("secretary")
    save_accession(client, hand_case)
    for step in ("booked", "exam_completed"):
        client.post(f"/catchup/cases/{hand_case}/steps", data={"step": step, "is_done": "1"})
    assert _latest(app, hand_case, "exam_completed").is_done
    auth.login()
    page = client.get(f"/cases/{hand_case}/exam").get_data(as_text=True)
    data = exam_data(
        referral_side="left", side="left", version=hidden_value(page, "version"), **HAND_EXAM
    )
    data["form_key"] = "g" * 20
    assert client.post(f"/cases/{hand_case}/exam", data=data).status_code == 302
    tick = _latest(app, hand_case, "exam_completed")
    assert not tick.is_done and "Dokumentationen ändrades" in tick.note
