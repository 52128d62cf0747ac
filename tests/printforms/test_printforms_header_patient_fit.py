"""The header's patient line on every sheet that has one: any valid name and number fit, the
number whole on one line, never below the line's smallest size, and the print never refused."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

import printforms as pf
from printforms.data import Patient
from printforms.header import INFO_PT, layout_sheet
from printforms.page import CONTENT_LEFT_MM, FONT_BOLD, PAGE_W_MM
from printforms.patient_line import PATIENT_LINE_MIN_PT

from . import factories as f
from .conftest import STANDARD_FAX, decoded_payloads, placed_lines

# A transfer's typed patient ID may be 40 characters (ImageTransfer.patient_ref), a name 200
# (Case.patient_name, ImageTransfer.patient_name); W is the widest capital.
WIDEST_ID = "W" * 40
WIDEST_NAME = " ".join(["W" * 19] * 10)[:200]
ONE_WORD_NAME = "Ш" * 200
LONG_NAME = " ".join(["Karl-Gustav Maximilian Åkerlund-Östergren"] * 5)[:200]
ARABIC_NAME = ("محمد عبد الرحمن العلي " * 10)[:200]

# (render, build the sheet, the sheet's data given a patient)
SHEETS: dict[str, tuple[Callable[[Any], bytes], Callable[[Any], Any], Callable[[Patient], Any]]] = {
    "referral": (
        pf.render_referral,
        pf.referral.build_referral_sheet,
        lambda p: f.referral(patient=p),
    ),
    "exam": (pf.render_exam, pf.exam.build_exam_sheet, lambda p: f.exam(patient=p)),
    "report": (pf.render_report, pf.report.build_report_sheet, lambda p: f.report(patient=p)),
    "release-report": (
        pf.render_release_report,
        pf.release_report.build_release_report_sheet,
        lambda p: f.release_report(report=f.report(patient=p)),
    ),
    "disc-label": (
        pf.render_disc_label,
        pf.disc_label.build_disc_label_sheet,
        lambda p: f.disc_label(patient=p),
    ),
    "cover": (pf.render_cover, pf.cover.build_cover_sheet, lambda p: f.red_tray(patient=p)),
    "cancel-notice": (
        pf.render_cancel_notice,
        pf.cancel_notice.build_cancel_notice_sheet,
        lambda p: f.cancel_notice(patient=p),
    ),
}
PATIENTS = {
    "widest": f.patient(name=WIDEST_NAME, id_label="Samordningsnummer", id_number=WIDEST_ID),
    "long": f.patient(name=LONG_NAME, id_label="Reservnummer", id_number=WIDEST_ID),
    "one-word": f.patient(name=ONE_WORD_NAME, id_label="Reservnummer", id_number=WIDEST_ID),
    "unknown": f.patient(name="Namn okänt", id_label="Samordningsnummer", id_number=WIDEST_ID),
    "arabic": f.patient(name=ARABIC_NAME, id_label="Reservnummer", id_number=WIDEST_ID),
}


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def data_code(data: Any) -> str:
    meta = data.report.meta if hasattr(data, "report") else data.meta
    return str(meta.case_code)


def _single_pages(pdf: bytes) -> list[bytes]:
    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        writer = PdfWriter()
        writer.add_page(page)
        buf = io.BytesIO()
        writer.write(buf)
        out.append(buf.getvalue())
    return out


@pytest.mark.parametrize("who", list(PATIENTS))
@pytest.mark.parametrize("kind", list(SHEETS))
def test_the_widest_valid_patient_fits_the_header_of_every_page(kind: str, who: str) -> None:
    render, build, make = SHEETS[kind]
    patient = PATIENTS[who]
    data = make(patient)
    pdf = render(data)
    layout = layout_sheet(build(data))
    qr_left = layout["qr_x"] * mm
    for page in _single_pages(pdf):
        header = [p for p in placed_lines(page) if p[3] > layout["rule_y"] * mm]
        # The number whole on one line, with its kind, in at least the line's smallest size.
        ids = [(text, left, right) for text, left, right, _ in header if WIDEST_ID in text]
        assert len(ids) == 1
        text, left, right = ids[0]
        # Its kind beside it, or on the line above when the two are wider than a line.
        texts = [t for t, *_ in header]
        at = texts.index(text)
        assert f"{patient.id_label} {WIDEST_ID}" in text or texts[at - 1] == patient.id_label
        assert (right - left) / stringWidth(text, FONT_BOLD, 1) >= PATIENT_LINE_MIN_PT - 0.01
        # Nothing in the header runs into the QR with its quiet zone, nor into the code.
        qr = layout["qr"]
        qr_box = (qr_left, layout["qr_y"] * mm, qr_left + qr.size_mm * mm, 300 * mm)
        code = next(p for p in header if p[0] == data_code(data))
        code_box = (code[1], code[3], code[2], code[3] + 18)
        for line, left, right, baseline in header:
            size = (right - left) / stringWidth(line, FONT_BOLD, 1)
            box = (left, baseline - 0.25 * size, right, baseline + 0.95 * size)
            if line != code[0]:
                assert not _overlap(box, qr_box) and not _overlap(box, code_box), line
            assert right <= (PAGE_W_MM - CONTENT_LEFT_MM) * mm + 0.01
        if who != "arabic":
            # The name whole: wrapped over the lines, never cut.
            joined = "".join(t for t, *_ in header).replace(" ", "")
            assert patient.name.replace(" ", "") in joined
            assert "…" not in joined
    for payloads in decoded_payloads(pdf, STANDARD_FAX):
        assert payloads == [
            data.meta.qr_payload if kind != "release-report" else data.report.meta.qr_payload
        ]


def test_a_long_name_with_a_usual_number_is_cut_on_one_line_the_number_whole() -> None:
    # The header stays one line: the whole name is in the first page's patient box.
    data = f.exam(patient=f.patient(name=LONG_NAME, id_number="19121212-1212"))
    line = layout_sheet(pf.exam.build_exam_sheet(data))["patient"]
    assert len(line.lines) == 1
    assert line.lines[0].startswith("Karl-Gustav Maximilian")
    assert line.lines[0].endswith("… · Personnummer 19121212-1212")


def test_a_number_too_wide_beside_a_cut_name_takes_a_line_of_its_own() -> None:
    # Too wide to leave ten letters of the name beside it, narrow enough for the QR's side at
    # the line's smallest size (28 W no longer are at 10 pt: the name is wrapped whole above).
    wide = "W" * 27
    data = f.exam(patient=f.patient(name=LONG_NAME, id_label="Reservnummer", id_number=wide))
    line = layout_sheet(pf.exam.build_exam_sheet(data))["patient"]
    assert line.lines[1] == f"Reservnummer {wide}"
    assert line.lines[0].startswith("Karl-Gustav Maximilian") and line.lines[0].endswith("…")
    assert len(line.lines) == 2


def test_a_name_too_long_beside_the_number_at_the_smallest_size_keeps_a_line_whole() -> None:
    # 34 letters and a personnummer fit one line only below the smallest fax size (INFO_PT).
    name = "Nguyễn Thị Ngọc Ánh Phạm Đức Hưởng"
    data = f.exam(patient=f.patient(name=name, id_number="19121212-1212"))
    line = layout_sheet(pf.exam.build_exam_sheet(data))["patient"]
    assert line.lines == (name, "Personnummer 19121212-1212")
    assert line.size >= INFO_PT
