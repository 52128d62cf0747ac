"""The move form's warning that a case has reached RIS, for a drill case offered a real outage.

Nothing of a drill reaches the real RIS, and the move clears a drill case's RIS numbers
(moving_drill): a drill accession alone is not something to take out of RIS, and no list names
the case as moved after it. A drill export that held the case is different: the drill's next
export and its catch-up page list it as moved to the real outage, and the form says so. A real
case keyed into RIS is warned of as before.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from .catchup_support import save_accession
from .factories import declare_incident, incident_of, referral_data
from .test_cases_move import move_form

REACHED = "Ärendet har redan exporterats eller registrerats i RIS"
DRILL_EXPORTED = (
    "Ärendet finns i en export från övningen. Flyttas det till ett skarpt driftstopp listar "
    "övningens nästa export och efterregistrering det som flyttat, och det läggs in i RIS från "
    "det skarpa driftstoppet."
)


def _case_in(client: FlaskClient, incident: int, suffix: str) -> int:
    """The logged-in radiographer takes a referral in `incident`; its case id."""
    assert client.post(f"/incidents/{incident}/select").status_code == 302
    location = client.post("/cases/new", data=referral_data(key_suffix=suffix))
    return int(location.headers["Location"].rsplit("/", 1)[-1])


def _move_form_text(client: FlaskClient, case_id: int) -> str:
    """The case page's move form, up to its reason (where the warning stands)."""
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    return page.split('id="move"', 1)[1].split('name="reason"', 1)[0]


def test_a_drill_case_with_a_drill_accession_offered_a_real_outage_is_not_said_to_be_in_ris(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    auth.login("radiographer")
    real = declare_incident(client, "om_ris")
    drill = declare_incident(client, drill=True)
    case_id = _case_in(client, drill, "d")
    assert incident_of(app, case_id) == drill
    auth.logout()
    auth.login("secretary")
    save_accession(client, case_id)
    form = _move_form_text(client, case_id)
    assert f'value="{real}"' in form
    assert REACHED not in form and DRILL_EXPORTED not in form


def test_a_drill_case_held_by_a_drill_export_is_said_to_be_listed_as_moved(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    auth.login("radiographer")
    real = declare_incident(client, "om_ris")
    drill = declare_incident(client, drill=True)
    case_id = _case_in(client, drill, "d")
    auth.logout()
    auth.login("secretary")
    assert client.get(f"/catchup/incidents/{drill}/export/csv").status_code == 200
    form = _move_form_text(client, case_id)
    assert DRILL_EXPORTED in form and REACHED not in form
    # What it says is so: the drill's next export lists the case as moved to the real outage.
    data = move_form(client, case_id, real, "Riktig patient, togs emot i övningen")
    assert client.post(f"/cases/{case_id}/move", data=data).status_code == 302
    changed = client.get(f"/catchup/incidents/{drill}/export/csv?changed=1")
    assert changed.status_code == 200
    assert f"FLYTTAD TILL DRIFTSTOPP {real}" in changed.data.decode("utf-8-sig")


def test_a_real_case_with_its_accession_offered_another_real_outage_is_warned_as_before(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    auth.login("radiographer")
    first = declare_incident(client, "om_ris")
    declare_incident(client, "integration")
    case_id = _case_in(client, first, "r")
    assert incident_of(app, case_id) == first
    auth.logout()
    auth.login("secretary")
    save_accession(client, case_id)
    form = _move_form_text(client, case_id)
    assert REACHED in form and DRILL_EXPORTED not in form
