"""After an identity correction the referral's free text may still hold the patient as first
written down: the anonymised referral, and the preview of it on the case's pages, take out
every name and number the case has had, not only the current ones."""

from __future__ import annotations

from flask.testing import FlaskClient

from .factories import identity_data, referral_data, unidentified_referral_data
from .printforms.conftest import pdf_text, raw_streams

PAGES = ("/cases/{id}", "/routines/reviewer/cases/{id}")


def _new_case(client: FlaskClient, auth, data: dict[str, object]) -> str:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "external_reviewer"})
    return client.post("/cases/new", data=data).headers["Location"]


def _sheet(client: FlaskClient, case_id: str) -> tuple[str, bytes]:
    pdf = client.get(f"/print/cases/{case_id}/referral-anon.pdf").get_data()
    return " ".join(pdf_text(pdf).split()), pdf


def _previews(client: FlaskClient, case_id: str) -> list[str]:
    """The preview of the anonymised referral on each page that offers it."""
    pages = [client.get(path.format(id=case_id)).get_data(as_text=True) for path in PAGES]
    sections = [
        page.split('id="anonymised-check"', 1)[1].split("</section>", 1)[0] for page in pages
    ]
    return [" ".join(section.split()) for section in sections]


def test_the_reserve_number_the_patient_arrived_with_is_taken_out_after_identification(
    client: FlaskClient, auth
) -> None:
    history = "Inkom som RES-0007 med ambulans, nummer res 0007 på armbandet. Medvetslös."
    location = _new_case(client, auth, unidentified_referral_data(history=history))
    identified = identity_data(personal_number="19121212-1212", patient_name="Örjan Älvström")
    assert client.post(location + "/identity", data=identified).status_code == 302
    case_id = location.rsplit("/", 1)[-1]
    text, pdf = _sheet(client, case_id)
    expected = "Inkom som [borttaget] med ambulans, nummer [borttaget] på armbandet. Medvetslös."
    assert expected in text
    assert "0007" not in text and "0007".encode("utf-16-be") not in raw_streams(pdf)
    for page in _previews(client, case_id):
        assert expected in page
        assert "Patientens namn eller nummer har tagits bort ur texten." in page


def test_a_misspelt_name_corrected_is_taken_out_as_well_as_the_corrected_one(
    client: FlaskClient, auth
) -> None:
    data = referral_data(
        patient_name="Ingrid Lilqvist",
        personal_number="19451212-2385",
        history="Lilqvist opererad 2019. Dottern Ingrid Lillqvist ringer.",
        clinical_question="Ileus hos fru Lilqvists mor?",
    )
    location = _new_case(client, auth, data)
    corrected = identity_data(patient_name="Ingrid Lillqvist", personal_number="19451212-2385")
    assert client.post(location + "/identity", data=corrected).status_code == 302
    case_id = location.rsplit("/", 1)[-1]
    text, pdf = _sheet(client, case_id)
    assert "[borttaget] opererad 2019. Dottern [borttaget] ringer." in text
    assert "Ileus hos fru [borttaget] mor?" in text
    assert "Lilqvist" not in text and "Lilqvist".encode("utf-16-be") not in raw_streams(pdf)
    for page in _previews(client, case_id):
        assert "[borttaget] opererad 2019. Dottern [borttaget] ringer." in page
        assert "Lilqvist" not in page
