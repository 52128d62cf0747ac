"""Page geometry, fonts and paragraph styles shared by every sheet."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from printforms.rtl import shaped

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

PAGE_W_MM = A4[0] / mm
PAGE_H_MM = A4[1] / mm
# Fax machines and copiers lose the outer edge; nothing may be drawn within this band.
EDGE_MM = 15.0
# Content keeps a little more distance so 0.75 pt box lines never reach the edge band.
CONTENT_LEFT_MM = 17.0
CONTENT_WIDTH_MM = PAGE_W_MM - 2 * CONTENT_LEFT_MM
FOOTER_RULE_MM = 22.0
FRAME_BOTTOM_MM = 25.0

# The smallest text a fax keeps legible: no text a sheet faxes is drawn smaller.
INFO_PT = 10.0

LINE_PT = 0.75
BOX_LINE_PT = 0.75


# Whitespace as the space or line break it stands for: a tab pasted from a spreadsheet or a
# lone CR from an old system has no glyph, and a line separator's glyph is empty (in a header
# line the words ran together).
_WHITESPACE = str.maketrans(
    {"\t": " ", "\v": " ", "\f": " ", "\r": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"}
)


def composed(text: str) -> str:
    """The text as the sheet's fonts can draw it: each letter and its accents as one character
    (NFC), Arabic letters joined (see printforms.rtl), and a character without a glyph as its
    code, e.g. [U+738B].

    A PDF has no text shaping: an accent typed as its own combining character (as some systems
    paste Ö: O and U+0308) is drawn where a lower-case letter has it, inside a capital, and a
    fax reader takes Ö for Ø. A character the font lacks (an emoji, a name in Chinese) was an
    empty box, which says neither what was typed nor tells two such names apart.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").translate(_WHITESPACE))
    drawable = _drawable()
    text = shaped(text, drawable)
    if set(text) <= drawable:
        return text
    return "".join(ch if ch in drawable else f"[U+{ord(ch):04X}]" for ch in text)


def plain(text: str) -> str:
    """composed(text) for what is drawn as plain strings rather than as a paragraph.

    A soft hyphen (pasted from a word processor) is where a word may break, drawn only where
    it does, as a paragraph draws it. Plain strings break at spaces only, and the soft
    hyphen's glyph is a hyphen, which in a name is part of it (Öberg-Ängström).
    """
    return composed(text).replace("\N{SOFT HYPHEN}", "")


def one_line(text: str) -> str:
    """plain(text) for what is drawn as a single line, where a line break has no glyph."""
    return plain(text).replace("\n", " ")


@cache
def _drawable() -> frozenset[str]:
    """The characters both fonts have a glyph for, and the line break paragraphs take."""
    register_fonts()
    regular, bold = (set(pdfmetrics.getFont(name).face.charToGlyph) for name in (FONT, FONT_BOLD))
    return frozenset({"\n", *map(chr, regular & bold)})


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode map of a font subset, with characters beyond U+FFFF in UTF-16.

    reportlab writes such a character as its bare code point ("<1F600>", odd-length and
    invalid), so a smiley or a double-struck letter the fonts have was drawn on the paper but
    gone from the PDF's text: from what a secretary copies, searches or has read aloud.
    """
    cmap: str = _reportlab_cmap(fontname, subset)
    for index, code in enumerate(subset):
        if code > 0xFFFF:
            utf16 = chr(code).encode("utf-16-be").hex().upper()
            cmap = cmap.replace(f"<{index:02X}> <{code:04X}>\n", f"<{index:02X}> <{utf16}>\n", 1)
    return cmap


_reportlab_cmap = ttfonts.makeToUnicodeCMap


@cache
def register_fonts() -> None:
    """Register the vendored DejaVu fonts once per process."""
    # reportlab looks the function up in its module each time it writes a font subset.
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


@dataclass(frozen=True)
class Styles:
    label: ParagraphStyle
    value: ParagraphStyle
    body: ParagraphStyle
    heading: ParagraphStyle
    small_heading: ParagraphStyle
    big: ParagraphStyle
    warning_title: ParagraphStyle


@cache
def styles() -> Styles:
    register_fonts()
    # Labels are regular and values bold and larger, so they stay apart after two photocopies.
    label = ParagraphStyle("label", fontName=FONT, fontSize=10, leading=12, alignment=TA_LEFT)
    value = ParagraphStyle("value", fontName=FONT_BOLD, fontSize=12, leading=15)
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=14.5, spaceAfter=3)
    heading = ParagraphStyle(
        "heading",
        fontName=FONT_BOLD,
        fontSize=13,
        leading=16,
        spaceBefore=8,
        spaceAfter=3,
        # Headings are followed by small boxes, so keeping them together is cheap.
        keepWithNext=1,
    )
    small_heading = ParagraphStyle(
        "small_heading", fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=6, spaceAfter=2
    )
    big = ParagraphStyle("big", fontName=FONT_BOLD, fontSize=30, leading=36)
    # The OBS of the warning box: capitals over 4 mm tall, 16 scan lines of a standard fax.
    warning_title = ParagraphStyle("warning_title", fontName=FONT_BOLD, fontSize=18, leading=22)
    return Styles(label, value, body, heading, small_heading, big, warning_title)
