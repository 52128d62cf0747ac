"""Per-sheet page numbers ("Sida x av y"), drawn when the whole document is known."""

from __future__ import annotations

from collections import Counter
from typing import Any

from reportlab.lib.colors import black
from reportlab.pdfgen.canvas import Canvas

from printforms.page import FONT, FONT_BOLD
from printforms.rtl import VisualTextObject


def defer_page_number(
    canv: Canvas,
    x: float,
    y: float,
    size: float,
    *,
    bold: bool = False,
    align: str = "left",
    template: str = "Sida {page} av {pages}",
) -> None:
    """Queue a page number for this page; totals are known only when the document is done."""
    canv._rr_numbers.append((x, y, size, bold, align, template))  # type: ignore[attr-defined]


class SheetCanvas(Canvas):
    """Keeps pages until save so each sheet can print "Sida x av y" with its own total."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._rr_pages: list[dict[str, Any]] = []
        self._rr_numbers: list[tuple[float, float, float, bool, str, str]] = []
        self._rr_sheet = 0
        # Pages drawn so far of each sheet (by index), for a QR that names its page.
        self._rr_sheet_pages: Counter[int] = Counter()
        self._rr_forms: set[str] = set()

    def beginText(self, x: float = 0, y: float = 0, direction: str | None = None) -> Any:
        # Every string reaches the page through a text object (paragraph lines, table cells,
        # the header): here each is put in the order it is read.
        return VisualTextObject(self, x, y, direction=direction)

    def drawRightString(
        self,
        x: float,
        y: float,
        text: str,
        mode: int | None = None,
        charSpace: float = 0,
        direction: str | None = None,
        wordSpace: float | None = None,
        shaping: bool = False,
    ) -> None:
        # reportlab's leaves the direction out of the text object: a table cell's right-to-left
        # line then ran in its own first letter's direction, not in the cell's.
        if direction is None:
            super().drawRightString(x, y, text, mode, charSpace, direction, wordSpace, shaping)
            return
        width = self.stringWidth(text)
        if charSpace:
            width += (len(text) - 1) * charSpace
        if wordSpace:
            width += (text.count(" ") + text.count("\xa0") - 1) * wordSpace
        self.drawString(x - width, y, text, mode, charSpace, direction, wordSpace, shaping)

    def showPage(self) -> None:
        self._rr_pages.append(dict(self.__dict__))
        self._startPage()
        self._rr_numbers = []

    def save(self) -> None:
        totals = Counter(state["_rr_sheet"] for state in self._rr_pages)
        seen: Counter[int] = Counter()
        for state in self._rr_pages:
            self.__dict__.update(state)
            seen[self._rr_sheet] += 1
            for x, y, size, bold, align, template in self._rr_numbers:
                text = template.format(page=seen[self._rr_sheet], pages=totals[self._rr_sheet])
                self.setFillColor(black)
                self.setFont(FONT_BOLD if bold else FONT, size)
                if align == "right":
                    self.drawRightString(x, y, text)
                else:
                    self.drawString(x, y, text)
            super().showPage()
        super().save()
