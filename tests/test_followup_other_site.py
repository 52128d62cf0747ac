"""The follow-up of a department other than the example: its own priorities, modalities and
routine, and none of the example's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .dbsetup import make_test_app
from .factories import exam_data, referral_data, report_data
from .other_site_support import (
    NORDMARK,
    NORDMARK_CASE,
    NORDMARK_EXAM,
    done,
    last_id,
    leaks,
    login,
    visible,
)
from .printforms.conftest import pdf_text


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The app on a fresh database whose only site is Nordmark."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    (tmp_path / "site.toml").write_text(NORDMARK, encoding="utf-8")
    app, teardown = make_test_app(tmp_path, WTF_CSRF_ENABLED=False)
    yield app
    teardown()


@pytest.fixture
def incident_id(app: Flask, client: FlaskClient) -> str:
    """Nordmark's own outage: an "Omgående" skull scan, examined 25 minutes after it arrived
    and reported (definitive) now, long past its 45 minutes."""
    login(app, client, "radiographer")
    incident_id = last_id(done(client.post("/incidents/new", data={"scenario": "kedjan"})))
    case_url = done(
        client.post(
            "/cases/new", data=referral_data(arrived_at="2026-01-15T10:30", **NORDMARK_CASE)
        )
    )
    done(
        client.post(
            case_url + "/exam", data=exam_data(started_at="2026-01-15T10:55", **NORDMARK_EXAM)
        )
    )
    login(app, client, "radiologist")
    done(client.post(f"/reporting/{last_id(case_url)}", data=report_data("definitive", "d" * 20)))
    login(app, client, "secretary")
    return incident_id


def _shown(client: FlaskClient, incident_id: str) -> dict[str, str]:
    page = client.get(f"/incidents/{incident_id}/followup")
    sheet = client.get(f"/incidents/{incident_id}/followup.pdf")
    assert page.status_code == 200 and sheet.status_code == 200
    return {
        "page": " ".join(visible(page.get_data(as_text=True)).split()),
        "sheet": " ".join(pdf_text(sheet.get_data()).split()),
    }


def test_the_followup_counts_by_the_sites_own_priorities_and_modalities(
    client: FlaskClient, incident_id: str
) -> None:
    for where, text in _shown(client, incident_id).items():
        for label in ("Omgående", "Samma pass", "Planerad", "Skiktbild", "Konventionell bild"):
            assert label in text, (where, label)
        # Its routine's notifications, none of them ticked.
        assert "Driftcentralen uppringd" in text, where
    sheet = _shown(client, incident_id)["sheet"]
    # One case, 25 minutes to its exam; its limit of 45 minutes was passed.
    assert "Omgående 1 25 25" in sheet and " 45 1 " in sheet


def test_the_followup_shows_nothing_of_the_example_site(
    client: FlaskClient, incident_id: str
) -> None:
    assert {where: leaks(text) for where, text in _shown(client, incident_id).items()} == {
        "page": [],
        "sheet": [],
    }
