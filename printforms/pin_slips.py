"""PIN slips for new users: eight to an A4 page, parted by dashed cut lines.

Drawn on the canvas rather than as a sheet: a slip is cut out and handed over, so it carries
no header, case QR or page number, and nothing on it names the others. Its one QR code is the
laptop's address, beside the login, for the tablet's camera.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.colors import black, gray
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from printforms.data_office import NO_ADDRESS, PinSlip, PinSlipsData
from printforms.page import EDGE_MM, FONT, FONT_BOLD, PAGE_H_MM, PAGE_W_MM, one_line, register_fonts
from printforms.qr import QR_MIN_MODULE_MM, QR_QUIET_MODULES, QrSpec, draw_qr, qr_spec

COLUMNS = 2
ROWS = 4
PER_PAGE = COLUMNS * ROWS
SLIP_W_MM = (PAGE_W_MM - 2 * EDGE_MM) / COLUMNS
SLIP_H_MM = (PAGE_H_MM - 2 * EDGE_MM) / ROWS
PAD_MM = 5.0
TEXT_W_MM = SLIP_W_MM - 2 * PAD_MM
# The height the name may take, in points of font size summed over its lines.
NAME_PT = 36
RULE = "Byt PIN-kod vid första inloggningen."
# The slip is printed and handed over, never faxed or copied: the smallest module the sheets
# allow, at the level of correction common on print, leaves the login a column beside it
# (a long address took 41 mm at the sheets' 1.2 mm and level H, 33 mm so).
QR_MODULE_MM = QR_MIN_MODULE_MM
QR_LEVEL = "M"
# The most lines the site's name takes at the slip's top; one when the longest login needs the
# room (without the address's QR, the note that there is no address takes two lines).
SITE_LINES = 2
# The last line's baseline at least this far above the slip's lower cut line.
BOTTOM_MM = 3.0
# The address's text, and the least it is set in when the longest login needs the room (the
# username's least): the longest address, an IPv6 one, takes two lines of it, not three.
ADDRESS_PT = 8.0
ADDRESS_MIN_PT = 7.0
# The name's budget (NAME_PT) lowered in these steps, down to the name's 6 pt, when the worst
# case still runs into the bottom margin: the name is whole but smaller, the username and PIN
# keep their size, as the login is what is typed from the slip.
NAME_PT_STEPS = (NAME_PT, 30, 24, 18, 12)


@dataclass(frozen=True)
class Fit:
    """How tightly a slip is set: the site's lines, the address's size and the name's budget."""

    site_lines: int = SITE_LINES
    address_pt: float = ADDRESS_PT
    name_pt: float = NAME_PT


# Tried in turn until the slip's last line keeps its margin; the last is the tightest.
FITS = (
    Fit(),
    Fit(site_lines=1),
    Fit(site_lines=1, address_pt=ADDRESS_MIN_PT),
    *(Fit(1, ADDRESS_MIN_PT, budget) for budget in NAME_PT_STEPS[1:]),
)


def _lines(text: str, font: str, size: float, width_mm: float = TEXT_W_MM) -> list[str]:
    """The text in lines of the given width: a name is never cut short, only wrapped (the
    longest name a user may have, 120 characters, takes at most six lines beside the QR)."""
    width = width_mm * mm
    out: list[str] = []
    for line in simpleSplit(one_line(text), font, size, width):
        # A word wider than the slip (a username, a name without spaces) is broken anywhere.
        while stringWidth(line, font, size) > width:
            cut = len(line) - 1
            while cut > 1 and stringWidth(line[:cut], font, size) > width:
                cut -= 1
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return out


def _site_lines(site: str, most: int) -> list[str]:
    """The site's name in at most `most` lines, the last cut with "…" when it is longer: a name
    of 200 characters took six, and the slip's login ran over its cut line and off the page.
    The name's start tells the site; the person's login below it must be whole."""
    lines = _lines(site, FONT_BOLD, 9)
    if len(lines) <= most:
        return lines
    last = lines[most - 1]
    while last and stringWidth(f"{last.rstrip()}…", FONT_BOLD, 9) > TEXT_W_MM * mm:
        last = last[:-1]
    return [*lines[: most - 1], f"{last.rstrip()}…"]


def _fitted(text: str, font: str, size: float, smallest: float, width_mm: float) -> float:
    """The largest size down to `smallest` at which the text is one line of the width."""
    while size > smallest and stringWidth(one_line(text), font, size) > width_mm * mm:
        size -= 0.5
    return size


def _draw_slip(
    canvas: Canvas | None,
    data: PinSlipsData,
    slip: PinSlip,
    spec: QrSpec | None,
    left: float,
    top: float,
    fit: Fit = FITS[0],
) -> float:
    """Draw the slip (canvas None: only lay it out); returns its last line's baseline (pt)."""
    x = (left + PAD_MM) * mm
    y = (top - PAD_MM) * mm

    def line(text: str, font: str, size: float, gap: float = 1.3) -> None:
        nonlocal y
        y -= size * gap
        if canvas is not None:
            canvas.setFont(font, size)
            canvas.drawString(x, y, text)

    for part in _site_lines(data.site, fit.site_lines):
        line(part, FONT_BOLD, 9)
    where = f"Öppna på surfplattan: {data.address}" if data.address else f"{NO_ADDRESS}."
    for part in _lines(where, FONT, fit.address_pt):
        line(part, FONT, fit.address_pt)
    y -= 2 * mm
    qr_bottom, column_mm = y, TEXT_W_MM
    if spec is not None:
        # At the right edge, its right quiet zone in the slip's margin; the login beside it
        # keeps out of its left quiet zone, and what comes below it has the slip's whole width.
        qr_left = left + SLIP_W_MM - PAD_MM + QR_QUIET_MODULES * spec.module_mm - spec.size_mm
        qr_bottom = y - spec.size_mm * mm
        column_mm = qr_left - left - PAD_MM
        if canvas is not None:
            draw_qr(canvas, spec, qr_left * mm, qr_bottom)

    def width() -> float:
        return TEXT_W_MM if y <= qr_bottom else column_mm

    name_w = width()
    name_size = _fitted(slip.name, FONT_BOLD, 13, 9, name_w)
    # The longest name may take six lines of 6 pt beside the QR; in its widest letters, more.
    while (
        name_size > 6
        and len(_lines(slip.name, FONT_BOLD, name_size, name_w)) * name_size > fit.name_pt
    ):
        name_size -= 0.5
    for part in _lines(slip.name, FONT_BOLD, name_size, name_w):
        line(part, FONT_BOLD, name_size)
    y -= 1 * mm
    line("Användarnamn:", FONT, 8)
    user_size = _fitted(slip.username, FONT_BOLD, 12, 7, width())
    for part in _lines(slip.username, FONT_BOLD, user_size, width()):
        line(part, FONT_BOLD, user_size, 1.2)
    line("Tillfällig PIN-kod:", FONT, 8)
    line(one_line(slip.pin), FONT_BOLD, 18, 1.2)
    y -= 1 * mm
    for part in _lines(RULE, FONT_BOLD, 9, width()):
        line(part, FONT_BOLD, 9)
    return y


def _slip_qr(data: PinSlipsData, slip: PinSlip, spec: QrSpec, left: float, top: float) -> bool:
    """Whether the slip has room for the QR: the longest of everything (site name, address,
    name and username) does not, and keeps the address as text rather than leave its slip."""
    return _draw_slip(None, data, slip, spec, left, top) >= (top - SLIP_H_MM + BOTTOM_MM) * mm


def _cut_lines(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setStrokeColor(gray)
    canvas.setLineWidth(0.5)
    canvas.setDash(3, 3)
    left, right = EDGE_MM * mm, (PAGE_W_MM - EDGE_MM) * mm
    bottom, top = EDGE_MM * mm, (PAGE_H_MM - EDGE_MM) * mm
    for column in range(COLUMNS + 1):
        x = (EDGE_MM + column * SLIP_W_MM) * mm
        canvas.line(x, bottom, x, top)
    for row in range(ROWS + 1):
        y = (EDGE_MM + row * SLIP_H_MM) * mm
        canvas.line(left, y, right, y)
    canvas.restoreState()


def render_pin_slips(data: PinSlipsData) -> bytes:
    """The slips as PDF bytes, eight to a page in reading order."""
    if not data.slips:
        raise ValueError("no slips to print")
    register_fonts()
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4)
    # The metadata names the document, never a person or a PIN.
    canvas.setTitle("PIN-lappar")
    canvas.setAuthor("Reservrutin")
    canvas.setCreator("Reservrutin")
    # No QR of 127.0.0.1 as if a tablet could open it: only the laptop itself can.
    spec = qr_spec(data.address, QR_MODULE_MM, QR_LEVEL) if data.address else None
    for start in range(0, len(data.slips), PER_PAGE):
        _cut_lines(canvas)
        canvas.setFillColor(black)
        for index, slip in enumerate(data.slips[start : start + PER_PAGE]):
            row, column = divmod(index, COLUMNS)
            left = EDGE_MM + column * SLIP_W_MM
            top = PAGE_H_MM - EDGE_MM - row * SLIP_H_MM
            fits = spec is not None and _slip_qr(data, slip, spec, left, top)
            shown = spec if fits else None
            lowest = (top - SLIP_H_MM + BOTTOM_MM) * mm
            # The loosest setting that keeps the margin; the tightest when none would (a
            # slip a little low beats no slips for a new user).
            fit = next(
                (f for f in FITS if _draw_slip(None, data, slip, shown, left, top, f) >= lowest),
                FITS[-1],
            )
            _draw_slip(canvas, data, slip, shown, left, top, fit)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()
