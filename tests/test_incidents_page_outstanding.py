"""The incident page counts the cases not yet reconciled as the reconciliation batch does."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from .catchup_support import new_case, waive
from .factories import declare_incident, incident_of


def test_a_waiver_awaiting_its_confirmation_is_counted_as_not_reconciled(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Until a second user confirms it (four eyes) the case is not reconciled: the batch lists
    # it under Kvar att göra, and the incident page must not offer the close as if none were.
    auth.login("radiographer")
    declare_incident(client)
    case_id = new_case(client, auth)
    waive(client, auth, case_id, confirmed=False)
    incident_id = incident_of(app, case_id)
    auth.login("admin")
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "1 ärende är inte avstämt än." in page
    assert "Avsluta via avstämningen" not in page
