"""The reconciliation batch as a spreadsheet for the secretaries: one row per case.

Written for Swedish Excel: UTF-8 with BOM (else å ä ö break), semicolons (comma is the decimal
separator there), CRLF, decimal comma, local times, and no cell that Excel would run as a formula.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from ..csvutil import BOM, Identifier, Number, excel_safe
from ..models.report import READ_ON, SECOND_LOOK_OUTCOMES
from ..numbers import decimal_text
from .batch import (
    CaseExport,
    EarlierIdentity,
    ExamData,
    ReferralData,
    ReportData,
    SignatureData,
    display_id,
)
from .export_columns import (
    CARE_COLUMNS,
    CASE_PAGE_COLUMNS,
    CONTRAST_TRACE_COLUMNS,
    FIXED_COLUMNS,
    PROTOCOL_COLUMNS,
    READ_ON_COLUMNS,
    RELEASE_COLUMNS,
    SAFETY_COLUMNS,
    TAIL_COLUMNS,
    WAIVER_CONFIRMATION_COLUMNS,
)
from .export_labels import (
    ANSWER_LABELS,
    ID_KIND_LABELS,
    MOBILITY_LABELS,
    PACS_LABELS,
    REPORT_STATE_LABELS,
    ROUTE_LABELS,
    SEX_LABELS,
    SIDE_LABELS,
    STATUS_LABELS,
    STEP_LABELS,
)
from .moved_out import MovedOut
from .moved_out_export import local_text, withdrawn_row

# Rows handed on at a time: big enough that the chunks cost nothing, small enough to stay lean.
ROWS_PER_CHUNK = 500


def iter_csv(
    cases: Iterable[CaseExport],
    *,
    timezone: str = "Europe/Stockholm",
    steps: Sequence[str] = (),
    withdrawn: Sequence[MovedOut] = (),
) -> Iterator[str]:
    """The batch as CSV text, a block of rows at a time: BOM, header row, one row per case.

    withdrawn: cases moved out since an export held them, a row each before the cases, where
    the secretary sees them first (moved_out_export.withdrawn_row).

    The step columns come from the first case: every case of a batch carries the same steps.
    steps: those of an empty batch, whose header must have the columns of any other.
    """
    zone = ZoneInfo(timezone)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    rest = iter(cases)
    first = next(rest, None)
    steps = [s.step for s in first.steps] if first is not None else list(steps)
    yield BOM
    header = _header(steps)
    writer.writerow(header)
    for moved in withdrawn:
        row = withdrawn_row(
            moved, header, local_text(moved, timezone), _earlier(list(moved.earlier), zone)
        )
        writer.writerow([excel_safe(v) for v in row])
    for count, case in enumerate(itertools.chain([first] if first else [], rest), start=1):
        if [s.step for s in case.steps] != steps:
            raise ValueError(
                f"case {case.code} has other catch-up steps than the rest of the batch"
            )
        writer.writerow([excel_safe(v) for v in _row(case, steps, zone)])
        if count % ROWS_PER_CHUNK == 0:
            yield _take(buffer)
    yield _take(buffer)


def to_csv(cases: Iterable[CaseExport], *, timezone: str = "Europe/Stockholm") -> bytes:
    """The whole batch as CSV bytes (UTF-8 with BOM)."""
    return "".join(iter_csv(cases, timezone=timezone)).encode("utf-8")


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _header(steps: list[str]) -> list[str]:
    step_columns = []
    for key in steps:
        label = STEP_LABELS.get(key, key)
        step_columns += [label, f"{label} av", f"{label} tid"]
    return [
        *FIXED_COLUMNS,
        *step_columns,
        *TAIL_COLUMNS,
        *SAFETY_COLUMNS,
        *WAIVER_CONFIRMATION_COLUMNS,
        *PROTOCOL_COLUMNS,
        *CARE_COLUMNS,
        *CONTRAST_TRACE_COLUMNS,
        *READ_ON_COLUMNS,
        *CASE_PAGE_COLUMNS,
        *RELEASE_COLUMNS,
    ]


def _side(side: str) -> str:
    return SIDE_LABELS.get(side, side)


def _row(case: CaseExport, steps: list[str], zone: ZoneInfo) -> list[str]:
    patient, ref, exam, report = case.patient, case.referral, case.exam, case.report
    dose = exam.dose if exam else {}
    referrer = ", ".join(p for p in (ref.referrer_clinician, ref.referrer_unit) if p) if ref else ""
    row = [
        Identifier(case.code),
        STATUS_LABELS.get(case.status, case.status),
        patient.name,
        Identifier(display_id(patient.id_kind, patient.id_value)),
        ID_KIND_LABELS.get(patient.id_kind, patient.id_kind),
        _earlier(case.earlier_identities, zone),
        SEX_LABELS.get(patient.sex, "Okänt"),
        patient.birth_date or "",
        referrer,
        Identifier(ref.reply_fax if ref else ""),
        Identifier(ref.referrer_phone if ref else ""),
        ref.priority_label if ref else "",
        # What was done wins over what was asked for: that is what gets keyed into RIS.
        exam.exam_text if exam else (ref.exam_text if ref else ""),
        _side(exam.side if exam and exam.side else (ref.side if ref else "")),
        _side(ref.side if ref else "")
        + (" (avviker, bekräftat)" if exam and exam.side_confirmed else ""),
        exam.modality if exam else (ref.modality if ref else ""),
        ref.clinical_question if ref else "",
        ref.history if ref else "",
        _local(ref.arrived_at if ref else None, zone),
        _local(exam.started_at if exam else None, zone),
        _local(exam.ended_at if exam else None, zone),
        Identifier(exam.modality_temp_id if exam else ""),
        exam.room if exam else "",
        exam.radiographers if exam else "",
        Number(decimal_text(dose.get("dlp_mgycm"))),
        Number(decimal_text(dose.get("ctdivol_mgy"))),
        Number(decimal_text(dose.get("dap_gycm2"))),
        Number(decimal_text(dose.get("fluoro_seconds"))),
        _contrast(exam.contrast_agent, exam.contrast_route) if exam else "",
        Number(decimal_text(exam.contrast_volume_ml)) if exam else "",
        exam.complications if exam else "",
        PACS_LABELS.get(exam.pacs_status, exam.pacs_status) if exam else "",
        REPORT_STATE_LABELS.get(report.state, report.state) if report else "",
        _report_cell(case, zone),
        _signers(report),
        _signatures(report, zone),
        _dispatches(report, zone),
        Identifier(case.ris_accession),
        Identifier(case.ris_exam_number),
    ]
    by_key = {s.step: s for s in case.steps}
    for key in steps:
        step = by_key.get(key)
        if step is None:
            row += ["", "", ""]
        else:
            row += ["ja" if step.done else "", step.by, _local(step.at, zone)]
    row += [
        case.verified_by,
        _local(case.verified_at, zone),
        case.cancelled_reason if case.status == "cancelled" else "",
        "ja" if case.waived else "",
        case.waive_reason,
        case.waived_by,
        _local(case.waived_at, zone),
        _local(case.reconciled_at, zone),
        "ÖVNING" if case.is_drill else "",
        *_safety(ref),
        "ja" if case.waiver_pending else "",
        case.waiver_confirmed_by,
        _local(case.waiver_confirmed_at, zone),
        ref.protocol if ref else "",
        ref.protocol_by if ref else "",
        _local(ref.protocol_at if ref else None, zone),
        *_care(ref),
        *_contrast_trace(exam),
        *_read_on(report, zone),
        # The case page's "ca 70 år": only an unidentified patient's, a birth date says the rest.
        Number(str(patient.approx_age))
        if patient.approx_age is not None and not patient.birth_date
        else "",
        exam.notes if exam else "",
        "\n".join(n.text for n in case.release_notes),
    ]
    return row


def _safety(ref: ReferralData | None) -> list[str]:
    """The cells of SAFETY_COLUMNS: blank without a referral."""
    if ref is None:
        return [""] * len(SAFETY_COLUMNS)
    answers = ref.safety

    def answer(key: str) -> str:
        value = answers.get(key, "")
        return ANSWER_LABELS.get(value, value)

    return [
        "ja" if ref.contrast_planned else "nej",
        answer("contrast_allergy"),
        _decimal_comma(answers.get("egfr", "")),
        _decimal_comma(answers.get("creatinine", "")),
        answers.get("kidney_measured_on", ""),
        "ja" if answers.get("kidney_unknown") == "yes" else "",
        answer("metformin"),
        answer("pregnancy"),
        answer("pacemaker"),
        answer("implants"),
        answers.get("implants_note", ""),
    ]


def _care(ref: ReferralData | None) -> list[str]:
    """The cells of CARE_COLUMNS: blank without a referral or an answer."""
    if ref is None:
        return [""] * len(CARE_COLUMNS)
    return [
        ANSWER_LABELS.get(ref.infection, ref.infection),
        ref.infection_note,
        MOBILITY_LABELS.get(ref.mobility, ref.mobility),
    ]


def _contrast_trace(exam: ExamData | None) -> list[str]:
    """The cells of CONTRAST_TRACE_COLUMNS: blank without an exam or a value."""
    if exam is None:
        return [""] * len(CONTRAST_TRACE_COLUMNS)
    batch = exam.contrast_batch or ("okänt" if exam.contrast_batch_unknown else "")
    return [Identifier(batch), Number(decimal_text(exam.patient_weight_kg))]


def _read_on(report: ReportData | None, zone: ZoneInfo) -> list[str]:
    """The cells of READ_ON_COLUMNS: blank without a report or a value."""
    if report is None:
        return [""] * len(READ_ON_COLUMNS)
    return [
        READ_ON.get(report.read_on, report.read_on),
        _local(report.second_look_at, zone),
        report.second_look_by,
        SECOND_LOOK_OUTCOMES.get(report.second_look_outcome, report.second_look_outcome),
    ]


def _decimal_comma(text: str) -> str:
    # The batch gives kidney values exactly as typed, with a decimal point (see batch_rows).
    # One with the lab's bound (">90") is text to Excel, kept as it stands.
    if not text:
        return ""
    shown = text.replace(".", ",")
    return shown if shown.startswith(("<", ">")) else Number(shown)


def report_text(report: ReportData) -> str:
    """Where the images were read as the fax prints it, sections as 'Rubrik: text', then
    addenda, one per line block (newlines stay in the cell)."""
    lines = [f"Granskning: {report.read_on_note}"] if report.read_on_note else []
    lines += [f"{s['heading']}: {s['text']}" for s in report.sections if s.get("text")]
    lines += [f"{a.title} ({a.author}): {a.text}" for a in report.addenda]
    return "\n".join(lines)


def _report_cell(case: CaseExport, zone: ZoneInfo) -> str:
    """The report text, then each call about an urgent finding: RIS documents the call with
    the report, as the faxed report prints it (a cell, not a new column: none moves)."""
    lines = [report_text(case.report)] if case.report else []
    lines += [c.with_report(_local(c.called_at, zone)) for c in case.urgent_calls]
    return "\n".join(line for line in lines if line)


def _signers(report: ReportData | None) -> str:
    if report is None:
        return ""
    names: list[str] = []
    for sig in report.signatures:
        if sig.signer not in names:
            names.append(sig.signer)
    return ", ".join(names)


def _contrast(agent: str, route: str) -> str:
    return ", ".join(p for p in (agent, ROUTE_LABELS.get(route, route)) if p)


SIGNATURE_LABELS = {"preliminary": "preliminärt", "definitive": "definitivt"}


def _signatures(report: ReportData | None, zone: ZoneInfo) -> str:
    """Every signature and addendum with its signer and local time, one per line."""
    if report is None:
        return ""
    lines = [
        f"{SIGNATURE_LABELS.get(s.kind, s.kind)} {s.signer} {_local(s.signed_at, zone)}"
        + _keyed(s, zone)
        for s in report.signatures
        if s.kind != "addendum"
    ]
    lines += [f"tillägg {a.author} {_local(a.signed_at, zone)}" for a in report.addenda]
    return "\n".join(lines)


def _keyed(signature: SignatureData, zone: ZoneInfo) -> str:
    """When and by whom a signature from a fax or paper was keyed in: not when it was signed."""
    if signature.keyed_at is None:
        return ""
    by = f" av {signature.keyed_by}" if signature.keyed_by else ""
    return f" (inskrivet {_local(signature.keyed_at, zone)}{by})"


def _dispatches(report: ReportData | None, zone: ZoneInfo) -> str:
    """Every logged fax of the report to the referrer: number, local time, who, one per line."""
    if report is None:
        return ""
    return "\n".join(
        f"{d.fax_number} {_local(d.faxed_at, zone)} {d.by} "
        f"({SIGNATURE_LABELS.get(d.report_state, d.report_state)})"
        for d in report.dispatches
    )


def _earlier(identities: list[EarlierIdentity], zone: ZoneInfo) -> str:
    """Each identity the case had before a correction, one per line: RIS may hold it."""
    lines = []
    for earlier in identities:
        name = f" ({earlier.name})" if earlier.name else ""
        lines.append(
            f"{ID_KIND_LABELS.get(earlier.id_kind, earlier.id_kind)} "
            f"{display_id(earlier.id_kind, earlier.id_value)}{name}, "
            f"rättad {_local(earlier.changed_at, zone)}"
        )
    return "\n".join(lines)


def _local(value: str | None, zone: ZoneInfo) -> str:
    """A UTC ISO timestamp as local wall-clock time, the way staff read clocks and paper."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:  # batch times are UTC; treat a naive one as such, not as local
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    local = moment.astimezone(zone)
    text = local.strftime("%Y-%m-%d %H:%M")
    # The hour the clocks go back comes twice: which of the two, or an exam seems to have
    # been done before its referral arrived, or two exams in the wrong order.
    offset = local.utcoffset()
    if offset is not None and local.replace(fold=1 - local.fold).utcoffset() != offset:
        minutes = int(offset.total_seconds()) // 60
        text += f" (UTC{minutes // 60:+d})" if minutes % 60 == 0 else f" (UTC{local:%z})"
    return text
