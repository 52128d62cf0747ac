"""The moment the systems work again: recorded, undoable, followed up, shown everywhere."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Incident, IncidentLogEntry
from webapp.siteconfig import SiteConfigError, parse_site_config

from .catchup_support import with_page_lists
from .factories import audit_events, declare_incident, referral_data

RESTORED = "Systemen fungerar igen sedan"


def _restore(client: FlaskClient, incident_id: int, restored: str = "1") -> None:
    response = client.post(f"/incidents/{incident_id}/restored", data={"restored": restored})
    assert response.status_code == 302


def test_the_restore_takes_a_second_tap_and_is_logged_with_who_and_when(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    # The first tap only opens the confirmation; the second one posts.
    assert '<details class="restore-confirm">' in page
    assert "Ja, systemen fungerar igen" in page
    assert RESTORED not in page
    _restore(client, incident_id)
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert RESTORED in page and "efterregistrering pågår" in page
    with app.app_context():
        entry = db.session.scalar(
            select(IncidentLogEntry).where(
                IncidentLogEntry.step_key == IncidentLogEntry.SYSTEMS_RESTORED
            )
        )
        assert entry is not None and entry.is_done and entry.user.username == "test-radiographer"
        # Still open: it ends only when every case is reconciled.
        assert db.session.get(Incident, incident_id).is_open
    assert len(audit_events(app, "incident_restored")) == 1


def test_a_restore_tapped_by_mistake_is_undone_and_audited(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiologist")
    incident_id = declare_incident(client, "om_ris")
    _restore(client, incident_id)
    _restore(client, incident_id, "0")
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert RESTORED not in page
    assert "Systemen fungerar igen – ångrat" in page  # the log keeps both
    assert len(audit_events(app, "incident_restored_undo")) == 1


def test_a_restore_twice_or_an_undo_without_one_is_refused_not_logged(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    _restore(client, incident_id, "0")
    _restore(client, incident_id)
    _restore(client, incident_id)
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "redan markerade" in page
    assert len(audit_events(app, "incident_restored")) == 1
    assert audit_events(app, "incident_restored_undo") == []
    response = client.post(f"/incidents/{incident_id}/restored", data={"restored": "x"})
    assert response.status_code == 302  # a bad value is refused with a message, not a 500


def test_follow_up_checklist_appears_after_the_restore_and_is_ticked_and_logged(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert 'data-step="tib_restored"' not in page
    _restore(client, incident_id)
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "Uppföljning" in page
    assert 'aria-pressed="false" data-step="tib_restored"' in page
    client.post(
        f"/incidents/{incident_id}/steps", data={"step_key": "tib_restored", "is_done": "1"}
    )
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert 'aria-pressed="true" data-step="tib_restored"' in page
    events = audit_events(app, "incident_step")
    assert any(e.detail == "TiB informerad om att systemen fungerar igen: klar" for e in events)


def test_board_start_page_and_new_referral_say_the_systems_work_again(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    for url in ("/board/", "/", "/cases/new"):
        assert RESTORED not in client.get(url).get_data(as_text=True)
    _restore(client, incident_id)
    for url in ("/board/", "/"):
        page = client.get(url).get_data(as_text=True)
        assert RESTORED in page and "efterregistrering pågår" in page
    form = client.get("/cases/new").get_data(as_text=True)
    assert "Nya remisser går i RIS som vanligt" in form
    # A late fax may still arrive: the referral is still taken.
    response = client.post("/cases/new", data=referral_data())
    assert response.status_code == 302


def test_a_drill_restores_the_same_way_and_stays_a_drill(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris", drill=True)
    _restore(client, incident_id)
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert RESTORED in page and "ÖVNING" in page
    assert "(övning)" in audit_events(app, "incident_restored")[0].detail


def test_an_unmade_follow_up_is_outstanding_at_the_close(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    _restore(client, incident_id)
    auth.login("admin")
    page = client.post(
        f"/catchup/incidents/{incident_id}/close",
        data=with_page_lists(client, incident_id, {"confirm_unnotified": "y"}),
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Uppföljning: TiB informerad om att systemen fungerar igen är inte gjord" in page
    with app.app_context():
        assert db.session.get(Incident, incident_id).is_open
    client.post(
        f"/incidents/{incident_id}/steps", data={"step_key": "tib_restored", "is_done": "1"}
    )
    client.post(
        f"/catchup/incidents/{incident_id}/close",
        data=with_page_lists(client, incident_id, {"confirm_unnotified": "y"}),
        follow_redirects=True,
    )
    with app.app_context():
        assert not db.session.get(Incident, incident_id).is_open


def test_a_scenario_without_follow_up_closes_without_one(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "integration")
    _restore(client, incident_id)
    auth.login("admin")
    page = client.post(
        f"/catchup/incidents/{incident_id}/close",
        data=with_page_lists(client, incident_id, {"confirm_unnotified": "y"}),
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Uppföljning:" not in page
    with app.app_context():
        assert not db.session.get(Incident, incident_id).is_open


def test_a_closed_incident_cannot_be_marked_restored(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "integration")
    auth.login("admin")
    client.post(
        f"/catchup/incidents/{incident_id}/close",
        data=with_page_lists(client, incident_id, {"confirm_unnotified": "y"}),
    )
    _restore(client, incident_id)
    assert audit_events(app, "incident_restored") == []


_BASE = """
[site]
code = "X"
name = "X"
[[priorities]]
code = "1"
label = "Akut"
rank = 1
[[modalities]]
code = "CT"
name = "DT"
[scenarios.a]
name = "A"
notifications = [{ key = "tib", label = "TiB" }]
"""


def test_follow_up_is_parsed_like_the_notifications() -> None:
    config = parse_site_config(
        _BASE + 'follow_up = [{ key = "tib_restored", label = "TiB informerad" }]\n'
    )
    assert [(f.key, f.label) for f in config.scenarios["a"].follow_up] == [
        ("tib_restored", "TiB informerad")
    ]
    assert parse_site_config(_BASE).scenarios["a"].follow_up == ()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('follow_up = [{ key = "x" }]', 'uppföljning "x"'),
        ('follow_up = [{ label = "X" }]', "uppföljning 1"),
        ('follow_up = "TiB"', "follow_up"),
        (
            'follow_up = [{ key = "x", label = "X" }, { key = "x", label = "Y" }]',
            "uppföljningen x finns två gånger",
        ),
        ('follow_up = [{ key = "tib", label = "X" }]', "tib"),
    ],
)
def test_a_bad_follow_up_gets_a_swedish_message(extra: str, message: str) -> None:
    with pytest.raises(SiteConfigError) as exc:
        parse_site_config(_BASE + extra + "\n")
    assert message in str(exc.value)


def test_the_reconciliation_page_lists_an_unmade_follow_up_and_offers_no_close(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    _restore(client, incident_id)
    auth.login("admin")
    batch = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    assert "Uppföljning: TiB informerad om att systemen fungerar igen är inte gjord" in batch
    assert "Avsluta och spara slutlig avstämning" not in batch
    client.post(
        f"/incidents/{incident_id}/steps", data={"step_key": "tib_restored", "is_done": "1"}
    )
    batch = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    assert "Uppföljning:" not in batch
    assert "Avsluta och spara slutlig avstämning" in batch


def test_a_board_left_open_reloads_when_the_systems_work_again(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    board = client.get("/board/").get_data(as_text=True)
    assert "restored=0" in board
    rows = client.get(f"/board/rows?incident={incident_id}&scenario=om_ris&restored=0")
    assert rows.status_code == 200
    _restore(client, incident_id)
    rows = client.get(f"/board/rows?incident={incident_id}&scenario=om_ris&restored=0")
    assert rows.status_code == 302  # the page reloads, and its heading says so
