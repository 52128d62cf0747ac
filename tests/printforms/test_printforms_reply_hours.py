"""The site's answer address with its hours (a reply contact staffed by day) on the sheets that
give it, and those sheets still on their one page with every part of it at its limit."""

from __future__ import annotations

import pytest

import printforms as pf

from . import factories as f
from .conftest import STANDARD_FAX, decoded_payloads, pdf_text

# A number's limit is 40 characters; two lines of hours; a contact named at 100 characters, the
# reply contact's limit.
LONG_NUMBER = "0999-123 46 alt 0999-123 47 natt 0999-12"
LONG_HOURS = "mån–fre 07:30–15:30, lör–sön 09:00–12:00"
LONG_NAME = ("Röntgenavdelningen vid Lillby lasarett, faxen i expeditionen " * 2)[:100]
LONG_UNIT = ("Medicinkliniken avdelning 12 hjärtintensiven " * 5)[:200]
LONG_CLINICIAN = ("Dr Karl-Johan Åkerström-Lindqvist, överläkare " * 5)[:200]
SMALL_SITE = dict(
    from_fax="0999-500 01",
    from_phone="0999-500 00",
    from_hours="mån–fre 07:30–15:30",
    then_fax="0999-100 01",
    then_phone="0999-100 00",
)
AT_LIMITS = dict(
    from_fax=LONG_NUMBER,
    from_phone=LONG_NUMBER,
    from_hours=LONG_HOURS,
    then_fax=LONG_NUMBER,
    then_phone=LONG_NUMBER,
)
# The addressee at the referral's limits, as the report's own fit test has it.
TO_AT_LIMITS = dict(to_unit=LONG_UNIT, to_clinician=LONG_CLINICIAN, to_fax=LONG_NUMBER)

REPORTS = [
    pytest.param(pf.render_report, f.report, id="report"),
    pytest.param(pf.render_anonymised_report, f.anonymised_report, id="anonymised"),
]


def _text(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def _one_page(pdf: bytes) -> None:
    assert "Sida 1 av 1" in _text(pdf)
    payloads = decoded_payloads(pdf, STANDARD_FAX)
    assert len(payloads) == 1 and len(payloads[0]) == 1


@pytest.mark.parametrize(("render", "data"), REPORTS)
def test_the_fax_block_gives_the_hours_of_the_senders_numbers(render, data) -> None:
    text = _text(render(data(fax=f.fax_header(**SMALL_SITE))))
    assert "Fax / telefon 0999-500 01 / 0999-500 00" in text
    assert "Fax / telefon svarar mån–fre 07:30–15:30; därefter 0999-100 01 / 0999-100 00" in text


def test_the_cancel_notice_gives_the_phone_to_ring_and_its_hours_in_the_fax_block() -> None:
    text = _text(pf.render_cancel_notice(f.cancel_notice(fax=f.fax_header(**SMALL_SITE))))
    assert "ring Röntgenkliniken Demosjukhuset, telefon 0999-500 00" in text
    assert "Fax / telefon svarar mån–fre 07:30–15:30; därefter 0999-100 01 / 0999-100 00" in text


def test_a_sender_without_a_phone_gives_the_fax_alone() -> None:
    fax = f.fax_header(from_fax="0999-900 01", from_phone="")
    assert "Fax 0999-900 01 Skickat" in _text(pf.render_report(f.report(fax=fax)))
    notice = _text(pf.render_cancel_notice(f.cancel_notice(fax=fax)))
    assert "ring Röntgenkliniken Demosjukhuset, fax 0999-900 01" in notice


def test_without_hours_the_fax_block_reads_as_before() -> None:
    text = _text(pf.render_report(f.report()))
    assert "Fax / telefon 010-000 00 09 / 010-000 00 08 Skickat 2025-03-02 15:02 Sidor" in text
    assert "svarar" not in text


@pytest.mark.parametrize(("render", "data"), REPORTS)
def test_the_hours_keep_a_report_at_the_addressees_limits_on_one_page(render, data) -> None:
    pdf = render(data(fax=f.fax_header(**TO_AT_LIMITS, **SMALL_SITE)))
    _one_page(pdf)
    assert "därefter" in _text(pdf)


@pytest.mark.parametrize(("render", "data"), REPORTS)
def test_the_senders_numbers_and_hours_at_their_limits_keep_a_report_on_one_page(
    render, data
) -> None:
    pdf = render(data(fax=f.fax_header(**AT_LIMITS)))
    _one_page(pdf)
    assert _text(pdf).count("natt 0999-12") == 4


@pytest.mark.parametrize(
    "sender",
    [
        pytest.param(dict(AT_LIMITS, from_hours="mån–fre 07:30–15:30"), id="numbers"),
        pytest.param(dict(SMALL_SITE, from_hours=f"{LONG_HOURS}, lör 13:00–14:00"), id="hours"),
    ],
)
def test_the_numbers_or_the_hours_at_their_limits_keep_the_cancel_notice_on_one_page(
    sender: dict[str, str],
) -> None:
    pdf = pf.render_cancel_notice(f.cancel_notice(fax=f.fax_header(**sender)))
    _one_page(pdf)
    assert f"telefon {sender['from_phone']}" in _text(pdf)


@pytest.mark.parametrize(
    "hours",
    [
        pytest.param(LONG_HOURS, id="two-lines"),
        pytest.param(f"{LONG_HOURS}, lör 13:00–14:00", id="three-lines"),
    ],
)
def test_the_numbers_and_the_hours_at_their_limits_together_keep_the_cancel_notice_on_one_page(
    hours: str,
) -> None:
    # Every number of the fax block at its limit, the reply fax too: the referrer's fax gets
    # one sheet.
    fax = f.fax_header(**dict(AT_LIMITS, from_hours=hours), to_fax=LONG_NUMBER)
    data = f.cancel_notice(fax=fax)
    pdf = pf.render_cancel_notice(data)
    _one_page(pdf)
    text = _text(pdf)
    # The block's four and the reply fax, and the phone to ring again at the foot.
    assert text.count("natt 0999-12") == 6
    assert f"{hours}; därefter" in text
    assert "ring Röntgenkliniken Demosjukhuset, telefon" in text


def test_the_anonymised_referrals_reply_at_its_limits_keeps_it_on_one_page() -> None:
    reply_to = f"{LONG_NAME}, fax {LONG_NUMBER} ({LONG_HOURS}; därefter fax {LONG_NUMBER})"
    data = f.anonymised_referral(
        reply_to=reply_to,
        referring_unit=LONG_UNIT,
        referrer_clinician=LONG_CLINICIAN,
        referrer_phone=LONG_NUMBER,
    )
    pdf = pf.render_anonymised_referral(data)
    text = _text(pdf)
    assert "Sida 1 av 1" in text
    assert f"därefter fax {LONG_NUMBER})" in text
    assert decoded_payloads(pdf, STANDARD_FAX) == [["RR1:K7M2QX:ARE:1"]]
