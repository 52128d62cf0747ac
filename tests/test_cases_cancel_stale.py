"""Two tablets on one case: a cancel from a page opened before a colleague documented the exam,
saved a report or corrected the patient is refused, with the reason kept and what changed named."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case

from .factories import exam_data, identity_data, referral_data, report_data
from .factories import unidentified_referral_data as unidentified

REASON = "Dubblett av faxad remiss – aldrig undersökt"


def _cancel_form(page: str) -> dict[str, str]:
    """The hidden fields of the case page's cancel form, with the reason typed, and the box
    ticked that confirms the RIS/PACS clean-up where the form asks for it (images sent)."""
    form = re.search(r'<form[^>]*action="[^"]*/cancel".*?</form>', page, re.S)
    assert form is not None, "the page offers no cancel"
    hidden = re.findall(r'<input[^>]* name="([^"]+)" type="hidden" value="([^"]*)"', form.group(0))
    confirm = {"confirm_ris_pacs": "y"} if 'name="confirm_ris_pacs"' in form.group(0) else {}
    return {**dict(hidden), "reason": REASON, **confirm}


def _status(app: Flask) -> str:
    with app.app_context():
        return str(db.session.scalar(select(Case.status)))


def _exam(tablet: FlaskClient, url: str) -> None:
    assert tablet.post(url + "/exam", data=exam_data()).status_code == 302


def _report(tablet: FlaskClient, url: str) -> None:
    case_id = url.rsplit("/", 1)[-1]
    saved = tablet.post(f"/reporting/{case_id}", data=report_data("save", findings="Blödning."))
    assert saved.status_code == 302


def _identity(tablet: FlaskClient, url: str) -> None:
    assert tablet.post(url + "/identity", data=identity_data()).status_code == 302


@pytest.mark.parametrize(
    ("change", "role", "named"),
    [
        (_exam, "radiographer", "dokumentationen av undersökningen"),
        (_report, "radiologist", "utlåtandet"),
        (_identity, "radiographer", "patientens identitet"),
    ],
)
def test_a_cancel_from_a_page_opened_before_a_colleagues_save_is_refused_with_the_reason_kept(
    app: Flask,
    tablet_factory: Callable[..., FlaskClient],
    change: Callable[[FlaskClient, str], None],
    role: str,
    named: str,
) -> None:
    tablet_a = tablet_factory("anna")
    tablet_a.post("/incidents/new", data={"scenario": "integration"})
    url = tablet_a.post("/cases/new", data=unidentified()).headers["Location"]
    if change is _report:
        _exam(tablet_a, url)
    opened = _cancel_form(tablet_a.get(url).get_data(as_text=True))
    change(tablet_factory("bo", role=role), url)

    response = tablet_a.post(url + "/cancel", data=opened)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert _status(app) != "cancelled"
    assert "har ändrats sedan sidan öppnades" in page and named in page
    assert REASON in page  # kept by the field
    # The page now shows the case as it is: cancelled from it, the case is cancelled.
    again = _cancel_form(page)
    # Nothing was stored under its key: the key stays, so the draft of the reason goes on.
    assert again["form_key"] == opened["form_key"]
    assert tablet_a.post(url + "/cancel", data=again).status_code == 302
    assert _status(app) == "cancelled"


def test_a_cancel_from_the_page_as_it_is_goes_through(
    app: Flask, tablet_factory: Callable[..., FlaskClient]
) -> None:
    tablet_a = tablet_factory("anna")
    tablet_a.post("/incidents/new", data={"scenario": "integration"})
    url = tablet_a.post("/cases/new", data=referral_data()).headers["Location"]
    _exam(tablet_a, url)
    opened = _cancel_form(tablet_a.get(url).get_data(as_text=True))
    assert tablet_a.post(url + "/cancel", data=opened).status_code == 302
    assert _status(app) == "cancelled"
