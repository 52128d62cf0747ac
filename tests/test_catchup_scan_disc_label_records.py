"""Scan station: each disc label names its own release or transfer, so a second disc of one
case is not taken for the first one scanned again."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, ImageRelease

from .printforms.conftest import STANDARD_FAX, decoded_payloads
from .routines_support import case_code, make_case
from .test_printing_versions import EARLIER, _correct_identity, _scan
from .test_routines_release_disc_label import BY_POST
from .test_routines_transfer_disc_label import _dvd, _transfer

ALREADY = "Redan öppnad"
TO_OSLO = BY_POST | {"recipient_name": "Rikshospitalet Oslo"}


def _two_releases(app: Flask, client: FlaskClient, auth: Any) -> tuple[int, list[int]]:
    """A reported case released on two discs (a secretary still logged in)."""
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    for data in (BY_POST, TO_OSLO):
        response = client.post(f"/routines/releases/cases/{case_id}", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        ids = list(db.session.scalars(select(ImageRelease.id).order_by(ImageRelease.id)))
    return case_id, ids


def _label(client: FlaskClient, url: str) -> str:
    pdf = client.get(url).get_data()
    (payloads,) = decoded_payloads(pdf, STANDARD_FAX)
    return payloads[0]


def test_two_releases_of_one_case_print_two_labels_with_their_own_qr(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id, (first, second) = _two_releases(app, client, auth)
    compact = case_code(app, case_id).replace("-", "")
    assert _label(client, f"/routines/releases/{first}/label.pdf") == f"RR1:{compact}:ETKU{first}:1"
    assert (
        _label(client, f"/routines/releases/{second}/label.pdf") == f"RR1:{compact}:ETKU{second}:1"
    )


def test_the_second_release_label_scanned_is_not_said_to_be_already_opened(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    _case_id, (first, second) = _two_releases(app, client, auth)
    one = _label(client, f"/routines/releases/{first}/label.pdf")
    two = _label(client, f"/routines/releases/{second}/label.pdf")
    assert ALREADY not in _scan(client, auth, one)
    page = _scan(client, auth, two)
    assert ALREADY not in page
    assert "Rikshospitalet Oslo" in page


def test_the_same_release_label_scanned_twice_is_already_opened(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    _case_id, (first, _second) = _two_releases(app, client, auth)
    one = _label(client, f"/routines/releases/{first}/label.pdf")
    assert ALREADY not in _scan(client, auth, one)
    assert ALREADY in _scan(client, auth, one)


def test_a_transfer_label_after_a_release_label_is_not_already_opened(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    assert client.post(f"/routines/releases/cases/{case_id}", data=BY_POST).status_code == 302
    with app.app_context():
        release_id = db.session.scalars(select(ImageRelease.id)).one()
    release_label = _label(client, f"/routines/releases/{release_id}/label.pdf")
    auth.logout()
    auth.login("radiographer")
    url = _transfer(client, case_code(app, case_id))
    _dvd(client, url)
    transfer_id = int(url.rstrip("/").rsplit("/", 1)[-1])
    transfer_label = _label(client, url + "/label.pdf")
    compact = case_code(app, case_id).replace("-", "")
    assert transfer_label == f"RR1:{compact}:ETKT{transfer_id}:1"
    assert ALREADY not in _scan(client, auth, release_label)
    assert ALREADY not in _scan(client, auth, transfer_label)


def test_an_old_plain_label_still_opens_its_case(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id, _ids = _two_releases(app, client, auth)
    old = f"RR1:{case_code(app, case_id).replace('-', '')}:ETK:1"
    auth.logout()
    auth.login("secretary")
    response = client.get("/scan", query_string={"code": old})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/catchup/cases/{case_id}")


def test_a_label_reprinted_after_a_correction_warns_of_the_other_version_and_identity(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id, (first, _second) = _two_releases(app, client, auth)
    before = _label(client, f"/routines/releases/{first}/label.pdf")
    assert ALREADY not in _scan(client, auth, before)
    auth.logout()
    auth.login("radiographer")
    _correct_identity(client, case_id)
    auth.logout()
    auth.login("secretary")
    after = _label(client, f"/routines/releases/{first}/label.pdf")
    assert after != before and after.rsplit(":", 1)[0] == before.rsplit(":", 1)[0]
    assert "En annan version av papperet" in _scan(client, auth, after)
    assert f"{EARLIER}: patientens identitet har rättats" in _scan(client, auth, before)


def test_the_line_under_the_qr_typed_by_hand_opens_the_case_naming_the_release(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id, (_first, second) = _two_releases(app, client, auth)
    page = _scan(client, auth, f"{case_code(app, case_id)} U{second}")
    assert f"Skivetiketten U{second} gäller utlämnandet till" in page
    assert "Rikshospitalet Oslo" in page and "Koden är inskriven för hand" in page


def test_a_label_naming_a_release_of_another_case_says_so(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id, (first, _second) = _two_releases(app, client, auth)
    compact = case_code(app, case_id).replace("-", "")
    page = _scan(client, auth, f"RR1:{compact}:ETKU{first + 100}:1")
    assert f"Skivetiketten anger U{first + 100}, som inte hör till ärendet här" in page


def test_the_second_disc_typed_by_hand_is_not_said_to_be_already_opened(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    # Typed, each label's line was logged as the bare case code: the second disc was told
    # "Redan öppnad", as if it had been keyed already, and the log said not which disc it was.
    case_id, (first, second) = _two_releases(app, client, auth)
    code = case_code(app, case_id)
    assert ALREADY not in _scan(client, auth, f"{code} U{first}")
    assert ALREADY not in _scan(client, auth, f"{code} U{second}")
    assert ALREADY in _scan(client, auth, f"{code.lower()}u{second}")
    with app.app_context():
        details = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "scan").order_by(AuditEvent.id)
        ).all()
    assert details == [f"{code} U{first}", f"{code} U{second}", f"{code} U{second}"]


def test_a_code_typed_alone_after_a_typed_label_is_not_said_to_be_already_opened(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    # The case code alone names no disc: a sheet of the case typed after a disc's line is
    # another paper.
    case_id, (first, _second) = _two_releases(app, client, auth)
    code = case_code(app, case_id)
    assert ALREADY not in _scan(client, auth, f"{code} U{first}")
    assert ALREADY not in _scan(client, auth, code)
