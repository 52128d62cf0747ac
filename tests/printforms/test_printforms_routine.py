"""The binder's printed routine: every number for every hour, and what each page must say."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader

import printforms as pf
from printforms.data_office import RoutineBinderData, RoutineContact, RoutineScenarioData

from . import factories as f
from .conftest import (
    FINE_FAX,
    STANDARD_FAX,
    decoded_payloads,
    drawing_streams,
    pdf_text,
    placed_lines,
)


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    # A reader's text breaks lines where the paragraph wrapped them.
    return " ".join(text.split())


def test_each_contact_is_printed_with_every_window_and_each_fallback_in_turn() -> None:
    text = _flat(pdf_text(pf.render_routines(f.routine_binder())))
    for expected in (
        "Servicedesken Åby",
        "0444-10 00",
        "Välj 3, sedan 2",
        "mån–fre 07:00–16:00",
        "lör 09:00–12:00",
        "Utanför öppettiderna: Driftjouren Öby",
        "0444-10 99",
        "mån–sön 16:00–07:00",
        "Utanför öppettiderna: Chef i beredskap Äby",
        "0444-20 00",
        "Fjärrgranskarna",
        "Fax 0444-30 01",
        "fjarr@aby.invalid",
    ):
        assert expected in text, expected


def test_a_contact_without_hours_has_no_fallback_line() -> None:
    scenario = f.routine_scenario(
        contacts=(RoutineContact(name="Bakjouren", phones=("0444-50 00",)),)
    )
    text = _flat(pdf_text(pf.render_routines(f.routine_binder(scenario))))
    assert "Bakjouren" in text and "0444-50 00" in text
    assert "Utanför öppettiderna" not in text and "Öppet:" not in text


def test_a_contact_without_a_number_says_so() -> None:
    scenario = f.routine_scenario(contacts=(RoutineContact(name="Förvaltningen"),))
    text = _flat(pdf_text(pf.render_routines(f.routine_binder(scenario))))
    assert "Förvaltningen" in text
    assert "Inget nummer i enhetens kontaktlista." in text


def test_a_routine_holds_what_works_its_steps_notifications_follow_up_and_the_fixed_box() -> None:
    text = _flat(pdf_text(pf.render_routines(f.routine_binder())))
    for expected in (
        "Ordersystemet nere på Åby",
        "Fungerar fortfarande",
        "Bildarkivet",
        "1. Ta emot remisser per fax.",
        "2. Boka patienten på modaliteten för hand.",
        "Servicedesken uppringd",
        "Tid",
        "Signatur",
        "Uppföljning när systemen fungerar igen",
        "Chef i beredskap underrättad om återgång",
        "Om Reservrutin inte går att nå",
        "förbokad ärendekod",
    ):
        assert expected in text, expected


def test_each_scenario_starts_on_a_new_page_with_its_own_page_count() -> None:
    long_steps = tuple(f"Steg om något viktigt att göra, nummer {i}." for i in range(40))
    first = f.routine_scenario(name="Första rutinen", position="Rutin 1 av 2", steps=long_steps)
    second = f.routine_scenario(name="Andra rutinen", position="Rutin 2 av 2")
    pages = _pages(pf.render_routines(f.routine_binder(first, second)))
    starts = [i for i, page in enumerate(pages) if "Andra rutinen" in page]
    assert len(pages) >= 3 and starts
    assert "Sida 1 av" in pages[starts[0]] and "Rutin 2 av 2" in pages[starts[0]]
    assert all("Andra rutinen" not in page for page in pages[: starts[0]])
    assert "Sida 1 av 1" in pages[-1]
    assert f"Sida {starts[0]} av {starts[0]}" in pages[starts[0] - 1]


def test_every_page_names_the_site_print_configuration_page_and_address() -> None:
    long_steps = tuple(f"Steg om något viktigt att göra, nummer {i}." for i in range(40))
    binder = f.routine_binder(f.routine_scenario(steps=long_steps))
    pages = _pages(pf.render_routines(binder))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "Bilddiagnostik Åby" in page
        assert "Utskriven 2026-01-15 10:50 av Åsa Administratör" in page
        assert "version 7, sparad 2026-01-10 09:12" in page
        assert f"Sida {number} av {len(pages)}" in page
        assert "http://192.168.10.20:8080/" in page
        assert "QR-koden: Reservrutins adress vid utskriften" in page


def test_the_address_qr_reads_on_every_page_at_standard_fax_resolution() -> None:
    long_steps = tuple(f"Steg om något viktigt att göra, nummer {i}." for i in range(40))
    binder = f.routine_binder(f.routine_scenario(steps=long_steps), f.routine_scenario())
    found = decoded_payloads(pf.render_routines(binder), STANDARD_FAX)
    assert len(found) >= 3
    assert all(payloads == ["http://192.168.10.20:8080/"] for payloads in found)


def test_https_address_of_the_longest_ipv4_form_fits_the_header() -> None:
    address = "https://255.255.255.255:65535/"
    found = decoded_payloads(pf.render_routines(f.routine_binder(address=address)), STANDARD_FAX)
    assert found and all(payloads == [address] for payloads in found)


# The server may listen on one IPv6 address (webapp.network): its address for tablets is the
# longest a laptop is given.
LONGEST_IPV6_ADDRESS = "https://[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:65535/"


@pytest.mark.parametrize("resolution", [STANDARD_FAX, FINE_FAX])
def test_an_ipv6_address_of_the_longest_form_prints_and_reads_on_every_page(resolution) -> None:
    binder = f.routine_binder(address=LONGEST_IPV6_ADDRESS)
    found = decoded_payloads(pf.render_routines(binder), resolution)
    assert found and all(payloads == [LONGEST_IPV6_ADDRESS] for payloads in found)


def test_a_case_payload_over_32_characters_is_still_refused_on_the_binder() -> None:
    with pytest.raises(ValueError, match="32"):
        pf.render_routines(f.routine_binder(address="RR1:" + "X" * 40))


def test_no_text_smaller_than_10_pt() -> None:
    long_name = "Integrationsmotorn och beställningsverktyget nere samtidigt " * 3
    binder = f.routine_binder(
        f.routine_scenario(name=long_name), printed_by="Maria-Eleonora Johansson Åkerlund " * 3
    )
    sizes = [
        float(size)
        for stream in drawing_streams(pf.render_routines(binder))
        for size in re.findall(rb"/F\d+ ([\d.]+) Tf", stream)
    ]
    assert sizes and min(sizes) >= 10


def test_swedish_characters_are_embedded() -> None:
    pdf = pf.render_routines(f.routine_binder())
    assert b"DejaVuSans" in pdf
    assert "Å" in pdf_text(pdf) and "ö" in pdf_text(pdf)


def test_a_binder_without_scenarios_is_refused() -> None:
    with pytest.raises(ValueError):
        pf.render_routines(f.routine_binder(scenarios=()))


def test_a_contacts_numbers_are_each_kept_whole_on_a_line_when_its_line_wraps() -> None:
    # A reviewer's whole phone list, as the external reviewer routine gives it: wrapped at any
    # space, "0999-600" ended one line and "20" began the next, two numbers to whoever dials.
    phones = ("0999-600 00", "0999-600 10", "0999-600 20")
    contact = RoutineContact(
        name="Fjärrgranskarna",
        phones=phones,
        fax="0999-600 01",
        email="akut@granskare.invalid",
        hours=("mån–sön 21:00–07:30",),
        fallback=RoutineContact(name="Jourhavande radiolog", phones=("0999-100 50",)),
    )
    pdf = pf.render_routines(f.routine_binder(f.routine_scenario(contacts=(contact,))))
    drawn = [text.replace("\xa0", " ") for text, *_ in placed_lines(pdf)]
    wrapped = [line for line in drawn if "0999-600" in line]
    assert len(wrapped) >= 2, wrapped
    for number in (*phones, "0999-600 01"):
        assert any(number in line for line in drawn), (number, wrapped)


def test_the_reviewers_escalation_is_printed_with_whom_to_call_in_and_their_number() -> None:
    on_call = RoutineContact(name="Bakjouren Åby", phones=("0444-50 00",))
    scenario = f.routine_scenario(escalation=on_call)
    text = _flat(pdf_text(pf.render_routines(f.routine_binder(scenario))))
    assert "Kvarstår felet: granskaren ringer in Bakjouren Åby. Telefon 0444-50 00." in text


def test_a_routine_without_an_escalation_says_nothing_of_one() -> None:
    text = _flat(pdf_text(pf.render_routines(f.routine_binder())))
    assert "Kvarstår felet" not in text


# The source routine's own numbers for the night reviewer (international form, three phones).
_ON_CALL = RoutineContact(name="Jourhavande radiolog", phones=("0999-100 50",))
_REVIEWER = RoutineContact(
    name="Extern granskare natt (teleradiologi)",
    phones=("+46 81 235 01 90", "+46 31 373 77 95", "+62 81 338 773 651"),
    fax="+46 31 745 96 10",
    email="urgent@teleconsult.invalid",
    hours=("mån–sön 21:00–07:30",),
    fallback=_ON_CALL,
)
_IT = RoutineContact(
    name="IT-support (servicedesk)",
    phones=("0999-200 00",),
    menu="Välj 2, sedan 1 för vårdsystem",
    hours=("mån–fre 07:00–17:00",),
    fallback=RoutineContact(name="IT-beredskap", phones=("0999-200 99",)),
)
_ADMINS = RoutineContact(
    name="RIS/PACS-administratörer",
    phones=("0999-400 00",),
    email="rispacs@exempel.invalid",
    hours=("mån–fre 08:00–16:30",),
    fallback=RoutineContact(name="IT-beredskap", phones=("0999-200 99",)),
)


def _reviewer_routine(**overrides: object) -> RoutineScenarioData:
    """The example site's night reviewer routine, the fullest of its sheets."""
    values: dict[str, object] = dict(
        name="Länken till extern granskare nere (natt)",
        position="Rutin 5 av 6",
        still_works=("Lokala system",),
        contacts=(_REVIEWER, _IT, _ADMINS),
        steps=(
            "Mycket brådskande undersökning: skriv ut den anonymiserade remissen och faxa den "
            "till den externa granskaren.",
            "Det faxade, anonymiserade svaret kopieras och skickas till remittenten.",
            "Mycket brådskande: granskaren ringer remittenten direkt och ger muntligt svar.",
            "Faxade utlåtanden lämnas till RIS-administratören.",
        ),
        notifications=(
            "Extern granskare kontaktad",
            "IT-support kontaktad",
            "RIS/PACS-administratörer informerade",
        ),
        follow_up=(),
        escalation=_ON_CALL,
    )
    values.update(overrides)
    return RoutineScenarioData(**values)  # type: ignore[arg-type]


def _limits_binder(scenario: RoutineScenarioData) -> RoutineBinderData:
    return f.routine_binder(
        scenario,
        address=LONGEST_IPV6_ADDRESS,
        holiday_note="I öppettiderna räknas röda dagar samt jul-, midsommar- och nyårsafton "
        "som söndag.",
    )


@pytest.mark.parametrize("resolution", [STANDARD_FAX, FINE_FAX])
def test_the_reviewer_routine_with_every_number_fits_one_page_at_the_longest_ipv6_address(
    resolution,
) -> None:
    pdf = pf.render_routines(_limits_binder(_reviewer_routine()))
    pages = _pages(pdf)
    assert len(pages) == 1
    assert "RIS/PACS-administratörer informerade" in _flat(pages[0])
    assert decoded_payloads(pdf, resolution) == [[LONGEST_IPV6_ADDRESS]]


def _at_the_limits() -> RoutineScenarioData:
    """The reviewer routine with values at the configuration's limits: a name of 200
    characters, numbers of 40, a what-to-do after hours of 300."""
    number = "+46 (0)31-373 77 95 ankn. 1234, växel 90"
    assert len(number) == 40
    after = ("Ingen jour: vänta till vardag 07:00, eller ring TiB vid fara. " * 5)[:300]
    night_it = RoutineContact(
        name="IT-beredskap", phones=(number,), hours=("mån–sön 17:00–07:00",), after_hours=after
    )
    reviewer = replace(_REVIEWER, phones=(number,) * 3, fax=number)
    return _reviewer_routine(
        name=("Länken till extern granskare nere (natt) " * 5)[:200],
        contacts=(reviewer, replace(_IT, fallback=night_it), replace(_ADMINS, fallback=night_it)),
    )


def test_a_routine_too_long_for_one_page_carries_the_header_qr_and_page_count_on_each() -> None:
    pdf = pf.render_routines(_limits_binder(_at_the_limits()))
    pages = [_flat(page) for page in _pages(pdf)]
    assert len(pages) == 2
    for number, page in enumerate(pages, start=1):
        assert "RUTIN VID DRIFTSTOPP" in page and "Rutin 5 av 6" in page
        assert "Bilddiagnostik Åby" in page
        assert f"Sida {number} av 2" in page
    # Looked for first, as the laptop cannot be reached: on the first page, not the second.
    assert "Om Reservrutin inte går att nå" in pages[0]
    assert decoded_payloads(pdf, STANDARD_FAX) == [[LONGEST_IPV6_ADDRESS]] * 2


def test_set_as_close_as_it_goes_no_text_is_smaller_than_10_pt() -> None:
    pdf = pf.render_routines(_limits_binder(_at_the_limits()))
    sizes = [
        float(size)
        for stream in drawing_streams(pdf)
        for size in re.findall(rb"/F\d+ ([\d.]+) Tf", stream)
    ]
    assert sizes and min(sizes) >= 10


def test_only_a_routine_that_runs_past_one_page_is_counted_over_it() -> None:
    binder = _limits_binder(_at_the_limits())
    fitting = _reviewer_routine(position="Rutin 1 av 6")
    both = replace(binder, scenarios=(fitting, *binder.scenarios))
    assert pf.routines_over_one_page(both) == (1,)
