"""Plain CaseExport data for the export tests: a full case and the awkward ones."""

from __future__ import annotations

from typing import Any

from webapp.catchup.batch import (
    AddendumData,
    CaseExport,
    ExamData,
    PatientData,
    ReferralData,
    ReportData,
    SignatureData,
    StepData,
)

BASE = "https://reservrutin.example.se/fhir-systems"
INCIDENT = {
    "id": 7,
    "site": "EXS",
    "department": "Bild- och funktionsmedicin",
    "scenario": "total",
    "title": "Totalstopp natt",
    "is_drill": False,
    "started_at": "2025-03-01T22:00:00+00:00",
    "ended_at": "2025-03-02T04:00:00+00:00",
}
GENERATED = "2025-03-02T06:00:00+00:00"
STEPS = ("booked", "exam_completed", "images_matched", "report_keyed", "correction_list")


def patient(**kw: Any) -> PatientData:
    data: dict[str, Any] = {
        "name": "Åsa Öberg-Ärlig",
        "id_kind": "personnummer",
        "id_value": "191212121212",
        "sex": "F",
        "birth_date": "1912-12-12",
        "approx_age": None,
    }
    return PatientData(**(data | kw))


def referral(**kw: Any) -> ReferralData:
    data: dict[str, Any] = {
        "referrer_unit": "Akutmottagningen",
        "referrer_clinician": "Dr Björk",
        "referrer_phone": "0999-200 00",
        "reply_fax": "0999-200 01",
        "priority": "akut",
        "priority_label": "Akut",
        "exam_code": "CT-HJ",
        "exam_text": "DT hjärna",
        "side": "",
        "modality": "CT",
        "contrast_planned": False,
        "clinical_question": "Blödning? Fall i hemmet.",
        "history": "Waran.",
        "safety": {"contrast_allergy": "no", "egfr": "62"},
        "arrived_via": "fax",
        "arrived_at": "2025-03-01T22:10:00+00:00",
        "received_by": "Sara Sjuksköterska",
    }
    return ReferralData(**(data | kw))


def exam(**kw: Any) -> ExamData:
    data: dict[str, Any] = {
        "modality": "CT",
        "room": "DT 1",
        "exam_code": "CT-HJ",
        "exam_text": "DT hjärna",
        "side": "",
        "side_confirmed": False,
        "started_at": "2025-03-01T22:30:00+00:00",
        "ended_at": "2025-03-01T22:40:00+00:00",
        "radiographers": "Sara Sjuksköterska",
        "modality_temp_id": "RES0001",
        "contrast_agent": "",
        "contrast_volume_ml": None,
        "contrast_route": "",
        "dose": {"dlp_mgycm": 812.5, "ctdivol_mgy": 48.25},
        "series_count": 3,
        "image_count": 412,
        "pacs_status": "yes",
        "pacs_sent_at": "2025-03-01T22:45:00+00:00",
        "complications": "",
        "notes": "",
        "documented_by": "Sara Sjuksköterska",
    }
    return ExamData(**(data | kw))


def report(**kw: Any) -> ReportData:
    data: dict[str, Any] = {
        "state": "definitive",
        "fhir_status": "appended",
        "sections": [
            {"heading": "Fynd", "text": "Ingen blödning.\nInga frakturer."},
            {"heading": "Bedömning", "text": "Ingen akut intrakraniell patologi."},
        ],
        "author": "Rut Radiolog",
        "received_by_fax": False,
        "is_urgent": False,
        "signatures": [
            SignatureData("preliminary", "Rut Radiolog", "2025-03-01T23:00:00+00:00"),
            SignatureData("definitive", "Rut Radiolog", "2025-03-02T01:00:00+00:00"),
        ],
        "addenda": [
            AddendumData("Rut Radiolog", "2025-03-02T02:00:00+00:00", "Jämfört med äldre.")
        ],
    }
    return ReportData(**(data | kw))


def steps(done: tuple[str, ...] = ()) -> list[StepData]:
    return [
        StepData(
            s,
            s in done,
            "Selma Sekreterare" if s in done else "",
            "2025-03-02T08:00:00+00:00" if s in done else None,
        )
        for s in STEPS
    ]


def case(**kw: Any) -> CaseExport:
    data: dict[str, Any] = {
        "code": "AB12CD",
        "status": "report_definitive",
        "incident_id": 7,
        "is_drill": False,
        "created_at": "2025-03-01T22:10:00+00:00",
        "updated_at": "2025-03-02T02:00:00+00:00",
        "patient": patient(),
        "referral": referral(),
        "exam": exam(),
        "report": report(),
        "steps": steps(("booked",)),
        "ris_accession": "ACC123",
        "ris_exam_number": "U-555",
        "verified_by": "",
        "verified_at": None,
        "waived": False,
        "waive_reason": "",
        "waived_by": "",
        "waived_at": None,
        "waiver_confirmed_by": "",
        "waiver_confirmed_at": None,
        "reconciled_at": None,
        "cancelled_reason": "",
    }
    return CaseExport(**(data | kw))


def coordination_case() -> CaseExport:
    return case(
        code="EF34GH",
        status="report_preliminary",
        patient=patient(
            name="Örjan Ängström",
            id_kind="samordningsnummer",
            id_value="197010632391",
            sex="M",
            birth_date="1970-10-03",
        ),
        referral=referral(priority="rutin", priority_label="Rutin", arrived_via="paper"),
        exam=exam(
            modality="CR",
            exam_code="",
            exam_text="Lungor",
            pacs_status="failed",
            dose={"dap_gycm2": 0.125},
            modality_temp_id="RES0002",
        ),
        report=report(
            state="preliminary",
            fhir_status="preliminary",
            received_by_fax=True,
            signatures=[SignatureData("preliminary", "Nils Natt", "2025-03-01T23:30:00+00:00")],
            addenda=[],
            author="Nils Natt",
        ),
    )


def reserve_case() -> CaseExport:
    return case(
        code="JK56LM",
        status="referral_received",
        patient=patient(
            name="",
            id_kind="reserve",
            id_value="RES-2025 0042",
            sex="",
            birth_date=None,
            approx_age=40,
        ),
        referral=referral(priority="inom_timmar", priority_label="Inom timmar"),
        exam=None,
        report=None,
        ris_accession="",
        ris_exam_number="",
    )


def formula_case() -> CaseExport:
    return case(
        code="NP78QR",
        patient=patient(name='=HYPERLINK("http://evil")', id_value="200001012386"),
        referral=referral(clinical_question="+SUM(A1:A9)", reply_fax="-1+1", contrast_planned=True),
        report=None,
        status="exam_done",
    )


def all_cases() -> list[CaseExport]:
    return [case(), coordination_case(), reserve_case(), formula_case()]
