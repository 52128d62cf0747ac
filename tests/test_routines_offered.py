"""The routines page and the case page offer the image-transfer and image-release routines only
to a site that has them; transfers and releases already made stay reachable."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Case, ImageRelease, ImageTransfer, User

from .dbsetup import make_test_app
from .factories import exam_data, referral_data, report_data
from .other_site_support import NORDMARK, NORDMARK_CASE, NORDMARK_EXAM, done, last_id, login
from .routines_support import release_data
from .statements import sent_statements

# Nordmark has no image-transfer routine; without its release routine it has neither.
WITHOUT_RELEASE = NORDMARK.split("[routines.release]", 1)[0]
TRANSFER_CARD = "Bildöverföring till/från annan region"
RELEASE_CARD = "Utlämnande av bilder"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The app on a fresh database whose only site is Nordmark, without its release routine."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    (tmp_path / "site.toml").write_text(WITHOUT_RELEASE, encoding="utf-8")
    app, teardown = make_test_app(tmp_path, WTF_CSRF_ENABLED=False)
    yield app
    teardown()


def _case(app: Flask, client: FlaskClient) -> str:
    login(app, client, "radiographer")
    done(client.post("/incidents/new", data={"scenario": "kedjan"}))
    return last_id(done(client.post("/cases/new", data=referral_data(**NORDMARK_CASE))))


def _made(app: Flask, row: ImageTransfer | ImageRelease) -> int:
    with app.app_context():
        db.session.add(row)
        db.session.commit()
        return row.id


def _owner(app: Flask, case_id: str) -> dict[str, int]:
    with app.app_context():
        case = db.session.get(Case, int(case_id))
        assert case is not None
        user_id = db.session.scalar(select(User.id).where(User.username == "test-radiographer"))
        assert user_id is not None
        return {"site_id": case.site_id, "case_id": case.id, "created_by_id": user_id}


def test_a_site_without_the_routines_is_offered_neither_card(
    app: Flask, client: FlaskClient
) -> None:
    case_id = _case(app, client)
    page = client.get("/routines/").get_data(as_text=True)
    assert "Extern granskare (natt)" in page
    assert TRANSFER_CARD not in page and "/routines/transfers" not in page
    assert RELEASE_CARD not in page
    case_page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "/routines/transfers/new" not in case_page
    assert f"/routines/releases/cases/{case_id}" not in case_page


def test_a_site_without_the_transfer_routine_reads_no_transfers_for_the_case_page(
    app: Flask, client: FlaskClient
) -> None:
    case_id = _case(app, client)
    with sent_statements(app) as statements:
        page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Bildöverföringar för ärendet" not in page
    assert not [s for s in statements if "image_transfer" in s]


def test_a_transfer_made_before_its_routine_was_dropped_stays_reachable(
    app: Flask, client: FlaskClient
) -> None:
    case_id = _case(app, client)
    transfer = ImageTransfer(
        direction="send",
        counterpart_key="gone",
        counterpart_name="Söderfjärds sjukhus",
        exam_text="Skiktbild skalle",
        urgency="p1",
        **_owner(app, case_id),
    )
    transfer_id = _made(app, transfer)
    page = client.get("/routines/").get_data(as_text=True)
    assert TRANSFER_CARD in page and 'href="/routines/transfers"' in page
    assert "/routines/transfers/new" not in page
    listing = client.get("/routines/transfers?all=1").get_data(as_text=True)
    assert "/routines/transfers/new" not in listing
    assert f"/routines/transfers/{transfer_id}" in listing


def test_a_release_made_before_its_routine_was_dropped_stays_reachable(
    app: Flask, client: FlaskClient
) -> None:
    case_id = _case(app, client)
    other_id = last_id(
        done(client.post("/cases/new", data=referral_data(key_suffix="o", **NORDMARK_CASE)))
    )
    _made(
        app,
        ImageRelease(recipient_kind="patient", channel="media", **_owner(app, case_id)),
    )
    page = client.get("/routines/").get_data(as_text=True)
    assert RELEASE_CARD in page
    case_page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f"/routines/releases/cases/{case_id}" in case_page
    other_page = client.get(f"/cases/{other_id}").get_data(as_text=True)
    assert f"/routines/releases/cases/{other_id}" not in other_page


def _case_released_before(app: Flask, client: FlaskClient) -> str:
    """A case released while the site had the routine; the routine has since been dropped."""
    case_id = _case(app, client)
    # Examined and reported: the routine's own rules would let a release through.
    done(client.post(f"/cases/{case_id}/exam", data=exam_data(**NORDMARK_EXAM)))
    login(app, client, "radiologist")
    done(client.post(f"/reporting/{case_id}", data=report_data("definitive", "d" * 20)))
    login(app, client, "secretary")
    _made(
        app,
        ImageRelease(recipient_kind="patient", channel="media", **_owner(app, case_id)),
    )
    return case_id


def test_a_case_released_before_the_routine_was_dropped_shows_its_releases_not_a_new_form(
    app: Flask, client: FlaskClient
) -> None:
    case_id = _case_released_before(app, client)
    case_page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Tidigare utlämnanden" in case_page and "Lämna ut bilder" not in case_page
    response = client.get(f"/routines/releases/cases/{case_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Utlämnande av bilder används inte längre på den här avdelningen" in page
    assert "/routines/releases/" in page and "Tidigare utlämnanden" in page
    # Neither the form nor the rules the department no longer sets.
    assert "Kontrollera och registrera" not in page and "Rutinen i korthet" not in page


def test_no_new_release_is_made_once_the_routine_was_dropped(
    app: Flask, client: FlaskClient
) -> None:
    case_id = _case_released_before(app, client)
    response = client.post(f"/routines/releases/cases/{case_id}", data=release_data())
    assert response.status_code == 404
    assert "Utlämnande av bilder används inte" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(ImageRelease.id))) == 1
