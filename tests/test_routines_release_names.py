"""The release routine names the image portal and the archive as the site's configuration
does: on the form, the release's page, the billing list, the routines' page and the printed
report, in Swedish and in English."""

from __future__ import annotations

import hashlib

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import ImageRelease
from webapp.printing.release_sheet import release_content_version
from webapp.printing.versions import release_report_version

from .printforms.conftest import pdf_text
from .routines_support import make_case

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
IEP = "Bildportalen Nord"
ARCHIVE = "Arkivet Syd"
TO_HOSPITAL = {
    "recipient_kind": "other_region_hospital",
    "recipient_name": "Växjö lasarett",
    "channel": "iep",
}
TO_PATIENT = {
    "recipient_kind": "patient",
    "channel": "iep",
    "findings_positive": "no",
    "billing_recorded": "y",
}
RECIPIENT = {"svar-recipient_name": "Röntgen Växjö lasarett", "svar-recipient_address": ""}


def _configure(client: FlaskClient, auth, *, iep: str, archive: str) -> None:
    """The admin names the site's image portal and archive; nobody logged in after."""
    text = EXAMPLE.replace(
        'iep_name = "IEP (nationell bildutbytesportal)"', f'iep_name = "{iep}"', 1
    ).replace('archive_name = "Regionarkivet (BFR)"', f'archive_name = "{archive}"', 1)
    assert f'iep_name = "{iep}"' in text and f'archive_name = "{archive}"' in text
    auth.login("admin")
    response = client.post("/admin/site", data={"config_toml": text})
    assert response.status_code == 302, response.get_data(as_text=True)
    auth.logout()


@pytest.fixture
def named(client: FlaskClient, auth) -> None:
    """The site calls its portal Bildportalen Nord and its archive Arkivet Syd."""
    _configure(client, auth, iep=IEP, archive=ARCHIVE)


def _english(client: FlaskClient) -> None:
    client.post("/language", data={"lang": "en", "next": "/"})


def _in_both_languages(client: FlaskClient, path: str) -> tuple[str, str]:
    """The page at `path` read in Swedish, then in English."""
    swedish = client.get(path).get_data(as_text=True)
    _english(client)
    return swedish, client.get(path).get_data(as_text=True)


def _signed_case(client: FlaskClient, auth, *, english: bool = False) -> int:
    """A definitively reported case; a secretary logged in, reading English when asked."""
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    if english:
        _english(client)
    return case_id


def _release(app: Flask, client: FlaskClient, auth, data: dict[str, str]) -> int:
    """A definitively reported case released as `data` says; a secretary logged in."""
    case_id = _signed_case(client, auth)
    response = client.post(f"/routines/releases/cases/{case_id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        return db.session.scalars(select(ImageRelease.id)).one()


@pytest.mark.usefixtures("named")
@pytest.mark.parametrize(
    ("english", "labels"),
    [
        (False, (IEP, f"Skicka till {ARCHIVE}", f"Mottagaren är inte ansluten till {IEP}")),
        (True, (IEP, f"Send to {ARCHIVE}", f"The recipient is not connected to {IEP}")),
    ],
)
def test_release_form_offers_the_sites_portal_and_archive(
    client: FlaskClient, auth, english: bool, labels: tuple[str, ...]
) -> None:
    case_id = _signed_case(client, auth, english=english)
    page = client.get(f"/routines/releases/cases/{case_id}").get_data(as_text=True)
    for label in labels:
        assert f"<span>{label}</span>" in page
    assert "regionarkivet" not in page.lower()
    assert "<span>IEP" not in page and " IEP</span>" not in page


@pytest.mark.usefixtures("named")
def test_refused_release_in_english_names_the_archive_choice_as_the_form_does(
    client: FlaskClient, auth
) -> None:
    case_id = _signed_case(client, auth, english=True)
    data = {"recipient_kind": "own_region_hospital", "recipient_name": "Lillby lasarett"}
    response = client.post(f"/routines/releases/cases/{case_id}", data={**data, "channel": "iep"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f"choose &#39;Send to {ARCHIVE}&#39;" in page
    assert f"<span>Send to {ARCHIVE}</span>" in page  # the choice the advice names


@pytest.mark.usefixtures("named")
def test_release_by_the_portal_is_shown_with_the_sites_name(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _release(app, client, auth, TO_HOSPITAL)
    with app.app_context():
        case_id = db.session.get(ImageRelease, release_id).case_id
    form = client.get(f"/routines/releases/cases/{case_id}").get_data(as_text=True)
    assert f"(Växjö lasarett), {IEP}</a>" in form  # the case's earlier releases
    for page in _in_both_languages(client, f"/routines/releases/{release_id}"):
        assert f"<dd>{IEP}</dd>" in page


@pytest.mark.usefixtures("named")
def test_release_to_the_archive_is_shown_with_the_sites_archive(
    app: Flask, client: FlaskClient, auth
) -> None:
    data = {
        "recipient_kind": "own_region_hospital",
        "recipient_name": "Lillby lasarett",
        "channel": "archive_push",
    }
    release_id = _release(app, client, auth, data)
    swedish, english = _in_both_languages(client, f"/routines/releases/{release_id}")
    assert f"<dd>Skicka till {ARCHIVE}</dd>" in swedish
    assert f"<dd>Send to {ARCHIVE}</dd>" in english


@pytest.mark.usefixtures("named")
def test_billing_list_names_the_sites_portal(app: Flask, client: FlaskClient, auth) -> None:
    _release(app, client, auth, TO_PATIENT)
    for page in _in_both_languages(client, "/routines/releases/billing"):
        # The cell is named by its data-label, in the page's language, for the stacked rows.
        assert f'">{IEP}</td>' in page


@pytest.mark.usefixtures("named")
def test_routines_page_names_the_sites_portal_and_archive(client: FlaskClient, auth) -> None:
    auth.login("secretary")
    swedish, english = _in_both_languages(client, "/routines/")
    assert f"{IEP}, CD/DVD/USB eller {ARCHIVE}. Utlämnandet görs" in swedish
    assert f"{IEP}, CD/DVD/USB or {ARCHIVE}. The release is made" in english


@pytest.mark.usefixtures("named")
def test_printed_report_says_the_images_go_by_the_sites_portal(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _release(app, client, auth, TO_HOSPITAL)
    response = client.post(f"/routines/releases/{release_id}/report.pdf", data=RECIPIENT)
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.get_data())
    assert f"Bilder via {IEP}" in text
    assert "Bilder via IEP" not in text


def test_renamed_portal_keeps_a_reprint_of_the_recipients_report_a_copy(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The portal's name is the site's wording, not the release's content: a report already
    # sent is not sent again as a second original because the site renamed its portal.
    release_id = _release(app, client, auth, TO_HOSPITAL)
    first = client.post(f"/routines/releases/{release_id}/report.pdf", data=RECIPIENT)
    assert "KOPIA" not in pdf_text(first.get_data())
    auth.logout()
    _configure(client, auth, iep=IEP, archive=ARCHIVE)
    auth.login("secretary")
    again = pdf_text(
        client.post(f"/routines/releases/{release_id}/report.pdf", data=RECIPIENT).get_data()
    )
    assert f"Bilder via {IEP}" in again
    assert "KOPIA" in again and "ÄNDRAD" not in again


def test_a_portal_release_keeps_the_content_version_its_reports_were_printed_with(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Reports printed before the portal's name came from the configuration were versioned
    # with "Bilder via IEP": their reprints must still be judged against the same version.
    release_id = _release(app, client, auth, TO_HOSPITAL)
    name, address = RECIPIENT["svar-recipient_name"], ""
    with app.app_context():
        release = db.session.get(ImageRelease, release_id)
        shown = "\x1f".join(
            (str(release_report_version(release.case)), name, address, "Bilder via IEP")
        )
        before = int.from_bytes(hashlib.blake2b(shown.encode(), digest_size=4).digest(), "big")
        now = release_content_version(release, recipient_name=name, recipient_address=address)
    assert now == before & 0x7FFF_FFFF
