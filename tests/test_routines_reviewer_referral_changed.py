"""The reviewer holds the anonymised referral as it was faxed: a change since (a priority, the
question) is flagged on the case's reviewer page and in the list of cases at the reviewer,
until the changed referral is printed and logged as faxed again. What counts is what makes a
reprint of the anonymised referral say ÄNDRAD."""

from __future__ import annotations

from flask.testing import FlaskClient

from .reviewer_support import _fax_to_the_reviewer
from .routines_support import make_case
from .test_printing_changed import _edit_referral

CHANGED = "Remissen har ändrats sedan den faxades till granskaren"


def _print_anonymised(client: FlaskClient, case_id: int) -> None:
    response = client.get(f"/print/cases/{case_id}/referral-anon.pdf")
    assert response.status_code == 200


def _pages(client: FlaskClient, case_id: int) -> tuple[str, str]:
    case_page = client.get(f"/routines/reviewer/cases/{case_id}").get_data(as_text=True)
    queue = client.get("/routines/reviewer").get_data(as_text=True)
    return case_page, queue


def test_a_referral_changed_after_the_fax_is_flagged_until_faxed_again(
    client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    _print_anonymised(client, case_id)
    assert _fax_to_the_reviewer(client, auth, case_id).status_code == 302
    case_page, queue = _pages(client, case_id)
    assert CHANGED not in case_page and CHANGED not in queue
    _edit_referral(client, case_id, clinical_question="Blödning? Nu även fraktur?")
    case_page, queue = _pages(client, case_id)
    assert CHANGED in case_page and CHANGED in queue
    assert f"/print/cases/{case_id}/referral-anon.pdf" in case_page.split(CHANGED, 1)[1]
    _print_anonymised(client, case_id)
    case_page, _queue = _pages(client, case_id)
    assert CHANGED in case_page  # printed, not yet faxed
    assert _fax_to_the_reviewer(client, auth, case_id).status_code == 302
    case_page, queue = _pages(client, case_id)
    assert CHANGED not in case_page and CHANGED not in queue


def test_a_change_the_anonymised_sheet_does_not_print_is_not_flagged(
    client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    _print_anonymised(client, case_id)
    assert _fax_to_the_reviewer(client, auth, case_id).status_code == 302
    # The radiologist's instruction is for the department, not on the anonymised referral.
    auth.login("radiologist")
    response = client.post(f"/reporting/{case_id}/protocol", data={"protocol": "Utan kontrast."})
    assert response.status_code == 302
    case_page, queue = _pages(client, case_id)
    assert CHANGED not in case_page and CHANGED not in queue
