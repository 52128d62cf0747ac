"""The free-text parts of the FHIR export: report text, conclusion, dose and contrast notes."""

from __future__ import annotations

from datetime import datetime

from .batch import ExamData, ReportData

CONCLUSION_HEADINGS = ("bedömning", "slutsats", "konklusion", "sammanfattning")
DOSE_LABELS = (
    ("dlp_mgycm", "DLP", "mGy·cm"),
    ("ctdivol_mgy", "CTDIvol", "mGy"),
    ("dap_gycm2", "DAP", "Gy·cm²"),
    ("fluoro_seconds", "Genomlysningstid", "s"),
)


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


def report_full_text(report: ReportData) -> str:
    """The whole report as faxed: sections, addenda, signatures."""
    blocks = [f"{s['heading']}:\n{s['text']}" for s in report.sections if s.get("text")]
    blocks += [f"Tillägg {a.signed_at} ({a.author}):\n{a.text}" for a in report.addenda]
    signed = [f"Signerat {s.kind} {s.signed_at}: {s.signer}" for s in report.signatures]
    if signed:
        blocks.append("\n".join(signed))
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
    parts = [
        f"{label} {exam.dose[key]:g} {unit}" for key, label, unit in DOSE_LABELS if key in exam.dose
    ]
    return ("Stråldos: " + ", ".join(parts)) if parts else ""


def contrast_text(exam: ExamData) -> str:
    """The contrast given as one note line, or empty."""
    if not exam.contrast_agent:
        return ""
    volume = f" {exam.contrast_volume_ml:g} ml" if exam.contrast_volume_ml is not None else ""
    route = f" {exam.contrast_route}" if exam.contrast_route else ""
    return f"Kontrast: {exam.contrast_agent}{volume}{route}"
