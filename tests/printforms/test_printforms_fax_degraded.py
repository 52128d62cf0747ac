"""Every sheet survives a real fax line: its QR reads back exactly and its code stays legible.

The conditions (fax_model.CONDITIONS) are a crooked feed, toner low or a dark setting, the page
sent upside down, a 95 % photocopy and a fax of the fax, each with speckle, a few lost and
doubled scan lines and the outer 5 mm cropped, at standard resolution.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image

import printforms as pf
from printforms.qr import QR_MODULE_MM, QR_QUIET_MODULES

from . import factories as f
from .fax_model import CONDITIONS, receive, render_grey

# As printed: the case code with its dash, which the QR payload leaves out.
CODE = "K7M-2QX"
MIN_CODE_GLYPH_MM = 4.0


def _meta(doc: str, version: int = 1) -> dict[str, object]:
    return {"meta": f.meta(case_code=CODE, qr_payload=f"RR1:K7M2QX:{doc}:{version}")}


def _report(**overrides: object) -> object:
    report = f.report(
        sections=(("Fynd", f.LONG_HISTORY),), is_preliminary=True, is_urgent=True, **overrides
    )
    return f.with_meta(report, case_code=CODE, is_drill=True, reprint_at="2025-03-02 16:40:00")


BLANKS = [f.blank(kind, n) for n, kind in enumerate(("referral", "exam", "report"), start=1)]

# Each sheet kind once, the long ones over several pages: (render, payload of page n, code).
SHEETS: dict[str, tuple[Callable[[], bytes], Callable[[int], str], str | None]] = {
    "referral": (
        lambda: pf.render_referral(f.referral(history=f.LONG_HISTORY, **_meta("REM"))),
        lambda n: "RR1:K7M2QX:REM:1",
        CODE,
    ),
    "exam": (lambda: pf.render_exam(f.exam(**_meta("DOK"))), lambda n: "RR1:K7M2QX:DOK:1", CODE),
    "report": (lambda: pf.render_report(_report()), lambda n: "RR1:K7M2QX:UTL:3", CODE),
    "release-report": (
        lambda: pf.render_release_report(f.release_report(report=_report())),
        lambda n: "RR1:K7M2QX:UTL:3",
        CODE,
    ),
    "disc-label": (
        lambda: pf.render_disc_label(f.disc_label(**_meta("ETK", 2))),
        lambda n: "RR1:K7M2QX:ETK:2",
        CODE,
    ),
    "cover": (
        lambda: pf.render_cover(f.red_tray(**_meta("BAK"))),
        lambda n: "RR1:K7M2QX:BAK:1",
        CODE,
    ),
    "cancel-notice": (
        lambda: pf.render_cancel_notice(f.cancel_notice(**_meta("MAK", 2))),
        lambda n: "RR1:K7M2QX:MAK:2",
        CODE,
    ),
    "anonymised-referral": (
        lambda: pf.render_anonymised_referral(f.anonymised_referral(**_meta("ARE"))),
        lambda n: "RR1:K7M2QX:ARE:1",
        CODE,
    ),
    "anonymised-report": (
        lambda: pf.render_anonymised_report(f.anonymised_report(**_meta("AUT"))),
        lambda n: "RR1:K7M2QX:AUT:1",
        CODE,
    ),
    "blanks": (
        lambda: pf.render_blank_stack(BLANKS),
        lambda n: BLANKS[n - 1].qr_payload,
        None,
    ),
    # The list names the incident, not a case: its code check is the QR's page number.
    "incident-list": (
        lambda: pf.render_incident_list(
            f.incident_list(cases=20, qr_payload="RR1:I2147483647-K7Q3:LST:{page}")
        ),
        lambda n: f"RR1:I2147483647-K7Q3:LST:{n}",
        None,
    ),
    "followup": (
        lambda: pf.render_followup(
            f.followup(rows=80, qr_payload="RR1:I2147483647-K7Q3:LST:{page}")
        ),
        lambda n: f"RR1:I2147483647-K7Q3:LST:{n}",
        None,
    ),
}


# Their continuation pages carry the header too: each is read on its own at the far end.
MULTI_PAGE = {"referral", "report", "release-report", "incident-list", "followup"}


@cache
def _pdf(kind: str) -> bytes:
    return SHEETS[kind][0]()


@cache
def _greys(kind: str) -> tuple[Image.Image, ...]:
    return tuple(render_grey(_pdf(kind)))


def _qr_texts(page: Image.Image) -> list[str]:
    # QR only, as the scan station's readers: a 1D reader finds "barcodes" in speckled text.
    return [b.text for b in zxingcpp.read_barcodes(page, formats=zxingcpp.BarcodeFormat.QRCode)]


@pytest.mark.parametrize("condition", list(CONDITIONS))
@pytest.mark.parametrize("kind", list(SHEETS))
def test_every_page_reads_back_its_payload_after_a_bad_fax(kind: str, condition: str) -> None:
    _, payload, _ = SHEETS[kind]
    greys = _greys(kind)
    assert len(greys) >= (2 if kind in MULTI_PAGE else 1)
    read = [_qr_texts(receive(page, condition, seed)) for seed, page in enumerate(greys)]
    assert read == [[payload(n)] for n in range(1, len(greys) + 1)]


def _code_glyph_heights_mm(pdf: bytes, code: str) -> list[float]:
    """Per page, the height (mm) of the smallest glyph of the code's largest print on it."""
    doc = pdfium.PdfDocument(pdf)
    heights = []
    try:
        for index in range(len(doc)):
            text = doc[index].get_textpage()
            search = text.search(code, match_case=True)
            found = [0.0]
            while match := search.get_next():
                start, count = match
                boxes = [text.get_charbox(start + i) for i in range(count) if code[i] != "-"]
                found.append(min(top - bottom for _, bottom, _, top in boxes) / 72 * 25.4)
            heights.append(max(found))
    finally:
        doc.close()
    return heights


@pytest.mark.parametrize("kind", [k for k, (_, _, code) in SHEETS.items() if code] + ["blanks"])
def test_case_code_is_printed_large_on_every_page(kind: str) -> None:
    pdf = _pdf(kind)
    codes = [s.case_code for s in BLANKS] if kind == "blanks" else None
    if codes is None:
        heights = _code_glyph_heights_mm(pdf, CODE)
        assert len(heights) == len(_greys(kind))
    else:
        # One page per blank, each with its own code.
        heights = [_code_glyph_heights_mm(pdf, c)[n] for n, c in enumerate(codes)]
    assert min(heights) >= MIN_CODE_GLYPH_MM, heights


@pytest.mark.parametrize("kind", ["report", "incident-list"])
def test_nothing_is_printed_in_the_quiet_zone_under_the_qr(kind: str) -> None:
    # The code used to sit a module under the last row: a reader takes text there for modules.
    dpi = 200
    doc = pdfium.PdfDocument(_pdf(kind))
    try:
        page = doc[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        doc.close()
    (found,) = zxingcpp.read_barcodes(page, formats=zxingcpp.BarcodeFormat.QRCode)
    corners = found.position
    left, right = corners.bottom_left.x, corners.bottom_right.x
    bottom = max(corners.bottom_left.y, corners.bottom_right.y)
    quiet = round(QR_QUIET_MODULES * QR_MODULE_MM / 25.4 * dpi)
    # A pixel of margin on each side for the detector's corner and the edge's antialiasing.
    band = page.crop((left - quiet + 1, bottom + 2, right + quiet - 1, bottom + quiet - 1))
    assert band.getextrema()[0] >= 250
