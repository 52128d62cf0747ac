"""What the FHIR export says in words and codes: report text, conclusion, dose and contrast
notes, the referral's safety answers, priority and request status, the provenance activity."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..models.report import SECOND_LOOK_OUTCOMES
from ..numbers import decimal_point_text
from .batch import CaseExport, ExamData, ReferralData, ReportData

# The report's text is read by people keying RIS: the signature kinds in the report's language.
SIGNED_AS = {
    "preliminary": "Preliminärt signerat",
    "definitive": "Definitivt signerat",
    "addendum": "Tillägg signerat",
}
CONCLUSION_HEADINGS = ("bedömning", "slutsats", "konklusion", "sammanfattning")
# Case status -> ServiceRequest.status: the order is done once the report is definitive.
REQUEST_STATUS = {
    "cancelled": "revoked",
    "report_definitive": "completed",
    "keyed_in_ris": "completed",
    "closed": "completed",
}
# The referral's answers in the words of its sheet (Vet ej is an answer; blank is none).
ANSWER_TEXT = {"yes": "Ja", "no": "Nej", "unknown": "Vet ej"}
MOBILITY_TEXT = {"walks": "Går själv", "wheelchair": "Rullstol", "bed": "Säng", "stretcher": "Bår"}
SAFETY_QUESTIONS = (
    ("contrast_allergy", "Kontrastmedelsallergi"),
    ("metformin", "Metformin"),
    ("pregnancy", "Graviditet"),
    ("pacemaker", "Pacemaker/ICD"),
    ("implants", "Implantat"),
)
DOSE_LABELS = (
    ("dlp_mgycm", "DLP", "mGy·cm"),
    ("ctdivol_mgy", "CTDIvol", "mGy"),
    ("dap_gycm2", "DAP", "Gy·cm²"),
    ("fluoro_seconds", "Genomlysningstid", "s"),
)


def case_tags(base: str) -> dict[str, dict[str, str]]:
    """The meta tags that say a case is a drill, waived or cancelled: not to be keyed from here."""
    displays = {
        "drill": "Övning – får inte registreras i RIS",
        "waived": "Undantagen från efterregistreringen – registreras inte i RIS härifrån",
        # Always beside "waived", which an importer already skips: the waiver may yet be lifted.
        "waiver-pending": "Undantaget väntar på bekräftelse (fyra ögon) – ärendet är inte avstämt",
        "cancelled": "Makulerat ärende – registreras inte i RIS",
    }
    return {
        code: {"system": f"{base}/tag", "code": code, "display": display}
        for code, display in displays.items()
    }


def default_priority(code: str, label: str) -> str | None:
    """A FHIR request priority guessed from a Swedish priority code and label."""
    text = f"{code} {label}".lower()
    if not text.strip():
        return None
    if "akut" in text or "omedelbar" in text:
        return "stat"
    if "rutin" in text or "planerad" in text:
        return "routine"
    return "urgent"


def request_status(case: CaseExport) -> str:
    """ServiceRequest.status; a waived case is closed but was never keyed, so not by its status.

    A waiver that waits for its confirmation decides nothing yet: the status is the case's own.
    """
    if case.waived and not case.waiver_pending and case.status != "cancelled":
        # Waived before the work was done in full (no exam, or no definitive report): nothing
        # more happens on the order here. Examined and definitively reported: it was carried out.
        report = case.report
        done = case.exam is not None and report is not None and report.state == "definitive"
        return "completed" if done else "revoked"
    status = REQUEST_STATUS.get(case.status, "active")
    if status == "completed" and (case.report is None or case.report.state != "definitive"):
        # Keyed into RIS on a preliminary report (the secretary confirmed it): the order is
        # carried out only when the definitive report comes.
        return "active"
    return status


def report_full_text(report: ReportData) -> str:
    """The whole report as faxed: where read, sections, addenda, signatures; then its second
    look in PACS."""
    blocks = [f"Granskning:\n{report.read_on_note}"] if report.read_on_note else []
    blocks += [f"{s['heading']}:\n{s['text']}" for s in report.sections if s.get("text")]
    blocks += [f"{a.title} {a.signed_at} ({a.author}):\n{a.text}" for a in report.addenda]
    signed = [
        f"{SIGNED_AS.get(s.kind, s.kind)} {s.signed_at}: {s.signer}"
        + (f" (inskrivet {s.keyed_at} av {s.keyed_by or 'okänd'})" if s.keyed_at else "")
        for s in report.signatures
    ]
    if signed:
        blocks.append("\n".join(signed))
    if report.second_look_at:
        outcome = SECOND_LOOK_OUTCOMES.get(report.second_look_outcome, report.second_look_outcome)
        blocks.append(
            f"Eftergranskad i PACS {report.second_look_at}: {report.second_look_by}, {outcome}"
        )
    return "\n\n".join(blocks)


def conclusion(report: ReportData) -> str | None:
    """The text of the report's first conclusion-like section, if it has one."""
    texts = [
        s["text"]
        for s in report.sections
        if s.get("heading", "").strip().lower() in CONCLUSION_HEADINGS and s.get("text")
    ]
    return texts[0] if texts else None


def last_signed(report: ReportData) -> str | None:
    """When the report was last signed (an addendum counts), as ISO text."""
    times = [s.signed_at for s in report.signatures] + [a.signed_at for a in report.addenda]
    return max(times, key=datetime.fromisoformat) if times else None


def dose_text(exam: ExamData) -> str:
    """The recorded radiation dose as one note line, or empty."""
    # Values exactly as stored, as the CSV and the sheet give them (':g' kept six digits and
    # wrote 5e-05): RIS is keyed from whichever format reaches the secretary.
    parts = [
        f"{label} {decimal_point_text(exam.dose[key])} {unit}"
        for key, label, unit in DOSE_LABELS
        if key in exam.dose
    ]
    # Below the CTDIvol the DLP reads as swapped: the note says it was confirmed as typed.
    short = " (kort skanning under 1 cm, bekräftad)" if exam.short_scan_confirmed else ""
    return ("Stråldos: " + ", ".join(parts) + short) if parts else ""


def contrast_text(exam: ExamData) -> str:
    """The contrast given as one note line, or empty."""
    if not exam.contrast_agent:
        return ""
    volume = (
        f" {decimal_point_text(exam.contrast_volume_ml)} ml"
        if exam.contrast_volume_ml is not None
        else ""
    )
    route = f" {exam.contrast_route}" if exam.contrast_route else ""
    batch = exam.contrast_batch or ("okänt" if exam.contrast_batch_unknown else "")
    lot = f", batchnummer {batch}" if batch else ""
    return f"Kontrast: {exam.contrast_agent}{volume}{route}{lot}"


def weight_text(exam: ExamData) -> str:
    """The patient's weight as one note line, or empty."""
    if exam.patient_weight_kg is None:
        return ""
    return f"Patientens vikt: {decimal_point_text(exam.patient_weight_kg)} kg"


def safety_notes(ref: ReferralData) -> list[str]:
    """The referral's safety answers, one note line each, in the order of its sheet; a question
    left unanswered gives no line."""
    answers = ref.safety
    texts = {
        key: ANSWER_TEXT.get(answers.get(key, ""), answers.get(key, ""))
        for key, _ in SAFETY_QUESTIONS
    }
    texts["implants"] = ": ".join(t for t in (texts["implants"], answers.get("implants_note")) if t)
    lines = [f"{label}: {texts[key]}" if texts[key] else "" for key, label in SAFETY_QUESTIONS]
    kidney = _kidney_text(answers)
    # Where the sheet has it: after the allergy, before metformin.
    lines.insert(1, f"Njurfunktion: {kidney}" if kidney else "")
    return [line for line in lines if line]


def care_notes(ref: ReferralData) -> list[str]:
    """Infection/isolation and how the patient moves, as the referral sheet words them; none
    given, no line (a case without them exports as before they were asked)."""
    infection = ANSWER_TEXT.get(ref.infection, ref.infection)
    if ref.infection_note:
        infection = ": ".join(t for t in (infection, ref.infection_note) if t)
    mobility = MOBILITY_TEXT.get(ref.mobility, ref.mobility)
    return [
        line
        for line in (
            f"Smitta/isolering: {infection}" if infection else "",
            f"Förflyttning: {mobility}" if mobility else "",
        )
        if line
    ]


def _kidney_text(answers: dict[str, str]) -> str:
    # As the referral sheet writes it, the values exactly as typed: "eGFR 29.6 (2026-01-14)".
    values = ", ".join(
        part
        for part in (
            f"eGFR {answers['egfr']}" if answers.get("egfr") else "",
            f"kreatinin {answers['creatinine']} µmol/l" if answers.get("creatinine") else "",
            "okänd" if answers.get("kidney_unknown") == "yes" else "",
        )
        if part
    )
    measured = answers.get("kidney_measured_on", "")
    return " ".join(part for part in (values, f"({measured})" if measured else "") if part)


def activity_text(case: CaseExport, incident: dict[str, Any]) -> str:
    """The Provenance activity: how the case was captured, and why it is not to be keyed."""
    parts = [
        "Registered on the downtime routine (reservrutin) during incident "
        f"{incident.get('id', case.incident_id)}"
        + (f" '{incident['title']}'" if incident.get("title") else "")
    ]
    if case.is_drill:
        parts.append("DRILL: fictional data, must not be entered into RIS")
    if case.referral and case.referral.arrived_via == "fax":
        parts.append("referral received by fax")
    if case.report and case.report.received_by_fax:
        parts.append("report received by fax")
    for earlier in case.earlier_identities:
        parts.append(
            f"identity corrected at {earlier.changed_at}, earlier {earlier.id_kind} "
            f"{earlier.id_value}" + (f" ({earlier.reason})" if earlier.reason else "")
        )
    if case.status == "cancelled" and case.cancelled_reason:
        parts.append(f"cancelled: {case.cancelled_reason}")
    if case.waived:
        who = f" by {case.waived_by}" if case.waived_by else ""
        when = f" at {case.waived_at}" if case.waived_at else ""
        parts.append(
            f"WAIVED: taken out of the catch-up{who}{when}, not to be entered into RIS "
            f"from this export; reason: {case.waive_reason}"
        )
        parts.append(_waiver_confirmation(case))
    return "; ".join(p for p in parts if p)


def _waiver_confirmation(case: CaseExport) -> str:
    """The second pair of eyes on a waiver (four eyes): who confirmed it, or that none has."""
    if case.waiver_pending:
        return (
            "WAIVER AWAITING CONFIRMATION by a second person (four eyes): the case is not "
            "reconciled; it may be lifted and come back in a later export to be entered"
        )
    if case.waiver_confirmed_by or case.waiver_confirmed_at:
        who = f" by {case.waiver_confirmed_by}" if case.waiver_confirmed_by else ""
        when = f" at {case.waiver_confirmed_at}" if case.waiver_confirmed_at else ""
        return f"waiver confirmed{who}{when}"
    return ""


def release_notes(case: CaseExport) -> list[dict[str, str]]:
    """Each release of the case's images as the ServiceRequest's note, in the order made: the
    text for the referral notes in RIS (remissanteckning), when the release was made."""
    return [
        {"text": f"Remissanteckning, utlämnande: {n.text}", "time": n.released_at}
        for n in case.release_notes
    ]
