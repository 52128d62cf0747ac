"""An ended outage with known times, for the follow-up report's figures and its privacy.

Rows are written as the services leave them, with the times the tests expect; every patient's
name, number and reserve number is also typed into free text (reasons, notes, a draft), so a
report that leaked any free text would show it.

Times in UTC; T0 is 2026-01-15 08:00 UTC, 09:00 at the site (Europe/Stockholm).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import Flask

from webapp.extensions import db
from webapp.models import (
    Case,
    CatchupRecord,
    Draft,
    ExamRecord,
    ExportBatch,
    Incident,
    IncidentLogEntry,
    RecordVersion,
    Referral,
    Report,
    ReportDispatch,
    ReportSignature,
    ReservedCode,
    UrgentCall,
)

from .factories import default_site, make_user, number_of

T0 = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)

# Every string that identifies a patient of the incident (names, numbers with and without
# the dash, reserve numbers, also the one a corrected patient had before).
PATIENTS = {
    "A": ("Örjan Älvström", "personnummer", "191212121212"),
    "B": ("Åsa Öberg", "personnummer", "198001010027"),
    "C": ("", "reserve", "RES-4711"),
    "D": ("Bertil Ödmark", "personnummer", number_of("Bertil Ödmark").replace("-", "")),
    "E": ("Cecilia Ång", "personnummer", number_of("Cecilia Ång").replace("-", "")),
}
OLD_RESERVE = "RES-0815"
# Exams documented with their images not in PACS (the others: sent five minutes after the
# start). B's are still only on the modality at the close; A's were documented as not sent
# and recorded as sent afterwards (see _images_sent_afterwards).
PACS_STATUS = {"B": "failed"}


def identifying_strings() -> list[str]:
    """What must never appear in the report: each patient's name, number and reserve number."""
    found = [OLD_RESERVE]
    for name, kind, number in PATIENTS.values():
        if name:
            found.append(name)
        found.append(number)
        if kind != "reserve":
            found.append(f"{number[:8]}-{number[8:]}")
            found.append(f"{number[2:8]}-{number[8:]}")
    return found


@dataclass(frozen=True)
class Seeded:
    incident_id: int
    codes: dict[str, str]


def _at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def seed_ended_incident(app: Flask) -> Seeded:
    """The outage: declared at T0, systems working at +240, closed at +300 (see the tests)."""
    with app.app_context():
        site = default_site()
        admin = make_user(role="admin", username="fu-admin", display_name="Ada Admin")
        rtg = make_user(role="radiographer", username="fu-rtg", display_name="Rolf Röntgen")
        rad = make_user(role="radiologist", username="fu-rad", display_name="Rita Radiolog")
        sara = make_user(role="secretary", username="fu-sara", display_name="Sara Sekreterare")
        sven = make_user(role="secretary", username="fu-sven", display_name="Sven Sekreterare")
        incident = Incident(
            site_id=site.id,
            scenario="om_ris",
            title="Beställningsverktyget eller RIS nere",
            notes="Började med Örjan Älvström 19121212-1212",
            started_at=T0,
            declared_by_id=rtg.id,
            ended_at=_at(300),
            ended_by_id=admin.id,
        )
        db.session.add(incident)
        db.session.flush()
        log = [
            ("it_called", "IT-support kontaktad", True, rtg.id, 5, "Ringde om Örjan Älvström"),
            ("tib_informed", "TiB informerad (informerar avdelningarna)", True, rtg.id, 10, ""),
            ("tib_informed", "TiB informerad (informerar avdelningarna)", False, rtg.id, 12, ""),
            (
                IncidentLogEntry.SCENARIO_CHANGE,
                "Scenario ändrat: Integrationsmotorn nere (remisser når inte RIS) → "
                "Beställningsverktyget eller RIS nere",
                True,
                admin.id,
                30,
                "",
            ),
            ("it_called", "IT-support kontaktad", True, admin.id, 35, ""),
            ("note", "Anteckning", True, rtg.id, 60, "Åsa Öberg RES-0815 i väntrummet"),
            (IncidentLogEntry.SYSTEMS_RESTORED, "Systemen fungerar igen", True, admin.id, 240, ""),
        ]
        for key, label, done, user_id, minutes, note in log:
            db.session.add(
                IncidentLogEntry(
                    incident_id=incident.id,
                    step_key=key,
                    label=label,
                    is_done=done,
                    note=note,
                    user_id=user_id,
                    at=_at(minutes),
                )
            )
        # (priority, modality, arrival, exam start, status)
        shapes = {
            "A": ("akut", "CT", 10, 20, "closed"),
            "B": ("akut", "CT", 20, 50, "closed"),
            "C": ("akut", "MR", 30, 100, "closed"),
            "D": ("inom_timmar", "US", 40, 60, "closed"),
            "E": ("rutin", "CR", 50, None, "cancelled"),
        }
        cases: dict[str, Case] = {}
        for n, (key, (priority, modality, arrived, exam, status)) in enumerate(shapes.items()):
            name, kind, number = PATIENTS[key]
            case = Case(
                code=f"FUP-00{n + 1}",
                site_id=site.id,
                incident_id=incident.id,
                status=status,
                priority=priority,
                modality=modality,
                patient_name=name,
                patient_id_kind=kind,
                patient_id=number,
                created_at=_at(arrived + 1),
                created_by_id=rtg.id,
                # The radiologist's instruction to the radiographer: free text, with the patient.
                protocol=f"Portovenös fas, ring mig när {name or number} är på plats",
                protocol_by_id=rad.id,
                protocol_at=_at(arrived + 2),
            )
            if status == "cancelled":
                case.cancelled_at = _at(70)
                case.cancelled_by_id = rtg.id
                case.cancelled_reason = f"Dubblett av {PATIENTS['A'][0]} {PATIENTS['A'][2]}"
            db.session.add(case)
            db.session.flush()
            cases[key] = case
            db.session.add(
                Referral(
                    case_id=case.id,
                    referrer_unit="Akutmottagningen",
                    reply_fax="0999-123 46",
                    exam_text="DT hjärna",
                    clinical_question=f"Fall hos {name or number}",
                    # Which infection: free text, with the patient written into it.
                    infection="yes",
                    infection_note=f"Isoleras, MRSA hos {name or number}",
                    mobility="bed",
                    arrived_via="fax",
                    arrived_at=_at(arrived),
                    received_by_id=rtg.id,
                )
            )
            if exam is not None:
                db.session.add(
                    ExamRecord(
                        case_id=case.id,
                        modality=modality,
                        exam_text="DT hjärna",
                        started_at=_at(exam),
                        radiographers="Kim Ström",
                        modality_temp_id=f"TMP-{number}",
                        pacs_status=PACS_STATUS.get(key, "yes"),
                        pacs_sent_at=_at(exam + 5) if key not in PACS_STATUS else None,
                        notes=f"Patienten {name} var orolig",
                        documented_by_id=rtg.id,
                    )
                )
        db.session.flush()
        _images_sent_afterwards(cases["A"], rtg.id)
        # A: urgent, preliminary at +40, definitive at +50, called at +55, faxed at +45 and +70.
        a_report = _report(cases["A"], "definitive", urgent=True, author_id=rad.id)
        a_pre = _signature(a_report, "preliminary", 40, rad.id)
        a_def = _signature(a_report, "definitive", 50, rad.id)
        db.session.add(
            UrgentCall(
                case_id=cases["A"].id,
                called_person=f"Dr Åberg om {PATIENTS['A'][0]}",
                called_at=_at(55),
                called_by_id=rad.id,
                note=PATIENTS["A"][2],
                logged_at=_at(56),
            )
        )
        _dispatch(cases["A"], a_report, a_pre, 45, sara.id)
        _dispatch(cases["A"], a_report, a_def, 70, sara.id)
        # B: urgent, never called; definitive at +110, faxed at +140; its reserve number
        # corrected at +100.
        b_report = _report(cases["B"], "definitive", urgent=True, author_id=rad.id)
        b_def = _signature(b_report, "definitive", 110, rad.id)
        _dispatch(cases["B"], b_report, b_def, 140, sara.id, identity_revision=1)
        db.session.add(
            RecordVersion(
                entity="case",
                entity_id=cases["B"].id,
                version=1,
                case_id=cases["B"].id,
                data={"patient_name": "", "patient_id_kind": "reserve", "patient_id": OLD_RESERVE},
                changes={
                    "patient_name": ["", PATIENTS["B"][0]],
                    "patient_id_kind": ["reserve", "personnummer"],
                    "patient_id": [OLD_RESERVE, PATIENTS["B"][2]],
                },
                reason=f"Identifierad som {PATIENTS['B'][0]}",
                changed_by_id=rtg.id,
                changed_at=_at(100),
            )
        )
        cases["B"].identity_revision = 1
        # D: from the paper template, signed on paper at +90 and keyed at +200; never faxed.
        d_report = _report(cases["D"], "definitive", urgent=False, author_id=rad.id)
        _signature(d_report, "definitive", 200, None, paper=90, entered_by=sara.id)
        for code, kind, case in (("BLR-0001", "BLR", "A"), ("BLU-0001", "BLU", "D")):
            db.session.add(
                ReservedCode(
                    code=code,
                    site_id=site.id,
                    doc_kind=kind,
                    reserved_by_id=admin.id,
                    used_case_id=cases[case].id,
                )
            )
        db.session.add(
            ReservedCode(code="BLR-0002", site_id=site.id, doc_kind="BLR", reserved_by_id=admin.id)
        )
        # Catch-up: A and D keyed by Sara and checked by Sven, B keyed by Sven and checked by
        # Sara; C waived by Sara and confirmed by Sven.
        for key, keyed, checked in (("A", sara, sven), ("D", sara, sven), ("B", sven, sara)):
            db.session.add(
                CatchupRecord(
                    case_id=cases[key].id,
                    keyed_at=_at(260),
                    keyed_by_id=keyed.id,
                    verified_at=_at(270),
                    verified_by_id=checked.id,
                    reconciled_at=_at(270),
                )
            )
        db.session.add(
            CatchupRecord(
                case_id=cases["C"].id,
                waived_at=_at(280),
                waived_by_id=sara.id,
                waive_reason=f"{PATIENTS['C'][2]} flyttad till annat sjukhus",
                waiver_confirmed_at=_at(285),
                waiver_confirmed_by_id=sven.id,
                reconciled_at=_at(285),
            )
        )
        db.session.add(
            ExportBatch(
                incident_id=incident.id,
                format="csv",
                case_count=5,
                is_final=True,
                created_by_id=admin.id,
                created_at=_at(299),
            )
        )
        # A referral typed on a tablet that was offline at the close, sent at +320.
        db.session.add(
            Draft(
                form_key="late" + "x" * 20,
                kind="referral",
                site_id=site.id,
                incident_id=incident.id,
                user_id=rtg.id,
                data={"patient_name": "Gustav Ölund", "personal_number": "19121212-1212"},
                label="Gustav Ölund",
                updated_at=_at(320),
            )
        )
        db.session.commit()
        return Seeded(incident.id, {key: case.code for key, case in cases.items()})


def _images_sent_afterwards(case: Case, user_id: int) -> None:
    """A's images, documented as not sent at +20, recorded as sent to PACS at +250 (+245)."""
    exam = db.session.query(ExamRecord).filter_by(case_id=case.id).one()
    earlier = {
        "pacs_status": "no",
        "pacs_sent_at": None,
        "modality_temp_id": exam.modality_temp_id,
        "notes": exam.notes,
        "version": 1,
    }
    db.session.add(
        RecordVersion(
            entity="exam",
            entity_id=exam.id,
            version=1,
            case_id=case.id,
            data=earlier,
            changes={"pacs_status": ["no", "yes"], "pacs_sent_at": [None, _at(245).isoformat()]},
            reason="Bilderna skickade till PACS i efterhand",
            changed_by_id=user_id,
            changed_at=_at(250),
        )
    )
    exam.pacs_status, exam.pacs_sent_at, exam.version = "yes", _at(245), 2


def _report(case: Case, state: str, *, urgent: bool, author_id: int) -> Report:
    report = Report(
        case_id=case.id,
        sections=[{"heading": "Fynd", "text": f"Ingen blödning hos {case.patient_name}."}],
        state=state,
        is_urgent=urgent,
        author_id=author_id,
    )
    db.session.add(report)
    db.session.flush()
    return report


def _signature(
    report: Report,
    kind: str,
    minutes: int,
    user_id: int | None,
    *,
    paper: int | None = None,
    entered_by: int | None = None,
) -> ReportSignature:
    signature = ReportSignature(
        report_id=report.id,
        kind=kind,
        user_id=user_id,
        signer_name="Rita Radiolog",
        signed_at=_at(minutes),
        report_version=1,
        content_hash="0" * 64,
        paper_signed_at=_at(paper) if paper is not None else None,
        entered_by_id=entered_by,
    )
    db.session.add(signature)
    db.session.flush()
    return signature


def _dispatch(
    case: Case,
    report: Report,
    signature: ReportSignature,
    minutes: int,
    user_id: int,
    *,
    identity_revision: int = 0,
) -> None:
    db.session.add(
        ReportDispatch(
            case_id=case.id,
            report_id=report.id,
            signature_id=signature.id,
            report_state=signature.kind,
            report_version=1,
            fax_number="0999-123 46",
            faxed_at=_at(minutes),
            user_id=user_id,
            identity_revision=identity_revision,
        )
    )
