"""A blank binder sheet is one page whatever the site's configuration puts on it."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from reportlab.platypus import Table

import printforms as pf
from printforms.base import CONTENT_LEFT_MM, PAGE_W_MM, Sheet
from printforms.blocks import WritingLines
from printforms.data_ward import WardFax

from . import factories as f
from .conftest import STANDARD_FAX, decoded_payloads

# The site's department has no length limit; this is a real one.
LONG_DEPARTMENT = (
    "Verksamhetsområde Bild- och funktionsmedicin, Sahlgrenska Universitetssjukhuset/Östra "
    "sjukhuset, Akutröntgen"
)
TEN_PRIORITIES = tuple(f"Prioritet {i} (inom {i} dygn)" for i in range(1, 11))

# The last box of each blank: the one that went onto a second page when the sheet grew.
LAST_BOX = {
    "referral": "Mottagen av",
    "exam": "Anteckningar",
    "report": "Akut fynd, remittenten ringd",
}

SITES = {
    "long-department": dict(department=LONG_DEPARTMENT),
    "long-department-reprint": dict(department=LONG_DEPARTMENT, reprint_at="2025-03-02 16:40:00"),
    "ten-priorities": dict(priorities=TEN_PRIORITIES),
    # A reply contact staffed by day: its hours and the numbers after them.
    "reply-hours": dict(
        department=LONG_DEPARTMENT,
        department_fax="0999-500 01 00 00 00",
        department_phone="0999-500 00 00 00 00",
        department_hours="mån–fre 07:30–15:30, lör 08:00–12:00",
        then_fax="0999-100 01 00 00 00",
        then_phone="0999-100 00 00 00 00",
    ),
    # Three referral faxes ([site] referral_fax) with long names, two staffed by day.
    "referral-faxes": dict(
        department=LONG_DEPARTMENT,
        reprint_at="2025-03-02 16:40:00",
        referral_faxes=tuple(
            WardFax(
                name=f"Röntgen {n}, Universitetssjukhuset (fax)",
                fax=f"0999-{n}00 01",
                phone=f"0999-{n}00 00",
                hours="mån–fre 07:30–15:30" if n > 1 else "",
                then_name="Röntgen 1, Universitetssjukhuset (fax)" if n > 1 else "",
                then_fax="0999-100 01" if n > 1 else "",
            )
            for n in range(1, 4)
        ),
    ),
    "everything": dict(
        department=LONG_DEPARTMENT * 2,
        department_fax="0999-100 01 00 00 00",
        department_phone="0999-100 00 00 00 00",
        priorities=TEN_PRIORITIES,
        reprint_at="2025-03-02 16:40:00",
    ),
}


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("site", list(SITES))
@pytest.mark.parametrize("kind", list(LAST_BOX))
def test_blank_stays_one_page_with_its_last_box(kind: str, site: str) -> None:
    # A second page carries the same code but none of the patient's boxes: the report
    # blank's urgent-call box, faxed on a page of its own, could not be matched by a reader.
    pages = _pages(pf.render_blank_stack([f.blank(kind, **SITES[site])]))
    assert len(pages) == 1
    assert LAST_BOX[kind] in pages[0]
    assert "Sida 1 av 1" in pages[0]


@pytest.mark.parametrize("kind", ["referral", "report"])
def test_blank_gives_up_writing_lines_only_when_it_must(kind: str) -> None:
    # The usual site's sheet keeps every line for handwriting.
    plain = pf.build_blank_sheet(f.blank(kind))
    crowded = pf.build_blank_sheet(f.blank(kind, **SITES["everything"]))
    assert _writing_lines(crowded) < _writing_lines(plain)
    assert _writing_lines(plain) == FULL_LINES[kind]


# The exam blank: 21 before the contrast row gained the batch and weight boxes, one line each.
FULL_LINES = {"referral": 16, "exam": 23, "report": 19}


def _writing_lines(sheet: Sheet) -> int:
    def count(item: object) -> int:
        if isinstance(item, WritingLines):
            return item.lines
        if isinstance(item, Table):
            return sum(count(cell) for row in item._cellvalues for cell in row)
        if isinstance(item, list | tuple):
            return sum(count(x) for x in item)
        return 0

    return count(sheet.story)


def test_stack_of_crowded_blanks_is_one_page_per_code() -> None:
    sheets = [f.blank("report", n, **SITES["long-department"]) for n in range(1, 4)]
    pages = decoded_payloads(pf.render_blank_stack(sheets), STANDARD_FAX)
    assert pages == [[s.qr_payload] for s in sheets]


# A site's priority labels have no length limit either; this one is longer than a line.
LONG_PRIORITY = (
    "Akut – inom en timme enligt överenskommelse med akutmottagningen och narkosen, "
    "ring bakjour på 0999-100 20 före undersökningen"
)


def test_a_priority_label_longer_than_a_line_is_printed_whole_inside_its_box() -> None:
    # It was drawn as one line, over the box's edge and off the paper ("ring bakj").
    pdf = pf.render_blank_stack([f.blank("referral", priorities=("Akut", LONG_PRIORITY))])
    pages = _pages(pdf)
    assert len(pages) == 1
    assert " ".join(LONG_PRIORITY.split()) in " ".join(pages[0].split())
    dpi = 100
    doc = pdfium.PdfDocument(pdf)
    image = doc[0].render(scale=dpi / 72).to_pil().convert("L")
    doc.close()
    # Right of the content's right edge (where the boxes end): nothing drawn.
    right = round((PAGE_W_MM - CONTENT_LEFT_MM) / 25.4 * dpi) + 2
    assert image.crop((right, 0, image.width, image.height)).getextrema()[0] >= 250


def test_the_documentation_blank_asks_the_mr_safety_questions_the_exam_form_requires() -> None:
    text = _pages(pf.render_blank_stack([f.blank("exam")]))[0]
    assert "Vid MR: pacemaker/ICD" in text and "Vid MR: implantat (vilket?)" in text
    assert "Vet ej" in text
    # Asked without taking a line from the boxes for handwriting.
    assert _writing_lines(pf.build_blank_sheet(f.blank("exam"))) == FULL_LINES["exam"]


def test_the_documentation_blank_asks_for_the_contrast_batch_and_the_weight() -> None:
    text = _pages(pf.render_blank_stack([f.blank("exam")]))[0]
    # The app asks for the batch when a contrast was given; the paper asks it beside the agent.
    assert "Batchnummer" in text and "Vikt (kg)" in text
    # In the contrast's row: every other box keeps its lines for handwriting.
    assert _writing_lines(pf.build_blank_sheet(f.blank("exam"))) == FULL_LINES["exam"]


def test_the_printed_referral_blank_asks_for_infection_and_mobility() -> None:
    text = _pages(pf.render_blank_stack([f.blank("referral")]))[0]
    assert "Smitta/isolering (vilken?)" in text
    assert "Förflyttning" in text
    for option in ("Går själv", "Rullstol", "Säng", "Bår"):
        assert option in text


def test_the_binder_blanks_ask_for_the_side_of_the_exam() -> None:
    """The app asks the side of a sided exam and prints a side that differs from the
    referral's; a blank filled in by hand must ask it too, as the ward referral form does, or
    RIS is keyed with a knee and no side from the red tray."""
    referral = _pages(pf.render_blank_stack([f.blank("referral")]))[0]
    assert "Önskad undersökning (sida)" in referral
    exam = _pages(pf.render_blank_stack([f.blank("exam")]))[0]
    assert "Utförd undersökning (sida)" in exam
    # Said in the label: no line is taken from the boxes for handwriting.
    assert _writing_lines(pf.build_blank_sheet(f.blank("exam"))) == FULL_LINES["exam"]
    assert _writing_lines(pf.build_blank_sheet(f.blank("referral"))) == FULL_LINES["referral"]
