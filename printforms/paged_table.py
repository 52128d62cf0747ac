"""A long table paged by hand: each page's rows counted from heights known up front."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import Any

from reportlab.lib.colors import black
from reportlab.platypus import Flowable, Table, TableStyle

from printforms.base import FONT_BOLD, LINE_PT
from printforms.rtl import base_direction

BODY_PT = 10
LEADING_PT = BODY_PT + 2
PAD_PT = 3
TOP_PAD_PT = 2
BOTTOM_PAD_PT = 3

# The rule under each case's row: as thick as the box, since a 0.5 pt line vanished between
# two fax scan lines and two cases' rows ran together.
ROW_RULE = (LINE_PT, black)
# Under the case code on a page that goes on with a case cut at the page before's end.
CONTINUED = "(forts.)"


def row_height(cells: list[str]) -> float:
    """The height reportlab would measure for plain-text cells, given up front: PagedTable
    counts the rows that fit a page from it, and reportlab need not measure them again."""
    return LEADING_PT * max(cell.count("\n") + 1 for cell in cells) + TOP_PAD_PT + BOTTOM_PAD_PT


class PagedTable(Flowable):
    """A long table laid out as one Table per page, each under its own header row.

    reportlab splits a long Table at a page break by building a new Table of every remaining
    row, so a checklist's cost grew with the square of its length (a 10,000-case checklist
    spent half its time there). The row heights are known up front, so the rows that fit a page
    are counted here and only they become a Table.

    joined: the rows that continue the row above (a case's safety answers). Such a row spans
    every column but the first, has no rule between it and the row above, and is never on a
    page apart from it; those in bold are in bold type. The rule under each other row is
    `rule`; `style` has the rest.

    A row with its joined rows taller than a page is cut between pages after all, line by
    line (see _cut); on the next page the first `carried` cells of its row (the case code and
    the patient) come again, the code marked CONTINUED.
    """

    def __init__(
        self,
        rows: list[list[str]],
        heights: list[float],
        widths: list[float],
        style: TableStyle,
        *,
        rule: tuple[float, Any] = ROW_RULE,
        joined: frozenset[int] = frozenset(),
        bold: frozenset[int] = frozenset(),
        start: int = 1,
        ends: list[float] | None = None,
        carried: int = 1,
    ) -> None:
        super().__init__()
        self.rows = rows
        self.row_heights = heights
        self.col_widths = widths
        self.table_style = style
        self.rule = rule
        self.joined = joined
        self.bold = bold
        self.carried = carried
        self._start = start
        # ends[i] is the height of rows 1..i together; the header (row 0) is counted apart.
        self._ends = ends if ends is not None else [0.0, *accumulate(heights[1:])]
        self._width = sum(widths)

    def _body(self, start: int, stop: int) -> float:
        return self._ends[stop - 1] - self._ends[start - 1]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self._width, self.row_heights[0] + self._body(self._start, len(self.rows))

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        room = avail_height - self.row_heights[0] + 1e-6
        stop = bisect_right(self._ends, self._ends[self._start - 1] + room)
        stop = min(stop, len(self.rows))
        while stop in self.joined:  # the row it continues moves to the next page with it
            stop -= 1
        if stop <= self._start:
            if self._fits_no_page():
                # Whole, it stopped the list from printing at all; cut, it starts here.
                return self._cut(room)
            return []  # not one row fits under the header here: the next page
        page = self._table(self._start, stop)
        if stop == len(self.rows):
            return [page]
        return [page, self._rest(stop, [])]

    def _group_end(self, start: int) -> int:
        """The row after row `start` and the rows joined to it."""
        end = start + 1
        while end in self.joined:
            end += 1
        return end

    def _fits_no_page(self) -> bool:
        """Whether the first row and its joined rows are taller than a whole page's frame."""
        frame = getattr(self, "_frame", None)
        if frame is None:
            return False
        # At the top of a page the frame's room is all a page has (as BoxTable asks).
        full = frame._aH - self.row_heights[0]
        return bool(frame._atTop) or self._body(self._start, self._group_end(self._start)) > full

    def _rest(self, stop: int, carried: list[tuple[list[str], bool, bool]]) -> PagedTable:
        """The table from row `stop` on, after `carried` rows (cells, is joined, is bold)."""
        if not carried:
            return self._like(self.rows, self.row_heights, self.joined, self.bold, stop, self._ends)
        shift = len(carried) + 1 - stop
        rows = [self.rows[0], *(cells for cells, _, _ in carried), *self.rows[stop:]]
        heights = [self.row_heights[0], *map(row_height, rows[1 : len(carried) + 1])]
        heights += self.row_heights[stop:]
        joined = {n + 1 for n, (_, j, _) in enumerate(carried) if j}
        bold = {n + 1 for n, (_, _, b) in enumerate(carried) if b}
        joined.update(r + shift for r in self.joined if r >= stop)
        bold.update(r + shift for r in self.bold if r >= stop)
        return self._like(rows, heights, frozenset(joined), frozenset(bold), 1, None)

    def _like(
        self,
        rows: list[list[str]],
        heights: list[float],
        joined: frozenset[int],
        bold: frozenset[int],
        start: int,
        ends: list[float] | None,
    ) -> PagedTable:
        return PagedTable(
            rows,
            heights,
            self.col_widths,
            self.table_style,
            rule=self.rule,
            joined=joined,
            bold=bold,
            start=start,
            ends=ends,
            carried=self.carried,
        )

    def _cut(self, room: float) -> list[Flowable]:
        """The first row and its joined rows cut to the lines that fit `room`; the rest on the
        next page under a row that names the case again, its first cell marked CONTINUED.

        Only a row that fits on no page is cut: any other row and its joined rows still move
        to the next page whole.
        """
        start = self._start
        end = self._group_end(start)
        taken, used = start, 0.0
        while taken < end and used + self.row_heights[taken] <= room:
            used += self.row_heights[taken]
            taken += 1
        if taken == end:  # it fits after all (the heights added up another way)
            page = self._table(start, end)
            return [page, self._rest(end, [])] if end < len(self.rows) else [page]
        cells = self.rows[taken]
        lines = [cell.split("\n") for cell in cells]
        padding = row_height(cells) - LEADING_PT * max(map(len, lines))
        fits = int((room - used - padding) // LEADING_PT)
        if taken == start and fits < 1:
            return []  # not one line fits: reportlab says the page is too small
        kept = [*self.rows[start:taken]]
        flags = [(r in self.joined, r in self.bold) for r in range(start, taken)]
        carried: list[tuple[list[str], bool, bool]] = []
        if fits >= 1:
            kept.append(["\n".join(cell[:fits]) for cell in lines])
            flags.append((taken in self.joined, taken in self.bold))
            tail = ["\n".join(cell[fits:]) for cell in lines]
        else:
            tail = list(cells)
        head = self.rows[start]
        code = head[0].removesuffix(f"\n{CONTINUED}")
        if taken == start:
            carried.append(([f"{code}\n{CONTINUED}", *tail[1:]], False, taken in self.bold))
        else:
            named = head[: self.carried] + [""] * (len(head) - self.carried)
            carried.append(([f"{code}\n{CONTINUED}", *named[1:]], False, False))
            carried.append((tail, taken in self.joined, taken in self.bold))
        carried += [(self.rows[r], r in self.joined, r in self.bold) for r in range(taken + 1, end)]
        on_page = self._like(
            [self.rows[0], *kept],
            [self.row_heights[0], *map(row_height, kept)],
            frozenset(n + 1 for n, (j, _) in enumerate(flags) if j),
            frozenset(n + 1 for n, (_, b) in enumerate(flags) if b),
            1,
            None,
        )
        return [on_page, self._rest(end, carried)]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        table = self._table(self._start, len(self.rows))
        table.wrapOn(canvas, self._width, self.wrap(self._width, 0)[1])
        table.drawOn(canvas, x, y, _sW)

    def _table(self, start: int, stop: int) -> Table:
        table = Table(
            [self.rows[0], *self.rows[start:stop]],
            colWidths=self.col_widths,
            rowHeights=[self.row_heights[0], *self.row_heights[start:stop]],
        )
        table.setStyle(self.table_style)
        table.setStyle(self.page_style(start, stop))
        return table

    def page_style(self, start: int, stop: int) -> TableStyle:
        """The rules and spans of rows start..stop drawn as one table under the header."""
        commands: list[tuple[Any, ...]] = self._right_to_left(start, stop)
        if not self.joined:
            return TableStyle([("LINEBELOW", (0, 1), (-1, -1), *self.rule), *commands])
        for row in range(start, stop):
            at = row - start + 1
            if row in self.joined:
                commands.append(("SPAN", (1, at), (-1, at)))
            if row in self.bold:
                commands.append(("FONT", (1, at), (-1, at), FONT_BOLD, BODY_PT, LEADING_PT))
            if row + 1 not in self.joined:
                commands.append(("LINEBELOW", (0, at), (-1, at), *self.rule))
        return TableStyle(commands)

    def _right_to_left(self, start: int, stop: int) -> list[tuple[Any, ...]]:
        """Cells of rows start..stop in Hebrew or Arabic: every line of one runs in the cell's
        direction (its first letter's), at the right of the cell, as its reader expects."""
        commands: list[tuple[Any, ...]] = []
        for row in range(start, stop):
            at = row - start + 1
            for col, cell in enumerate(self.rows[row]):
                if base_direction(cell) == "R":
                    commands.append(("ALIGN", (col, at), (col, at), "RIGHT"))
                    commands.append(("DIRECTION", (col, at), (col, at), "RTL"))
        return commands
