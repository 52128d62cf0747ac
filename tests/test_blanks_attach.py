"""A filled-in documentation or report blank joins the case its referral began."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.codes import make_case_payload
from webapp.extensions import db
from webapp.models import AuditEvent, Case, ReservedCode

from .catchup_support import case_begun_on_a_referral_blank
from .factories import referral_data, report_data


@pytest.fixture
def blank(app: Flask, client: FlaskClient, auth) -> dict[str, str]:
    """An ongoing case (its referral typed in) and an unused documentation and report blank."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "total"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    auth.logout()
    auth.login("admin")
    for kind in ("BLD", "BLU"):
        client.post("/blanks/reserve", data={"doc_kind": kind, "count": "1"})
    auth.logout()
    with app.app_context():
        codes = dict(db.session.execute(select(ReservedCode.doc_kind, ReservedCode.code)).all())
        case = db.session.get(Case, int(location.rsplit("/", 1)[-1]))
        return {"BLD": codes["BLD"], "BLU": codes["BLU"], "case": case.code, "id": str(case.id)}


def _cases(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Case.id)))


def test_scanning_a_documentation_blank_asks_for_its_case_instead_of_a_new_referral(
    client: FlaskClient, auth, blank
) -> None:
    auth.login("secretary")
    response = client.get("/scan", query_string={"code": make_case_payload(blank["BLD"], "BLD", 1)})
    assert response.headers["Location"].endswith(f"/blanks/{blank['BLD']}/attach")


@pytest.mark.parametrize("typed", ["case code without dash", "19121212-1212", "191212121212"])
def test_blank_finds_its_case_by_what_is_written_on_it(
    client: FlaskClient, auth, blank, typed: str
) -> None:
    auth.login("radiographer")
    text = blank["case"].replace("-", "").lower() if typed.startswith("case") else typed
    page = client.post(f"/blanks/{blank['BLD']}/attach", data={"typed": text}).get_data(
        as_text=True
    )
    # Both identifiers beside the choice, so the right case is picked.
    assert blank["case"] in page and "Örjan Älvström" in page and "19121212-1212" in page
    assert f'name="case_id" value="{blank["id"]}"' in page


def test_documentation_blank_joins_the_case_and_opens_its_exam_form(
    app: Flask, client: FlaskClient, auth, blank
) -> None:
    auth.login("radiographer")
    before = _cases(app)
    response = client.post(f"/blanks/{blank['BLD']}/attach/confirm", data={"case_id": blank["id"]})
    assert response.headers["Location"].endswith(f"/cases/{blank['id']}/exam")
    assert _cases(app) == before
    with app.app_context():
        reserved = db.session.scalar(select(ReservedCode).where(ReservedCode.code == blank["BLD"]))
        assert reserved.used_case_id == int(blank["id"])
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "blank_attach"))
        assert event.case_id == int(blank["id"]) and blank["BLD"] in event.detail
    # The sheet's own code now leads to the case at the scan station.
    auth.logout()
    auth.login("secretary")
    scanned = client.get("/scan", query_string={"code": make_case_payload(blank["BLD"], "BLD", 1)})
    assert scanned.headers["Location"].endswith(f"/catchup/cases/{blank['id']}")


def test_report_blank_opens_the_reporting_screen_for_a_radiologist(
    client: FlaskClient, auth, blank
) -> None:
    auth.login("radiologist")
    response = client.post(f"/blanks/{blank['BLU']}/attach/confirm", data={"case_id": blank["id"]})
    assert response.headers["Location"].endswith(f"/reporting/{blank['id']}")


def test_blank_with_nothing_matching_says_so_next_to_the_field_and_keeps_the_input(
    client: FlaskClient, auth, blank
) -> None:
    auth.login("radiographer")
    response = client.post(f"/blanks/{blank['BLD']}/attach", data={"typed": "19800101-0027"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Inget pågående ärende har den ärendekoden eller det ID-numret" in page
    assert 'value="19800101-0027"' in page


def test_blank_already_joined_to_a_case_is_not_joined_again(
    app: Flask, client: FlaskClient, auth, blank
) -> None:
    auth.login("radiographer")
    client.post(f"/blanks/{blank['BLD']}/attach/confirm", data={"case_id": blank["id"]})
    second = client.post("/cases/new", data=referral_data(key_suffix="2", patient_name="Annan"))
    other = int(second.headers["Location"].rsplit("/", 1)[-1])
    client.post(f"/blanks/{blank['BLD']}/attach/confirm", data={"case_id": str(other)})
    with app.app_context():
        reserved = db.session.scalar(select(ReservedCode).where(ReservedCode.code == blank["BLD"]))
        assert reserved.used_case_id == int(blank["id"])


def _report_data(action: str) -> dict[str, str]:
    return report_data(action, conclusion="Ingen akut patologi.", version="")


def test_report_blank_joined_by_a_secretary_shows_the_case_waiting_for_a_radiologist(
    client: FlaskClient, auth, blank
) -> None:
    auth.login("secretary")
    response = client.post(f"/blanks/{blank['BLU']}/attach/confirm", data={"case_id": blank["id"]})
    location = response.headers["Location"]
    assert location.endswith(f"/cases/{blank['id']}#report")
    page = client.get(location).get_data(as_text=True)
    assert "Utlåtandet på blanketten förs in av en radiolog." in page
    # Stays on the case, not only in the one-time message: the blank's code and who is next.
    assert blank["BLU"] in page and "väntar på att en radiolog för in det" in page
    assert "Skanna nästa" in page  # the secretary's own next step


@pytest.mark.parametrize("url", ["/board/", "/reporting/"])
def test_case_with_a_joined_report_blank_is_listed_as_waiting_for_its_report(
    client: FlaskClient, auth, blank, url: str
) -> None:
    auth.login("secretary")
    client.post(f"/blanks/{blank['BLU']}/attach/confirm", data={"case_id": blank["id"]})
    auth.login("radiologist")
    page = client.get(url).get_data(as_text=True)
    assert blank["case"] in page and "Utlåtande på blankett" in page


def test_report_blank_no_longer_waits_once_a_radiologist_has_signed_the_report(
    client: FlaskClient, auth, blank
) -> None:
    auth.login("secretary")
    client.post(f"/blanks/{blank['BLU']}/attach/confirm", data={"case_id": blank["id"]})
    auth.login("radiologist")
    client.post(f"/reporting/{blank['id']}", data=_report_data("preliminary"))
    assert "Preliminärt utlåtande" in client.get(f"/cases/{blank['id']}").get_data(as_text=True)
    for url in ("/board/", "/reporting/", f"/cases/{blank['id']}"):
        page = client.get(url).get_data(as_text=True)
        assert "Utlåtande på blankett" not in page, url
        assert "väntar på att en radiolog för in det" not in page, url


def test_a_scanned_documentation_blank_is_named_by_the_code_on_the_paper(
    client: FlaskClient, auth, blank
) -> None:
    auth.login("radiographer")
    client.post(f"/blanks/{blank['BLD']}/attach/confirm", data={"case_id": blank["id"]})
    auth.logout()
    auth.login("secretary")
    payload = make_case_payload(blank["BLD"], "BLD", 1)
    page = client.get("/scan", query_string={"code": payload}, follow_redirects=True).get_data(
        as_text=True
    )
    # The secretary holds the blank: its own code, not the case's, is what the paper shows.
    assert f"Blanketten {blank['BLD']} är redan införd för Örjan Älvström" in page
    assert f"Blanketten {blank['case']}" not in page


WRONG_DOC = "QR-koden anger fel sorts papper för koden"


@pytest.mark.parametrize(
    ("code_of", "doc"),
    [
        ("case", "BLU"),  # a case begun on the tablet has no blank with its code
        ("BLD", "REM"),  # a documentation blank's code is on no referral sheet
        ("BLD", "BLU"),  # nor on a report blank
    ],
)
def test_a_qr_of_another_kind_of_paper_than_its_code_is_refused_and_logged(
    app: Flask, client: FlaskClient, auth, blank, code_of: str, doc: str
) -> None:
    auth.login("radiographer")
    client.post(f"/blanks/{blank['BLD']}/attach/confirm", data={"case_id": blank["id"]})
    auth.logout()
    auth.login("secretary")
    payload = make_case_payload(blank[code_of], doc, 1)
    response = client.get("/scan", query_string={"code": payload})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f"{WRONG_DOC} {blank[code_of]}. Skriv in koden som står på papperet." in page
    assert "Örjan Älvström" not in page
    with app.app_context():
        (row,) = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "scan_refused")
        ).all()
        assert row.detail.startswith(payload) and WRONG_DOC in row.detail
    typed = client.get("/scan", query_string={"code": blank[code_of]})
    assert typed.headers["Location"].endswith(f"/catchup/cases/{blank['id']}")


def test_an_unused_blank_scanned_as_another_kind_of_blank_is_refused(
    client: FlaskClient, auth, blank
) -> None:
    auth.login("secretary")
    response = client.get("/scan", query_string={"code": make_case_payload(blank["BLU"], "BLD", 1)})
    assert response.status_code == 400
    assert WRONG_DOC in response.get_data(as_text=True)


def test_the_sheets_of_a_case_begun_on_a_referral_blank_open_that_case(
    app: Flask, client: FlaskClient, auth
) -> None:
    code = case_begun_on_a_referral_blank(app, client, auth)
    for doc in ("BLR", "REM", "BAK"):
        response = client.get("/scan", query_string={"code": make_case_payload(code, doc, 1)})
        assert response.status_code == 302, doc
        assert "/catchup/cases/" in response.headers["Location"]


@pytest.mark.parametrize("case_id", ["²", "9" * 30, "", "12a"])
def test_a_confirm_with_an_odd_case_id_is_refused_not_an_error(
    client: FlaskClient, auth, blank, case_id: str
) -> None:
    # The case id comes back from a hidden field: a tampered or garbled one is a bad request.
    auth.login("radiographer")
    response = client.post(f"/blanks/{blank['BLD']}/attach/confirm", data={"case_id": case_id})
    assert response.status_code == 400


def test_report_blank_finds_its_case_by_the_code_of_the_documentation_blank_joined_to_it(
    client: FlaskClient, auth, blank
) -> None:
    # With the laptop down, the radiologist has the documentation blank in hand, not the
    # referral, and writes its code in the report blank's box; at the scan station that code
    # already leads to the case.
    auth.login("radiographer")
    client.post(f"/blanks/{blank['BLD']}/attach/confirm", data={"case_id": blank["id"]})
    response = client.post(f"/blanks/{blank['BLU']}/attach", data={"typed": blank["BLD"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'name="case_id" value="{blank["id"]}"' in page
    assert blank["case"] in page and "Örjan Älvström" in page


def test_a_referral_blank_not_yet_typed_in_is_named_so_the_exam_does_not_become_two_cases(
    app: Flask, client: FlaskClient, auth, blank
) -> None:
    # The documentation blank's box holds the code of a referral blank still in the red tray:
    # "nothing found", then "register the referral from this blank", would open a second case
    # once the referral blank is typed in.
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLR", "count": "1"})
    with app.app_context():
        referral = db.session.scalar(
            select(ReservedCode.code).where(ReservedCode.doc_kind == "BLR")
        )
    auth.logout()
    auth.login("radiographer")
    typed = referral.replace("-", "").lower()
    response = client.post(f"/blanks/{blank['BLD']}/attach", data={"typed": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"Remissblanketten {referral} är inte införd än" in page
    assert f'href="/blanks/{referral}/open"' in page
    assert f'value="{typed}"' in page
