"""A waiver still waiting for its confirmation when its case was cancelled does not come back
with the restore.

The second user confirms a waiver against the case as they see it; one given before a cancel
and its undoing was judged on a case that has since been cancelled (a double, the wrong case)
and brought back. Silently pending again, it would be confirmed by someone who never saw that,
or hold the close under a reason nobody gave for the restored case. The restore lifts it and
says so, and the audit keeps the reason it had.
"""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.incidents.closing import open_tasks, outstanding_count
from webapp.models import Case

from .catchup_support import new_case, waive
from .factories import audit_events, declare_incident, hidden_value

REASON = "Inlagd direkt i RIS av röntgen"
PENDING = "Undantag väntar på bekräftelse"


def _waived_cancelled_restored(client: FlaskClient, auth) -> tuple[int, str]:
    """A case waived (not yet confirmed), cancelled and restored; the page after the restore."""
    auth.login("radiographer")
    declare_incident(client)
    auth.logout()
    case_id = new_case(client, auth)
    waive(client, auth, case_id, REASON, confirmed=False)
    auth.logout()
    auth.login("radiographer")
    url = f"/cases/{case_id}"
    page = client.get(url).get_data(as_text=True)
    cancel = {"reason": "Fel patient vald", "form_key": hidden_value(page, "form_key")}
    assert client.post(url + "/cancel", data=cancel).status_code == 302
    page = client.get(url).get_data(as_text=True)
    restore = {"reason": "Fel ärende makulerat", "form_key": hidden_value(page, "form_key")}
    response = client.post(url + "/restore", data=restore, follow_redirects=True)
    assert response.status_code == 200
    return case_id, html.unescape(response.get_data(as_text=True))


def test_a_restore_lifts_a_waiver_pending_at_the_cancel_and_says_so(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, page = _waived_cancelled_restored(client, auth)
    assert PENDING not in page
    assert "Undantaget som väntade på bekräftelse är hävt" in page
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.catchup is not None and case.catchup.waived_at is None
        assert case.status == "referral_received"


def test_a_restored_case_with_its_waiver_lifted_is_outstanding_at_the_close(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, _page = _waived_cancelled_restored(client, auth)
    with app.app_context():
        incident_id = db.session.get(Case, case_id).incident_id
        assert outstanding_count(incident_id) == 1
        assert not [t for t in open_tasks(incident_id) if t.kind == "waiver_pending"]


def test_the_audit_tells_the_restore_lifted_the_pending_waiver(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, _page = _waived_cancelled_restored(client, auth)
    (lifted,) = audit_events(app, "catchup_unwaive")
    assert lifted.case_id == case_id
    assert REASON in lifted.detail and "makulering" in lifted.detail
