"""Every page of every document decodes to its exact QR payload at fax resolution."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

import printforms as pf
from printforms.qr import QR_MIN_MODULE_MM, QR_QUIET_MODULES, qr_matrix, qr_spec

from . import factories as f
from .conftest import FINE_FAX, STANDARD_FAX, decoded_payloads, fax_pages

DOCUMENTS: dict[str, tuple[Callable[[], bytes], str]] = {
    "referral": (lambda: pf.render_referral(f.referral()), "RR1:K7M2QX:REM:1"),
    "referral-long": (
        lambda: pf.render_referral(f.referral(history=f.LONG_HISTORY * 2)),
        "RR1:K7M2QX:REM:1",
    ),
    "exam": (lambda: pf.render_exam(f.exam()), "RR1:K7M2QX:DOK:1"),
    # Continuation pages with the patient line and every mark (two rows) in the header.
    "report-long": (
        lambda: pf.render_report(
            f.with_meta(
                f.report(
                    sections=(("Fynd", f.LONG_HISTORY * 2),), is_preliminary=True, is_urgent=True
                ),
                is_drill=True,
                reprint_at="2025-03-02 16:40:00",
                is_cancelled=True,
                changed_since="2025-03-02 15:10",
            )
        ),
        "RR1:K7M2QX:UTL:3",
    ),
    "report": (
        lambda: pf.render_report(f.report(urgent_calls=(f.urgent_call(),))),
        "RR1:K7M2QX:UTL:3",
    ),
    "release-report": (
        lambda: pf.render_release_report(
            f.release_report(report=f.report(sections=(("Fynd", f.LONG_HISTORY * 2),)))
        ),
        "RR1:K7M2QX:UTL:3",
    ),
    "cover": (lambda: pf.render_cover(f.red_tray()), "RR1:K7M2QX:BAK:1"),
    "anonymised-referral": (
        lambda: pf.render_anonymised_referral(f.anonymised_referral()),
        "RR1:K7M2QX:ARE:1",
    ),
    "anonymised-report": (
        lambda: pf.render_anonymised_report(f.anonymised_report()),
        "RR1:K7M2QX:AUT:1",
    ),
    # Each page of a list names its page: each is a paper of its own at the scan station.
    "incident-list": (
        lambda: pf.render_incident_list(f.incident_list(cases=30)),
        "RR1:I12-K7Q3:LST:{page}",
    ),
    # The longest list payload a database can give: the largest id with its stamp.
    "incident-list-largest-id": (
        lambda: pf.render_incident_list(
            f.incident_list(cases=30, qr_payload="RR1:I2147483647-K7Q3:LST:{page}")
        ),
        "RR1:I2147483647-K7Q3:LST:{page}",
    ),
}


@pytest.mark.parametrize("resolution", [STANDARD_FAX, FINE_FAX], ids=["standard", "fine"])
@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_every_page_decodes_to_its_payload(kind: str, resolution: tuple[int, int]) -> None:
    render, payload = DOCUMENTS[kind]
    pages = decoded_payloads(render(), resolution)
    expected = [[payload.replace("{page}", str(n))] for n in range(1, len(pages) + 1)]
    assert pages and pages == expected, pages


def _qr_place(page: Image.Image) -> tuple[int, int, int, int, str]:
    """Left, top, right, bottom (px) and the error-correction level of the page's QR."""
    (found,) = zxingcpp.read_barcodes(page.convert("L"))
    p = found.position
    corners = (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
    xs, ys = [c.x for c in corners], [c.y for c in corners]
    return min(xs), min(ys), max(xs), max(ys), found.ec_level


def test_list_pages_share_one_qr_size_and_place() -> None:
    # The header is laid out once per sheet: a page whose QR came out larger would print over
    # the department line or the marks, a smaller one would leave the code text adrift.
    pages = fax_pages(pf.render_incident_list(f.incident_list(cases=300)), FINE_FAX)
    assert len(pages) >= 10
    # Laid out for the widest page number: each page's QR fills exactly that room.
    room = qr_spec("RR1:I12-K7Q3:LST:9999")
    side_px = room.modules * room.module_mm / 25.4 * FINE_FAX[0]
    first, *rest = [_qr_place(page) for page in pages]
    assert first[4] == room.level
    assert abs(first[2] - first[0] - side_px) <= 2 * room.module_mm / 25.4 * FINE_FAX[0]
    # The detector finds a corner a pixel either way, by the modules next to it.
    for place in rest:
        assert place[4] == first[4]
        assert all(abs(a - b) <= 1 for a, b in zip(place[:4], first[:4], strict=True)), place


@pytest.mark.parametrize("kind", ["referral-long", "report-long", "incident-list"])
def test_long_documents_really_span_pages(kind: str) -> None:
    render, _ = DOCUMENTS[kind]
    assert len(PdfReader(io.BytesIO(render())).pages) >= 2


@pytest.mark.parametrize("resolution", [STANDARD_FAX, FINE_FAX], ids=["standard", "fine"])
def test_case_bundle_pages_carry_each_documents_payload(resolution: tuple[int, int]) -> None:
    pdf = pf.render_bundle([f.red_tray(), f.referral(), f.exam(), f.report()])
    pages = decoded_payloads(pdf, resolution)
    assert pages == [
        ["RR1:K7M2QX:BAK:1"],
        ["RR1:K7M2QX:REM:1"],
        ["RR1:K7M2QX:DOK:1"],
        ["RR1:K7M2QX:UTL:3"],
    ]


@pytest.mark.parametrize("resolution", [STANDARD_FAX, FINE_FAX], ids=["standard", "fine"])
def test_blank_stack_has_one_reserved_code_per_sheet(resolution: tuple[int, int]) -> None:
    sheets = [f.blank(kind, n) for n, kind in enumerate(("referral", "exam", "report"), start=1)]
    pages = decoded_payloads(pf.render_blank_stack(sheets), resolution)
    assert pages == [[s.qr_payload] for s in sheets]


def test_payload_over_32_characters_is_refused() -> None:
    with pytest.raises(ValueError, match="32"):
        pf.render_referral(f.referral(meta=f.meta(qr_payload="RR1:" + "X" * 40)))


@pytest.mark.parametrize(
    "payload", ["RR1:K7M2QX:UTL:3", "RR1:I2147483647-K7Q3:LST:99", "RR1:" + "A" * 28]
)
def test_modules_are_at_least_one_millimetre_with_a_four_module_quiet_zone(payload: str) -> None:
    spec = qr_spec(payload)
    assert spec.module_mm >= QR_MIN_MODULE_MM
    assert spec.size_mm == pytest.approx((spec.modules + 2 * QR_QUIET_MODULES) * spec.module_mm)
    assert spec.level in ("Q", "H")


def test_module_smaller_than_a_millimetre_is_refused() -> None:
    with pytest.raises(ValueError):
        qr_spec("RR1:K7M2QX:UTL:3", module_mm=0.8)


def test_a_sheet_with_a_case_code_is_refused_without_its_qr() -> None:
    # Only the routine sheets may go without a QR (no address for tablets was known); a sheet
    # that names a code must carry it machine-readable too, or the scan station cannot find it.
    from printforms.header import Sheet

    with pytest.raises(ValueError, match="QR"):
        Sheet(title="UTLÅTANDE", code="K7QX-2M4P", qr_payload="", story=[])
    assert Sheet(title="RUTIN", code="", qr_payload="", story=[]).qr_payload == ""


@pytest.mark.parametrize("level", ["Q", "H"])
def test_the_size_a_qr_is_laid_out_for_is_the_size_it_is_drawn(level: str) -> None:
    # The header is laid out from the size alone; the encoding is only done to draw it.
    for length in range(1, 57):
        payload = "https://" + "A" * (length - 8) if length > 32 else "A" * length
        spec = qr_spec(payload, level=level)
        assert spec.modules == len(qr_matrix(spec)), payload
