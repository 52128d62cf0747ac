"""The media each recipient may get, in the app: the release form, the refusal, the site editor."""

from __future__ import annotations

import html
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import ImageRelease, Site
from webapp.startup import prepare

from .routines_support import make_case

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
ABROAD_DISCS = 'abroad = ["cd", "dvd"]'
HINT = "Patient bosatt utomlands / vård utomlands: bara CD/DVD."
TO_OSLO = {
    "recipient_kind": "abroad",
    "recipient_name": "Rikshospitalet, Oslo",
    "channel": "media",
    "media_kind": "usb",
    "delivery": "with_patient",
}


def _field(page: str, name: str) -> str:
    """The markup of the form field `name`, up to the next field."""
    return page.split(f'data-field="{name}"', 1)[1].split('data-field="', 1)[0]


def _text(markup: str) -> str:
    return " ".join(html.unescape(re.sub("<[^>]+>", " ", markup)).split())


def _releases(app: Flask) -> list[ImageRelease]:
    with app.app_context():
        return list(db.session.scalars(select(ImageRelease)))


def _stored(app: Flask) -> str:
    with app.app_context():
        return db.session.get(Site, 1).config_toml


def _save(client: FlaskClient, auth, text: str) -> TestResponse:
    auth.login("admin")
    response = client.post("/admin/site", data={"config_toml": text})
    auth.logout()
    return response


def _release_page(client: FlaskClient, auth) -> str:
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    return f"/routines/releases/cases/{case_id}"


def test_usb_abroad_is_refused_beside_the_media_keeping_what_was_chosen(
    app: Flask, client: FlaskClient, auth
) -> None:
    url = _release_page(client, auth)
    response = client.post(url, data=TO_OSLO)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    media = _field(page, "media_kind")
    assert 'id="media_kind-error"' in media
    assert (
        "Till patient bosatt utomlands / vård utomlands lämnas bara CD/DVD ut, inte USB. "
        "Bränn en CD/DVD i stället."
    ) in _text(media)
    assert re.search(r'<input checked[^>]*value="usb"', media)
    assert re.search(r'<input checked[^>]*value="abroad"', page)
    assert re.search(r'<input checked[^>]*value="with_patient"', page)
    assert 'value="Rikshospitalet, Oslo"' in page
    assert _releases(app) == []


def test_a_disc_abroad_is_released(app: Flask, client: FlaskClient, auth) -> None:
    url = _release_page(client, auth)
    assert client.post(url, data=TO_OSLO | {"media_kind": "dvd"}).status_code == 302
    [release] = _releases(app)
    assert (release.recipient_kind, release.media_kind) == ("abroad", "dvd")


def test_the_release_form_tells_which_media_go_abroad(client: FlaskClient, auth) -> None:
    page = client.get(_release_page(client, auth)).get_data(as_text=True)
    assert HINT in _text(_field(page, "media_kind"))
    assert "Till utlandet: bara CD/DVD." in page
    client.post("/language", data={"lang": "en"})
    page = client.get(_release_page(client, auth)).get_data(as_text=True)
    assert "Patient living abroad / care abroad: CD/DVD only." in _text(_field(page, "media_kind"))
    assert "Abroad: CD/DVD only." in page


def test_usb_abroad_saved_in_the_editor_survives_a_restart_and_is_released(
    app: Flask, client: FlaskClient, auth
) -> None:
    edited = EXAMPLE.replace(ABROAD_DISCS, 'abroad = ["cd", "dvd", "usb"]', 1)
    assert edited != EXAMPLE
    assert _save(client, auth, edited).status_code == 302
    # What the admin saved is what the editor shows again and what the site's file holds.
    auth.login("admin")
    shown = html.unescape(client.get("/admin/site").get_data(as_text=True))
    assert 'abroad = ["cd", "dvd", "usb"]' in shown
    auth.logout()
    assert (Path(app.config["DATA_DIR"]) / "site.toml").read_text(encoding="utf-8") == edited
    prepare(app)
    assert _stored(app) == edited
    url = _release_page(client, auth)
    page = client.get(url).get_data(as_text=True)
    assert HINT not in page and "Till utlandet: bara CD/DVD/USB." in page
    assert client.post(url, data=TO_OSLO).status_code == 302
    [release] = _releases(app)
    assert release.media_kind == "usb"


def test_a_media_line_that_cannot_be_followed_is_named_in_the_editor_keeping_the_text(
    app: Flask, client: FlaskClient, auth
) -> None:
    typed = EXAMPLE.replace(ABROAD_DISCS, 'abroad = ["cd", "blu-ray"]', 1)
    response = _save(client, auth, typed)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    errors = _text(_field(page, "config_toml"))
    assert 'routines.release.media: abroad: "blu-ray" är inget media; möjliga: cd, dvd, usb.' in (
        errors
    )
    assert 'abroad = ["cd", "blu-ray"]' in html.unescape(page)
    assert _stored(app) == EXAMPLE


def test_a_site_that_lets_no_one_have_usb_does_not_offer_it(client: FlaskClient, auth) -> None:
    discs = "\n".join(
        f'{kind} = ["cd", "dvd"]'
        for kind in ("patient", "proxy", "other_region_hospital", "private_provider", "abroad")
    )
    assert _save(client, auth, EXAMPLE.replace(ABROAD_DISCS, discs, 1)).status_code == 302
    url = _release_page(client, auth)
    media = _field(client.get(url).get_data(as_text=True), "media_kind")
    assert re.findall(r'value="(\w+)"', media) == ["cd", "dvd"]
    assert "bara" not in _text(media)  # every recipient gets all that is offered
    refused = client.post(url, data=TO_OSLO)
    assert refused.status_code == 400
    assert 'id="media_kind-error"' in _field(refused.get_data(as_text=True), "media_kind")
