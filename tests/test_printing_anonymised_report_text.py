"""The anonymised report faxed to the RIS administrator keeps the patient's identity out of the
report's sections and addenda as typed, as the anonymised referral does of its free text."""

from __future__ import annotations

from flask.testing import FlaskClient

from .factories import exam_data, identity_data, report_data, unidentified_referral_data
from .printforms.conftest import pdf_text, raw_streams

NOTE = "Identifierande uppgifter borttagna ur fritexten"
SECRETS = ("Örjan", "Älvström", "121212", "1212")


def _sign(client: FlaskClient, auth, case_id: int, findings: str, conclusion: str) -> None:
    auth.login("radiologist")
    data = report_data("definitive", "d" * 20, findings=findings, conclusion=conclusion)
    assert client.post(f"/reporting/{case_id}", data=data).status_code == 302


def _anonymised(client: FlaskClient, case_id: int) -> tuple[str, bytes]:
    pdf = client.get(f"/print/cases/{case_id}/report-anon.pdf").get_data()
    return " ".join(pdf_text(pdf).split()), pdf


def test_the_anonymised_report_prints_no_name_or_number_from_the_report_text(
    client: FlaskClient, auth, case_id: int
) -> None:
    findings = "Örjan Älvström, pnr 19121212-1212, har en fraktur i os temporale."
    _sign(client, auth, case_id, findings, "Fraktur hos Älvström.")
    addendum = {"text": "Ring Älvströms dotter om 121212-1212."}
    assert client.post(f"/reporting/{case_id}/addendum", data=addendum).status_code == 302
    text, pdf = _anonymised(client, case_id)
    for secret in SECRETS:
        assert secret not in text and secret.encode("utf-16-be") not in raw_streams(pdf)
    assert "[borttaget], pnr [borttaget], har en fraktur i os temporale." in text
    assert "Fraktur hos [borttaget]." in text
    assert "Ring [borttaget] dotter om [borttaget]." in text
    assert NOTE in text
    # Before the report's text, so the administrator reads the gaps as gaps.
    assert text.index(NOTE) < text.index("[borttaget], pnr")


def test_the_report_itself_still_prints_the_text_as_signed(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "Örjan Älvström har en fraktur.", "Fraktur.")
    pdf = client.get(f"/print/cases/{case_id}/report.pdf").get_data()
    text = " ".join(pdf_text(pdf).split())
    assert "Örjan Älvström har en fraktur." in text and NOTE not in text


def test_an_anonymised_report_with_no_identity_in_its_text_has_no_note(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "Ingen blödning.", "Normalt.")
    text, _ = _anonymised(client, case_id)
    assert "Ingen blödning." in text and NOTE not in text


def test_the_reserve_number_the_report_named_is_taken_out_after_identification(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    assert client.post(location + "/exam", data=exam_data()).status_code == 302
    case_id = int(location.rsplit("/", 1)[-1])
    _sign(client, auth, case_id, "Patient RES-0007: subduralhematom.", "Blödning.")
    auth.login("radiographer")
    assert client.post(location + "/identity", data=identity_data()).status_code == 302
    text, pdf = _anonymised(client, case_id)
    assert "Patient [borttaget]: subduralhematom." in text
    assert "0007" not in text and "0007".encode("utf-16-be") not in raw_streams(pdf)
    assert NOTE in text


def _call(client: FlaskClient, case_id: int, note: str) -> None:
    data = {"called_person": "Dr Åberg", "called_at": "2026-01-15T11:20", "note": note}
    assert client.post(f"/reporting/{case_id}/call", data=data).status_code == 302


def test_the_anonymised_report_prints_the_urgent_call_without_the_patients_identity(
    client: FlaskClient, auth, case_id: int
) -> None:
    """The RIS administrator handles the reply: the referrer was already told, by whom, when."""
    _sign(client, auth, case_id, "Pneumothorax höger.", "Pneumothorax.")
    _call(client, case_id, "Sa att Älvström (19121212-1212) ska läggas in.")
    text, pdf = _anonymised(client, case_id)
    call = text[text.index("Akut fynd – telefonsamtal") :]
    assert "Ringt 2026-01-15 11:20" in call and "Till Dr Åberg" in call
    assert "Sa att [borttaget] ([borttaget]) ska läggas in." in call
    for secret in SECRETS:
        assert secret not in text and secret.encode("utf-16-be") not in raw_streams(pdf)
    assert NOTE in text


def test_a_call_logged_since_makes_the_anonymised_report_a_new_version(
    app, client: FlaskClient, auth, case_id: int
) -> None:
    from webapp.extensions import db
    from webapp.models import Case
    from webapp.printing.versions import document_version

    _sign(client, auth, case_id, "Pneumothorax höger.", "Pneumothorax.")
    with app.app_context():
        before = document_version(db.session.get(Case, case_id), "report-anon")
    _call(client, case_id, "")
    with app.app_context():
        assert document_version(db.session.get(Case, case_id), "report-anon") == before + 1


def test_the_anonymised_report_names_the_exam_performed_without_the_patients_identity(
    client: FlaskClient, auth
) -> None:
    """The exam performed is typed by hand when not in the catalogue: the anonymised referral
    scrubs the exam requested, and the report's exam line must not give back what it took."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    typed = exam_data(exam_text="DT hjärna (RES-0007, Älvström 19121212-1212)", exam_code="")
    assert client.post(location + "/exam", data=typed).status_code == 302
    case_id = int(location.rsplit("/", 1)[-1])
    assert client.post(location + "/identity", data=identity_data()).status_code == 302
    _sign(client, auth, case_id, "Ingen blödning.", "Normalt.")
    text, pdf = _anonymised(client, case_id)
    assert "Undersökning DT hjärna ([borttaget])" in text
    for secret in (*SECRETS, "0007"):
        assert secret not in text and secret.encode("utf-16-be") not in raw_streams(pdf)
    assert NOTE in text
