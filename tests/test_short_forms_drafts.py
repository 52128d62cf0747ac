"""The short forms autosave as drafts of their case: a cancellation's reason on the case page, a
catch-up waiver's reason on the catch-up page, and an image release. Offered again on opening,
continued with ?draft=, listed under Utkast, finished when sent, and counted at the close by
their kind's rule."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.incidents.close_drafts import unsent_drafts
from webapp.models import Case, Draft

from .factories import case_code, incident_of
from .routines_support import make_case, release_data

KEY = "shortform-" + "s" * 20


@dataclass(frozen=True)
class ShortForm:
    kind: str
    role: str
    # The page the form is on, and where it is sent, for a case id.
    page: Callable[[int], str]
    action: Callable[[int], str]
    # The form's fields as drafts.js stores them and the browser sends them.
    data: dict[str, str]
    typed: str
    report: str = ""
    # The kind's name in the lists of drafts and at the close.
    label: str = ""
    # Whether an unsent one holds the incident open (its kind's ends_with_incident).
    holds_close: bool = True


CANCEL = ShortForm(
    kind="cancel",
    role="radiographer",
    page=lambda case_id: f"/cases/{case_id}",
    action=lambda case_id: f"/cases/{case_id}/cancel",
    # The exam's images are in PACS: the box that says they are to be cleaned up is ticked.
    data={
        "reason": "Dubblett av faxad remiss",
        "message": "Remissen besvaras i K7M-2Q2.",
        "confirm_ris_pacs": "y",
    },
    typed="Dubblett av faxad remiss",
    label="Makulering",
)
WAIVER = ShortForm(
    kind="waiver",
    role="secretary",
    page=lambda case_id: f"/catchup/cases/{case_id}",
    action=lambda case_id: f"/catchup/cases/{case_id}/waive",
    data={"reason": "Registrerad direkt i RIS av röntgen"},
    typed="Registrerad direkt i RIS av röntgen",
    label="Undantag från efterregistrering",
)
RELEASE = ShortForm(
    kind="release",
    role="secretary",
    page=lambda case_id: f"/routines/releases/cases/{case_id}",
    action=lambda case_id: f"/routines/releases/cases/{case_id}",
    data=release_data(recipient_name="Ölands sjukstuga"),
    typed="Ölands sjukstuga",
    report="definitive",
    label="Utlämnande av bilder",
    # A release is made after the outage too: its form is not closed by the end.
    holds_close=False,
)
FORMS = [pytest.param(f, id=f.kind) for f in (CANCEL, WAIVER, RELEASE)]


def _typed_draft(client: FlaskClient, auth, form: ShortForm) -> int:
    """A case whose short form someone has begun to type (autosaved, still logged in)."""
    case_id = make_case(client, auth, report=form.report)
    auth.login(form.role)
    saved = client.put(
        f"/api/drafts/{KEY}",
        json={
            "kind": form.kind,
            "seq": 1,
            "case_id": str(case_id),
            "data": {"form_key": KEY, **form.data},
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
def test_a_short_form_autosaves_as_a_draft_of_its_case(
    client: FlaskClient, auth, form: ShortForm
) -> None:
    case_id = make_case(client, auth, report=form.report)
    auth.login(form.role)
    html = _form_of(client.get(form.page(case_id)).get_data(as_text=True), form.kind)
    assert f'data-case-id="{case_id}"' in html
    assert 'class="draft-status' in html
    assert len(_key_of(html)) >= 16


@pytest.mark.parametrize("form", FORMS)
def test_a_typed_short_form_is_offered_and_continued_on_its_page(
    client: FlaskClient, auth, form: ShortForm
) -> None:
    case_id = _typed_draft(client, auth, form)
    page = client.get(form.page(case_id)).get_data(as_text=True)
    assert "Osparad ändring från" in page
    assert f"draft={KEY}" in page
    page = client.get(f"{form.page(case_id)}?draft={KEY}").get_data(as_text=True)
    html = _form_of(page, form.kind)
    assert form.typed in html
    assert _key_of(html) == KEY
    # Continued, it is not offered beside itself.
    assert "Osparad ändring från" not in page


@pytest.mark.parametrize("form", FORMS)
def test_the_drafts_list_names_a_short_forms_case_and_patient_and_continues_it(
    app: Flask, client: FlaskClient, auth, form: ShortForm
) -> None:
    case_id = _typed_draft(client, auth, form)
    page = client.get("/drafts").get_data(as_text=True)
    row = next(r for r in page.split("<tr>") if KEY in r)
    assert form.label in row
    assert case_code(app, case_id) in row and "Örjan Älvström" in row
    assert f"{form.page(case_id)}?draft={KEY}" in row


@pytest.mark.parametrize("form", FORMS)
def test_a_sent_short_form_finishes_its_draft(
    app: Flask, client: FlaskClient, auth, form: ShortForm
) -> None:
    case_id = _typed_draft(client, auth, form)
    sent = client.post(form.action(case_id), data={"form_key": KEY, **form.data})
    assert sent.status_code == 302, sent.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Draft.is_done).where(Draft.form_key == KEY)) is True
    # The next page tells the tablet its copy can go.
    assert f'data-saved-form="{KEY}"' in client.get(sent.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("form", FORMS)
def test_an_unsent_short_form_holds_the_close_by_its_kinds_rule(
    app: Flask, client: FlaskClient, auth, form: ShortForm
) -> None:
    case_id = _typed_draft(client, auth, form)
    with app.app_context():
        names = [d.name for d in unsent_drafts(incident_of(app, case_id))]
    if form.holds_close:
        code = case_code(app, case_id)
        assert names == [f"{form.label} {code} (Örjan Älvström, 19121212-****, av {_user(form)})"]
    else:
        assert names == []


def _user(form: ShortForm) -> str:
    return {"radiographer": "Testa Radiographer Åström", "secretary": "Testa Secretary Åström"}[
        form.role
    ]


def test_a_cancel_refused_for_its_unticked_box_keeps_its_key_so_its_draft_goes_on(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _typed_draft(client, auth, CANCEL)
    # The case's images are in PACS: a cancel without the box ticked is refused beside it.
    unticked = {k: v for k, v in CANCEL.data.items() if k != "confirm_ris_pacs"}
    refused = client.post(f"/cases/{case_id}/cancel", data={"form_key": KEY, **unticked})
    assert refused.status_code == 409
    html = _form_of(refused.get_data(as_text=True), "cancel")
    assert _key_of(html) == KEY and CANCEL.typed in html
    with app.app_context():
        assert db.session.get(Case, case_id).status != "cancelled"
        assert db.session.scalar(select(Draft.is_done).where(Draft.form_key == KEY)) is False


def test_a_box_left_unticked_in_a_draft_sends_its_tick_on_the_continued_form(
    client: FlaskClient, auth
) -> None:
    # drafts.js keeps an unticked box as "": drawn from that, the box would send "" when ticked
    # later, which reads as unticked.
    unticked = ShortForm(**{**RELEASE.__dict__, "data": release_data(billing_recorded="")})
    case_id = _typed_draft(client, auth, unticked)
    page = client.get(f"{RELEASE.page(case_id)}?draft={KEY}").get_data(as_text=True)
    box = re.search(r'<input[^>]*name="billing_recorded"[^>]*>', page)
    assert box is not None
    assert 'value="y"' in box.group(0) and "checked" not in box.group(0)


def test_the_cancel_forms_clean_up_box_is_not_kept_in_its_draft(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The tick answers the page that asked for it, as the identity boxes do (NOT_DRAFTED).
    case_id = _typed_draft(client, auth, CANCEL)
    html = _form_of(client.get(CANCEL.page(case_id)).get_data(as_text=True), "cancel")
    box = re.search(r'<input[^>]*name="confirm_ris_pacs"[^>]*>', html)
    assert box is not None and "data-draft-skip" in box.group(0)
    with app.app_context():
        stored = db.session.scalar(select(Draft.data).where(Draft.form_key == KEY))
    assert "confirm_ris_pacs" not in stored
