"""The batch export formats (CSV, JSON, FHIR) written from plain CaseExport data."""

from __future__ import annotations

import base64
import csv
import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from fhir.resources.R4B.bundle import Bundle

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
from webapp.catchup.export_csv import to_csv
from webapp.catchup.export_fhir import fhir_priority_map, to_fhir_bundle
from webapp.catchup.export_json import to_json

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "docs" / "batch-schema.json"
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
        "modality": "CT",
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
        referral=referral(clinical_question="+SUM(A1:A9)", reply_fax="-1+1"),
        report=None,
        status="exam_done",
    )


def all_cases() -> list[CaseExport]:
    return [case(), coordination_case(), reserve_case(), formula_case()]


# --- CSV -----------------------------------------------------------------------------------


def parse_csv(data: bytes) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len(set(header)) == len(header)
    return [dict(zip(header, row, strict=True)) for row in body]


def test_csv_is_excel_friendly_and_round_trips() -> None:
    data = to_csv(all_cases())
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.split("\r\n")[0].startswith("ärendekod;status;patient namn;")
    rows = parse_csv(data)
    assert [r["ärendekod"] for r in rows] == ["AB12CD", "EF34GH", "JK56LM", "NP78QR"]
    first, second, reserve = rows[0], rows[1], rows[2]
    assert first["patient namn"] == "Åsa Öberg-Ärlig"
    assert second["patient namn"] == "Örjan Ängström"
    assert first["personnummer/reservnummer"] == "19121212-1212"
    assert first["id-typ"] == "personnummer"
    assert second["id-typ"] == "samordningsnummer"
    assert reserve["personnummer/reservnummer"] == "RES-2025 0042"
    assert reserve["id-typ"] == "reservnummer"
    assert first["kön"] == "Kvinna" and reserve["kön"] == "Okänt"
    assert first["remittent"] == "Dr Björk, Akutmottagningen"
    assert first["prioritet"] == "Akut"
    assert first["modalitets-ID"] == "RES0001"
    assert first["bilder till PACS"] == "ja" and second["bilder till PACS"] == "misslyckades"
    # Times are local (Stockholm, UTC+1 in March) for the people reading them.
    assert first["mottagen"] == "2025-03-01 23:10"
    assert first["utlåtande text"] == (
        "Fynd: Ingen blödning.\nInga frakturer.\n"
        "Bedömning: Ingen akut intrakraniell patologi.\n"
        "Tillägg (Rut Radiolog): Jämfört med äldre."
    )
    assert first["signerad av"] == "Rut Radiolog"
    assert first["RIS accession"] == "ACC123"
    assert first["bokad i RIS"] == "ja" and first["bokad i RIS av"] == "Selma Sekreterare"
    assert first["klarmarkerad i RIS"] == "" and first["klarmarkerad i RIS tid"] == ""
    assert reserve["undersökning start"] == "" and reserve["utlåtande status"] == ""


def test_csv_decimal_comma() -> None:
    rows = parse_csv(to_csv(all_cases()))
    assert rows[0]["DLP (mGy·cm)"] == "812,5"
    assert rows[0]["CTDIvol (mGy)"] == "48,25"
    assert rows[0]["DAP (Gy·cm²)"] == ""
    assert rows[1]["DAP (Gy·cm²)"] == "0,125"
    big = case(exam=exam(dose={"dlp_mgycm": 1e20, "fluoro_seconds": 30.0}))
    row = parse_csv(to_csv([big]))[0]
    assert row["DLP (mGy·cm)"] == "100000000000000000000"
    assert row["genomlysningstid (s)"] == "30"


def test_csv_neutralises_formulas() -> None:
    row = parse_csv(to_csv([formula_case()]))[0]
    assert row["patient namn"] == '\'=HYPERLINK("http://evil")'
    assert row["frågeställning"] == "'+SUM(A1:A9)"
    assert row["svarsfax"] == "'-1+1"
    for value in row.values():
        assert not value.startswith(("=", "+", "@")) or value[1:].replace(",", "").isdigit()


def test_csv_empty_batch_has_header_only() -> None:
    text = to_csv([]).decode("utf-8-sig")
    assert text.count("\r\n") == 1


# --- JSON ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def export_json(cases: list[CaseExport], since: str | None = None) -> str:
    return to_json(cases, incident=INCIDENT, generated_at=GENERATED, since=since)


def test_json_validates_against_schema(validator: jsonschema.Draft202012Validator) -> None:
    text = export_json(all_cases(), since="2025-03-02T00:00:00+00:00")
    assert "Åsa Öberg-Ärlig" in text  # ensure_ascii=False
    document = json.loads(text)
    validator.validate(document)
    assert document["schema"] == "reservrutin-batch/1"
    assert list(document) == ["schema", "incident", "generated_at", "since", "cases"]
    assert document["cases"][0]["report"]["addenda"][0]["text"] == "Jämfört med äldre."
    assert document["cases"][2]["exam"] is None
    assert export_json(all_cases(), since="2025-03-02T00:00:00+00:00") == text


def test_schema_documents_every_property() -> None:
    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                assert "description" in sub, f"{path}.{name} has no description"
            for key, sub in node.items():
                walk(sub, f"{path}.{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{path}[{i}]")

    walk(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")), "$")


@pytest.mark.parametrize(
    "path",
    [
        ("schema",),
        ("cases", 0, "patient"),
        ("cases", 0, "patient", "id_kind"),
        ("cases", 1, "report", "fhir_status"),
        ("cases", 0, "exam", "started_at"),
        ("cases", 0, "steps", 0, "done"),
    ],
)
def test_json_missing_required_key_fails(
    validator: jsonschema.Draft202012Validator, path: tuple[Any, ...]
) -> None:
    document = json.loads(export_json(all_cases()))
    node = document
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)


def test_json_wrong_values_fail(validator: jsonschema.Draft202012Validator) -> None:
    document = json.loads(export_json(all_cases()))
    document["cases"][0]["patient"]["id_kind"] = "passport"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)
    document = json.loads(export_json(all_cases()))
    document["cases"][0]["unexpected"] = 1
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)


# --- FHIR ----------------------------------------------------------------------------------


def export_fhir(cases: list[CaseExport], **kw: Any) -> dict[str, Any]:
    return to_fhir_bundle(cases, incident=INCIDENT, generated_at=GENERATED, system_base=BASE, **kw)


def resources(bundle: dict[str, Any], rtype: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == rtype]


def by_case(bundle: dict[str, Any], rtype: str) -> dict[str, dict[str, Any]]:
    """Resources of a type keyed by their case-code identifier."""
    result = {}
    for res in resources(bundle, rtype):
        codes = [i["value"] for i in res["identifier"] if i["system"] == f"{BASE}/case-code"]
        result[codes[0]] = res
    return result


def test_fhir_bundle_validates() -> None:
    bundle = export_fhir(all_cases())
    Bundle.model_validate(bundle)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "transaction"
    json.dumps(bundle)  # JSON-ready
    for entry in bundle["entry"]:
        assert entry["fullUrl"].startswith("urn:uuid:")
        assert entry["request"]["method"] in ("POST", "PUT")


def test_fhir_patient_identifier_systems() -> None:
    bundle = export_fhir(all_cases())
    systems = {
        p["identifier"][0]["value"]: p["identifier"][0]["system"]
        for p in resources(bundle, "Patient")
    }
    assert systems == {
        "191212121212": "http://electronichealth.se/identifier/personnummer",
        "197010632391": "http://electronichealth.se/identifier/samordningsnummer",
        "RES-2025 0042": f"{BASE}/reservnummer",
        "200001012386": "http://electronichealth.se/identifier/personnummer",
    }
    entries = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    first = entries[0]
    assert first["request"] == {
        "method": "POST",
        "url": "Patient",
        "ifNoneExist": "identifier=http://electronichealth.se/identifier/personnummer|191212121212",
    }
    assert entries[2]["request"]["ifNoneExist"].endswith("|RES-2025%200042")
    genders = [p["gender"] for p in resources(bundle, "Patient")]
    assert genders == ["female", "male", "unknown", "female"]
    assert resources(bundle, "Patient")[0]["name"] == [{"text": "Åsa Öberg-Ärlig"}]


def test_fhir_one_patient_per_identity() -> None:
    bundle = export_fhir([case(), case(code="ZZ99ZZ")])
    assert len(resources(bundle, "Patient")) == 1
    refs = {r["subject"]["reference"] for r in resources(bundle, "ServiceRequest")}
    assert len(refs) == 1


def test_fhir_report_status_and_content() -> None:
    bundle = export_fhir(all_cases())
    reports = by_case(bundle, "DiagnosticReport")
    assert set(reports) == {"AB12CD", "EF34GH"}
    assert reports["AB12CD"]["status"] == "appended"
    assert reports["EF34GH"]["status"] == "preliminary"
    final = export_fhir([case(report=report(fhir_status="final", addenda=[]))])
    assert resources(final, "DiagnosticReport")[0]["status"] == "final"
    main = reports["AB12CD"]
    assert main["conclusion"] == "Ingen akut intrakraniell patologi."
    assert main["resultsInterpreter"] == [{"display": "Rut Radiolog"}]
    assert main["issued"].startswith("2025-03-02T02:00:00")
    text = base64.b64decode(main["presentedForm"][0]["data"]).decode("utf-8")
    assert "Ingen blödning." in text and "Jämfört med äldre." in text


def test_fhir_service_request_priority() -> None:
    bundle = export_fhir(all_cases())
    requests = by_case(bundle, "ServiceRequest")
    assert requests["AB12CD"]["priority"] == "stat"
    assert requests["EF34GH"]["priority"] == "routine"
    assert requests["JK56LM"]["priority"] == "urgent"
    assert requests["AB12CD"]["intent"] == "order"
    assert requests["AB12CD"]["reasonCode"] == [{"text": "Blödning? Fall i hemmet."}]
    assert requests["AB12CD"]["requester"] == {"display": "Dr Björk, Akutmottagningen"}
    assert requests["AB12CD"]["code"]["coding"][0] == {
        "system": f"{BASE}/exam-code",
        "code": "CT-HJ",
        "display": "DT hjärna",
    }
    mapping = fhir_priority_map({"akut": 1, "inom_timmar": 2, "rutin": 3})
    assert mapping == {"akut": "stat", "inom_timmar": "urgent", "rutin": "routine"}
    custom = export_fhir([reserve_case()], priority_map={"inom_timmar": "asap"})
    assert resources(custom, "ServiceRequest")[0]["priority"] == "asap"


def test_fhir_imaging_study_only_with_exam() -> None:
    bundle = export_fhir(all_cases())
    studies = by_case(bundle, "ImagingStudy")
    procedures = by_case(bundle, "Procedure")
    assert set(studies) == set(procedures) == {"AB12CD", "EF34GH", "NP78QR"}
    assert studies["AB12CD"]["status"] == "available"
    assert studies["EF34GH"]["status"] == "registered"
    assert studies["AB12CD"]["modality"] == [
        {"system": "http://dicom.nema.org/resources/ontology/DCM", "code": "CT"}
    ]
    temp = [i for i in studies["AB12CD"]["identifier"] if i["system"] == f"{BASE}/modality-temp-id"]
    assert temp == [{"system": f"{BASE}/modality-temp-id", "value": "RES0001"}]
    assert studies["AB12CD"]["numberOfInstances"] == 412
    assert "DLP 812.5 mGy·cm" in studies["AB12CD"]["note"][0]["text"]
    assert procedures["AB12CD"]["status"] == "completed"
    assert procedures["AB12CD"]["performedPeriod"]["end"].startswith("2025-03-01T22:40:00")


def test_fhir_full_urls_are_stable() -> None:
    first = [e["fullUrl"] for e in export_fhir(all_cases())["entry"]]
    second = [e["fullUrl"] for e in export_fhir(all_cases())["entry"]]
    assert first == second
    assert len(set(first)) == len(first)
    alone = {e["fullUrl"] for e in export_fhir([coordination_case()])["entry"]}
    assert alone <= set(first)  # a 'changed since' export reuses the same ids


def test_fhir_references_resolve_within_bundle() -> None:
    bundle = export_fhir(all_cases())
    urls = {e["fullUrl"] for e in bundle["entry"]}

    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            found = [node["reference"]] if isinstance(node.get("reference"), str) else []
            return found + [r for v in node.values() for r in refs(v)]
        if isinstance(node, list):
            return [r for v in node for r in refs(v)]
        return []

    all_refs = refs([e["resource"] for e in bundle["entry"]])
    assert all_refs and set(all_refs) <= urls


def test_fhir_provenance() -> None:
    bundle = export_fhir(all_cases())
    provenances = resources(bundle, "Provenance")
    assert len(provenances) == 4
    first, second = provenances[0], provenances[1]
    assert len(first["target"]) == 5  # Patient, ServiceRequest, Procedure, Study, Report
    assert "referral received by fax" in first["activity"]["text"]
    assert "report received by fax" in second["activity"]["text"]
    who = {a["who"]["display"] for a in first["agent"]}
    assert {"Rut Radiolog", "Sara Sjuksköterska", "Selma Sekreterare"} <= who


def test_fhir_drill_is_tagged() -> None:
    drill = export_fhir([replace(case(), is_drill=True)])
    tags = [e["resource"].get("meta", {}).get("tag", []) for e in drill["entry"]]
    assert all(t and t[0]["code"] == "drill" for t in tags)
