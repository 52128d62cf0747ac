"""A release draft read on its own page names its channel as the form offered it."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Draft

from .routines_support import make_case, release_data

KEY = "releasechannel-" + "r" * 16


@pytest.mark.parametrize(
    ("channel", "label"),
    [
        ("archive_push", "Skicka till Regionarkivet (BFR)"),
        ("iep", "IEP (nationell bildutbytesportal)"),
        ("media", "CD/DVD/USB"),
    ],
)
def test_a_release_drafts_page_shows_its_channel_by_its_label(
    app: Flask, client: FlaskClient, auth, channel: str, label: str
) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    saved = client.put(
        f"/api/drafts/{KEY}",
        json={
            "kind": "release",
            "seq": 1,
            "case_id": str(case_id),
            "data": {"form_key": KEY, **release_data(channel=channel)},
        },
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)
    with app.app_context():
        draft_id = db.session.scalar(select(Draft.id).where(Draft.form_key == KEY))
    page = html.unescape(client.get(f"/drafts/{draft_id}").get_data(as_text=True))
    shown = re.search(r"<dt>Hur</dt><dd[^>]*>([^<]*)</dd>", page)
    assert shown is not None, page
    assert shown.group(1) == label


TWIN_KEYS = ("releasetwin-one-" + "a" * 12, "releasetwin-two-" + "b" * 12)


def _twin_release_drafts(client: FlaskClient, auth) -> int:
    """Two drafts of one case's release by one user, alike but for the channel."""
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    for key, channel in zip(TWIN_KEYS, ("iep", "media"), strict=True):
        saved = client.put(
            f"/api/drafts/{key}",
            json={
                "kind": "release",
                "seq": 1,
                "case_id": str(case_id),
                "data": {"form_key": key, **release_data(channel=channel)},
            },
        )
        assert saved.status_code == 200, saved.get_data(as_text=True)
    return case_id


def _twin_texts(page: str) -> list[str]:
    return re.findall(r'<span class="hint draft-twin">(.*?)</span>', html.unescape(page), re.S)


def test_twin_release_drafts_are_told_apart_by_the_channels_label(
    client: FlaskClient, auth
) -> None:
    case_id = _twin_release_drafts(client, auth)
    expected = [
        'Hur: <q dir="auto">CD/DVD/USB</q>',
        'Hur: <q dir="auto">IEP (nationell bildutbytesportal)</q>',
    ]
    listed = _twin_texts(client.get("/drafts").get_data(as_text=True))
    assert sorted(listed) == expected
    # Offered on the release form as on the list.
    page = client.get(f"/routines/releases/cases/{case_id}").get_data(as_text=True)
    assert sorted(_twin_texts(page)) == expected
