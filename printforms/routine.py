"""The outage routines for the downtime binder: one sheet per scenario, read at any hour.

The screen shows whom to call now; the binder is read when the laptop is off, at any hour, so
each contact is printed with every window of its hours and who answers outside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from printforms.base import (
    BOX_LINE_PT,
    CONTENT_WIDTH_MM,
    FONT_BOLD,
    Sheet,
    fits_one_page,
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


@dataclass(frozen=True)
class Look:
    """How close a routine is set: the sizes of its text and the room around it."""

    body_pt: float = 11
    body_leading: float = 14.5
    # Under each paragraph, and above each heading.
    after_pt: float = 3
    heading_before_pt: float = 5
    # Above and below the text of a contact's box, a step and an item to sign.
    pad_pt: float = 2.5
    name_pt: float = 16


# From the roomiest down: a routine takes the first that keeps it on one page. The closest is
# still no text under 10 pt and a writing row of WRITING_ROW_MM, written by hand at the fax.
LOOKS = (
    Look(),
    Look(after_pt=1, heading_before_pt=3, pad_pt=1.5, name_pt=14),
    Look(body_pt=10, body_leading=12.5, after_pt=1, heading_before_pt=2, pad_pt=1, name_pt=13),
)


def _style(name: str, **values: object) -> ParagraphStyle:
    values.setdefault("parent", styles().body)
    return ParagraphStyle(name, **values)  # type: ignore[arg-type]


def _body(look: Look) -> ParagraphStyle:
    return _style(
        "routine_body",
        fontSize=look.body_pt,
        leading=look.body_leading,
        spaceAfter=look.after_pt,
    )


def _heading(text: str, look: Look) -> Paragraph:
    # Closer than the case sheets' headings: a routine with a few of everything fits one page.
    style = _style("routine_heading", parent=styles().heading, spaceBefore=look.heading_before_pt)
    return DirectedParagraph(markup(text), style)


def _para(text: str, style: ParagraphStyle, bold_prefix: str = "") -> Paragraph:
    body = markup(text)
    if bold_prefix:
        body = f"<b>{markup(bold_prefix)}</b> {body}"
    return DirectedParagraph(body, style)


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


def _contact_cell(contact: RoutineContact, look: Look) -> list[Flowable]:
    """The contact, its hours and, under them, each fallback in turn with its own hours, and
    at the end of the chain what to do when no one answers (after_hours)."""
    name = _style("contact", fontName=FONT_BOLD, fontSize=look.body_pt + 1, spaceAfter=0)
    body = _body(look)
    reach = _para(_reach(contact), body)
    if contact.hours:
        reach = _para(f"{', '.join(contact.hours)} · {_reach(contact)}", body, "Öppet:")
    return [_para(contact.name, name), reach, *_outside_hours(contact, look)]


def _outside_hours(contact: RoutineContact, look: Look) -> list[Flowable]:
    """Under a contact with hours: each fallback in turn, or what to do when no one answers."""
    out: list[Flowable] = []
    seen: set[int] = set()
    level, current = 0, contact
    while current.hours and current.fallback is not None and id(current.fallback) not in seen:
        current = current.fallback
        seen.add(id(current))
        level += 1
        line = f"{current.name}. {_reach(current)}."
        if current.hours:
            line += f" Öppet: {', '.join(current.hours)}."
        indent = _style(
            f"indent{level}", parent=_body(look), leftIndent=level * FALLBACK_INDENT_MM * mm
        )
        out.append(_para(line, indent, "Utanför öppettiderna:"))
    if current.hours and current.fallback is None and current.after_hours:
        indent = _style(
            f"indent{level + 1}",
            parent=_body(look),
            leftIndent=(level + 1) * FALLBACK_INDENT_MM * mm,
        )
        out.append(_para(current.after_hours, indent, "Utanför öppettiderna:"))
    return out


def _escalation(contact: RoutineContact, look: Look) -> list[Flowable]:
    """Whom the external reviewer calls in when the fault persists: the reviewer page says it
    under "Vem ringer vem", and at the fax at night the sheet is what is read."""
    line = f"granskaren ringer in {contact.name}. {_reach(contact)}."
    if contact.hours:
        line += f" Öppet: {', '.join(contact.hours)}."
    return [_para(line, _body(look), "Kvarstår felet:"), *_outside_hours(contact, look)]


def _contacts(scenario: RoutineScenarioData, holiday_note: str, look: Look) -> list[Flowable]:
    out: list[Flowable] = [_heading("Ring", look)]
    if not scenario.contacts:
        out.append(_para("Rutinen anger inga kontakter att ringa.", _body(look)))
    for contact in scenario.contacts:
        table = BoxTable([[_contact_cell(contact, look)]], colWidths=[CONTENT_WIDTH_MM * mm])
        table.setStyle(box_style())
        table.setStyle(_padded(look.pad_pt))
        out.append(table)
    if scenario.escalation is not None:
        out.append(Spacer(1, look.after_pt))
        out += _escalation(scenario.escalation, look)
    if holiday_note and any(c.hours for c in scenario.contacts):
        out.append(Spacer(1, look.after_pt))
        out.append(_para(holiday_note, styles().label))
    return out


def _padded(pad_pt: float) -> TableStyle:
    return TableStyle(
        [
            ("TOPPADDING", (0, 0), (-1, -1), pad_pt),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad_pt),
        ]
    )


class TickBox(Flowable):
    """An empty box to tick by hand."""

    def __init__(self) -> None:
        super().__init__()
        self.width = self.height = CHECKBOX_MM * mm

    def draw(self) -> None:
        self.canv.setLineWidth(BOX_LINE_PT)
        self.canv.setStrokeColor(black)
        self.canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)


def _steps(steps: Sequence[str], look: Look) -> list[Flowable]:
    out: list[Flowable] = [_heading("Gör så här", look)]
    body = _body(look)
    if not steps:
        return [*out, _para("Rutinen anger inga steg.", body)]
    rows = [[TickBox(), _para(f"{i}. {step}", body)] for i, step in enumerate(steps, start=1)]
    table = Table(rows, colWidths=[10 * mm, (CONTENT_WIDTH_MM - 10) * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    table.setStyle(_padded(look.pad_pt))
    out.append(table)
    return out


def _signed(title: str, items: Sequence[str], empty: str, look: Look) -> list[Flowable]:
    """Items to tick, each with room for the time and a signature."""
    out: list[Flowable] = [_heading(title, look)]
    body = _body(look)
    if not items:
        return [*out, _para(empty, body)]
    label = styles().label
    rows: list[list[object]] = [["", "", _para("Tid", label), _para("Signatur", label)]]
    rows += [[TickBox(), _para(item, body), Spacer(1, WRITING_ROW_MM * mm), ""] for item in items]
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
            ]
        )
    )
    table.setStyle(_padded(look.pad_pt + 0.5))
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


def _story(
    scenario: RoutineScenarioData, holiday_note: str, address: str, look: Look
) -> list[Flowable]:
    name = _style(
        "scenario",
        fontName=FONT_BOLD,
        fontSize=look.name_pt,
        leading=look.name_pt * 1.25,
        spaceAfter=2,
    )
    body = _body(look)
    # The box first: whoever reads the binder most likely does so as the laptop cannot be
    # reached, and a long routine then spills its follow-up, done last, onto a second page.
    story: list[Flowable] = [DirectedParagraph(markup(scenario.name), name), _unreachable(address)]
    story.append(_heading("Fungerar fortfarande", look))
    if scenario.still_works:
        story.append(_para(" · ".join(scenario.still_works), body))
    else:
        story.append(_para("Rutinen anger inget som fungerar.", body))
    story += _contacts(scenario, holiday_note, look)
    story += _steps(scenario.steps, look)
    story += _signed(
        "Kontakter och meddelanden",
        scenario.notifications,
        "Rutinen anger inga meddelanden.",
        look,
    )
    if scenario.follow_up:
        # Without one the section is left out, not said to be empty: that line alone could
        # take a page of a long routine.
        story += _signed("Uppföljning när systemen fungerar igen", scenario.follow_up, "", look)
    return story


def _info(data: RoutineBinderData) -> tuple[str, ...]:
    return (
        f"Utskriven {data.printed_at} av {data.printed_by}",
        f"Enhetens konfiguration {data.config_version}",
        # No QR of 127.0.0.1 as if a tablet could open it: only the laptop itself can.
        ADDRESS_LABEL if data.address else NO_ADDRESS,
    )


def _sheet(data: RoutineBinderData, scenario: RoutineScenarioData, look: Look) -> Sheet:
    return Sheet(
        title=TITLE,
        code=data.address,
        code_label="",
        qr_payload=data.address,
        story=_story(scenario, data.holiday_note, data.address, look),
        department=data.site,
        pdf_title=f"Rutiner vid driftstopp, {data.site}",
        code_line=scenario.position,
        info_lines=_info(data),
    )


def build_routine_sheets(data: RoutineBinderData) -> list[Sheet]:
    """One sheet per scenario, each starting on a new page with its own page count: on one
    page, set as close as it takes; a routine too long even so goes on onto more pages, each
    with the header, the QR and its page number."""
    if not data.scenarios:
        raise ValueError("a binder of routines needs a scenario")
    # Measured on a scratch page, then built afresh: a flowable laid out once is not reused.
    looks = [
        next((look for look in LOOKS if fits_one_page(_sheet(data, s, look))), LOOKS[-1])
        for s in data.scenarios
    ]
    return [_sheet(data, s, look) for s, look in zip(data.scenarios, looks, strict=True)]


def routines_over_one_page(data: RoutineBinderData) -> tuple[int, ...]:
    """The indexes of the scenarios whose routine runs past one page: those that do not fit it
    even set closest (the closest look is the one a routine that fits no look is printed in)."""
    return tuple(
        index
        for index, scenario in enumerate(data.scenarios)
        if not fits_one_page(_sheet(data, scenario, LOOKS[-1]))
    )


def render_routines(data: RoutineBinderData) -> bytes:
    """The routines as one PDF for the binder."""
    return render_sheets(build_routine_sheets(data))
