"""Printing from the app: PDFs per document, KOPIA on reprint, audit, anonymity, binder."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Case, PrintRecord, ReservedCode

from .factories import exam_data, referral_data, report_data, unidentified_referral_data
from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text, raw_streams
from .test_blanks_reserve import batch_pdf_link


def _report(action: str, key: str) -> dict[str, str]:
    return report_data(action, key, conclusion="Normalt fynd, å ä ö é.")


@pytest.fixture
def case(app: Flask, client: FlaskClient, auth) -> Case:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration", "is_drill": "y"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(location + "/exam", data=exam_data())
    auth.logout()
    auth.login("radiologist")
    client.post(location.replace("/cases/", "/reporting/"), data=_report("preliminary", "p" * 20))
    with app.app_context():
        return db.session.scalar(select(Case))


@pytest.mark.parametrize(
    ("kind", "doc"),
    [
        ("referral", "REM"),
        ("exam", "DOK"),
        ("report", "UTL"),
        ("cover", "BAK"),
        ("referral-anon", "ARE"),
        ("report-anon", "AUT"),
    ],
)
def test_each_document_prints_with_its_qr(client: FlaskClient, case: Case, kind, doc) -> None:
    response = client.get(f"/print/cases/{case.id}/{kind}.pdf")
    assert response.mimetype == "application/pdf"
    pages = decoded_payloads(response.get_data(), STANDARD_FAX)
    code = case.code.replace("-", "")
    assert all(p and p[0].startswith(f"RR1:{code}:{doc}:") for p in pages)
    assert case.code in pdf_text(response.get_data())


def test_printed_referral_holds_the_entered_values(client: FlaskClient, case: Case) -> None:
    text = pdf_text(client.get(f"/print/cases/{case.id}/referral.pdf").get_data())
    for value in (
        "Örjan Älvström",
        "19121212-1212",
        "Akutmottagningen",
        "0999-123 46",
        "Blödning? Fall i hemmet.",
        "ÖVNING",
    ):
        assert value in text


def test_preliminary_report_prints_the_mark_and_the_fax_header(
    client: FlaskClient, case: Case
) -> None:
    text = pdf_text(client.get(f"/print/cases/{case.id}/report.pdf").get_data())
    for value in ("PRELIMINÄRT", "Till", "0999-123 46", "0999-100 01", "Normalt fynd, å ä ö é."):
        assert value in text


def test_second_print_of_the_same_version_says_copy(
    app: Flask, client: FlaskClient, case: Case
) -> None:
    first = pdf_text(client.get(f"/print/cases/{case.id}/exam.pdf").get_data())
    second = pdf_text(client.get(f"/print/cases/{case.id}/exam.pdf").get_data())
    assert "KOPIA" not in first
    assert "KOPIA" in second
    with app.app_context():
        records = db.session.scalars(select(PrintRecord).order_by(PrintRecord.id)).all()
        assert [r.is_reprint for r in records] == [False, True]
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "print")).all()
        assert events[-1].detail == "Dokumentation v1 (kopia)"
        assert events[-1].username == "test-radiologist"


def test_every_page_of_a_cancelled_case_says_cancelled(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(location + "/exam", data=exam_data())
    assert (
        client.post(
            location + "/cancel", data={"confirm_ris_pacs": "y", "reason": "Fel patient"}
        ).status_code
        == 302
    )
    case_id = int(location.rsplit("/", 1)[-1])
    pdf = client.get(f"/print/cases/{case_id}/all.pdf").get_data()
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 3
    assert all("MAKULERAD" in text for text in pages)


def test_anonymised_prints_hold_no_identity(client: FlaskClient, case: Case) -> None:
    for kind in ("referral-anon", "report-anon"):
        pdf = client.get(f"/print/cases/{case.id}/{kind}.pdf").get_data()
        text = pdf_text(pdf)
        raw = raw_streams(pdf)
        for secret in ("Örjan", "Älvström", "19121212", "121212-1212"):
            assert secret not in text
            assert secret.encode() not in raw
        assert "Man" in text


def test_print_all_is_one_pdf_with_every_document(client: FlaskClient, case: Case) -> None:
    pdf = client.get(f"/print/cases/{case.id}/all.pdf").get_data()
    docs = [p[0].split(":")[2] for p in decoded_payloads(pdf, STANDARD_FAX)]
    assert docs == ["BAK", "REM", "DOK", "UTL"]


def test_unknown_document_is_404(client: FlaskClient, case: Case) -> None:
    assert client.get(f"/print/cases/{case.id}/nonsense.pdf").status_code == 404


def test_incident_list_for_the_tib_is_masked(client: FlaskClient, case: Case) -> None:
    masked = pdf_text(client.get(f"/print/incidents/{case.incident_id}/list.pdf").get_data())
    full = pdf_text(client.get(f"/print/incidents/{case.incident_id}/list.pdf?masked=0").get_data())
    assert case.code in masked and "Örjan Älvström" not in masked
    assert "Örjan Älvström" in full


def _unnamed_reserve_patient(**overrides: object) -> dict[str, object]:
    return unidentified_referral_data(
        reserve_number="RES-0042", sex="U", approx_age="40", pregnancy="unknown", **overrides
    )


def test_incident_list_is_a_dated_snapshot_never_a_copy(
    app: Flask, client: FlaskClient, case: Case
) -> None:
    # Each print is drawn afresh from the cases as they are now (new cases, new statuses,
    # minutes waited), so it carries its print time and is no KOPIA of an earlier list.
    first = pdf_text(client.get(f"/print/incidents/{case.incident_id}/list.pdf").get_data())
    client.post("/cases/new", data=referral_data(key_suffix="more"))
    second = pdf_text(client.get(f"/print/incidents/{case.incident_id}/list.pdf").get_data())
    for text in (first, second):
        assert "Utskriven" in text
        assert "KOPIA" not in text
    assert "Antal ärenden\n2" in second
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "print")).all()
        lists = [e.detail for e in events if e.incident_id == case.incident_id and not e.case_id]
        assert len(lists) == 2 and not any("kopia" in detail for detail in lists)


def test_unnamed_reserve_patient_is_named_unknown_on_the_full_incident_list(
    client: FlaskClient, case: Case
) -> None:
    client.post("/cases/new", data=_unnamed_reserve_patient(key_suffix="res"))
    full = pdf_text(client.get(f"/print/incidents/{case.incident_id}/list.pdf?masked=0").get_data())
    assert "Namn okänt, RES-0042" in full
    assert ", RES-0042" not in full.replace("Namn okänt, RES-0042", "")


def _page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def test_every_page_of_a_long_report_names_the_patient(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    data = _report("definitive", "q" * 20)
    data["sections-0-text"] = ("Långt fynd med åäö och mer text. " * 30 + "\n") * 7
    assert client.post(f"/reporting/{case_id}", data=data).status_code == 302
    pages = _page_texts(client.get(f"/print/cases/{case_id}/report.pdf").get_data())
    assert len(pages) >= 2
    assert all("Örjan Älvström" in text and "19121212-1212" in text for text in pages)


def test_every_page_of_a_long_referral_names_an_unnamed_patient_unknown(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    history = "Lång anamnes med åäö, tidigare vårdad för yrsel och fall. " * 100
    location = client.post("/cases/new", data=_unnamed_reserve_patient(history=history))
    pdf = client.get(f"/print{location.headers['Location']}/referral.pdf").get_data()
    pages = _page_texts(pdf)
    assert len(pages) >= 2
    assert all("Namn okänt · Reservnummer RES-0042" in text for text in pages)


def test_binder_codes_are_reserved_printed_and_opened_by_scan(
    app: Flask, client: FlaskClient, auth, case: Case
) -> None:
    auth.logout()
    auth.login("admin")
    reserved = client.post(
        "/blanks/reserve", data={"doc_kind": "BLR", "count": "3", "batch_label": "Pärm akuten"}
    )
    response = client.get(batch_pdf_link(client, reserved))
    assert response.mimetype == "application/pdf"
    payloads = [p[0] for p in decoded_payloads(response.get_data(), STANDARD_FAX)]
    assert len(payloads) == 3
    with app.app_context():
        codes = [r.code for r in db.session.scalars(select(ReservedCode).order_by(ReservedCode.id))]
    assert [p.split(":")[1] for p in payloads] == [c.replace("-", "") for c in codes]
    auth.logout()
    auth.login("secretary")
    response = client.get("/scan", query_string={"code": payloads[0]})
    assert response.headers["Location"].endswith(f"/blanks/{codes[0]}/open")
    data = referral_data(key_suffix="blank", patient_name="Från Pärmen")
    response = client.post(f"/blanks/{codes[0]}/open", data=data)
    assert response.status_code == 302
    with app.app_context():
        opened = db.session.scalar(select(Case).where(Case.code == codes[0]))
        assert opened.patient_name == "Från Pärmen"
        assert (
            db.session.scalar(
                select(ReservedCode).where(ReservedCode.code == codes[0])
            ).used_case_id
            == opened.id
        )


def test_unused_binder_codes_are_listed_and_voided(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLD", "count": "2"})
    with app.app_context():
        codes = [r.code for r in db.session.scalars(select(ReservedCode))]
    page = client.get("/blanks/").get_data(as_text=True)
    assert all(code in page for code in codes)
    client.post(f"/blanks/{codes[0]}/void", data={"reason": "Bladet förstört"})
    with app.app_context():
        voided = db.session.scalar(select(ReservedCode).where(ReservedCode.code == codes[0]))
        assert voided.voided_at is not None and voided.void_reason == "Bladet förstört"


def test_reprinted_binder_blanks_say_copy_on_every_sheet(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    reserved = client.post("/blanks/reserve", data={"doc_kind": "BLU", "count": "2"})
    first = client.get(batch_pdf_link(client, reserved)).get_data()
    again = client.get("/blanks/unused.pdf", query_string={"kind": "BLU"}).get_data()
    assert "KOPIA" not in pdf_text(first)
    sheets = [page.extract_text() for page in PdfReader(io.BytesIO(again)).pages]
    assert len(sheets) == 2
    assert all("KOPIA" in text and "utskriven" in text for text in sheets)
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "print")).all()
        assert "(kopia)" in events[-1].detail


def test_generated_case_codes_never_collide_with_reserved_ones(app: Flask, auth) -> None:
    from webapp.cases import creation

    reserved = "ABC-DE" + __import__("webapp.codes", fromlist=["x"]).check_character("ABCDE")
    with app.app_context():
        from tests.factories import make_user
        from webapp.models import ReservedCode as RC
        from webapp.storage import write_transaction

        user = make_user(role="admin", username="adm")
        with write_transaction() as session:
            session.add(
                RC(code=reserved, site_id=user.site_id, doc_kind="BLR", reserved_by_id=user.id)
            )
        codes = iter(
            [
                reserved,
                "XYZ-23" + __import__("webapp.codes", fromlist=["x"]).check_character("XYZ23"),
            ]
        )
        original = creation.generate_case_code
        creation.generate_case_code = lambda: next(codes)  # type: ignore[assignment]
        try:
            with write_transaction() as session:
                assert creation._new_code(session) != reserved
        finally:
            creation.generate_case_code = original


LONG_NAME = "Anne-Sophie Åkesson-Ödegård Éléonore Maria-Therese Ängquist von Würtemberg-Ståhlberg"


@pytest.mark.parametrize(
    ("identity", "shown"),
    [
        (
            {"patient_name": LONG_NAME, "personal_number": "19121272-1219"},
            ("Anne-Sophie Åkesson", "19121272-1219"),
        ),
        (
            {
                "id_mode": "reserve",
                "personal_number": "",
                "patient_name": "",
                "pregnancy": "unknown",
            }
            | {"reserve_number": "RES-0042", "sex": "U", "approx_age": "40"},
            ("Namn okänt", "Reservnummer RES-0042"),
        ),
    ],
    ids=["long-name", "unidentified"],
)
def test_every_page_of_a_long_red_tray_bundle_survives_the_fax(
    client: FlaskClient, auth, identity: dict[str, str], shown: tuple[str, str]
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    history = "Lång anamnes med åäö é, tidigare vårdad för yrsel och fall. " * 80
    data = referral_data(history=history, **identity)
    location = client.post("/cases/new", data=data).headers["Location"]
    client.post(location + "/exam", data=exam_data(notes="Anteckning med åäö. " * 150))
    auth.logout()
    auth.login("radiologist")
    report = _report("definitive", "q" * 20)
    report["sections-0-text"] = ("Långt fynd med åäö och mer text. " * 30 + "\n") * 7
    assert client.post(location.replace("/cases/", "/reporting/"), data=report).status_code == 302
    pdf = client.get(f"/print{location}/all.pdf").get_data()
    pages = _page_texts(pdf)
    assert len(pages) >= 7
    code = next(line.split()[0] for line in pages[0].splitlines() if "· Reservrutin" in line)
    # Standard resolution (98 lines per inch) is the hardest; fine is tested on the sheets.
    found = decoded_payloads(pdf, STANDARD_FAX)
    assert all(len(qr) == 1 and qr[0].startswith(f"RR1:{code.replace('-', '')}:") for qr in found)
    for text in pages:
        assert code in text and shown[0] in text and shown[1] in text


def test_free_text_that_looks_like_markup_prints_as_written_on_every_faxed_page(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    # A name with no space to break at, a samordningsnummer, and text a renderer could take
    # for markup or a spreadsheet for a formula.
    odd = "<b>eGFR < 30 & krea > 150</b> =SUMMA(A1) 'citat' \"citat\" "
    data = referral_data(
        patient_name="Ü" * 120,
        personal_number="19121272-1219",
        history=(odd + "x" * 400 + "\n") * 12,
    )
    location = client.post("/cases/new", data=data).headers["Location"]
    pdf = client.get(f"/print{location}/referral.pdf").get_data()
    pages = _page_texts(pdf)
    assert len(pages) >= 2
    assert "<b>eGFR < 30 & krea > 150</b> =SUMMA(A1)" in " ".join(pages)
    code = next(line.split()[0] for line in pages[0].splitlines() if "· Reservrutin" in line)
    found = decoded_payloads(pdf, STANDARD_FAX)
    assert all(qr == [f"RR1:{code.replace('-', '')}:REM:1"] for qr in found), found
    for text in pages:
        assert code in text and "Samordningsnummer 19121272-1219" in text and "ÜÜÜÜ" in text


def test_report_with_an_urgent_finding_says_so_on_the_faxed_sheet(
    client: FlaskClient, auth, case_id: int
) -> None:
    # The ward reading the fax must see the urgent finding, whether or not the call is logged yet.
    auth.login("radiologist")
    data = _report("definitive", "u" * 20)
    data["is_urgent"] = "y"
    assert client.post(f"/reporting/{case_id}", data=data).status_code == 302
    pages = _page_texts(client.get(f"/print/cases/{case_id}/report.pdf").get_data())
    assert all("AKUT FYND" in text for text in pages)


def test_report_without_an_urgent_finding_carries_no_urgent_mark(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    assert (
        client.post(f"/reporting/{case_id}", data=_report("definitive", "n" * 20)).status_code
        == 302
    )
    assert "AKUT FYND" not in pdf_text(client.get(f"/print/cases/{case_id}/report.pdf").get_data())


def test_printed_referral_carries_the_radiologists_instruction_and_a_new_version(
    app: Flask, client: FlaskClient, case: Case
) -> None:
    from webapp.printing.versions import document_version

    with app.app_context():
        before = document_version(db.session.get(Case, case.id), "referral")
    client.post(f"/reporting/{case.id}/protocol", data={"protocol": "Ring mig före start."})
    text = pdf_text(client.get(f"/print/cases/{case.id}/referral.pdf").get_data())
    assert "Radiologens instruktion" in text and "Ring mig före start." in text
    # Written after the exam of the fixture started (2026-01-15 10:50): the sheet says so.
    assert "efter att undersökningen startade (2026-01-15 10:50)" in " ".join(text.split())
    with app.app_context():
        # A sheet printed before the instruction is out of date, not a copy of this one.
        assert document_version(db.session.get(Case, case.id), "referral") > before
    anonymised = pdf_text(client.get(f"/print/cases/{case.id}/referral-anon.pdf").get_data())
    assert "Ring mig före start." not in anonymised
