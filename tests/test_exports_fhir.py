"""The batch export as a FHIR R4 Bundle, written from plain CaseExport data."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from webapp.catchup.batch import (
    CaseExport,
)
from webapp.catchup.export_fhir import fhir_priority_map, to_fhir_bundle

from .export_cases import (
    BASE,
    GENERATED,
    INCIDENT,
    all_cases,
    case,
    coordination_case,
    exam,
    report,
    reserve_case,
)

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
    # A reserve number may belong to someone else on the server: matched on the case instead.
    assert entries[2]["request"]["ifNoneExist"] == f"identifier={BASE}/patient-of-case|JK56LM"
    assert entries[2]["resource"]["identifier"][1] == {
        "use": "secondary",
        "system": f"{BASE}/patient-of-case",
        "value": "JK56LM",
    }
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


WAIVER: dict[str, Any] = {
    "status": "closed",
    "waived": True,
    "waived_by": "Selma Sekreterare",
    "waived_at": "2025-03-02T08:15:00+00:00",
    "waive_reason": "Patienten skickad till annat sjukhus, ingen undersökning",
    # A waiver stands once reconciled: at once without four eyes, else once confirmed.
    "reconciled_at": "2025-03-02T08:15:00+00:00",
}


def tags(entry: dict[str, Any]) -> list[str]:
    return [t["code"] for t in entry["resource"].get("meta", {}).get("tag", [])]


@pytest.mark.parametrize(
    ("overrides", "status"),
    [
        ({"exam": None, "report": None}, "revoked"),  # never examined
        ({"report": None}, "revoked"),  # examined, never reported
        ({"report": report(state="preliminary", fhir_status="preliminary")}, "revoked"),
        ({}, "completed"),  # examined and definitively reported: the order was carried out
    ],
    ids=["no-exam", "no-report", "preliminary-report", "definitive-report"],
)
def test_fhir_waived_case_is_completed_only_if_it_was_carried_out(
    overrides: dict[str, Any], status: str
) -> None:
    bundle = export_fhir([case(**WAIVER | overrides)])
    [order] = resources(bundle, "ServiceRequest")
    assert order["status"] == status


def test_fhir_waived_case_is_tagged_and_its_provenance_says_who_when_and_why() -> None:
    bundle = export_fhir([case(**WAIVER), coordination_case()])
    Bundle.model_validate(bundle)
    # The case's own five resources are tagged; its Patient (who may have other cases) and the
    # other case are not.
    marks = [tags(e) for e in bundle["entry"]]
    assert marks[:6] == [[]] + [["waived"]] * 5
    assert not any(marks[6:])
    first, second = (p["activity"]["text"] for p in resources(bundle, "Provenance"))
    assert "WAIVED" in first and "not to be entered into RIS" in first
    assert "Selma Sekreterare" in first and "2025-03-02T08:15:00+00:00" in first
    assert "Patienten skickad till annat sjukhus, ingen undersökning" in first
    assert "WAIVED" not in second


def test_fhir_waiver_awaiting_confirmation_is_tagged_so_and_decides_no_status() -> None:
    """Four eyes: a waiver not yet confirmed may still be lifted, so the order is not revoked,
    and the case is tagged waived (an importer skips it) and as awaiting confirmation."""
    never_examined = {"status": "referral_received", "exam": None, "report": None}
    pending = case(**WAIVER | never_examined | {"reconciled_at": None})
    bundle = export_fhir([pending])
    Bundle.model_validate(bundle)
    [order] = resources(bundle, "ServiceRequest")
    # Confirmed, the waiver of a case never examined revokes the order (see above).
    assert order["status"] == "active"
    marks = [tags(e) for e in bundle["entry"]]
    assert marks[0] == [] and marks[1:] == [["waived", "waiver-pending"]] * (len(marks) - 1)
    [provenance] = resources(bundle, "Provenance")
    text = provenance["activity"]["text"]
    assert "WAIVED" in text and "WAIVER AWAITING CONFIRMATION" in text


def test_fhir_provenance_names_who_confirmed_a_waiver_and_when() -> None:
    confirmed = case(
        **WAIVER,
        waiver_confirmed_by="Sixten Sekreterare",
        waiver_confirmed_at="2025-03-02T09:30:00+00:00",
    )
    bundle = export_fhir([confirmed])
    assert [tags(e) for e in bundle["entry"]][1:] == [["waived"]] * 5
    [provenance] = resources(bundle, "Provenance")
    text = provenance["activity"]["text"]
    assert "waiver confirmed by Sixten Sekreterare at 2025-03-02T09:30:00+00:00" in text
    assert "AWAITING" not in text


def test_fhir_waived_drill_case_keeps_its_drill_tag() -> None:
    bundle = export_fhir([case(**WAIVER, is_drill=True)])
    assert [tags(e) for e in bundle["entry"]] == [["drill"]] + [["drill", "waived"]] * 5


def test_fhir_cancelled_case_revokes_its_order_keeps_its_performed_exam_and_is_tagged() -> None:
    # An examined case cancelled as a duplicate, its report signed preliminary (an earlier
    # export may have sent it). The exam was performed and its images are in PACS: that is
    # true, not data entered in error; the order is revoked and the report voided.
    signed = report(state="preliminary", fhir_status="preliminary", addenda=[])
    cancelled = case(status="cancelled", cancelled_reason="Dubblett av EF34GH", report=signed)
    bundle = export_fhir([cancelled, coordination_case()])
    Bundle.model_validate(bundle)
    statuses = {
        rtype: by_case(bundle, rtype)["AB12CD"]["status"]
        for rtype in ("ServiceRequest", "Procedure", "ImagingStudy", "DiagnosticReport")
    }
    assert statuses == {
        "ServiceRequest": "revoked",
        "Procedure": "completed",
        "ImagingStudy": "available",
        "DiagnosticReport": "entered-in-error",
    }
    marks = [tags(e) for e in bundle["entry"]]
    # Its Patient (who may have other cases) is not tagged, nor is the other case.
    assert marks[:6] == [[]] + [["cancelled"]] * 5
    assert not any(marks[6:])
    assert by_case(bundle, "Procedure")["EF34GH"]["status"] == "completed"


def test_fhir_cancelled_case_with_images_only_on_the_modality_keeps_them_registered() -> None:
    cancelled = case(status="cancelled", exam=exam(pacs_status="failed", pacs_sent_at=""))
    bundle = export_fhir([cancelled])
    Bundle.model_validate(bundle)
    assert by_case(bundle, "Procedure")["AB12CD"]["status"] == "completed"
    assert by_case(bundle, "ImagingStudy")["AB12CD"]["status"] == "registered"


@pytest.mark.parametrize("status", ["keyed_in_ris", "closed"])
def test_fhir_order_keyed_on_a_preliminary_report_is_not_completed(status: str) -> None:
    # The secretary may key a preliminary report into RIS (confirmed): the order still waits
    # for the definitive report, as the README says, and is completed only with it.
    preliminary = report(state="preliminary", fhir_status="preliminary", addenda=[])
    bundle = export_fhir(
        [case(status=status, report=preliminary), case(code="ZZ99ZZ", status=status)]
    )
    requests = by_case(bundle, "ServiceRequest")
    assert requests["AB12CD"]["status"] == "active"
    assert requests["ZZ99ZZ"]["status"] == "completed"


def test_fhir_dose_and_contrast_notes_give_the_values_as_recorded() -> None:
    # Keyed into RIS from the note as from the CSV: no rounding to six digits, no exponent.
    recorded = exam(
        dose={"dlp_mgycm": 12345.67, "dap_gycm2": 0.00005, "fluoro_seconds": 1234.567},
        contrast_agent="Omnipaque 350",
        contrast_volume_ml=1000.0,
        contrast_route="iv",
    )
    [study] = resources(export_fhir([case(exam=recorded)]), "ImagingStudy")
    notes = [n["text"] for n in study["note"]]
    assert notes[:2] == [
        "Stråldos: DLP 12345.67 mGy·cm, DAP 0.00005 Gy·cm², Genomlysningstid 1234.567 s",
        "Kontrast: Omnipaque 350 1000 ml iv",
    ]
