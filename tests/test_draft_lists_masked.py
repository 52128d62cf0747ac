"""Every server list of drafts masks the personnummer as the drafts list does (/drafts).

The label a tablet builds (static/js/draft-copies.js, labelFor) carries the number in full: the
close's list of unsent forms and the panel of forms that came after the end must not show it.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from .catchup_support import close_incident, incident_ended, reconcile_world
from .catchup_world_support import world as world  # the fixture

REFERRAL_KEY = "masked-referral-" + "m" * 12
EXAM_KEY = "masked-exam-" + "x" * 14
# Ten digits typed: the list shows the century the site's date gives it, as /drafts does.
TYPED = "121212-1212"
LABEL = f"CZ6-EPF · Sten Stensson · {TYPED} · DT thorax"
REFERRAL = {
    "id_mode": "pnr",
    "case_code": "CZ6-EPF",
    "personal_number": TYPED,
    "patient_name": "Sten Stensson",
    "exam_text": "DT thorax",
}


def _drafts(client: FlaskClient, auth, world: dict[str, Any]) -> None:
    """A referral begun without a case and an exam form of the world's first case, unsent."""
    auth.logout()
    auth.login("radiographer")
    for key, body in (
        (
            REFERRAL_KEY,
            {
                "kind": "referral",
                "incident_id": world["incident_id"],
                "label": LABEL,
                "data": REFERRAL,
            },
        ),
        (EXAM_KEY, {"kind": "exam", "case_id": world["ids"][0], "label": "Dokumentation"}),
    ):
        body.setdefault("data", {"notes": "Kontrast given"})
        response = client.put(f"/api/drafts/{key}", json={"seq": 1, **body})
        assert response.status_code == 200, response.get_data(as_text=True)
    auth.logout()


def test_the_closes_list_of_unsent_forms_masks_each_number_as_the_drafts_list(
    client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    _drafts(client, auth, world)
    auth.login("admin")
    page = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    section = page[page.index('id="unsent-drafts"') :].split("</ul>", 1)[0]
    assert "1212-1212" not in section and "121212-1212" not in section
    # Two identifiers on each row: the case code and the name, the number masked.
    assert "CZ6-EPF" in section and "Sten Stensson" in section and "20121212-****" in section
    assert world["codes"][0] in section
    assert "Örjan Älvström" in section and "19121212-****" in section


def test_the_refused_close_names_the_unsent_forms_with_their_numbers_masked(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    _drafts(client, auth, world)
    page = close_incident(client, auth, world["incident_id"])
    assert not incident_ended(app, world["incident_id"])
    flash = page[page.index("inte skickats:") :].split("</", 1)[0]
    assert "Sten Stensson" in flash and "20121212-****" in flash
    assert "Örjan Älvström" in flash and "19121212-****" in flash
    assert "1212-1212" not in flash


def _ended_with_late_drafts(app: Flask, client: FlaskClient, auth, world) -> int:
    reconcile_world(client, auth, world)
    close_incident(client, auth, world["incident_id"], confirm_unfaxed="y")
    assert incident_ended(app, world["incident_id"])
    _drafts(client, auth, world)
    return int(world["incident_id"])


def _panel(page: str) -> str:
    return page[page.index('id="late-drafts"') :].split("</section>", 1)[0]


def test_the_late_drafts_panel_masks_each_number_as_the_drafts_list(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    incident_id = _ended_with_late_drafts(app, client, auth, world)
    auth.login("secretary")
    for url in ("/", f"/incidents/{incident_id}", f"/catchup/incidents/{incident_id}"):
        panel = _panel(client.get(url).get_data(as_text=True))
        assert "1212-1212" not in panel, url
        assert "Sten Stensson" in panel and "20121212-****" in panel, url
        # The case code typed into the referral, as /drafts shows it in the label.
        assert "CZ6-EPF" in panel, url
        assert world["codes"][0] in panel and "19121212-****" in panel, url


def test_a_late_draft_named_by_its_label_alone_has_the_number_masked(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    # A transfer names its patient under another field: a label with nothing else beside it.
    incident_id = _ended_with_late_drafts(app, client, auth, world)
    auth.login("radiographer")
    body = {
        "seq": 1,
        "kind": "referral",
        "incident_id": incident_id,
        "label": "Utan namn · 19121212-1212",
        "data": {"id_mode": "pnr", "exam_text": "DT thorax"},
    }
    assert client.put("/api/drafts/label-only-" + "l" * 14, json=body).status_code == 200
    auth.logout()
    auth.login("secretary")
    panel = _panel(client.get(f"/incidents/{incident_id}").get_data(as_text=True))
    assert "Utan namn · 19121212-****" in panel
    assert "1212-1212" not in panel
