"""The report prints every call to the referrer about an urgent finding, each with its time, who
called and whom, in time order among the addenda: a call made before an urgent addendum must not
stand under it as if it were about it."""

from __future__ import annotations

import pytest

import printforms as pf
from printforms.data import Addendum, UrgentCall

from . import factories as f
from .conftest import FINE_FAX, STANDARD_FAX, decoded_payloads, pdf_text

URGENT = Addendum("Dr Björn Sjöö", "2025-03-02 15:30", "Pneumothorax höger.", is_urgent=True)
PLAIN = Addendum("Dr Björn Sjöö", "2025-03-02 16:10", "Jämfört med tidigare: oförändrat.")
# Before the urgent addendum (about the report), after it (two tries), after the last addendum.
CALLS = (
    UrgentCall("2025-03-02 14:55", "Dr Björn Sjöö", "Dr Émile Ström", "Informerad om blödning"),
    UrgentCall("2025-03-02 15:34", "Dr Björn Sjöö", "Avd 12 sjuksköterska", after_addenda=1),
    UrgentCall("2025-03-02 15:41", "Dr Ylva Ek", "Dr Pär Holm", "Informerad om pneumothorax", 1),
    UrgentCall("2025-03-02 16:20", "Dr Ylva Ek", "Dr Pär Holm", after_addenda=2),
)


def _text(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def _report(**overrides: object) -> pf.data.ReportData:  # type: ignore[name-defined]
    return f.report(**{"addenda": (URGENT, PLAIN), "urgent_calls": CALLS, **overrides})


def test_every_call_prints_with_its_time_caller_and_recipient() -> None:
    pdf = pf.render_report(_report())
    text, lines = _text(pdf), pdf_text(pdf).splitlines()
    for call in CALLS:
        assert f"Ringt {call.called_at} Av {call.caller} Till {call.recipient}" in text
        # The time whole on its line: a date over a time in a narrow box is misread on a fax.
        assert any(call.called_at in line for line in lines)
    assert "Informerad om blödning" in text and "Informerad om pneumothorax" in text


def test_calls_stand_in_time_order_among_the_addenda() -> None:
    text = _text(pf.render_report(_report()))
    order = [
        text.index("Ringt 2025-03-02 14:55"),
        text.index("Pneumothorax höger."),
        text.index("Ringt 2025-03-02 15:34"),
        text.index("Ringt 2025-03-02 15:41"),
        text.index("Jämfört med tidigare"),
        text.index("Ringt 2025-03-02 16:20"),
    ]
    assert order == sorted(order)
    # After the signature line: every call is about a signed finding or an addendum.
    assert text.index("Definitivt signerat") < order[0]


@pytest.mark.parametrize("after", [-1, 3])
def test_a_call_placed_beyond_the_addenda_is_refused(after: int) -> None:
    call = UrgentCall("2025-03-02 16:20", "Dr Ylva Ek", "Dr Pär Holm", after_addenda=after)
    with pytest.raises(ValueError, match="addend"):
        pf.render_report(_report(urgent_calls=(call,)))


@pytest.mark.parametrize("resolution", [STANDARD_FAX, FINE_FAX], ids=["standard", "fine"])
def test_a_report_with_every_call_decodes_on_each_page_at_fax_resolution(
    resolution: tuple[int, int],
) -> None:
    # Long findings take the calls onto a second page: each page still decodes.
    pdf = pf.render_report(_report(sections=(("Fynd", f.LONG_HISTORY),)))
    pages = decoded_payloads(pdf, resolution)
    assert len(pages) > 1 and pages == [["RR1:K7M2QX:UTL:3"]] * len(pages)


def test_a_call_at_its_limits_keeps_a_report_at_the_addressees_limits_on_two_pages() -> None:
    # As the latest call alone printed before: the addressee at the referral's limits takes a
    # call onto a second page, whom was called (200 characters) and what was said (2,000) too.
    fax = f.fax_header(
        to_unit=("Medicinkliniken avdelning 12 hjärtintensiven " * 5)[:200],
        to_clinician=("Dr Karl-Johan Åkerström-Lindqvist, överläkare " * 5)[:200],
        to_fax="0999-123 46 alt 0999-123 47 natt 0999-12",
    )
    person = ("Dr Karl-Johan Åkerström-Lindqvist, överläkare " * 5)[:200]
    note = ("Informerad om fynd, neurokirurg kontaktas, patienten flyttas till IVA. " * 40)[:2000]
    call = UrgentCall("2025-03-02 14:55", "Dr Björn Sjöö", person, note)
    pdf = pf.render_report(f.report(fax=fax, urgent_calls=(call,)))
    assert "Sida 2 av 2" in _text(pdf)
    assert decoded_payloads(pdf, STANDARD_FAX) == [["RR1:K7M2QX:UTL:3"]] * 2


# A findings text as a radiologist writes it for an urgent finding, two calls about it.
TYPICAL_FINDINGS = (
    "Vänstersidigt subduralhematom med maximal tjocklek 9 mm över konvexiteten, med lätt "
    "kompression av vänster sidoventrikel och 3 mm medellinjeförskjutning åt höger. Ingen "
    "intraventrikulär blödning. Inga frakturer. Normala förhållanden i bakre skallgropen."
)
TYPICAL_CALLS = tuple(
    UrgentCall(
        f"2025-03-02 15:{minute}",
        "Dr Björn Sjöö",
        "Dr Émile Ström, Akutmottagningen",
        "Informerad om subduralhematomet, patienten flyttas till neurokirurgen.",
    )
    for minute in (10, 18)
)


@pytest.mark.parametrize(
    "overrides",
    [
        {"sections": (("Fynd", TYPICAL_FINDINGS), ("Bedömning", "Akut subduralhematom."))},
        {"addenda": (PLAIN,)},
    ],
    ids=["typical-findings", "an-addendum"],
)
def test_a_report_with_two_calls_stays_on_one_page(overrides: dict[str, object]) -> None:
    # A second page of a faxed report is one more sheet to lose from the referrer's tray.
    if "addenda" not in overrides:
        overrides = {**overrides, "addenda": ()}
    pdf = pf.render_report(f.report(urgent_calls=TYPICAL_CALLS, **overrides))
    text = _text(pdf)
    assert "Sida 1 av 1" in text and text.count("Informerad om subduralhematomet") == 2
    assert decoded_payloads(pdf, STANDARD_FAX) == [["RR1:K7M2QX:UTL:3"]]
