"""The new-referral page lists unsaved referrals by the patient typed into them: masked as every
list of drafts is, and each listed patient in the access log, so their extract holds the read."""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient

from .test_access_wall import login

KEY = "formlistkey-" + "q" * 16
LABEL = "Tolvan Tolvansson · 19121212-1212"


def _draft_typed_elsewhere(app: Flask) -> None:
    """A radiographer's tablet autosaves a referral not yet sent, in a declared outage."""
    client = app.test_client()
    login(client, app, "radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    saved = client.put(
        f"/api/drafts/{KEY}",
        json={
            "kind": "referral",
            "seq": 1,
            "label": LABEL,
            "data": {"patient_name": "Tolvan Tolvansson", "personal_number": "19121212-1212"},
        },
    )
    assert saved.status_code == 200


def _actions(client: FlaskClient, query: str) -> list[str]:
    text = client.get("/admin/audit.csv?" + query).get_data().decode("utf-8")
    return [row["händelse"] for row in csv.DictReader(io.StringIO(text[1:]), delimiter=";")]


def test_the_new_referral_pages_draft_list_masks_the_number(app: Flask) -> None:
    _draft_typed_elsewhere(app)
    client = app.test_client()
    login(client, app, "secretary")
    page = client.get("/cases/new").get_data(as_text=True)
    assert "Tolvan Tolvansson" in page
    # As the drafts list and the close's list show it: the tablet's label holds it in full.
    assert "19121212-1212" not in page
    assert "19121212-****" in page


def test_a_referral_draft_listed_on_the_new_referral_page_is_in_its_patients_extract(
    app: Flask,
) -> None:
    _draft_typed_elsewhere(app)
    client = app.test_client()
    login(client, app, "secretary")
    assert "Tolvan Tolvansson" in client.get("/cases/new").get_data(as_text=True)
    client.post("/logout")
    admin = app.test_client()
    login(admin, app, "admin")
    assert "referral_form_view" in _actions(admin, "patient=19121212-1212&username=test-secretary")
    assert "referral_form_view" not in _actions(admin, "patient=19800101-0027")


def test_the_draft_continued_is_not_listed_again(app: Flask) -> None:
    _draft_typed_elsewhere(app)
    client = app.test_client()
    login(client, app, "secretary")
    page = client.get(f"/cases/new?draft={KEY}").get_data(as_text=True)
    assert "Osparade remisser" not in page
    client.post("/logout")
    admin = app.test_client()
    login(admin, app, "admin")
    # One look, one row: the patient it fills the form with.
    assert (
        _actions(admin, "patient=19121212-1212&username=test-secretary").count("referral_form_view")
        == 1
    )
