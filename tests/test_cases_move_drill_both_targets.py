"""A drill case offered both another drill and a real outage: each warning names its target."""

from __future__ import annotations

import html
from typing import Any

from flask.testing import FlaskClient

from webapp.cases.move_forms import REACHED_RIS_DRILL_TARGET
from webapp.cases.moving_drill import CATCHUP_RESTARTS_HINT

from .catchup_support import save_accession
from .factories import declare_incident
from .test_cases_move_drill_reached_ris import REACHED, _case_in


def test_a_drill_case_in_ris_offered_a_drill_and_a_real_outage_is_warned_per_target(
    client: FlaskClient, auth: Any
) -> None:
    auth.login("radiographer")
    real = declare_incident(client, "om_ris")
    drill = declare_incident(client, drill=True)
    other_drill = declare_incident(client, "integration", drill=True)
    case_id = _case_in(client, drill, "d")
    auth.logout()
    auth.login("secretary")
    save_accession(client, case_id)
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    form = page.split('id="move"', 1)[1].split('name="reason"', 1)[0]
    assert f'value="{real}"' in form and f'value="{other_drill}"' in form
    # The RIS warning is the drill target's: said as such, never as if of every target.
    assert REACHED not in form
    assert REACHED_RIS_DRILL_TARGET in form
    assert REACHED_RIS_DRILL_TARGET.startswith("Till en annan övning:")
    # The catch-up restarting is the real outage's.
    assert CATCHUP_RESTARTS_HINT in form
    assert "till ett skarpt driftstopp" in CATCHUP_RESTARTS_HINT
