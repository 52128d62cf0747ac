"""Blank forms for the downtime binder, each with a case code reserved in advance."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from reportlab.lib.colors import black
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from printforms.base import (
    BOX_LINE_PT,
    CONTENT_WIDTH_MM,
    FONT_BOLD,
    Sheet,
    fits_one_page,
    render_sheets,
    sheet_marks,
    styles,
)
from printforms.blocks import (
    CheckOptions,
    blank_options,
    blank_rows,
    heading,
    markup,
    sender_row,
)
from printforms.data import BlankSheetData
from printforms.data_ward import WardFax
from printforms.drawn_once import DrawnOnce
from printforms.header import layout_sheet
from printforms.rtl import DirectedParagraph

ANSWERS = ("Ja", "Nej", "Vet ej")


def _numbers(*numbers: str) -> str:
    return " / ".join(n for n in numbers if n)


def _contact(data: BlankSheetData) -> str:
    numbers = _numbers(data.department_fax, data.department_phone)
    if not data.department_hours:
        return numbers
    return (
        f"{numbers} ({data.department_hours}; därefter {_numbers(data.then_fax, data.then_phone)})"
    )


def _referral_fax(fax: WardFax) -> str:
    """One referral fax as the ward referral form names it: name, numbers, hours, whom after."""
    text = f"{fax.name}: fax {fax.fax}" + (f", telefon {fax.phone}" if fax.phone else "")
    if fax.hours:
        text += f" ({fax.hours}; därefter {fax.then_name}, fax {fax.then_fax})"
    return text


def _send_to(data: BlankSheetData) -> str:
    """Where the filled-in referral is faxed: the referral faxes, else the department's fax."""
    if data.referral_faxes:
        return "Ifylld remiss faxas till " + " · ".join(map(_referral_fax, data.referral_faxes))
    if not data.department_fax:
        return ""
    to = f"Ifylld remiss faxas till {data.department_fax}"
    if data.department_phone:
        to += f" · frågor: telefon {data.department_phone}"
    if data.department_hours:
        then = f"fax {data.then_fax}" + (f", telefon {data.then_phone}" if data.then_phone else "")
        to += f" · {data.department_hours}; därefter {then}"
    return to


def _referrer_heading(data: BlankSheetData) -> Flowable:
    """The referrer's heading, with where the filled-in form is faxed on the same line.

    On the heading's line because the form fills its page to the last millimetre.
    """
    to = _send_to(data)
    if not to:
        return heading("Remittent")
    style = ParagraphStyle("contact", parent=styles().label, fontName=FONT_BOLD, alignment=TA_RIGHT)
    own = styles().heading
    table = Table(
        [[Paragraph("Remittent", own), DirectedParagraph(markup(to), style)]],
        colWidths=[40 * mm, (CONTENT_WIDTH_MM - 40) * mm],
        spaceBefore=own.spaceBefore,
        spaceAfter=own.spaceAfter,
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    table.keepWithNext = 1
    return table


# As the referral form offers them (cases/display.py MOBILITY_LABELS); printforms imports no webapp.
MOBILITY_OPTIONS = ("Går själv", "Rullstol", "Säng", "Bår")


def _referral_story(data: BlankSheetData, lines: Mapping[str, int]) -> list[Flowable]:
    story: list[Flowable] = [heading("Patient")]
    story += blank_rows(
        [[("Namn", 1), ("Personnummer / reservnummer", 1), ("Kön, ålder (om okänd)", 1)]]
    )
    story.append(_referrer_heading(data))
    story += blank_rows(
        [
            [("Remitterande enhet", 1), ("Remittent", 1)],
            [("Telefon", 1), ("Svarsfax (obligatoriskt)", 1)],
        ]
    )
    if data.priorities:
        story.append(blank_options("Prioritet", data.priorities))
    else:
        story += blank_rows([[("Prioritet", 1)]])
    # The side asked in the label, as on the ward referral form: RIS needs it for a sided exam.
    story += blank_rows([[("Önskad undersökning (sida)", 1), ("Modalitet", 1)]])
    story += blank_rows(
        [[("Frågeställning", lines["Frågeställning"])], [("Anamnes", lines["Anamnes"])]]
    )
    story += [heading("Säkerhet")]
    story.append(safety_grid())
    story += blank_rows(
        [[("eGFR / kreatinin, datum", 1), ("Inkom (hur, datum, tid)", 1), ("Mottagen av", 1)]]
    )
    return story


# The safety questions a paper referral asks, as the app's referral form does.
SAFETY_QUESTIONS = (
    "Kontrastmedelsallergi",
    "Metformin",
    "Graviditet",
    "Pacemaker/ICD",
    "Implantat (vilket?)",
    "Njurfunktion okänd",
    "Smitta/isolering (vilken?)",
)


def safety_grid() -> Flowable:
    """A paper referral's safety questions, with mobility in the grid's last cell."""
    # Three to a row and mobility in the last cell, not a box of its own: the sheets have no
    # row to spare.
    return answer_grid(SAFETY_QUESTIONS, columns=3, extra=("Förflyttning", MOBILITY_OPTIONS))


def answer_grid(
    labels: Sequence[str],
    columns: int = 2,
    extra: tuple[str, Sequence[str]] | None = None,
) -> Table:
    """Safety questions two to a row, each with Ja / Nej / Vet ej boxes, to fit one page.

    extra is one more question with options of its own: it takes the rest of the last row.
    """
    st = styles()
    width = CONTENT_WIDTH_MM / columns * mm
    asked = [(label, ANSWERS) for label in labels] + ([extra] if extra else [])
    cells: list[object] = [
        [DirectedParagraph(markup(label), st.label), CheckOptions(options, size=10)]
        for label, options in asked
    ]
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    spare = columns - len(rows[-1])
    rows[-1] += [""] * spare
    style = [
        ("BOX", (0, 0), (-1, -1), BOX_LINE_PT, black),
        ("INNERGRID", (0, 0), (-1, -1), BOX_LINE_PT, black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if extra and spare:
        # Its options on one line: a wrapped row would push the last box off the page.
        style.append(("SPAN", (columns - 1 - spare, -1), (-1, -1)))
    table = Table(rows, colWidths=[width] * columns)
    table.setStyle(TableStyle(style))
    return table


# A documentation or report blank joins the case its referral began: the referral's code,
# written here, is how the scan station finds that case.
REFERRAL_CODE = "Remissens ärendekod"


def _exam_story(data: BlankSheetData, lines: Mapping[str, int]) -> list[Flowable]:
    story: list[Flowable] = [heading("Patient")]
    story += blank_rows([[("Namn", 1), ("Personnummer / reservnummer", 1), (REFERRAL_CODE, 1)]])
    story += [heading("Undersökning")]
    story += blank_rows(
        [
            [("Modalitet / rum", 1), ("Utförd undersökning (sida)", 1)],
            [("Start (datum, tid)", 1), ("Slut (tid)", 1)],
            [("Röntgensjuksköterska", 1), ("Tillfälligt ID på modaliteten", 1)],
        ]
    )
    story += [heading("Kontrast")]
    # The batch as the app asks it when a contrast is given ("okänt" may be written); in this
    # row, so no line is taken from the boxes for handwriting.
    story += blank_rows(
        [
            [
                ("Kontrastmedel", 1),
                ("Mängd (ml)", 1),
                ("Väg", 1),
                ("Batchnummer", 1),
                ("Vikt (kg)", 1),
            ]
        ]
    )
    # The app asks these before an MR exam is saved; a referral may have left them open.
    story.append(answer_grid(("Vid MR: pacemaker/ICD", "Vid MR: implantat (vilket?)")))
    story += [heading("Stråldos och bilder")]
    # Three to a row: the MR questions above take the row this saves.
    story += blank_rows(
        [
            [("DLP (mGy·cm)", 1), ("CTDIvol (mGy)", 1), ("DAP (Gy·cm²)", 1)],
            [("Genomlysningstid (s)", 1), ("Serier / bilder", 1), ("Skickade till PACS (tid)", 1)],
        ]
    )
    story.append(blank_options("Bilder till PACS", ("Ja", "Nej", "Misslyckades")))
    story += blank_rows([[("Komplikationer", 1)], [("Anteckningar", lines["Anteckningar"])]])
    return story


def _report_story(data: BlankSheetData, lines: Mapping[str, int]) -> list[Flowable]:
    story: list[Flowable] = [heading("Patient")]
    story += blank_rows(
        [
            [("Namn", 1), ("Personnummer / reservnummer", 1), (REFERRAL_CODE, 1)],
            # Faxed to the referrer: to whom, and (below) where questions about it go.
            [("Undersökning", 1), ("Till (remitterande enhet)", 1), ("Svarsfax", 1)],
        ]
    )
    story += sender_row(data.department, data.department_fax, data.department_phone, _contact(data))
    story += [heading("Utlåtande")]
    story += blank_rows([[("Fynd", lines["Fynd"])], [("Bedömning", lines["Bedömning"])]])
    story.append(blank_options("Signatur", ("Preliminärt", "Definitivt")))
    story += blank_rows([[("Radiolog", 1), ("Datum och tid", 1)]])
    story.append(blank_options("Akut fynd, remittenten ringd", ("Ja", "Nej")))
    return story


StoryBuilder = Callable[[BlankSheetData, Mapping[str, int]], list[Flowable]]

# Each blank's title, story and the boxes for handwriting that give up lines when the sheet
# would not fit one page (a long department name, many priorities, a KOPIA mark): a second
# page carries the code but none of the patient's boxes, and is faxed or filed on its own.
# Per box: (writing lines, fewest lines); the first box gives up its lines first.
BLANKS: dict[str, tuple[str, StoryBuilder, dict[str, tuple[int, int]]]] = {
    "referral": (
        "REMISS (BLANKETT)",
        _referral_story,
        {"Anamnes": (2, 1), "Frågeställning": (2, 1)},
    ),
    "exam": ("DOKUMENTATION (BLANKETT)", _exam_story, {"Anteckningar": (2, 1)}),
    "report": ("UTLÅTANDE (BLANKETT)", _report_story, {"Fynd": (8, 4), "Bedömning": (3, 2)}),
}


def _lines(boxes: Mapping[str, tuple[int, int]], short: int) -> dict[str, int]:
    """Writing lines per box with short lines taken off, from the first box on."""
    lines = {}
    for label, (full, fewest) in boxes.items():
        take = min(short, full - fewest)
        lines[label] = full - take
        short -= take
    return lines


def _sheet(data: BlankSheetData, short: int, story: list[Flowable] | None = None) -> Sheet:
    """The sheet with `short` writing lines given up; story: in place of the one built."""
    title, builder, boxes = BLANKS[data.kind]
    return Sheet(
        title=title,
        code=data.case_code,
        qr_payload=data.qr_payload,
        story=builder(data, _lines(boxes, short)) if story is None else story,
        marks=sheet_marks(data.is_drill, data.reprint_at),
        department=data.department,
        pdf_title=f"Blankett {data.case_code}",
    )


def _lines_short(data: BlankSheetData) -> int:
    """How many writing lines the sheet gives up to fit one page (all it can, if none do)."""
    boxes = BLANKS[data.kind][2]
    most = sum(full - fewest for full, fewest in boxes.values())
    return next((n for n in range(most) if fits_one_page(_sheet(data, n))), most)


def build_blank_sheet(data: BlankSheetData) -> Sheet:
    """One blank sheet, on one page; the code on it is already reserved in the app."""
    return _sheet(data, _lines_short(data))


def render_blank_stack(sheets: Sequence[BlankSheetData]) -> bytes:
    """A stack of blank sheets (one reserved code each) as one PDF."""
    # Sheets that differ only by their code are laid out alike: measured, built and drawn once
    # per stack (a form each page shows), unless a code moves the frame's top or bottom.
    stories: dict[tuple[BlankSheetData, float, float], tuple[int, list[Flowable] | None]] = {}
    built = []
    for data in sheets:
        sheet = _sheet(data, 0, story=[])
        layout = layout_sheet(sheet)
        key = (
            replace(data, case_code="", qr_payload=""),
            layout["rule_y"],
            layout["frame_bottom_mm"],
        )
        if key not in stories:
            short = _lines_short(data)
            whole = _sheet(data, short)
            drawn = [DrawnOnce(whole.story, f"rrblank{len(stories)}")]
            # One that does not fit its page even so goes on as it is, onto a second page.
            stories[key] = (short, drawn if fits_one_page(whole) else None)
        short, story = stories[key]
        sheet.story = story if story is not None else _sheet(data, short).story
        built.append(sheet)
    return render_sheets(built)
