"""The ward referral form ("Röntgenremiss vid driftstopp"): the paper referral a ward fills in,
signs and faxes to radiology when the order tool or RIS is down.

Published by the site on its intranet and printed by wards as often as they need it, so it
carries no case code: its QR names the form and the site, and the scan station offers to
register the referral it holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from xml.sax.saxutils import escape

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from printforms.base import (
    BOX_LINE_PT,
    CONTENT_WIDTH_MM,
    Sheet,
    composed,
    fits_one_page,
    render_sheets,
    styles,
)
from printforms.blank import safety_grid
from printforms.blocks import BOX_PADDING_PT, blank_options, blank_rows, markup
from printforms.data_ward import WardFax, WardReferralData
from printforms.rtl import DirectedParagraph

TITLE = "RÖNTGENREMISS VID DRIFTSTOPP"
HOW = "När remissverktyget eller RIS inte fungerar. Svaret faxas till svarsfaxen."
# Per box: (writing lines, fewest lines); the first box gives up its lines first.
BOXES: dict[str, tuple[int, int]] = {"Anamnes": (3, 1), "Frågeställning": (3, 1)}


def _fax_line(fax: WardFax) -> str:
    """One radiology fax as markup: its name in bold, the numbers, its hours and whom after."""
    parts = [f"fax {escape(composed(fax.fax))}"]
    if fax.phone:
        parts.append(f"telefon {escape(composed(fax.phone))}")
    line = f"<b>{escape(composed(fax.name))}</b>: {' · '.join(parts)}"
    if fax.hours:
        then = f"{fax.then_name}, fax {fax.then_fax}"
        line += f" ({markup(fax.hours)}; därefter {markup(then)})"
    return line


def _fax_box(data: WardReferralData) -> Flowable:
    st = styles()
    rows = [[DirectedParagraph("<b>Faxa den ifyllda remissen till röntgen</b>", st.label)]]
    rows += [[DirectedParagraph(_fax_line(fax), st.label)] for fax in data.faxes]
    rows += [[DirectedParagraph(markup(HOW), st.label)]]
    # Twice a field box's frame: where the paper goes is what a ward looks for first.
    table = Table(rows, colWidths=[CONTENT_WIDTH_MM * mm])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 2 * BOX_LINE_PT, black),
                ("LEFTPADDING", (0, 0), (-1, -1), BOX_PADDING_PT + 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), BOX_PADDING_PT + 2),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _story(data: WardReferralData, lines: Mapping[str, int], ticked: bool = True) -> list[Flowable]:
    # No headings between the boxes: the form has no room to spare beside where to fax it.
    story: list[Flowable] = [_fax_box(data), Spacer(1, 1 * mm)]
    story += blank_rows(
        [
            [("Patientens namn", 1), ("Personnummer/reservnummer", 1), ("Kön, ålder", 1)],
            [
                ("Remitterande enhet", 1),
                ("Remitterande läkare", 1),
                ("Telefon", 1),
                ("Svarsfax (obligatoriskt)", 1),
            ],
        ]
    )
    if data.priorities and ticked:
        story.append(blank_options("Prioritet", data.priorities))
    else:
        story += blank_rows([[("Prioritet", 1)]])
    story += blank_rows([[("Önskad undersökning (sida)", 1), ("Modalitet", 1)]])
    story += blank_rows(
        [[("Frågeställning", lines["Frågeställning"])], [("Anamnes", lines["Anamnes"])]]
    )
    story.append(safety_grid())
    story += blank_rows(
        [[("eGFR / kreatinin, datum", 1), ("Datum och tid", 1), ("Underskrift", 1)]]
    )
    return story


def _lines(short: int) -> dict[str, int]:
    """Writing lines per box with short lines taken off, from the first box on."""
    lines = {}
    for label, (full, fewest) in BOXES.items():
        take = min(short, full - fewest)
        lines[label] = full - take
        short -= take
    return lines


def _sheet(data: WardReferralData, short: int, ticked: bool = True) -> Sheet:
    return Sheet(
        title=TITLE,
        code=data.form_mark,
        qr_payload=data.qr_payload,
        story=_story(data, _lines(short), ticked),
        # The site's name where other sheets name their department: whose form it is.
        department=data.site_name,
        pdf_title=f"Röntgenremiss vid driftstopp, {data.site_name}",
        # No case: the line under the title says what the form is; the page number follows it.
        code_line="Avdelningsremiss",
        info_lines=tuple(
            line
            for line in (
                "Ingen ärendekod: får kopieras och användas flera gånger.",
                f"Enhet {data.site_code} · QR {data.qr_payload}",
                data.printed,
            )
            if line
        ),
    )


def build_ward_referral_sheet(data: WardReferralData) -> Sheet:
    """The form on one page: the writing boxes give up lines until it fits, then the
    priorities their tick boxes (a line to write one on instead)."""
    most = sum(full - fewest for full, fewest in BOXES.values())
    tries = [(n, True) for n in range(most + 1)] + [(n, False) for n in range(most + 1)]
    for short, ticked in tries:
        sheet = _sheet(data, short, ticked)
        if fits_one_page(sheet):
            return sheet
    # Past the configuration's limits: onto a second page rather than cut.
    return _sheet(data, most, ticked=False)


def render_ward_referral(data: WardReferralData) -> bytes:
    """The ward referral form as a one-page PDF."""
    return render_sheets([build_ward_referral_sheet(data)])
