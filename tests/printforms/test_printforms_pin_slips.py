"""The PIN slips: several to an A4 page with cut lines, each with the person's login."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

import printforms as pf
from printforms.data_office import PinSlip, PinSlipsData
from printforms.page import EDGE_MM, FONT_BOLD, PAGE_H_MM
from printforms.pin_slips import (
    BOTTOM_MM,
    COLUMNS,
    PAD_MM,
    PER_PAGE,
    QR_MODULE_MM,
    ROWS,
    RULE,
    SLIP_H_MM,
    SLIP_W_MM,
)
from printforms.qr import QR_QUIET_MODULES

from .conftest import (
    STANDARD_FAX,
    drawing_streams,
    fax_pages,
    pdf_text,
    placed_lines,
)

ADDRESS = "http://192.168.1.20:8080/"
# The longest name, username and address a slip may carry, of ordinary letters.
LONGEST_NAME = (
    "Maria Magdalena Kristina Elisabeth Andersson-Johansson af Ekenstam von Schwerin "
    "Löwenhielm Bergström-Lindqvist Dahlbergh"
)
LONGEST_USERNAME = "maria.magdalena.kristina.elisabeth.andersson-johansson.af.ekenst"
LONGEST_ADDRESS = "https://192.168.100.200:65535/"
LONG_SITE = "Röntgenkliniken vid Centralsjukhuset i Exempelstad"


def _data(count: int, **overrides: object) -> PinSlipsData:
    slips = tuple(PinSlip(f"Åsa Öberg {i}", f"asa.oberg{i}", f"{583920 + i}") for i in range(count))
    values: dict[str, object] = {
        "site": "Röntgen Testsjukhuset",
        "address": ADDRESS,
        "slips": slips,
    }
    values.update(overrides)
    return PinSlipsData(**values)  # type: ignore[arg-type]


def _pages(pdf: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_each_slip_has_the_site_address_name_username_pin_and_the_rule() -> None:
    text = " ".join(pdf_text(pf.render_pin_slips(_data(3))).split())
    for i in range(3):
        assert f"Åsa Öberg {i}" in text
        assert f"asa.oberg{i}" in text
        assert f"{583920 + i}" in text
    assert text.count("Röntgen Testsjukhuset") == 3
    assert text.count("http://192.168.1.20:8080/") == 3
    assert text.count("Byt PIN-kod vid första inloggningen") == 3


def test_eight_slips_fill_a_page_and_the_ninth_starts_the_next() -> None:
    pages = _pages(pf.render_pin_slips(_data(9)))
    assert len(pages) == 2
    assert "Åsa Öberg 7" in pages[0] and "Åsa Öberg 8" in pages[1]
    assert PdfReader(io.BytesIO(pf.render_pin_slips(_data(8)))).pages[0].mediabox.width == (
        pytest.approx(595.27, abs=0.1)
    )


def test_the_slips_are_parted_by_dashed_cut_lines() -> None:
    stream = drawing_streams(pf.render_pin_slips(_data(2)))[0]
    assert b" d" in stream  # a dash pattern is set
    assert stream.count(b" l S") + stream.count(b" l\nS") >= 3


def test_a_long_name_is_printed_whole_on_its_slip() -> None:
    name = "Anna-Karin Margareta Elisabeth Östergren-Söderström af Ekenstam"
    data = _data(0, slips=(PinSlip(name, "anna-karin.ostergren", "583920"),))
    text = " ".join(pdf_text(pf.render_pin_slips(data)).split())
    assert "Östergren-Söderström" in text and "af Ekenstam" in text


def test_no_pin_is_in_the_documents_metadata() -> None:
    reader = PdfReader(io.BytesIO(pf.render_pin_slips(_data(2))))
    assert "583920" not in repr(dict(reader.metadata or {}))


def test_nothing_to_print_is_refused() -> None:
    with pytest.raises(ValueError):
        pf.render_pin_slips(_data(0))


def _slip_boxes() -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) of each slip on a page in reading order, in points."""
    return [
        (
            (EDGE_MM + column * SLIP_W_MM) * mm,
            (PAGE_H_MM - EDGE_MM - (row + 1) * SLIP_H_MM) * mm,
            (EDGE_MM + (column + 1) * SLIP_W_MM) * mm,
            (PAGE_H_MM - EDGE_MM - row * SLIP_H_MM) * mm,
        )
        for row in range(ROWS)
        for column in range(COLUMNS)
    ]


def slip_payloads(pdf: bytes) -> list[list[list[str]]]:
    """The QR texts a camera reads on each slip of each page, at standard fax resolution.

    One slip at a time, as a tablet's camera is held to one: at 98 lines an inch the decoder
    finds none of codes set side by side on a whole page.
    """
    x_dpi, y_dpi = STANDARD_FAX
    out = []
    for page in fax_pages(pdf, STANDARD_FAX):
        slips = []
        for left, bottom, right, top in _slip_boxes():
            crop = page.crop(
                (
                    round(left / 72 * x_dpi),
                    round(page.height - top / 72 * y_dpi),
                    round(right / 72 * x_dpi),
                    round(page.height - bottom / 72 * y_dpi),
                )
            )
            slips.append([b.text for b in zxingcpp.read_barcodes(crop.convert("L"))])
        out.append(slips)
    return out


def test_each_slip_carries_the_laptops_address_as_a_qr_readable_at_fax_resolution() -> None:
    pages = slip_payloads(pf.render_pin_slips(_data(9)))
    assert pages == [[[ADDRESS]] * 8, [[ADDRESS]] + [[]] * 7]


def _assert_on_their_slips(pdf: bytes) -> None:
    """Every line of text inside a slip's margins: none on or past a cut line."""
    boxes = _slip_boxes()
    for text, left, right, baseline in placed_lines(pdf):
        assert any(
            x0 + PAD_MM * mm - 0.1 <= left
            and right <= x1 - 1 * mm
            and y0 + 2 * mm <= baseline <= y1 - PAD_MM * mm
            for x0, y0, x1, y1 in boxes
        ), text


def _assert_quiet_zones_clear(pdf: bytes) -> None:
    """Around each code, the quiet zone a camera needs is left white."""
    dpi = 300
    quiet = round(QR_QUIET_MODULES * QR_MODULE_MM / 25.4 * dpi)
    for page in fax_pages(pdf, (dpi, dpi)):
        grey = page.convert("L")
        for code in zxingcpp.read_barcodes(grey):
            corners = [code.position.top_left, code.position.bottom_right]
            x0, y0 = min(p.x for p in corners), min(p.y for p in corners)
            x1, y1 = max(p.x for p in corners), max(p.y for p in corners)
            ring = grey.crop((x0 - quiet, y0 - quiet, x1 + quiet, y1 + quiet))
            # The code itself, a pixel either way for where the decoder puts its corners.
            ring.paste(255, (quiet - 2, quiet - 2, ring.width - quiet + 2, ring.height - quiet + 2))
            assert ring.getextrema() == (255, 255), code.text


def test_the_longest_login_keeps_to_its_slip_and_clear_of_the_qrs_quiet_zone() -> None:
    slips = (
        PinSlip(LONGEST_NAME, LONGEST_USERNAME, "583920"),
        PinSlip("Anna-Karin Margareta Elisabeth Östergren-Söderström af Ekenstam", "a.o", "1"),
        PinSlip("Bo Ek", "bo.ek", "583921"),
    ) * 2
    assert len(LONGEST_NAME) == 120 and len(LONGEST_USERNAME) == 64
    pdf = pf.render_pin_slips(PinSlipsData(LONG_SITE, ADDRESS, slips))
    assert slip_payloads(pdf) == [[[ADDRESS]] * 6 + [[]] * 2]
    _assert_on_their_slips(pdf)
    _assert_quiet_zones_clear(pdf)


def test_a_login_too_long_to_leave_room_for_the_qr_keeps_the_address_as_text() -> None:
    # The longest of everything: the slip as it was without a QR, the address written out.
    slips = (PinSlip(LONGEST_NAME, LONGEST_USERNAME, "583920"), PinSlip("Bo Ek", "bo.ek", "1"))
    pdf = pf.render_pin_slips(PinSlipsData(LONG_SITE, LONGEST_ADDRESS, slips))
    assert slip_payloads(pdf) == [[[], [LONGEST_ADDRESS]] + [[]] * 6]
    text = " ".join(pdf_text(pdf).split())
    assert text.count(f"Öppna på surfplattan: {LONGEST_ADDRESS}") == 2
    _assert_on_their_slips(pdf)
    _assert_quiet_zones_clear(pdf)


def test_an_ipv6_address_of_the_longest_form_is_on_each_slip_as_a_qr() -> None:
    address = "https://[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:65535/"
    pdf = pf.render_pin_slips(_data(3, address=address))
    assert slip_payloads(pdf) == [[[address]] * 3 + [[]] * 5]
    _assert_on_their_slips(pdf)
    _assert_quiet_zones_clear(pdf)


# A site's name may be 200 characters (siteconfig.SITE_LENGTHS).
LONGEST_SITE = " ".join(["Röntgenkliniken vid Centralsjukhuset i Exempelstad"] * 4)[:200]


@pytest.mark.parametrize(
    "address", [ADDRESS, LONGEST_ADDRESS, ""], ids=["address", "longest-address", "no-address"]
)
def test_the_longest_site_name_with_the_longest_login_keeps_to_its_slip(address: str) -> None:
    slips = (PinSlip(LONGEST_NAME, LONGEST_USERNAME, "583920"), PinSlip("Bo Ek", "bo.ek", "1"))
    assert len(LONGEST_SITE) == 200
    pdf = pf.render_pin_slips(PinSlipsData(LONGEST_SITE, address, slips * 4))
    _assert_on_their_slips(pdf)
    text = " ".join(pdf_text(pdf).split())
    # Cut where it must be, and said to be: the start of the name still tells the site.
    assert text.count("Röntgenkliniken vid Centralsjukhuset") == 8
    assert text.count("…") >= 8
    assert text.count("Byt PIN-kod vid första inloggningen") == 8


# The longest address the laptop may have (an IPv6 one, https, the highest port), the widest
# letter a username may have (a-z, digits, . _ -) and a name of the widest capitals.
LONGEST_IPV6 = "https://[fd12:3456:789a:1234:5678:9abc:def0:1234]:65535/"
WIDEST_USERNAME = "m" * 64
WIDEST_NAME = "W" * 120


@pytest.mark.parametrize("name", [LONGEST_NAME, WIDEST_NAME], ids=["longest", "widest"])
@pytest.mark.parametrize("site", [LONG_SITE, LONGEST_SITE], ids=["site", "longest-site"])
def test_the_worst_case_slip_ends_above_its_bottom_margin(name: str, site: str) -> None:
    slips = (PinSlip(name, WIDEST_USERNAME, "583920"),) * PER_PAGE
    pdf = pf.render_pin_slips(PinSlipsData(site, LONGEST_IPV6, slips))
    placed = placed_lines(pdf)
    for x0, y0, x1, y1 in _slip_boxes():
        mine = [p for p in placed if x0 <= p[1] < x1 and y0 < p[3] < y1]
        # The rule is the slip's last line, and it keeps the margin above the cut line.
        assert RULE in mine[-1][0]
        assert min(baseline for *_, baseline in mine) >= y0 + BOTTOM_MM * mm - 0.01
        # The PIN whole and large, the username whole (broken over lines, never cut short).
        assert [
            right - left == pytest.approx(stringWidth("583920", FONT_BOLD, 18), rel=0.01)
            for text, left, right, _ in mine
            if text == "583920"
        ] == [True]
        texts = [text for text, *_ in mine]
        start = texts.index("Användarnamn:") + 1
        assert "".join(texts[start : texts.index("Tillfällig PIN-kod:")]) == WIDEST_USERNAME
    text = " ".join(pdf_text(pdf).split())
    # Without its QR, the address is on every slip as text.
    assert text.replace(" ", "").count(LONGEST_IPV6) == PER_PAGE
    _assert_on_their_slips(pdf)
