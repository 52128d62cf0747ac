"""No text in a sheet's header or footer is smaller than the sheets' smallest fax text
(INFO_PT), even with every mark a sheet can carry and the longest department name a site may
configure: a footer mark shrunk to 6 pt (ÖVNING, ÄNDRAD, KOPIA) was what a fax blurred away."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from reportlab.lib.units import mm

import printforms as pf
from printforms.footer import FOOTER_LINE_MM, fit_footer
from printforms.header import INFO_PT, layout_sheet
from printforms.marks import Mark
from printforms.page import EDGE_MM, FOOTER_RULE_MM

from . import factories as f
from .conftest import STANDARD_FAX, decoded_payloads, sized_lines
from .test_printforms_header_patient_fit import _single_pages

# webapp.siteconfig.SITE_LENGTHS allows a department of 200 characters.
LONGEST_DEPARTMENT = ("Verksamhetsområde Bild- och funktionsmedicin, Länssjukhuset " * 4)[:200]
EVERY_MARK = dict(
    is_drill=True,
    reprint_at="2025-03-02 16:40",
    is_cancelled=True,
    changed_since="2025-03-02 14:12",
    changed_parts=("prioritet", "undersökning"),
)


def _meta(data: Any) -> Any:
    return f.with_meta(data, department=LONGEST_DEPARTMENT, **EVERY_MARK)


# (render, build the sheet, the data with every mark it can carry)
SHEETS: dict[str, tuple[Callable[[Any], bytes], Callable[[Any], Any], Any]] = {
    "referral": (pf.render_referral, pf.referral.build_referral_sheet, _meta(f.referral())),
    "exam": (pf.render_exam, pf.exam.build_exam_sheet, _meta(f.exam())),
    "report": (
        pf.render_report,
        pf.report.build_report_sheet,
        _meta(f.report(is_preliminary=True, is_urgent=True)),
    ),
    "release-report": (
        pf.render_release_report,
        pf.release_report.build_release_report_sheet,
        f.release_report(report=_meta(f.report(is_preliminary=True, is_urgent=True))),
    ),
    "disc-label": (
        pf.render_disc_label,
        pf.disc_label.build_disc_label_sheet,
        _meta(f.disc_label()),
    ),
    "cover": (pf.render_cover, pf.cover.build_cover_sheet, _meta(f.red_tray())),
    "cancel-notice": (
        pf.render_cancel_notice,
        pf.cancel_notice.build_cancel_notice_sheet,
        _meta(f.cancel_notice()),
    ),
    "anonymised-referral": (
        pf.render_anonymised_referral,
        pf.anonymised.build_anonymised_referral_sheet,
        _meta(f.anonymised_referral()),
    ),
    "anonymised-report": (
        pf.render_anonymised_report,
        pf.anonymised.build_anonymised_report_sheet,
        _meta(f.anonymised_report(is_preliminary=True, is_urgent=True)),
    ),
    "incident-list": (
        pf.render_incident_list,
        pf.incident_list.build_incident_list_sheet,
        f.incident_list(department=LONGEST_DEPARTMENT, is_drill=True),
    ),
    "followup": (
        pf.render_followup,
        pf.followup.build_followup_sheet,
        f.followup(
            department=LONGEST_DEPARTMENT, is_drill=True, provisional_as_of="2025-03-02 16:40"
        ),
    ),
    "blank": (
        lambda data: pf.render_blank_stack([data]),
        pf.build_blank_sheet,
        f.blank(department=LONGEST_DEPARTMENT, is_drill=True, reprint_at="2025-03-02 16:40"),
    ),
}


def _payload(data: Any) -> str:
    if hasattr(data, "report"):
        return str(data.report.meta.qr_payload)
    if hasattr(data, "meta"):
        return str(data.meta.qr_payload)
    return str(data.qr_payload)


@pytest.mark.parametrize("kind", list(SHEETS))
def test_no_header_or_footer_text_is_below_the_smallest_fax_size(kind: str) -> None:
    render, build, data = SHEETS[kind]
    sheet = build(data)
    assert sheet.marks
    pdf = render(data)
    layout = layout_sheet(sheet)
    frame_bottom = layout["frame_bottom_mm"] * mm
    for page in _single_pages(pdf):
        lines = sized_lines(page)
        decor = [p for p in lines if p[3] > layout["rule_y"] * mm or p[3] < frame_bottom]
        small = [(text, round(size, 2)) for text, *_, size in decor if size < INFO_PT - 0.01]
        assert not small
        footer = " ".join(text for text, _, _, baseline, _ in lines if baseline < frame_bottom)
        # Every mark whole in the footer, clear of the fax's edge band.
        for mark in sheet.marks:
            assert mark.text in footer
        assert all(baseline > EDGE_MM * mm for *_, baseline, _ in lines)
        # The department cut rather than shrunk: its start is there, at the fax's size.
        assert any(text.startswith("Verksamhetsområde Bild-") for text, *_ in decor)
    for page_no, payloads in enumerate(decoded_payloads(pdf, STANDARD_FAX), 1):
        assert payloads == [_payload(data).replace("{page}", str(page_no))]


def test_marks_that_fit_beside_the_code_keep_the_footer_and_frame_as_they_were() -> None:
    # One mark: the footer is one line and the frame ends where every pinned sheet's did.
    sheet = pf.referral.build_referral_sheet(f.with_meta(f.referral(), is_drill=True))
    layout = layout_sheet(sheet)
    assert layout["frame_bottom_mm"] == pf.base.FRAME_BOTTOM_MM
    assert len(layout["footer"].marks) == 1


def test_a_short_department_is_whole() -> None:
    sheet = pf.referral.build_referral_sheet(f.referral())
    assert layout_sheet(sheet)["department"] == ("Röntgenkliniken, Demosjukhuset", INFO_PT)


def test_a_blank_stack_with_marks_too_wide_for_one_line_renders() -> None:
    data = f.blank(department=LONGEST_DEPARTMENT, is_drill=True, reprint_at="2025-03-02 16:40")
    pdf = pf.render_blank_stack([data, replace(data, case_code="WWWWWW")])
    assert len(_single_pages(pdf)) >= 2


def test_marks_wider_than_the_page_take_a_further_line_each_mark_whole() -> None:
    marks = [Mark(word) for word in ("ANONYMISERAD", "MAKULERAD", "AKUT FYND", "ÖVNING")] * 3
    footer = fit_footer("K7M2QX", marks)
    assert len(footer.marks) == 2
    assert footer.rule_mm == FOOTER_RULE_MM + 2 * FOOTER_LINE_MM
    assert footer.frame_bottom_mm == pf.base.FRAME_BOTTOM_MM + 2 * FOOTER_LINE_MM
    words = [w for line, *_ in footer.marks for w in line.split(" · ")]
    assert words == [m.text for m in marks]
    # Top line first, each a line above the code's, below the rule.
    baselines = [baseline for *_, baseline in footer.marks]
    assert baselines == sorted(baselines, reverse=True)
    assert baselines[0] < footer.rule_mm - FOOTER_LINE_MM + 0.01
