"""A form continued from a draft saved with a box unticked: the box is drawn as an empty form
draws it, so ticking it later sends the tick (drafts.js keeps an unticked box as "")."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Referral, ReservedCode

from .factories import exam_data, hidden_value, referral_data

KEY = "ticks-" + "k" * 20


def box_value(page: str, name: str) -> str:
    """What a browser sends for the box `name` on the page once it is ticked."""
    box = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    assert box is not None, f"no box {name!r}"
    value = re.search(r'\bvalue="([^"]*)"', box.group(0))
    # A box without a value attribute is sent as "on".
    return value.group(1) if value else "on"


def put_draft(
    client: FlaskClient, kind: str, data: dict[str, object], case_id: int | None = None
) -> None:
    """Store a draft as drafts.js sends it."""
    body: dict[str, object] = {"kind": kind, "seq": 1, "data": {**data, "form_key": KEY}}
    if case_id is not None:
        body["case_id"] = str(case_id)
    response = client.put(f"/api/drafts/{KEY}", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)


@pytest.fixture
def incident(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})


def test_contrast_ticked_on_a_continued_referral_draft_is_saved(
    app: Flask, client: FlaskClient, incident: None
) -> None:
    put_draft(client, "referral", referral_data(contrast_planned="", kidney_unknown=""))
    page = client.get(f"/cases/new?draft={KEY}").get_data(as_text=True)
    ticked = referral_data(
        form_key=KEY,
        contrast_planned=box_value(page, "contrast_planned"),
        # What a referral with contrast is asked besides.
        contrast_allergy="no",
        metformin="no",
        egfr="75",
        kidney_measured_on="2026-01-14",
    )
    assert client.post("/cases/new", data=ticked).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Referral.contrast_planned)) is True


@pytest.mark.parametrize("box", ["contrast_planned", "kidney_unknown"])
def test_a_continued_referral_draft_draws_its_unticked_boxes_tickable(
    client: FlaskClient, incident: None, box: str
) -> None:
    put_draft(client, "referral", referral_data(contrast_planned="", kidney_unknown=""))
    page = client.get(f"/cases/new?draft={KEY}").get_data(as_text=True)
    assert box_value(page, box) != ""


@pytest.mark.parametrize("box", ["contrast_planned", "kidney_unknown"])
def test_a_continued_blank_referral_draft_draws_its_unticked_boxes_tickable(
    app: Flask, client: FlaskClient, auth, box: str
) -> None:
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLR", "count": "1"})
    auth.logout()
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "total"})
    with app.app_context():
        code = db.session.scalar(select(ReservedCode.code))
    typed = referral_data(contrast_planned="", kidney_unknown="", blank_code=code)
    put_draft(client, "blank_referral", typed)
    page = client.get(f"/blanks/{code}/open?draft={KEY}").get_data(as_text=True)
    assert f'value="{KEY}"' in page
    assert box_value(page, box) != ""


@pytest.mark.parametrize("box", ["contrast_planned", "kidney_unknown"])
def test_a_continued_referral_edit_draft_draws_its_unticked_boxes_tickable(
    client: FlaskClient, incident: None, box: str
) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    shown = client.get(location + "/referral").get_data(as_text=True)
    typed = referral_data(
        contrast_planned="",
        kidney_unknown="",
        version=hidden_value(shown, "version"),
        case_version=hidden_value(shown, "case_version"),
    )
    put_draft(client, "referral_edit", typed, case_id)
    page = client.get(location + f"/referral?draft={KEY}").get_data(as_text=True)
    assert f'value="{KEY}"' in page
    assert box_value(page, box) != ""


def test_a_continued_exam_draft_draws_its_unticked_box_tickable(
    client: FlaskClient, incident: None
) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    put_draft(client, "exam", exam_data(contrast_batch_unknown=""), case_id)
    page = client.get(location + f"/exam?draft={KEY}").get_data(as_text=True)
    assert f'value="{KEY}"' in page
    assert box_value(page, "contrast_batch_unknown") != ""
