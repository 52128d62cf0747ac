"""The other forms of a cancellation autosave as drafts of their case, as its reason does: the
reason a cancellation is undone, the note of the notice to the referrer, and the note of the call
made after a restore. Offered again on opening, continued with ?draft=, finished when sent, and
counted at the close by their kind's rule."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.incidents.close_drafts import cancelled_case_drafts, unsent_drafts
from webapp.late_drafts import late_drafts
from webapp.models import Draft

from .catchup_support import close_incident, incident_ended, new_case
from .factories import case_code, hidden_value, incident_of, local_minute
from .test_cases_move import drill_case_beside_outage
from .test_cases_restore_call import _restored_after_notice

KEY = "cancelforms-" + "c" * 20


def _cancelled(client: FlaskClient, auth) -> int:
    """A case cancelled in an open incident; the radiographer logged in."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    case_id = new_case(client, auth)
    auth.login("radiographer")
    url = f"/cases/{case_id}"
    page = client.get(url).get_data(as_text=True)
    data = {"reason": "Fel patient", "form_key": hidden_value(page, "form_key")}
    assert client.post(url + "/cancel", data=data).status_code == 302
    return case_id


@dataclass(frozen=True)
class CaseForm:
    kind: str
    action: str
    setup: Callable[[FlaskClient, object], int]
    data: dict[str, str]
    typed: str
    label: str
    holds_close: bool


RESTORE = CaseForm(
    kind="restore",
    action="restore",
    setup=_cancelled,
    data={"reason": "Fel ärende makulerat i brådskan"},
    typed="Fel ärende makulerat i brådskan",
    label="Ångrad makulering",
    holds_close=True,
)
NOTICE = CaseForm(
    kind="cancel_notice",
    action="cancel-notice",
    setup=_cancelled,
    data={"kind": "not_needed", "note": "Remissen besvaras i ärendet K7M-2Q2"},
    typed="Remissen besvaras i ärendet K7M-2Q2",
    label="Besked om makulering",
    holds_close=False,
)
CALL = CaseForm(
    kind="restore_call",
    action="restore-call",
    setup=_restored_after_notice,
    data={
        "called_person": "Dr Åberg",
        "phone_number": "0999-123 45",
        "note": "Undersökningen görs i eftermiddag, avdelningen vet",
    },
    typed="Undersökningen görs i eftermiddag, avdelningen vet",
    label="Samtal om ångrad makulering",
    holds_close=False,
)


def _in_drill_beside_outage(client: FlaskClient, auth) -> int:
    """A case in a drill, a real outage (incident 2) open beside it."""
    return drill_case_beside_outage(client, auth)[2]


# Not of a cancellation, but a short form of the same page: its reason autosaves the same way.
MOVE = CaseForm(
    kind="move",
    action="move",
    setup=_in_drill_beside_outage,
    data={"target": "2", "reason": "Riktig patient, togs emot i övningen"},
    typed="Riktig patient, togs emot i övningen",
    label="Flytt till annat driftstopp",
    holds_close=True,
)
FORMS = [pytest.param(f, id=f.kind) for f in (RESTORE, NOTICE, CALL, MOVE)]


def _data(form: CaseForm) -> dict[str, str]:
    return {"called_at": local_minute(), **form.data} if form is CALL else dict(form.data)


def _typed_draft(client: FlaskClient, auth, form: CaseForm) -> int:
    case_id = form.setup(client, auth)
    saved = client.put(
        f"/api/drafts/{KEY}",
        json={
            "kind": form.kind,
            "seq": 1,
            "case_id": str(case_id),
            "data": {"form_key": KEY, **_data(form)},
        },
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)
    assert saved.get_json()["state"] == "created"
    return case_id


def _form_of(page: str, kind: str) -> str:
    match = re.search(rf'<form[^>]*data-draft-kind="{kind}".*?</form>', page, re.S)
    assert match is not None, f"no autosaved {kind} form on the page"
    return match.group(0)


def _key_of(form_html: str) -> str:
    match = re.search(r'<input[^>]*name="form_key"[^>]*value="([^"]*)"', form_html)
    assert match is not None
    return match.group(1)


@pytest.mark.parametrize("form", FORMS)
def test_the_form_autosaves_as_a_draft_of_its_case(
    client: FlaskClient, auth, form: CaseForm
) -> None:
    case_id = form.setup(client, auth)
    html = _form_of(client.get(f"/cases/{case_id}").get_data(as_text=True), form.kind)
    assert f'data-case-id="{case_id}"' in html
    assert 'class="draft-status' in html
    assert len(_key_of(html)) >= 16


@pytest.mark.parametrize("form", FORMS)
def test_a_typed_form_is_offered_and_continued_on_the_case_page(
    client: FlaskClient, auth, form: CaseForm
) -> None:
    case_id = _typed_draft(client, auth, form)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Osparad ändring från" in page
    assert f"draft={KEY}" in page
    page = client.get(f"/cases/{case_id}?draft={KEY}").get_data(as_text=True)
    html = _form_of(page, form.kind)
    assert form.typed in html
    assert _key_of(html) == KEY
    assert "Osparad ändring från" not in page
    # No other form of the page takes the draft's key: it autosaves into one form only.
    assert page.count(f'value="{KEY}"') == 1


@pytest.mark.parametrize("form", FORMS)
def test_a_sent_form_finishes_its_draft(
    app: Flask, client: FlaskClient, auth, form: CaseForm
) -> None:
    case_id = _typed_draft(client, auth, form)
    sent = client.post(f"/cases/{case_id}/{form.action}", data={"form_key": KEY, **_data(form)})
    assert sent.status_code == 302, sent.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Draft.is_done).where(Draft.form_key == KEY)) is True
    assert f'data-saved-form="{KEY}"' in client.get(sent.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("form", FORMS)
def test_an_unsent_form_holds_the_close_by_its_kinds_rule(
    app: Flask, client: FlaskClient, auth, form: CaseForm
) -> None:
    case_id = _typed_draft(client, auth, form)
    with app.app_context():
        names = [d.name for d in unsent_drafts(incident_of(app, case_id))]
    if form.holds_close:
        code = case_code(app, case_id)
        assert names == [
            f"{form.label} {code} (Örjan Älvström, 19121212-****, av Testa Radiographer Åström)"
        ]
    else:
        assert names == []


def test_a_restore_draft_no_longer_holds_the_close_once_the_case_is_restored(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Restored from another tablet with a reason of its own: the typed one is moot.
    case_id = _typed_draft(client, auth, RESTORE)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    other_key = _key_of(_form_of(page, "restore"))
    data = {"reason": "Makulerad av misstag", "form_key": other_key}
    assert client.post(f"/cases/{case_id}/restore", data=data).status_code == 302
    with app.app_context():
        assert unsent_drafts(incident_of(app, case_id)) == []


def test_the_drafts_list_does_not_call_a_restore_draft_unsendable(
    client: FlaskClient, auth
) -> None:
    # Drafts of a cancelled case cannot be sent until it is restored; a restore's can.
    _typed_draft(client, auth, RESTORE)
    page = client.get("/drafts").get_data(as_text=True)
    row = next(r for r in page.split("<tr>") if KEY in r)
    assert "Ångrad makulering" in row
    assert "kan inte sparas förrän makuleringen ångras" not in row


def test_a_key_typed_offline_goes_to_the_form_of_the_kind_its_link_names(
    client: FlaskClient, auth
) -> None:
    # The tablet's own copy, never sent (offline): the laptop cannot tell its form; the tablet's
    # link names it. The page of a restored case draws the call's form and the cancel's.
    case_id = _restored_after_notice(client, auth)
    page = client.get(f"/cases/{case_id}?draft={KEY}&draft_kind=cancel").get_data(as_text=True)
    assert _key_of(_form_of(page, "cancel")) == KEY
    assert _key_of(_form_of(page, "restore_call")) != KEY


def test_a_restore_draft_that_arrives_after_the_close_is_a_late_draft(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Typed offline before the close: the case stays cancelled, and the reason it should not
    # reaches the laptop after the end. It is shown as late, as a live case's form would be.
    case_id = _cancelled(client, auth)
    incident_id = incident_of(app, case_id)
    close_incident(client, auth, incident_id)
    assert incident_ended(app, incident_id)
    auth.login("radiographer")
    saved = client.put(
        f"/api/drafts/{KEY}",
        json={"kind": "restore", "seq": 1, "case_id": str(case_id), "data": RESTORE.data},
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)
    with app.app_context():
        late = late_drafts(1, incident_id)
        assert [d.form_key for d in late] == [KEY]
        assert cancelled_case_drafts(incident_id) == []


def _restored_elsewhere(client: FlaskClient, case_id: int) -> None:
    """Another tablet restores the case with a reason of its own."""
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    data = {"reason": "Makulerad av misstag", "form_key": _key_of(_form_of(page, "restore"))}
    assert client.post(f"/cases/{case_id}/restore", data=data).status_code == 302


@pytest.mark.parametrize("form", [pytest.param(f, id=f.kind) for f in (RESTORE, NOTICE)])
def test_the_drafts_list_calls_a_cancelled_cases_form_unsendable_once_it_is_restored(
    client: FlaskClient, auth, form: CaseForm
) -> None:
    # The case page of a restored case draws neither form: only throwing the draft away is left.
    case_id = _typed_draft(client, auth, form)
    _restored_elsewhere(client, case_id)
    page = client.get("/drafts").get_data(as_text=True)
    row = next(r for r in page.split("<tr>") if "/drafts/" in r and form.label in r)
    assert "Ärendet är aktivt igen" in row
    assert "Makuleringen är redan ångrad: utkastet kan inte skickas." in row
    assert f"draft={KEY}" not in row and "Fortsätt" not in row
    assert "/discard" in row


@pytest.mark.parametrize("form", [pytest.param(f, id=f.kind) for f in (RESTORE, NOTICE)])
def test_a_cancelled_cases_draft_read_on_its_own_page_once_restored_is_only_thrown_away(
    client: FlaskClient, app: Flask, auth, form: CaseForm
) -> None:
    # Its Fortsätt would open a case page that no longer draws the form.
    case_id = _typed_draft(client, auth, form)
    _restored_elsewhere(client, case_id)
    with app.app_context():
        draft_id = db.session.scalar(select(Draft.id).where(Draft.form_key == KEY))
    page = client.get(f"/drafts/{draft_id}").get_data(as_text=True)
    assert '<span class="status">Ärendet är aktivt igen</span>' in page
    assert "Makuleringen är redan ångrad: utkastet kan inte skickas." in page
    assert "Fortsätt i formuläret" not in page and f"draft={KEY}" not in page
    assert f"/drafts/{draft_id}/discard" in page
    # The text stays to read (and copy).
    assert form.typed in page


def _called_elsewhere(client: FlaskClient, case_id: int) -> None:
    """Another tablet logs the call to the referrer with a note of its own."""
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    data = {
        **_data(CALL),
        "note": "Remittenten fick beskedet",
        "form_key": _key_of(_form_of(page, "restore_call")),
    }
    assert client.post(f"/cases/{case_id}/restore-call", data=data).status_code == 302


def test_the_drafts_list_calls_a_restore_call_draft_unsendable_once_the_call_is_logged(
    client: FlaskClient, auth
) -> None:
    # The case page draws no call form once the call is logged: its Fortsätt led nowhere.
    case_id = _typed_draft(client, auth, CALL)
    _called_elsewhere(client, case_id)
    page = client.get("/drafts").get_data(as_text=True)
    row = next(r for r in page.split("<tr>") if "/drafts/" in r and CALL.label in r)
    assert "Samtalet är redan loggat" in row
    assert f"draft={KEY}" not in row and "Fortsätt" not in row
    assert "Läs utkastet" in row and "/discard" in row


def test_a_restore_call_draft_read_once_the_call_is_logged_is_only_thrown_away(
    client: FlaskClient, app: Flask, auth
) -> None:
    case_id = _typed_draft(client, auth, CALL)
    _called_elsewhere(client, case_id)
    with app.app_context():
        draft_id = db.session.scalar(select(Draft.id).where(Draft.form_key == KEY))
    page = client.get(f"/drafts/{draft_id}").get_data(as_text=True)
    assert "Samtalet är redan loggat" in page
    assert "Fortsätt i formuläret" not in page and f"draft={KEY}" not in page
    assert f"/drafts/{draft_id}/discard" in page
    assert CALL.typed in page


def test_a_restore_call_draft_goes_on_until_the_call_is_logged(client: FlaskClient, auth) -> None:
    # Until the call is logged it goes on as before.
    _typed_draft(client, auth, CALL)
    page = client.get("/drafts").get_data(as_text=True)
    row = next(r for r in page.split("<tr>") if "/drafts/" in r and CALL.label in r)
    assert "Samtalet är redan loggat" not in row
    assert "Fortsätt" in row
