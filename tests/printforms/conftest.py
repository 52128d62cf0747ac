"""Helpers for checking PDFs the way a fax machine and a secretary will see them."""

from __future__ import annotations

import contextlib
import io
import re
import zlib
from typing import Any

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

STANDARD_FAX = (204, 98)
FINE_FAX = (204, 196)


def fax_pages(pdf: bytes, resolution: tuple[int, int]) -> list[Image.Image]:
    """Every page as a 1-bit image at a fax resolution (different x and y dpi)."""
    x_dpi, y_dpi = resolution
    doc = pdfium.PdfDocument(pdf)
    pages = []
    for index in range(len(doc)):
        image = doc[index].render(scale=x_dpi / 72, grayscale=True).to_pil().convert("L")
        image = image.resize((image.width, round(image.height * y_dpi / x_dpi)))
        pages.append(image.point(lambda v: 255 if v > 128 else 0).convert("1"))
    doc.close()
    return pages


def decoded_payloads(pdf: bytes, resolution: tuple[int, int]) -> list[list[str]]:
    """The QR texts found on each page at the given fax resolution."""
    return [
        [b.text for b in zxingcpp.read_barcodes(page.convert("L"))]
        for page in fax_pages(pdf, resolution)
    ]


def pdf_text(pdf: bytes) -> str:
    """All text a secretary's PDF reader would extract."""
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def raw_streams(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to search for leaked strings."""
    out = [pdf]
    start = 0
    while True:
        begin = pdf.find(b"stream", start)
        if begin < 0:
            break
        data_start = pdf.find(b"\n", begin) + 1
        end = pdf.find(b"endstream", data_start)
        with contextlib.suppress(zlib.error):
            out.append(zlib.decompress(pdf[data_start:end].strip()))
        start = end + 9
    return b"\n".join(out)


def drawing_streams(pdf: bytes) -> list[bytes]:
    """The page content streams and form XObjects (what is drawn, not the embedded fonts)."""
    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        out.append(page.get_contents().get_data())
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        for ref in xobjects.values():
            out.append(ref.get_object().get_data())
    return out


def drawn_lines(pdf: bytes) -> list[str]:
    """Each line of text as it is drawn: its glyphs left to right, as the characters they map to.

    A reader's extracted text is no check of right-to-left text: pypdf and pdfium both turn
    what they take for a right-to-left run around again (and pdfium mirrors its brackets).
    """
    reader = PdfReader(io.BytesIO(pdf))
    lines: list[str] = []
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        glyphs = {name: _glyph_map(font.get_object()) for name, font in fonts.items()}
        font, line = "", ""
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                font = operands[0]
            elif operator in (b"Tj", b"TJ"):
                for item in operands[0] if operator == b"TJ" else operands[:1]:
                    if not isinstance(item, (int, float)):
                        line += "".join(glyphs[font].get(b, "?") for b in item.original_bytes)
            elif operator in (b"T*", b"ET") and line:
                lines.append(line)
                line = ""
    return lines


def _glyph_map(font: Any) -> dict[int, str]:
    if "/ToUnicode" not in font:
        return {code: chr(code) for code in range(256)}
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    pairs = "".join(re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S))
    return {
        int(code, 16): bytes.fromhex(text).decode("utf-16-be")
        for code, text in re.findall(r"<([0-9A-F]+)> <([0-9A-F]+)>", pairs)
    }


def placed_lines(pdf: bytes) -> list[tuple[str, float, float, float]]:
    """Each line of text as drawn_lines reads it, with where it is drawn on its page: its left
    and right edge and its baseline, in points from the page's lower left corner."""
    return [(line, left, right, baseline) for line, left, right, baseline, _ in sized_lines(pdf)]


def sized_lines(pdf: bytes) -> list[tuple[str, float, float, float, float]]:
    """placed_lines with the size each line is drawn at, in points on the page (its smallest
    when parts of it differ): what a fax has to keep legible."""
    reader = PdfReader(io.BytesIO(pdf))
    placed: list[tuple[str, float, float, float, float]] = []
    for page in reader.pages:
        fonts = {name: font.get_object() for name, font in page["/Resources"]["/Font"].items()}
        glyphs = {name: _glyph_map(font) for name, font in fonts.items()}
        ctm, saved = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), []
        tm = tlm = ctm
        font, size, leading, word_space = "", 0.0, 0.0, 0.0
        line, left, advance, baseline, drawn = "", 0.0, 0.0, 0.0, 0.0
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"q":
                saved.append(ctm)
            elif operator == b"Q":
                ctm = saved.pop()
            elif operator == b"cm":
                ctm = _times(tuple(map(float, operands)), ctm)
            elif operator == b"BT":
                tm = tlm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
            elif operator == b"Tm":
                tm = tlm = tuple(map(float, operands))
            elif operator in (b"Td", b"TD", b"T*"):
                dx, dy = (0.0, -leading) if operator == b"T*" else map(float, operands)
                if operator == b"TD":
                    leading = -dy
                tm = tlm = _times((1.0, 0.0, 0.0, 1.0, dx, dy), tlm)
            elif operator == b"TL":
                leading = float(operands[0])
            elif operator == b"Tw":
                word_space = float(operands[0])
            elif operator == b"Tf":
                font, size = operands[0], float(operands[1])
            elif operator in (b"Tj", b"TJ"):
                for item in operands[0] if operator == b"TJ" else operands[:1]:
                    if isinstance(item, (int, float)):
                        tm = _times((1.0, 0.0, 0.0, 1.0, -float(item) / 1000 * size, 0.0), tm)
                        continue
                    if not line:
                        left, baseline = _times(tm, ctm)[4:]
                        drawn = float("inf")
                    drawn = min(drawn, abs(_times(tm, ctm)[3]) * size)
                    for code in item.original_bytes:
                        line += glyphs[font].get(code, "?")
                        width = _width(fonts[font], code) * size + (word_space if code == 32 else 0)
                        tm = _times((1.0, 0.0, 0.0, 1.0, width, 0.0), tm)
                    advance = _times(tm, ctm)[4]
            if operator in (b"T*", b"ET") and line:
                placed.append((line, left, advance, baseline, drawn))
                line = ""
    return placed


def _times(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, ...]:
    """The PDF matrix product a × b (a applied first)."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def _width(font: Any, code: int) -> float:
    """A simple font's advance for one byte, in text space units per point of size."""
    first = int(font.get("/FirstChar", 0))
    widths = font.get("/Widths")
    if widths is None or not first <= code < first + len(widths):
        return 0.0
    return float(widths[code - first]) / 1000
