"""The PDF checklist shows the referral's safety answers a secretary keys into RIS: only those
given, a positive one marked, read from the batch with no query per case."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from webapp.catchup.export_views import pdf_renderer_for
from webapp.extensions import db
from webapp.models import Case

from .export_support import downloaded, export_now
from .factories import referral_data
from .statements import sent_statements

# CT abdomen with contrast for a woman allergic to contrast, every other answer given too.
ANSWERED = {
    "personal_number": "19800101-0027",
    "patient_name": "Karin Kontrast",
    "exam_text": "DT buk",
    "exam_code": "",
    "contrast_planned": "y",
    "contrast_allergy": "yes",
    "metformin": "unknown",
    "pregnancy": "no",
    "egfr": "29.6",
    "creatinine": "1234.5678",
    "kidney_measured_on": "2026-01-14",
    "pacemaker": "no",
    "implants": "yes",
    "implants_note": "Höftprotes vänster",
}
# Every label the safety line may print: none of them belongs on a case with no answers.
LABELS = (
    "Kontrast planerad",
    "Kontrastmedelsallergi",
    "eGFR",
    "Kreatinin",
    "Provtagningsdatum",
    "Njurfunktion",
    "Metformin",
    "Graviditet",
    "Pacemaker",
    "Implantat",
    "OBS!",
)


@pytest.fixture
def incident(app: Flask, client: FlaskClient, auth) -> dict[str, object]:
    """A CT head with no safety question answered, then the contrast case with every answer,
    then one whose kidney function is unknown; logged in as secretary."""
    auth.login("radiographer")
    location = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    for data in (
        referral_data(key_suffix="plain"),
        referral_data(key_suffix="answered", **ANSWERED),
        referral_data(key_suffix="kidney", kidney_unknown="y"),
    ):
        assert client.post("/cases/new", data=data).status_code == 302
    auth.logout()
    auth.login("secretary")
    with app.app_context():
        codes = db.session.scalars(select(Case.code).order_by(Case.id)).all()
    return {"id": int(location.rsplit("/", 1)[-1]), "codes": codes}


def _text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() or "" for page in pages).split())


def _rows(pdf: bytes, codes: list[str]) -> list[str]:
    """The checklist's text from each case's code to the next one's (cases in list order)."""
    text = _text(pdf)
    starts = [text.index(code) for code in codes]
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def test_checklist_shows_each_given_safety_answer_and_marks_the_positive_ones(
    client: FlaskClient, incident
) -> None:
    _plain, answered, _kidney = _rows(downloaded(client, incident["id"], "pdf"), incident["codes"])
    # A yes is a warning the secretary enters in RIS: first, after OBS! (in bold on paper).
    assert "OBS! Kontrastmedelsallergi: Ja; Implantat: Ja (Höftprotes vänster)" in answered
    # Then the other answers given, in the referral form's order; "Vet ej" and "Nej" are
    # answers, not warnings. Kidney values as typed with a decimal comma, as the CSV has them.
    assert (
        "Kontrast planerad; eGFR: 29,6; Kreatinin: 1234,5678 µmol/l; "
        "Provtagningsdatum: 2026-01-14; Metformin: Vet ej; Graviditet: Nej; Pacemaker/ICD: Nej"
    ) in answered
    assert answered.count("OBS!") == 1
    assert "Njurfunktion okänd" not in answered


def test_checklist_marks_an_unknown_kidney_function(client: FlaskClient, incident) -> None:
    *_, kidney = _rows(downloaded(client, incident["id"], "pdf"), incident["codes"])
    assert "OBS! Njurfunktion okänd" in kidney
    assert "Kontrast planerad" not in kidney and "eGFR" not in kidney


def test_checklist_shows_nothing_for_a_case_with_no_safety_answers(
    client: FlaskClient, incident
) -> None:
    plain, *_ = _rows(downloaded(client, incident["id"], "pdf"), incident["codes"])
    assert "DT hjärna" in plain
    assert [label for label in LABELS if label in plain] == []


def _selects(app: Flask, incident_id: int) -> int:
    with sent_statements(app) as statements:
        export_now(app, incident_id, "pdf", pdf_renderer=pdf_renderer_for(incident_id))
    return sum(1 for s in statements if s.lstrip().upper().startswith("SELECT"))


def test_checklist_queries_do_not_grow_with_its_cases(
    app: Flask, client: FlaskClient, auth, incident
) -> None:
    few = _selects(app, incident["id"])
    auth.logout()
    auth.login("radiographer")
    for n in range(3):
        data = referral_data(key_suffix=f"more{n}", **ANSWERED | {"pregnancy": "yes"})
        assert client.post("/cases/new", data=data).status_code == 302
    assert _selects(app, incident["id"]) == few
