"""A faxed or paper report keyed in over a radiologist's unsigned draft typed in the app: the
secretary is warned and ticks to replace it, and the radiologist can still read their text."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, RecordVersion, Report
from webapp.web import local_time

from .factories import case_code, faxed_report_data, hidden_value, paper_report_data
from .reporting_support import _report
from .routines_support import make_case, receive_data

RADIOLOGIST = "Testa Radiologist Åström"
SECRETARY = "Testa Secretary Åström"
DRAFT_TEXT = "Oklar förtätning i höger underlob, jämför med tidigare."
TICK = "Ersätt utkastet"
SENT = {
    "author_name": "Dr Natt Granskare",
    "received_at": "2026-01-15T11:10",
    "findings": "Lungembolism höger.",
}


def _draft(
    tablet: FlaskClient,
    case_id: int,
    text: str = DRAFT_TEXT,
    key: str = "d" * 20,
    version: str = "",
) -> None:
    """The radiologist types and saves a draft on the reporting screen (not signed); version:
    the report's version the screen showed ("" none yet)."""
    response = tablet.post(f"/reporting/{case_id}", data=_report("save", key, version, fynd=text))
    assert response.status_code == 302, response.get_data(as_text=True)


def _radiologist(tablet_factory: Callable[..., FlaskClient]) -> FlaskClient:
    return tablet_factory("test-radiologist", role="radiologist")


def _report_row(app: Flask) -> tuple[str, bool, str]:
    with app.app_context():
        report = db.session.scalar(select(Report))
        return report.state, report.received_by_fax, report.sections[0]["text"]


def test_the_fax_form_warns_of_a_typed_draft_naming_its_author_and_time(
    app: Flask, client: FlaskClient, auth, case_id: int, tablet_factory
) -> None:
    _draft(_radiologist(tablet_factory), case_id)
    with app.app_context():
        saved = local_time(db.session.scalar(select(Report.updated_at)), "%H:%M")
    auth.login("secretary")
    page = client.get(f"/reporting/{case_id}/fax").get_data(as_text=True)
    assert f"ett utkast till utlåtande skrivet i appen av {RADIOLOGIST}" in page
    assert f"senast sparat {saved}" in page
    assert TICK in page and 'name="replace_draft"' in page


def test_a_faxed_report_over_a_draft_is_refused_without_the_tick_keeping_what_was_typed(
    app: Flask, client: FlaskClient, auth, case_id: int, tablet_factory
) -> None:
    _draft(_radiologist(tablet_factory), case_id)
    auth.login("secretary")
    page = client.get(f"/reporting/{case_id}/fax").get_data(as_text=True)
    sent = faxed_report_data(**SENT, draft_version=hidden_value(page, "draft_version"))
    response = client.post(f"/reporting/{case_id}/fax", data=sent)
    refused = response.get_data(as_text=True)
    assert response.status_code == 400
    # Beside the tick, not only in the summary.
    assert 'id="replace_draft-error"' in refused
    for typed in (SENT["author_name"], SENT["received_at"], SENT["findings"], "Lungembolism."):
        assert typed in refused
    assert _report_row(app) == ("draft", False, DRAFT_TEXT)


def test_a_faxed_report_with_the_tick_replaces_the_draft_and_the_radiologist_reads_it_back(
    app: Flask, client: FlaskClient, auth, case_id: int, tablet_factory
) -> None:
    radiologist = _radiologist(tablet_factory)
    _draft(radiologist, case_id)
    auth.login("secretary")
    page = client.get(f"/reporting/{case_id}/fax").get_data(as_text=True)
    version = hidden_value(page, "draft_version")
    sent = faxed_report_data(**SENT, draft_version=version)
    # Refused first, then ticked under the same form key: the refusal stored nothing.
    assert client.post(f"/reporting/{case_id}/fax", data=sent).status_code == 400
    response = client.post(f"/reporting/{case_id}/fax", data=sent | {"replace_draft": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _report_row(app) == ("preliminary", True, SENT["findings"])
    screen = radiologist.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert f"Utkastet av {RADIOLOGIST} ersattes" in screen
    assert f"som {SECRETARY} förde in" in screen
    assert DRAFT_TEXT in screen


def test_a_ticked_fax_sent_twice_is_entered_once(
    app: Flask, client: FlaskClient, auth, case_id: int, tablet_factory
) -> None:
    _draft(_radiologist(tablet_factory), case_id)
    auth.login("secretary")
    page = client.get(f"/reporting/{case_id}/fax").get_data(as_text=True)
    sent = faxed_report_data(
        **SENT, draft_version=hidden_value(page, "draft_version"), replace_draft="y"
    )
    first = client.post(f"/reporting/{case_id}/fax", data=sent)
    # The retry finds the draft gone: it is the same submit, not a new refusal.
    second = client.post(f"/reporting/{case_id}/fax", data=sent)
    assert first.status_code == second.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Report.version)) == 2


def test_a_draft_saved_after_the_fax_form_opened_is_caught_when_it_is_sent(
    app: Flask, client: FlaskClient, auth, case_id: int, tablet_factory
) -> None:
    auth.login("secretary")
    page = client.get(f"/reporting/{case_id}/fax").get_data(as_text=True)
    assert TICK not in page
    _draft(_radiologist(tablet_factory), case_id)
    response = client.post(f"/reporting/{case_id}/fax", data=faxed_report_data(**SENT))
    refused = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"skrivet i appen av {RADIOLOGIST}" in refused and 'name="replace_draft"' in refused
    assert _report_row(app) == ("draft", False, DRAFT_TEXT)


def test_a_tick_given_for_an_earlier_save_of_the_draft_is_refused(
    app: Flask, client: FlaskClient, auth, case_id: int, tablet_factory
) -> None:
    radiologist = _radiologist(tablet_factory)
    _draft(radiologist, case_id, "Första utkastet.")
    auth.login("secretary")
    page = client.get(f"/reporting/{case_id}/fax").get_data(as_text=True)
    sent = faxed_report_data(
        **SENT, draft_version=hidden_value(page, "draft_version"), replace_draft="y"
    )
    # The radiologist goes on typing meanwhile: the secretary ticked for the text before it.
    _draft(radiologist, case_id, DRAFT_TEXT, key="s" * 20, version="1")
    response = client.post(f"/reporting/{case_id}/fax", data=sent)
    refused = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="replace_draft-error"' in refused
    # Ticked again for what the page now shows, it goes through.
    again = sent | {"draft_version": hidden_value(refused, "draft_version")}
    # The tick named the earlier text: it is asked again, not carried over to the new one.
    tick = re.search(r'<input[^>]*name="replace_draft"[^>]*>', refused)
    assert tick is not None and "checked" not in tick.group(0)
    assert client.post(f"/reporting/{case_id}/fax", data=again).status_code == 302
    assert _report_row(app) == ("preliminary", True, SENT["findings"])


def test_without_a_draft_the_fax_form_asks_no_tick(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("secretary")
    page = client.get(f"/reporting/{case_id}/fax").get_data(as_text=True)
    assert TICK not in page
    response = client.post(f"/reporting/{case_id}/fax", data=faxed_report_data(**SENT))
    assert response.status_code == 302
    assert _report_row(app) == ("preliminary", True, SENT["findings"])


def test_an_empty_draft_is_replaced_without_a_tick(
    app: Flask, client: FlaskClient, auth, case_id: int, tablet_factory
) -> None:
    radiologist = _radiologist(tablet_factory)
    response = radiologist.post(
        f"/reporting/{case_id}", data=_report("save", fynd="", bedomning="")
    )
    assert response.status_code == 302
    auth.login("secretary")
    page = client.get(f"/reporting/{case_id}/fax").get_data(as_text=True)
    assert TICK not in page
    response = client.post(f"/reporting/{case_id}/fax", data=faxed_report_data(**SENT))
    assert response.status_code == 302
    assert "ersattes" not in radiologist.get(f"/reporting/{case_id}").get_data(as_text=True)


def test_a_paper_report_over_a_draft_needs_the_tick_too(
    app: Flask, client: FlaskClient, auth, case_id: int, tablet_factory, radiologist_id: int
) -> None:
    radiologist = _radiologist(tablet_factory)
    _draft(radiologist, case_id)
    auth.login("secretary")
    page = client.get(f"/reporting/{case_id}/paper").get_data(as_text=True)
    assert f"skrivet i appen av {RADIOLOGIST}" in page and TICK in page
    sent = paper_report_data(
        radiologist_id,
        findings="Skrivet på papper.",
        draft_version=hidden_value(page, "draft_version"),
    )
    response = client.post(f"/reporting/{case_id}/paper", data=sent)
    refused = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="replace_draft-error"' in refused and "Skrivet på papper." in refused
    assert _report_row(app) == ("draft", False, DRAFT_TEXT)
    response = client.post(f"/reporting/{case_id}/paper", data=sent | {"replace_draft": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _report_row(app) == ("definitive", False, "Skrivet på papper.")
    screen = radiologist.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert f"Utkastet av {RADIOLOGIST} ersattes" in screen and DRAFT_TEXT in screen


def test_the_replaced_draft_is_named_in_the_audit_log_and_the_case_history(
    app: Flask, client: FlaskClient, auth, case_id: int, tablet_factory
) -> None:
    _draft(_radiologist(tablet_factory), case_id)
    auth.login("secretary")
    page = client.get(f"/reporting/{case_id}/fax").get_data(as_text=True)
    sent = faxed_report_data(
        **SENT, draft_version=hidden_value(page, "draft_version"), replace_draft="y"
    )
    assert client.post(f"/reporting/{case_id}/fax", data=sent).status_code == 302
    replaced = f"ersätter utkastet av {RADIOLOGIST}"
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "report_fax_entered")
        )
        assert replaced in event.detail
        version = db.session.scalar(select(RecordVersion).where(RecordVersion.entity == "report"))
        assert version.data["state"] == "draft" and DRAFT_TEXT in str(version.data["sections"])
    auth.login("radiologist")
    history = client.get(f"/cases/{case_id}/history").get_data(as_text=True)
    assert f"Utkastet av {RADIOLOGIST}" in history


def test_a_reviewers_answer_transcribed_over_a_draft_needs_the_tick_too(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    radiologist = _radiologist(tablet_factory)
    _draft(radiologist, case_id)
    auth.login("secretary")
    sent = receive_data(
        code, forwarded=False, state="preliminary", findings="Från granskaren.", conclusion="Ok."
    )
    # The patient confirmed: the draft is named beside the tick, and nothing is recorded.
    response = client.post("/routines/reviewer/receive", data=sent)
    refused = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="replace_draft-error"' in refused and f"av {RADIOLOGIST}" in refused
    assert "Från granskaren." in refused
    assert _report_row(app) == ("draft", False, DRAFT_TEXT)
    ticked = sent | {"replace_draft": "y", "draft_version": hidden_value(refused, "draft_version")}
    response = client.post("/routines/reviewer/receive", data=ticked)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _report_row(app) == ("preliminary", True, "Från granskaren.")
    screen = radiologist.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert f"Utkastet av {RADIOLOGIST} ersattes" in screen and DRAFT_TEXT in screen
