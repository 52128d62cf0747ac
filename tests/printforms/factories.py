"""Plain factories with keyword overrides for the printforms dataclasses."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from printforms.data import (
    Addendum,
    AnonymisedReferralData,
    AnonymisedReportData,
    BlankSheetData,
    CancelNoticeData,
    DiscLabelData,
    ExamData,
    FaxHeader,
    IncidentCaseRow,
    IncidentListData,
    LabeledValue,
    Patient,
    RedTrayData,
    ReferralData,
    Referrer,
    ReleaseReportData,
    ReportData,
    SheetMeta,
    UrgentCall,
)
from printforms.data_office import (
    FollowUpData,
    FollowUpTable,
    RoutineBinderData,
    RoutineContact,
    RoutineScenarioData,
)

PATIENT_NAME = "Åsa Öberg-Ängström"
PATIENT_ID = "19121212-1212"

LONG_HISTORY = " ".join(
    f"Mening {i}: patienten söker för tilltagande huvudvärk och yrsel sedan två dygn, "
    "tidigare frisk, ingen känd allergi."
    for i in range(30)
)

# Every kind of change an ÄNDRAD mark can name, at once: more than any one sheet counts.
EVERY_CHANGE = (
    "patientens identitet",
    "makulerad/återställd",
    "prioritet",
    "remittent/svarsfax",
    "undersökning",
    "modalitet",
    "frågeställning/anamnes",
    "infektion/säkerhetssvar",
    "ankomst",
    "remissen",
    "instruktion",
    "dokumentationen",
    "utlåtandets text",
    "tillägg",
    "akut samtal",
    "ärendets uppgifter",
)


def meta(**overrides: Any) -> SheetMeta:
    values: dict[str, Any] = dict(
        case_code="K7M2QX",
        qr_payload="RR1:K7M2QX:REM:1",
        department="Röntgenkliniken, Demosjukhuset",
    )
    values.update(overrides)
    return SheetMeta(**values)


def patient(**overrides: Any) -> Patient:
    values: dict[str, Any] = dict(
        name=PATIENT_NAME, id_label="Personnummer", id_number=PATIENT_ID, sex="Kvinna", age="112 år"
    )
    values.update(overrides)
    return Patient(**values)


def referrer(**overrides: Any) -> Referrer:
    values: dict[str, Any] = dict(
        unit="Akutmottagningen Demosjukhuset",
        clinician="Dr Émile Ström",
        phone="010-000 00 01",
        reply_fax="010-000 00 02",
    )
    values.update(overrides)
    return Referrer(**values)


def safety() -> tuple[LabeledValue, ...]:
    return (
        LabeledValue("Kontrastallergi", "Nej"),
        LabeledValue("Njurfunktion", "eGFR 72 (2025-03-01), kreatinin 81 µmol/l"),
        LabeledValue("Metformin", "Nej"),
        LabeledValue("Graviditet", "Ej aktuellt"),
        LabeledValue("Pacemaker/implantat (MR)", "Inga kända"),
    )


def referral(**overrides: Any) -> ReferralData:
    values: dict[str, Any] = dict(
        meta=meta(),
        patient=patient(),
        referrer=referrer(),
        priority="Akut",
        requested_exam="DT hjärna utan kontrast",
        modality="DT",
        clinical_question="Blödning? Infarkt? Akut försämring med vänstersidig svaghet.",
        history="Tidigare frisk. Insjuknade i morse med yrsel och huvudvärk.",
        safety=safety(),
        arrival="Fax 2025-03-02 14:12",
        received_by="Görel Nyström, usk",
    )
    values.update(overrides)
    return ReferralData(**values)


def exam(**overrides: Any) -> ExamData:
    values: dict[str, Any] = dict(
        meta=meta(qr_payload="RR1:K7M2QX:DOK:1"),
        patient=patient(),
        modality_room="DT 2, rum 114",
        exam_performed="DT hjärna utan kontrast",
        started_at="2025-03-02 14:31",
        ended_at="2025-03-02 14:38",
        radiographers="Kjell Åberg, Märta Öst",
        modality_temp_id="RES-0042",
        contrast_agent="Omnipaque 350",
        contrast_volume="60 ml",
        contrast_route="i.v.",
        dose_dlp="812 mGy·cm",
        dose_ctdivol="48,2 mGy",
        dose_dap="",
        fluoroscopy_time="",
        series_images="3 serier / 412 bilder",
        pacs_status="Skickade",
        pacs_sent_at="2025-03-02 14:40",
        complications="Inga",
        notes="Patienten orolig, fixerad med kudde.",
    )
    values.update(overrides)
    return ExamData(**values)


def fax_header(**overrides: Any) -> FaxHeader:
    values: dict[str, Any] = dict(
        to_unit="Akutmottagningen Demosjukhuset",
        to_fax="010-000 00 02",
        from_department="Röntgenkliniken Demosjukhuset",
        from_fax="010-000 00 09",
        from_phone="010-000 00 08",
        sent_at="2025-03-02 15:02",
    )
    values.update(overrides)
    return FaxHeader(**values)


def report(**overrides: Any) -> ReportData:
    values: dict[str, Any] = dict(
        meta=meta(qr_payload="RR1:K7M2QX:UTL:3"),
        patient=patient(),
        fax=fax_header(),
        exam="DT hjärna utan kontrast",
        sections=(
            ("Fynd", "Ingen blödning. Inga tecken på färsk ischemi. Normala ventrikelvidder."),
            ("Bedömning", "Ingen akut intrakraniell patologi."),
        ),
        radiologist="Dr Björn Sjöö",
        signature_state="Definitivt signerat",
        signed_at="2025-03-02 14:58",
        is_preliminary=False,
        addenda=(
            Addendum("Dr Björn Sjöö", "2025-03-02 15:30", "Jämfört med tidigare: oförändrat."),
        ),
        urgent_calls=(),
        received_by_fax_from=None,
    )
    values.update(overrides)
    return ReportData(**values)


def release_report(**overrides: Any) -> ReleaseReportData:
    values: dict[str, Any] = dict(
        report=report(),
        recipient_name="Röntgen Länssjukhuset Ryhov",
        recipient_address="Sjukhusgatan 1\n551 85 Jönköping",
        sent_with="Bilder på CD, med post",
    )
    values.update(overrides)
    return ReleaseReportData(**values)


def disc_label(**overrides: Any) -> DiscLabelData:
    values: dict[str, Any] = dict(
        meta=meta(qr_payload="RR1:K7M2QX:ETK:2"),
        patient=patient(),
        medium="CD",
        is_usb=False,
        exams=("DT hjärna utan kontrast, 2025-03-02",),
        contents="Bilder och svarsutlåtande",
        sender="Röntgenkliniken, Demosjukhuset",
        sender_phone="010-000 00 08",
        recipient="Sjukhus utanför regionen: Länssjukhuset Ryhov",
        delivery="Med post",
        released_on="2025-03-03",
        routine_notes=("Dokumentera utlämnandet i remissanteckningen.",),
    )
    values.update(overrides)
    return DiscLabelData(**values)


def urgent_call() -> UrgentCall:
    return UrgentCall("2025-03-02 14:55", "Dr Björn Sjöö", "Dr Émile Ström", "Informerad om fynd")


def red_tray(**overrides: Any) -> RedTrayData:
    values: dict[str, Any] = dict(
        meta=meta(qr_payload="RR1:K7M2QX:BAK:1"),
        patient=patient(),
        exam="DT hjärna utan kontrast",
        documents=("Remiss v1", "Dokumentationsblankett v1", "Utlåtande v3"),
        catch_up_steps=(
            "Remiss registrerad i RIS",
            "Undersökning bokad och startad",
            "Undersökning avslutad",
            "Bilder matchade i PACS",
            "Utlåtande inskrivet, på korr-lista",
        ),
    )
    values.update(overrides)
    return RedTrayData(**values)


def anonymised_referral(**overrides: Any) -> AnonymisedReferralData:
    values: dict[str, Any] = dict(
        meta=meta(qr_payload="RR1:K7M2QX:ARE:1"),
        sex="Kvinna",
        age="67 år",
        referring_unit="Akutmottagningen Demosjukhuset",
        reply_to="Röntgenkliniken Demosjukhuset, fax 010-000 00 09",
        priority="Akut",
        requested_exam="DT hjärna utan kontrast",
        modality="DT",
        clinical_question="Blödning?",
        history="Tidigare frisk. Insjuknade i morse med yrsel.",
        safety=safety(),
    )
    values.update(overrides)
    return AnonymisedReferralData(**values)


def anonymised_report(**overrides: Any) -> AnonymisedReportData:
    values: dict[str, Any] = dict(
        meta=meta(qr_payload="RR1:K7M2QX:AUT:1"),
        sex="Kvinna",
        age="67 år",
        fax=fax_header(to_unit="Extern granskare Nattradiologi", to_fax="010-000 00 77"),
        exam="DT hjärna utan kontrast",
        sections=(("Fynd", "Ingen blödning."), ("Bedömning", "Ingen akut patologi.")),
        radiologist="Dr Night Reviewer",
        signature_state="Preliminärt signerat",
        signed_at="2025-03-03 02:14",
        is_preliminary=True,
    )
    values.update(overrides)
    return AnonymisedReportData(**values)


def incident_row(i: int = 0, **overrides: Any) -> IncidentCaseRow:
    values: dict[str, Any] = dict(
        case_code=f"K{i:05d}",
        patient=f"Öberg, Å{i} (19121212-****)",
        exam="DT hjärna utan kontrast" if i % 2 else "Lungröntgen, två projektioner med jämförelse",
        priority="Akut" if i % 3 == 0 else "Rutin",
        status="Väntar på utlåtande",
        waited=f"{5 + i} min",
    )
    values.update(overrides)
    return IncidentCaseRow(**values)


def incident_list(cases: int = 5, **overrides: Any) -> IncidentListData:
    values: dict[str, Any] = dict(
        title="Ärendelista",
        incident_label="I12 BizTalk",
        qr_payload="RR1:I12-K7Q3:LST:{page}",
        scenario="Integrationsmotor (BizTalk) nere",
        started_at="2025-03-02 13:50",
        cases=tuple(incident_row(i) for i in range(cases)),
        department="Röntgenkliniken, Demosjukhuset",
    )
    values.update(overrides)
    return IncidentListData(**values)


def blank(kind: str = "referral", number: int = 1, **overrides: Any) -> BlankSheetData:
    code = f"B{number:05d}"
    values: dict[str, Any] = dict(
        kind=kind,
        case_code=code,
        qr_payload=f"RR1:{code}:BLR:1",
        department="Röntgenkliniken, Demosjukhuset",
        department_fax="0999-100 01",
        department_phone="0999-100 00",
        priorities=("Akut", "Inom timmar", "Rutin"),
    )
    values.update(overrides)
    return BlankSheetData(**values)


def routine_scenario(**overrides: Any) -> RoutineScenarioData:
    servicedesk = RoutineContact(
        name="Servicedesken Åby",
        phones=("0444-10 00",),
        menu="Välj 3, sedan 2",
        hours=("mån–fre 07:00–16:00", "lör 09:00–12:00"),
        fallback=RoutineContact(
            name="Driftjouren Öby",
            phones=("0444-10 99",),
            hours=("mån–sön 16:00–07:00",),
            fallback=RoutineContact(name="Chef i beredskap Äby", phones=("0444-20 00",)),
        ),
    )
    values: dict[str, Any] = dict(
        name="Ordersystemet nere på Åby",
        position="Rutin 1 av 2",
        still_works=("Bildarkivet", "Journalen"),
        contacts=(
            servicedesk,
            RoutineContact(name="Fjärrgranskarna", fax="0444-30 01", email="fjarr@aby.invalid"),
        ),
        steps=("Ta emot remisser per fax.", "Boka patienten på modaliteten för hand."),
        notifications=("Servicedesken uppringd", "Chef i beredskap underrättad"),
        follow_up=("Chef i beredskap underrättad om återgång",),
    )
    values.update(overrides)
    return RoutineScenarioData(**values)


def routine_binder(*scenarios: RoutineScenarioData, **overrides: Any) -> RoutineBinderData:
    values: dict[str, Any] = dict(
        site="Bilddiagnostik Åby",
        printed_at="2026-01-15 10:50",
        printed_by="Åsa Administratör",
        config_version="version 7, sparad 2026-01-10 09:12",
        address="http://192.168.10.20:8080/",
        scenarios=scenarios or (routine_scenario(),),
        holiday_note="Röda dagar räknas som söndag.",
    )
    values.update(overrides)
    return RoutineBinderData(**values)


def with_meta(data: Any, **overrides: Any) -> Any:
    """The same document with changed SheetMeta fields (drill, reprint, ...)."""
    return replace(data, meta=replace(data.meta, **overrides))


def followup(rows: int = 5, **overrides: Any) -> FollowUpData:
    """An outage's follow-up with a timeline of `rows` events and its case figures."""
    values: dict[str, Any] = dict(
        incident_label="Driftstopp 12",
        qr_payload="RR1:I12-K7Q3:LST:{page}",
        title="Integrationsmotor (BizTalk) nere",
        facts=(
            ("Registrerat", "2025-03-02 13:50, Anna Andersson"),
            ("Avslutat", "2025-03-02 18:50, Bo Berg"),
            ("Driftstoppets längd", "4 h 00 min"),
            ("Ärenden", str(rows)),
        ),
        sections=(
            FollowUpTable(
                "Förlopp",
                (("Tid", 1.3), ("Händelse", 4.0), ("Av", 1.7)),
                tuple(
                    (f"2025-03-02 14:{i % 60:02d}", f"Händelse {i}", "Anna Andersson")
                    for i in range(rows)
                ),
            ),
            FollowUpTable(
                "Ärenden per prioritet",
                (("Prioritet", 3.0), ("Antal", 1.0)),
                (("Akut", "3"), ("Rutin", "2")),
            ),
            FollowUpTable("Exporter", (("Tid", 1.0),), ()),
        ),
        department="Röntgenkliniken, Demosjukhuset",
    )
    values.update(overrides)
    return FollowUpData(**values)


def cancel_notice(**overrides: Any) -> CancelNoticeData:
    values: dict[str, Any] = dict(
        meta=meta(qr_payload="RR1:K7M2QX:MAK:2"),
        patient=patient(),
        fax=fax_header(),
        referrer_clinician="Dr Émile Ström",
        requested_exam="DT hjärna utan kontrast",
        referral_arrived="Fax 2025-03-02 13:40",
        message="Patienten har flyttats till Lillby och undersöks där.",
        cancelled_at="2025-03-02 14:10",
        cancelled_by="Görel Nyström",
    )
    values.update(overrides)
    return CancelNoticeData(**values)
