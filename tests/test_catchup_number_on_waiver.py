"""A RIS accession saved on a waived case: 'Bokad i RIS' stays unticked (the waiver skips the
steps), and the page says beside the number that it was likely keyed after all and what to do,
rather than keeping a number no step reflects."""

from __future__ import annotations

from flask.testing import FlaskClient

from webapp.catchup.case_views import NUMBER_ON_WAIVER

from .catchup_support import save_accession, waive
from .catchup_world_support import _done_steps
from .catchup_world_support import world as world  # the fixture

NOTE = "Ärendet är undantaget men har ett accessionsnummer"


def _page(client: FlaskClient, case_id: int) -> str:
    return client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)


def test_a_number_saved_on_a_waived_case_is_explained_beside_it(
    client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][1]
    auth.logout()
    waive(client, auth, case_id)
    save_accession(client, case_id, "ACC-WAIVED-1")
    assert "booked" not in _done_steps(client, case_id)
    page = _page(client, case_id)
    assert NOTE in NUMBER_ON_WAIVER
    note = page.split('id="ris-on-waiver"', 1)[1].split("</p>", 1)[0]
    assert NOTE in note and "häv undantaget" in note
    assert 'href="#lift-waiver"' in note
    # Beside the field, in the RIS numbers' form, before the next field.
    assert page.index('id="ris-on-waiver"') < page.index('name="ris_exam_number"')


def test_a_waived_case_without_a_number_says_nothing_of_one(
    client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][1]
    auth.logout()
    waive(client, auth, case_id)
    assert 'id="ris-on-waiver"' not in _page(client, case_id)


def test_the_note_goes_once_the_waiver_is_lifted(client: FlaskClient, auth, world) -> None:
    case_id = world["ids"][1]
    auth.logout()
    waive(client, auth, case_id)
    save_accession(client, case_id, "ACC-WAIVED-2")
    response = client.post(f"/catchup/cases/{case_id}/waive/lift")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert 'id="ris-on-waiver"' not in _page(client, case_id)
