"""The outage routines for the downtime binder: one sheet per scenario, read at any hour.

The screen shows whom to call now; the binder is read when the laptop is off, at any hour, so
each contact is printed with every window of its hours and who answers outside them.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from printforms.base import (
    BOX_LINE_PT,
    CONTENT_WIDTH_MM,
    FONT_BOLD,
    Sheet,
    render_sheets,
    styles,
)
from printforms.blocks import CHECKBOX_MM, BoxTable, box_style, markup
from printforms.data_office import (
    NO_ADDRESS,
    RoutineBinderData,
    RoutineContact,
    RoutineScenarioData,
)
from printforms.phone_lines import NO_BREAK
from printforms.rtl import DirectedParagraph

TITLE = "RUTIN VID DRIFTSTOPP"
ADDRESS_LABEL = "QR-koden: Reservrutins adress vid utskriften"
NO_NUMBER = "Inget nummer i enhetens kontaktlista."
# Indent of each fallback under the contact it stands in for.
FALLBACK_INDENT_MM = 5.0
# A row to write the time and a signature in by hand.
WRITING_ROW_MM = 5.5
TIME_MM = 22.0
SIGNATURE_MM = 38.0

# What the app does with the binder's blanks (webapp/blanks): codes reserved in advance that are
# never given out again, entered later by scanning or typing the code.
UNREACHABLE_HEADING = "Om Reservrutin inte går att nå"
UNREACHABLE_WITHOUT_ADDRESS = (
    "Går det inte: följ rutinen här och använd pärmens tomma "
    "blanketter, var och en med en förbokad ärendekod som aldrig delas ut igen (skriv aldrig en "
    "egen kod). Skriv remissens kod på dokumentationen och utlåtandet. Lägg ifyllda blanketter "
    "i röda backen. När datorn fungerar igen förs varje blankett in under sin kod (skanna "
    "QR-koden eller skriv koden)."
)
UNREACHABLE = f"Prova adressen i QR-koden. {UNREACHABLE_WITHOUT_ADDRESS}"


def _style(name: str, **values: object) -> ParagraphStyle:
    values.setdefault("parent", styles().body)
    return ParagraphStyle(name, **values)  # type: ignore[arg-type]


def _heading(text: str) -> Paragraph:
    # Closer than the case sheets' headings: a routine with a few of everything fits one page.
    return DirectedParagraph(
        markup(text), _style("routine_heading", parent=styles().heading, spaceBefore=5)
    )


def _para(text: str, style: ParagraphStyle | None = None, bold_prefix: str = "") -> Paragraph:
    body = markup(text)
    if bold_prefix:
        body = f"<b>{markup(bold_prefix)}</b> {body}"
    return DirectedParagraph(body, style or styles().body)


def _whole(number: str) -> str:
    # A number wrapped at its own space reads as two numbers to whoever dials from the binder;
    # one of at most 40 characters fits the narrowest (most indented) line of a contact.
    return number.replace(" ", NO_BREAK)


def _reach(contact: RoutineContact) -> str:
    """How to reach the contact, on one line: phone (with its menu path), fax, e-mail."""
    parts = []
    if contact.phones:
        # As the written routines give two: "033-616 12 10 eller 033-616 45 78".
        parts.append(f"telefon {' eller '.join(_whole(p) for p in contact.phones)}")
    if contact.menu:
        parts.append(f"menyval: {contact.menu}")
    if contact.fax:
        parts.append(f"fax {_whole(contact.fax)}")
    if contact.email:
        parts.append(f"e-post {contact.email}")
    if not (contact.phones or contact.fax or contact.email):
        parts.append(NO_NUMBER)
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def _contact_cell(contact: RoutineContact) -> list[Flowable]:
    """The contact, its hours and, under them, each fallback in turn with its own hours, and
    at the end of the chain what to do when no one answers (after_hours)."""
    cell: list[Flowable] = [_para(contact.name, _style("contact", fontName=FONT_BOLD, fontSize=12))]
    reach = _para(_reach(contact))
    if contact.hours:
        reach = _para(f"{', '.join(contact.hours)} · {_reach(contact)}", bold_prefix="Öppet:")
    cell.append(reach)
    seen: set[int] = set()
    level, current = 0, contact
    while current.hours and current.fallback is not None and id(current.fallback) not in seen:
        current = current.fallback
        seen.add(id(current))
        level += 1
        line = f"{current.name}. {_reach(current)}."
        if current.hours:
            line += f" Öppet: {', '.join(current.hours)}."
        indent = _style(f"indent{level}", leftIndent=level * FALLBACK_INDENT_MM * mm)
        cell.append(_para(line, indent, "Utanför öppettiderna:"))
    if current.hours and current.fallback is None and current.after_hours:
        indent = _style(f"indent{level + 1}", leftIndent=(level + 1) * FALLBACK_INDENT_MM * mm)
        cell.append(_para(current.after_hours, indent, "Utanför öppettiderna:"))
    return cell


def _contacts(contacts: Sequence[RoutineContact], holiday_note: str) -> list[Flowable]:
    out: list[Flowable] = [_heading("Ring")]
    if not contacts:
        out.append(_para("Rutinen anger inga kontakter att ringa."))
    for contact in contacts:
        table = BoxTable([[_contact_cell(contact)]], colWidths=[CONTENT_WIDTH_MM * mm])
        table.setStyle(box_style())
        out.append(table)
    if holiday_note and any(c.hours for c in contacts):
        out.append(Spacer(1, 1.5 * mm))
        out.append(_para(holiday_note, styles().label))
    return out


class TickBox(Flowable):
    """An empty box to tick by hand."""

    def __init__(self) -> None:
        super().__init__()
        self.width = self.height = CHECKBOX_MM * mm

    def draw(self) -> None:
        self.canv.setLineWidth(BOX_LINE_PT)
        self.canv.setStrokeColor(black)
        self.canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)


def _steps(steps: Sequence[str]) -> list[Flowable]:
    out: list[Flowable] = [_heading("Gör så här")]
    if not steps:
        return [*out, _para("Rutinen anger inga steg.")]
    rows = [[TickBox(), _para(f"{i}. {step}")] for i, step in enumerate(steps, start=1)]
    table = Table(rows, colWidths=[10 * mm, (CONTENT_WIDTH_MM - 10) * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    out.append(table)
    return out


def _signed(title: str, items: Sequence[str], empty: str) -> list[Flowable]:
    """Items to tick, each with room for the time and a signature."""
    out: list[Flowable] = [_heading(title)]
    if not items:
        return [*out, _para(empty)]
    label = styles().label
    rows: list[list[object]] = [["", "", _para("Tid", label), _para("Signatur", label)]]
    rows += [[TickBox(), _para(item), Spacer(1, WRITING_ROW_MM * mm), ""] for item in items]
    # Room for "HH:MM" and initials by hand; the item's own text gets the rest, on one line.
    text_w = CONTENT_WIDTH_MM - 10 - TIME_MM - SIGNATURE_MM
    widths = (10, text_w, TIME_MM, SIGNATURE_MM)
    table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), BOX_LINE_PT, black),
                ("INNERGRID", (0, 0), (-1, -1), BOX_LINE_PT, black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("SPAN", (0, 0), (1, 0)),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    out.append(table)
    return out


def _unreachable(address: str) -> Table:
    """The fixed box: what to do when the app itself cannot be reached."""
    style = ParagraphStyle("unreachable", parent=styles().label)
    text = UNREACHABLE if address else f"{NO_ADDRESS}. {UNREACHABLE_WITHOUT_ADDRESS}"
    cell = [_para(text, style, f"{UNREACHABLE_HEADING}:")]
    table = Table([[cell]], colWidths=[CONTENT_WIDTH_MM * mm], spaceAfter=1 * mm)
    # A heavier frame: the box is the same on every routine and is looked for first.
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 2, black),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _story(scenario: RoutineScenarioData, holiday_note: str, address: str) -> list[Flowable]:
    name = _style("scenario", fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=2)
    # The box first: whoever reads the binder most likely does so as the laptop cannot be
    # reached, and a long routine then spills its follow-up, done last, onto a second page.
    story: list[Flowable] = [DirectedParagraph(markup(scenario.name), name), _unreachable(address)]
    story.append(_heading("Fungerar fortfarande"))
    if scenario.still_works:
        story.append(_para(" · ".join(scenario.still_works)))
    else:
        story.append(_para("Rutinen anger inget som fungerar."))
    story += _contacts(scenario.contacts, holiday_note)
    story += _steps(scenario.steps)
    story += _signed(
        "Kontakter och meddelanden", scenario.notifications, "Rutinen anger inga meddelanden."
    )
    if scenario.follow_up:
        # Without one the section is left out, not said to be empty: that line alone could
        # take a page of a long routine.
        story += _signed("Uppföljning när systemen fungerar igen", scenario.follow_up, "")
    return story


def build_routine_sheets(data: RoutineBinderData) -> list[Sheet]:
    """One sheet per scenario, each starting on a new page with its own page count."""
    if not data.scenarios:
        raise ValueError("a binder of routines needs a scenario")
    info = (
        f"Utskriven {data.printed_at} av {data.printed_by}",
        f"Enhetens konfiguration {data.config_version}",
        # No QR of 127.0.0.1 as if a tablet could open it: only the laptop itself can.
        ADDRESS_LABEL if data.address else NO_ADDRESS,
    )
    return [
        Sheet(
            title=TITLE,
            code=data.address,
            code_label="",
            qr_payload=data.address,
            story=_story(scenario, data.holiday_note, data.address),
            department=data.site,
            pdf_title=f"Rutiner vid driftstopp, {data.site}",
            code_line=scenario.position,
            info_lines=info,
        )
        for scenario in data.scenarios
    ]


def render_routines(data: RoutineBinderData) -> bytes:
    """The routines as one PDF for the binder."""
    return render_sheets(build_routine_sheets(data))
