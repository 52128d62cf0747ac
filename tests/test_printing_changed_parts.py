"""A sheet printed again after a change names what kinds of content changed since its first
print, in its ÄNDRAD mark: each change the sheet's version counts, and nothing else."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from .factories import exam_data, identity_data, number_of, referral_data
from .printforms.conftest import pdf_text, raw_streams
from .test_printing import _report
from .test_printing_changed import CALL

OLD_NAME = "Örjan Älvström"
OLD_NUMBER = "19121212-1212"
NEW_NAME = "Birgitta Ekholm"
# After "sedan utskriften <time>:", the categories, separated by commas across wrapped lines.
_NAMED = re.compile(r"sedan utskriften [\d-]+ \d\d:\d\d(?::\s*((?:[^,\n]+,\s*)*[^,\n]+))?")

Change = Callable[[FlaskClient, int], None]


def _named(text: str) -> set[str]:
    """The categories the first ÄNDRAD mark in text names."""
    found = _NAMED.search(text)
    assert found is not None, text
    return {part.strip() for part in (found.group(1) or "").split(",") if part.strip()}


def _post(client: FlaskClient, url: str, data: dict[str, object]) -> None:
    response = client.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def _print(client: FlaskClient, case_id: int, kind: str) -> str:
    response = client.get(f"/print/cases/{case_id}/{kind}.pdf")
    assert response.status_code == 200
    return pdf_text(response.get_data())


def _edit_referral(client: FlaskClient, case_id: int, **changes: str) -> None:
    edit = referral_data(key_suffix="x", version="1", case_version="1", **changes)
    _post(client, f"/cases/{case_id}/referral", edit)


def _identity(client: FlaskClient, case_id: int) -> None:
    data = identity_data(
        patient_name=NEW_NAME,
        personal_number=number_of(NEW_NAME),
        reason="Fel patient vald vid registreringen",
    )
    _post(client, f"/cases/{case_id}/identity", data)


def _priority(client: FlaskClient, case_id: int) -> None:
    data = {"priority": "inom_timmar", "reason": "Stabil"}
    _post(client, f"/reporting/{case_id}/priority", data)


def _reply_fax(client: FlaskClient, case_id: int) -> None:
    _edit_referral(client, case_id, reply_fax="0999-555 55")


def _referred_exam(client: FlaskClient, case_id: int) -> None:
    _edit_referral(client, case_id, exam_text="DT hjärna med kontrast")


def _question(client: FlaskClient, case_id: int) -> None:
    _edit_referral(client, case_id, history="Waran. Nu även huvudvärk.")


def _infection(client: FlaskClient, case_id: int) -> None:
    _edit_referral(client, case_id, infection="yes", infection_note="MRSA")


def _exam_name(client: FlaskClient, case_id: int) -> None:
    edit = exam_data(key_suffix="x", version="1", exam_text="DT hjärna och halsrygg")
    _post(client, f"/cases/{case_id}/exam", edit)


def _exam_details(client: FlaskClient, case_id: int) -> None:
    edit = exam_data(key_suffix="x", version="1", complications="Lätt illamående")
    _post(client, f"/cases/{case_id}/exam", edit)


def _protocol(client: FlaskClient, case_id: int) -> None:
    _post(client, f"/reporting/{case_id}/protocol", {"protocol": "Ring mig före start"})


def _addendum(client: FlaskClient, case_id: int) -> None:
    _post(client, f"/reporting/{case_id}/addendum", {"text": "Jämfört: oförändrat."})


def _call(client: FlaskClient, case_id: int) -> None:
    _post(client, f"/reporting/{case_id}/call", CALL)


def _cancel(client: FlaskClient, case_id: int) -> None:
    _post(client, f"/cases/{case_id}/cancel", {"reason": "Fel patient", "confirm_ris_pacs": "y"})


@pytest.fixture
def reported(client: FlaskClient, auth, case_id: int) -> int:
    """The case with a definitive report; the radiologist logged in (every change allowed)."""
    auth.login("radiologist")
    _post(client, f"/reporting/{case_id}", _report("definitive", "d" * 20))
    return case_id


@pytest.mark.parametrize(
    ("kind", "change", "named"),
    [
        ("referral", _identity, {"patientens identitet"}),
        ("exam", _identity, {"patientens identitet"}),
        ("report", _identity, {"patientens identitet"}),
        ("referral", _priority, {"prioritet"}),
        ("referral-anon", _priority, {"prioritet"}),
        ("referral", _reply_fax, {"remittent/svarsfax"}),
        ("report", _reply_fax, {"remittent/svarsfax"}),
        ("referral", _referred_exam, {"undersökning"}),
        ("report", _exam_name, {"undersökning"}),
        ("exam", _exam_name, {"undersökning"}),
        ("referral", _question, {"frågeställning/anamnes"}),
        ("referral", _infection, {"infektion/säkerhetssvar"}),
        ("exam", _infection, {"infektion/säkerhetssvar"}),
        ("exam", _exam_details, {"dokumentationen"}),
        ("referral", _protocol, {"instruktion"}),
        ("report", _addendum, {"tillägg"}),
        ("report-anon", _addendum, {"tillägg"}),
        ("report", _call, {"akut samtal"}),
        ("cover", _addendum, {"tillägg"}),
        ("cover", _priority, {"prioritet"}),
    ],
)
def test_a_changed_sheet_names_what_changed_and_only_that(
    client: FlaskClient, reported: int, kind: str, change: Change, named: set[str]
) -> None:
    assert "ÄNDRAD" not in _print(client, reported, kind)
    change(client, reported)
    again = _print(client, reported, kind)
    assert "ÄNDRAD" in again and "KOPIA" not in again
    assert _named(again) == named, again[:600]


@pytest.mark.parametrize("kind", ["referral", "exam", "cover", "referral-anon"])
def test_a_sheet_printed_after_a_cancel_and_a_restore_names_it(
    client: FlaskClient, auth, case_id: int, kind: str
) -> None:
    auth.login("radiographer")
    _print(client, case_id, kind)
    _cancel(client, case_id)
    cancelled = _print(client, case_id, kind)
    assert "MAKULERAD" in cancelled and _named(cancelled) == {"makulerad/återställd"}
    _post(client, f"/cases/{case_id}/restore", {"reason": "Fel ärende makulerat"})
    restored = _print(client, case_id, kind)
    assert "MAKULERAD" not in restored and _named(restored) == {"makulerad/återställd"}


def test_a_report_signed_again_names_its_text(client: FlaskClient, auth, case_id: int) -> None:
    auth.login("radiologist")
    _post(client, f"/reporting/{case_id}", _report("preliminary", "p" * 20))
    _print(client, case_id, "report")
    signed = _report("definitive", "t" * 20) | {"sections-1-text": "Liten blödning."}
    _post(client, f"/reporting/{case_id}", signed | {"version": "1"})
    again = _print(client, case_id, "report")
    assert "Liten blödning." in again
    assert _named(again) == {"utlåtandets text"}


def test_a_sheet_changed_in_two_ways_names_both_in_a_fixed_order(
    client: FlaskClient, reported: int
) -> None:
    _print(client, reported, "report")
    _addendum(client, reported)
    _identity(client, reported)
    again = _print(client, reported, "report")
    assert "sedan utskriften" in again
    assert _named(again) == {"patientens identitet", "tillägg"}
    assert again.index("patientens identitet") < again.index("tillägg")


def test_a_change_before_the_first_print_is_not_named(client: FlaskClient, reported: int) -> None:
    # Since the first print: what the paper that is about already showed is no change of it.
    _reply_fax(client, reported)
    _print(client, reported, "report")
    _addendum(client, reported)
    assert _named(_print(client, reported, "report")) == {"tillägg"}


def test_a_copy_of_the_changed_sheet_names_the_same_changes(
    client: FlaskClient, reported: int
) -> None:
    _print(client, reported, "report")
    _call(client, reported)
    _print(client, reported, "report")
    copy = _print(client, reported, "report")
    assert "KOPIA" in copy and _named(copy) == {"akut samtal"}


@pytest.mark.parametrize("kind", ["referral", "exam", "report", "cover", "all"])
def test_an_identity_correction_names_no_old_name_nor_number(
    client: FlaskClient, reported: int, kind: str
) -> None:
    # The earlier patient's name and number on another patient's paper would be a data leak.
    first = client.get(f"/print/cases/{reported}/{kind}.pdf").get_data()
    assert OLD_NAME in pdf_text(first)
    _identity(client, reported)
    pdf = client.get(f"/print/cases/{reported}/{kind}.pdf").get_data()
    text = pdf_text(pdf)
    assert "patientens identitet" in _named(text)
    assert NEW_NAME in text and number_of(NEW_NAME) in text
    for old in (OLD_NAME, OLD_NUMBER, OLD_NUMBER.replace("-", "")):
        assert old not in text
        assert old.encode() not in raw_streams(pdf)
