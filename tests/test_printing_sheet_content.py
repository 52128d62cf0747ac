"""The exam sheet prints the referral's safety warnings, infection and mobility: a change of
those, or of the site's limits behind the warnings, makes a reprint a new sheet, no KOPIA."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.cases.safety_risks import RISK_REFERRAL_FIELDS, case_risk_facts
from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import Case, Site, utcnow
from webapp.siteconfig import parse_site_config

from .factories import exam_data, referral_data
from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text

CHANGED = "ÄNDRAD"
# A contrast exam of a patient on metformin with an eGFR between the two limits (30 and 45).
CONTRAST = {
    "exam_text": "DT thorax-buk med kontrast",
    "exam_code": "CT-TAB",
    "contrast_planned": "y",
    "contrast_allergy": "no",
    "metformin": "no",
    "egfr": "35",
    "kidney_measured_on": "2026-01-14",
}
METFORMIN = "Metformin och eGFR 35 (under 45)"
KIDNEY = "eGFR 35 – under 40"


def _new_case(client: FlaskClient, auth, **referral: object) -> int:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    response = client.post("/cases/new", data=referral_data(**referral))
    assert response.status_code == 302, response.get_data(as_text=True)
    location = response.headers["Location"]
    assert client.post(location + "/exam", data=exam_data()).status_code == 302
    return int(location.rsplit("/", 1)[-1])


def _edit_referral(client: FlaskClient, case_id: int, **changes: object) -> None:
    edit = referral_data(key_suffix="x", version="1", case_version="1", **changes)
    response = client.post(f"/cases/{case_id}/referral", data=edit)
    assert response.status_code == 302, response.get_data(as_text=True)


def _print(client: FlaskClient, case_id: int, kind: str = "exam") -> bytes:
    response = client.get(f"/print/cases/{case_id}/{kind}.pdf")
    assert response.status_code == 200
    return response.get_data()


def _version(pdf: bytes) -> int:
    return int(decoded_payloads(pdf, STANDARD_FAX)[0][0].rsplit(":", 1)[1])


def _flat(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def test_exam_sheet_after_a_changed_infection_is_a_new_version_not_a_copy(
    client: FlaskClient, auth
) -> None:
    case_id = _new_case(client, auth)
    first = _print(client, case_id)
    _edit_referral(client, case_id, infection="yes", infection_note="MRSA")
    again = _print(client, case_id)
    text = _flat(again)
    assert "MRSA" in text and "KOPIA" not in text and CHANGED in text
    # The QR carries it: a scan of the first sheet is told the paper is out of date.
    assert _version(again) == _version(first) + 1
    copy = _print(client, case_id)
    assert "KOPIA" in pdf_text(copy) and _version(copy) == _version(again)


def test_exam_sheet_after_a_changed_mobility_is_a_new_version(client: FlaskClient, auth) -> None:
    case_id = _new_case(client, auth)
    first = _print(client, case_id)
    _edit_referral(client, case_id, mobility="wheelchair")
    again = _print(client, case_id)
    assert "Rullstol" in _flat(again) and "KOPIA" not in pdf_text(again)
    assert _version(again) == _version(first) + 1


def test_exam_sheet_after_metformin_with_a_low_egfr_warns_in_a_new_version(
    client: FlaskClient, auth
) -> None:
    case_id = _new_case(client, auth, **CONTRAST)
    first = _print(client, case_id)
    assert METFORMIN not in _flat(first)
    _edit_referral(client, case_id, **{**CONTRAST, "metformin": "yes"})
    again = _print(client, case_id)
    text = _flat(again)
    assert METFORMIN in text and "KOPIA" not in text and CHANGED in text
    assert _version(again) == _version(first) + 1


def test_exam_sheet_after_a_referral_edit_it_does_not_print_is_a_copy(
    client: FlaskClient, auth
) -> None:
    case_id = _new_case(client, auth)
    first = _print(client, case_id)
    _edit_referral(client, case_id, history="Waran. Nu även huvudvärk.")
    again = _print(client, case_id)
    assert "KOPIA" in pdf_text(again) and CHANGED not in pdf_text(again)
    assert _version(again) == _version(first)


def test_exam_sheet_printed_again_unchanged_is_a_copy(client: FlaskClient, auth) -> None:
    case_id = _new_case(client, auth, **CONTRAST)
    first, again = _print(client, case_id), _print(client, case_id)
    assert "KOPIA" not in pdf_text(first) and "KOPIA" in pdf_text(again)
    assert _version(again) == _version(first)


def _raise_contrast_limit(app: Flask) -> None:
    """Site 1's contrast limit from 30 to 40, as an admin's save would."""
    with app.app_context():
        site = db.session.get(Site, 1)
        old = "contrast_egfr_limit = 30"
        assert old in site.config_toml
        site.config_toml = site.config_toml.replace(old, "contrast_egfr_limit = 40", 1)
        site.updated_at = utcnow()  # the parsed configuration is cached per version
        db.session.commit()


def test_a_sheet_printed_again_after_the_site_raised_its_egfr_limit_is_no_copy(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _new_case(client, auth, **CONTRAST)
    firsts = {kind: _print(client, case_id, kind) for kind in ("exam", "referral", "referral-anon")}
    assert all(KIDNEY not in _flat(pdf) for pdf in firsts.values())
    _raise_contrast_limit(app)
    for kind, first in firsts.items():
        again = _print(client, case_id, kind)
        text = _flat(again)
        # The paper says what it did not: a new original that says it changed, no KOPIA.
        assert KIDNEY in text and "KOPIA" not in text and CHANGED in text, kind
        # The case's data did not change: a scan of the first sheet is no stale one.
        assert _version(again) == _version(first), kind
        copy = pdf_text(_print(client, case_id, kind))
        assert "KOPIA" in copy, kind


class _Reads:
    """A record that notes which of its fields are read."""

    def __init__(self, record: Any) -> None:
        self._record, self.read = record, set[str]()

    def __getattr__(self, name: str) -> Any:
        self.read.add(name)
        return getattr(self._record, name)


def test_the_exam_sheet_counts_every_referral_field_the_warnings_read(
    app: Flask, client: FlaskClient, auth
) -> None:
    # A field the rules read but the count misses would print a changed warning as a KOPIA.
    _new_case(client, auth, **CONTRAST)
    with app.app_context():
        case = db.session.scalars(select(Case)).one()
        referral = _Reads(case.referral)
        shown = SimpleNamespace(
            **{c.key: getattr(case, c.key) for c in Case.__table__.columns},
            referral=referral,
            exam=case.exam,
        )
        case_risk_facts(shown, parse_site_config(EXAMPLE_SITE.read_text(encoding="utf-8")))
    assert referral.read == RISK_REFERRAL_FIELDS
