"""A case's versions stand in the order they were written, whatever the laptop's clock said.

An identity corrected twice, the second time after the clock was set back: the history and
the case's earlier identities must still tell the two corrections in the order they were made.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.catchup.identities import earlier_identities_of
from webapp.extensions import db
from webapp.models import Case

from .clock_support import clock_set_back
from .factories import identity_data, unidentified_referral_data
from .test_cases_referral import incident as incident  # the fixture

FIRST_REASON = "Identifierad av anhörig"
SECOND_REASON = "Fel patient angavs, rättat mot armbandet"


@pytest.fixture
def corrected_twice(client: FlaskClient, auth, incident: int) -> str:  # type: ignore[no-untyped-def]
    """A case on a reserve number, identified, then identified again after the clock was set
    back; its address."""
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    first = identity_data(reason=FIRST_REASON)
    assert client.post(location + "/identity", data=first).status_code == 302
    second = identity_data(
        personal_number="19800101-0027", patient_name="Vera Väntar", reason=SECOND_REASON
    )
    with clock_set_back():
        assert client.post(location + "/identity", data=second).status_code == 302
    # The clock put right jumps an hour past the login's last use: it has gone idle.
    auth.login()
    return location


def test_the_history_lists_the_correction_made_last_first(
    client: FlaskClient, corrected_twice: str
) -> None:
    page = client.get(corrected_twice + "/history").get_data(as_text=True)
    listed = page.split('<ol class="history">', 1)[1]
    assert listed.index(SECOND_REASON) < listed.index(FIRST_REASON)


def test_earlier_identities_stand_in_the_order_the_patient_had_them(
    app: Flask, corrected_twice: str
) -> None:
    with app.app_context():
        case = db.session.get(Case, int(corrected_twice.rsplit("/", 1)[-1]))
        assert [e.reason for e in earlier_identities_of(case)] == [FIRST_REASON, SECOND_REASON]
