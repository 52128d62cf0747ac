"""The board marks a case whose referral answers a safety question with a risk, by the same
rules as the case page (cases/safety_risks.py), worked out in the board's query."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from webapp.board.queries import board_rows
from webapp.cases.safety_risks import case_safety_risks
from webapp.extensions import db
from webapp.models import Case, ExamRecord, Referral, Site
from webapp.sites import save_site_config, site_config

from .factories import exam_data, referral_data

BADGE = '<span class="status safety-risk">'
WOMAN_OF_46 = "19800101-0027"


def _mr_case(client: FlaskClient, auth) -> str:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    data = referral_data(
        exam_text="MR hjärna", exam_code="MR-HJ", modality="MR", pacemaker="yes", implants="no"
    )
    return client.post("/cases/new", data=data).headers["Location"]


def test_a_pacemaker_before_an_mr_is_marked_on_the_board(client: FlaskClient, auth) -> None:
    _mr_case(client, auth)
    rows = client.get("/board/rows").get_data(as_text=True)
    assert f"{BADGE}OBS risk</span>" in rows
    assert "OBS risk" in client.get("/board/").get_data(as_text=True)


def test_a_case_without_a_risky_answer_has_no_mark(client: FlaskClient, auth) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    client.post("/cases/new", data=referral_data(pacemaker="yes", implants="no"))
    assert BADGE not in client.get("/board/rows").get_data(as_text=True)


def test_a_cancelled_case_has_no_mark_on_the_board(app: Flask, client: FlaskClient, auth) -> None:
    _mr_case(client, auth)
    with app.app_context():
        db.session.execute(update(Case).values(status="cancelled"))
        db.session.commit()
    assert BADGE not in client.get("/board/rows?status=cancelled").get_data(as_text=True)
    assert "Makulerad" in client.get("/board/rows?status=cancelled").get_data(as_text=True)


MR_ROOMS = 'rooms = ["MR 1"]\nmr_safety = true\n'


def test_a_pregnancy_before_any_exam_the_site_asks_it_for_is_marked_on_the_board(
    app: Flask, client: FlaskClient, auth
) -> None:
    # A site that asks about pregnancy before an MR: a Ja there is a risk on both screens.
    with app.app_context():
        site = db.session.get(Site, 1)
        assert site is not None and MR_ROOMS in site.config_toml
        text = site.config_toml.replace(MR_ROOMS, MR_ROOMS + "pregnancy = true\n", 1)
        save_site_config(site.id, text, None)
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    data = referral_data(
        patient_name="Åsa Öberg",
        personal_number=WOMAN_OF_46,
        exam_text="MR hjärna",
        exam_code="MR-HJ",
        modality="MR",
        pacemaker="no",
        implants="no",
        pregnancy="yes",
    )
    url = client.post("/cases/new", data=data).headers["Location"]
    assert "Graviditet – undersökningen bara efter radiologens" in client.get(url).get_data(
        as_text=True
    )
    assert f"{BADGE}OBS risk</span>" in client.get("/board/rows").get_data(as_text=True)


BASE_REFERRAL: dict[str, Any] = {
    "exam_code": "CT-HJ",
    "contrast_planned": False,
    "pacemaker": "",
    "implants": "",
    "contrast_allergy": "",
    "egfr": None,
    "creatinine": None,
    "egfr_bound": "",
    "creatinine_bound": "",
    # The day before the referral's arrival (2026-01-15 10:30 at the site).
    "kidney_measured_on": date(2026, 1, 14),
    "kidney_unknown": False,
    "metformin": "",
    "pregnancy": "",
    "arrived_at": datetime(2026, 1, 15, 9, 30, tzinfo=UTC),
}
BASE_CASE: dict[str, Any] = {"modality": "CT", "status": "exam_done", "patient_sex": "F"}
BASE_EXAM: dict[str, Any] = {"exam_code": "CT-HJ", "contrast_agent": ""}

# A kidney value this many days older than the referral's arrival.
OLD_BY = {
    days: {"kidney_measured_on": date(2026, 1, 15) - timedelta(days=days)} for days in (90, 91)
}

# (case, referral, exam changes from the bases, a risk expected).
SCENARIOS = {
    "nothing": ({}, {}, {}, False),
    "mr-pacemaker": ({"modality": "MR"}, {"pacemaker": "yes"}, {}, True),
    "documented-mr-implant": ({}, {"implants": "yes"}, {"exam_code": "MR-HJ"}, True),
    "ct-pacemaker": ({}, {"pacemaker": "yes", "implants": "yes"}, {}, False),
    "mr-vet-ej": ({"modality": "MR"}, {"pacemaker": "unknown", "implants": "unknown"}, {}, False),
    "planned-allergy": ({}, {"contrast_planned": True, "contrast_allergy": "yes"}, {}, True),
    "given-egfr-29.6": ({}, {"egfr": 29.6}, {"contrast_agent": "Omnipaque 350"}, True),
    "catalogue-egfr-30": ({}, {"exam_code": "CT-TAB", "egfr": 30.0}, {}, False),
    "no-contrast-egfr-10": ({}, {"egfr": 10.0, "contrast_allergy": "yes"}, {}, False),
    "documented-metformin-44.9": (
        {},
        {"metformin": "yes", "egfr": 44.9},
        {"exam_code": "CT-LE"},
        True,
    ),
    "metformin-45": ({}, {"metformin": "yes", "egfr": 45.0, "contrast_planned": True}, {}, False),
    "metformin-no-egfr": ({}, {"metformin": "yes", "contrast_planned": True}, {}, False),
    "allergy-vet-ej": ({}, {"contrast_allergy": "unknown", "contrast_planned": True}, {}, False),
    "pregnant-ct": ({}, {"pregnancy": "yes"}, {}, True),
    "pregnant-man": ({"patient_sex": "M"}, {"pregnancy": "yes"}, {}, False),
    "pregnant-ultrasound": (
        {"modality": "US"},
        {"pregnancy": "yes", "exam_code": ""},
        {"exam_code": "US-BUK"},
        False,
    ),
    "pregnant-cancelled": ({"status": "cancelled"}, {"pregnancy": "yes"}, {}, False),
    "mr-pacemaker-cancelled": (
        {"modality": "MR", "status": "cancelled"},
        {"pacemaker": "yes"},
        {},
        False,
    ),
    "planned-creatinine-only": ({}, {"creatinine": 88.0, "contrast_planned": True}, {}, True),
    "given-creatinine-only": ({}, {"creatinine": 88.0}, {"contrast_agent": "Omnipaque"}, True),
    "creatinine-no-contrast": ({}, {"creatinine": 88.0}, {}, False),
    "creatinine-and-egfr": (
        {},
        {"creatinine": 88.0, "egfr": 60.0, "exam_code": "CT-TAB"},
        {},
        False,
    ),
    "creatinine-cancelled": (
        {"status": "cancelled"},
        {"creatinine": 88.0, "contrast_planned": True},
        {},
        False,
    ),
    "kidney-vet-ej": (
        {},
        {"kidney_unknown": True, "kidney_measured_on": None, "contrast_planned": True},
        {},
        False,
    ),
    "egfr-90-days": ({}, {"egfr": 60.0, "contrast_planned": True, **OLD_BY[90]}, {}, False),
    "egfr-91-days": ({}, {"egfr": 60.0, "contrast_planned": True, **OLD_BY[91]}, {}, True),
    "egfr-91-days-no-contrast": ({}, {"egfr": 60.0, **OLD_BY[91]}, {}, False),
    "egfr-91-days-cancelled": (
        {"status": "cancelled"},
        {"egfr": 60.0, "contrast_planned": True, **OLD_BY[91]},
        {},
        False,
    ),
    # 00:30 on 15 January at the site is still the 14th in UTC: the site's date counts.
    "egfr-91-days-after-midnight": (
        {},
        {
            "egfr": 60.0,
            "contrast_planned": True,
            **OLD_BY[91],
            "arrived_at": datetime(2026, 1, 14, 23, 30, tzinfo=UTC),
        },
        {},
        True,
    ),
    "creatinine-undated": (
        {},
        {"creatinine": 88.0, "kidney_measured_on": None},
        {"exam_code": "CT-LE"},
        True,
    ),
    "egfr-undated": ({}, {"egfr": 60.0, "kidney_measured_on": None}, {"contrast_agent": "X"}, True),
    "egfr-undated-no-contrast": ({}, {"egfr": 60.0, "kidney_measured_on": None}, {}, False),
    # The lab's bound: ">90" is no lower than 90; "<15" is low, and "<60" may be.
    "egfr-above-90": ({}, {"egfr": 90.0, "egfr_bound": ">", "contrast_planned": True}, {}, False),
    "egfr-above-29": ({}, {"egfr": 29.0, "egfr_bound": ">", "contrast_planned": True}, {}, True),
    "egfr-above-30": ({}, {"egfr": 30.0, "egfr_bound": ">", "contrast_planned": True}, {}, False),
    "egfr-below-15": ({}, {"egfr": 15.0, "egfr_bound": "<", "contrast_planned": True}, {}, True),
    "egfr-below-60": ({}, {"egfr": 60.0, "egfr_bound": "<", "contrast_planned": True}, {}, True),
    "egfr-below-15-no-contrast": ({}, {"egfr": 15.0, "egfr_bound": "<"}, {}, False),
    "metformin-above-40": (
        {},
        {"metformin": "yes", "egfr": 40.0, "egfr_bound": ">", "contrast_planned": True},
        {},
        True,
    ),
}


@pytest.fixture
def woman_case(client: FlaskClient, auth) -> int:
    """A CT head for a woman of 46, its exam documented."""
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    data = referral_data(patient_name="Åsa Öberg", personal_number=WOMAN_OF_46, pregnancy="no")
    url = client.post("/cases/new", data=data).headers["Location"]
    assert client.post(url + "/exam", data=exam_data()).status_code == 302
    return int(url.rsplit("/", 1)[-1])


def test_the_board_and_the_case_page_agree_on_every_rule(app: Flask, woman_case: int) -> None:
    disagree = {}
    with app.app_context():
        config = site_config(db.session.get(Site, 1))  # type: ignore[arg-type]
        for name, (case_set, ref_set, exam_set, expected) in SCENARIOS.items():
            db.session.execute(update(Case).values(**{**BASE_CASE, **case_set}))
            db.session.execute(update(Referral).values(**{**BASE_REFERRAL, **ref_set}))
            db.session.execute(update(ExamRecord).values(**{**BASE_EXAM, **exam_set}))
            db.session.commit()
            db.session.expire_all()
            case = db.session.scalar(select(Case))
            page = bool(case_safety_risks(case, config))
            (row,) = board_rows(case.incident_id, config).rows
            if not (page == row.safety_risk == expected):
                disagree[name] = (page, row.safety_risk, expected)
    assert disagree == {}
