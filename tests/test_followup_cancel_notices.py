"""The follow-up counts the cancellation notices to the referrers: cases by their code, never
the patient nor the why typed into a "no notice needed"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.followup.report import FollowUp, followup_report
from webapp.models import CancelNotice, Case, Incident, User
from webapp.sites import site_config

from .factories import DEFAULT_PIN
from .followup_support import PATIENTS, T0, Seeded, seed_ended_incident
from .other_site_support import visible
from .printforms.conftest import pdf_text

# Typed into the "no notice needed" note: free text, with a patient in it.
WHY = f"Dubbel av remissen för {PATIENTS['D'][0]}, svaret går i det andra ärendet"


def _at(minutes: int):  # type: ignore[no-untyped-def]
    return T0 + timedelta(minutes=minutes)


def _notice(case: Case, kind: str, minutes: int, user_id: int, cancelled_minutes: int) -> None:
    db.session.add(
        CancelNotice(
            case_id=case.id,
            kind=kind,
            cancelled_at=_at(cancelled_minutes),
            message="Undersökningen görs inte",
            fax_number="0999-123 46" if kind == "faxed" else "",
            faxed_at=_at(minutes) if kind == "faxed" else None,
            user_id=user_id,
            note=WHY if kind == "not_needed" else "",
            logged_at=_at(minutes),
        )
    )


@pytest.fixture
def seeded(app: Flask) -> Seeded:
    """The follow-up's outage (E cancelled at +70, its referrer not told), and four more:
    F told by fax, G needing no notice, H told of a cancellation undone and then cancelled
    again (not told of the one that stands), I told and then restored (not cancelled)."""
    seeded = seed_ended_incident(app)
    with app.app_context():
        template = db.session.scalar(select(Case).where(Case.code == seeded.codes["E"]))
        sara = db.session.scalar(select(User).where(User.username == "fu-sara"))
        assert template is not None and sara is not None
        codes = dict(seeded.codes)
        shapes = {"F": (80, "cancelled"), "G": (90, "cancelled"), "H": (120, "cancelled")}
        shapes["I"] = (100, "referral_received")
        for n, (key, (cancelled, status)) in enumerate(shapes.items(), start=6):
            case = Case(
                code=f"FUP-00{n}",
                site_id=template.site_id,
                incident_id=template.incident_id,
                status=status,
                priority="rutin",
                modality="CR",
                patient_name=PATIENTS["E"][0],
                patient_id_kind=PATIENTS["E"][1],
                patient_id=PATIENTS["E"][2],
                created_at=_at(55 + n),
                created_by_id=template.created_by_id,
            )
            if status == "cancelled":
                case.cancelled_at = _at(cancelled)
                case.cancelled_by_id = template.cancelled_by_id
                case.cancelled_reason = f"Fel patient: {PATIENTS['A'][0]}"
            db.session.add(case)
            db.session.flush()
            codes[key] = case.code
            if key == "F":
                _notice(case, "faxed", 85, sara.id, 80)
            elif key == "G":
                _notice(case, "not_needed", 95, sara.id, 90)
            elif key == "H":
                _notice(case, "faxed", 65, sara.id, 60)
            else:
                _notice(case, "faxed", 75, sara.id, 70)
        db.session.commit()
    return Seeded(seeded.incident_id, codes)


@pytest.fixture
def report(app: Flask, seeded: Seeded) -> FollowUp:
    with app.app_context():
        incident = db.session.get(Incident, seeded.incident_id)
        assert incident is not None
        return followup_report(incident, site_config(incident.site), T0 + timedelta(days=1))


def test_the_followup_counts_the_referrers_told_of_a_cancellation_and_names_those_not(
    report: FollowUp, seeded: Seeded
) -> None:
    notices = report.cases.notices
    assert (notices.cancelled, notices.faxed, notices.not_needed) == (4, 1, 1)
    assert notices.untold == (seeded.codes["E"], seeded.codes["H"])


def test_each_cancelled_case_says_what_its_referrer_was_told(
    report: FollowUp, seeded: Seeded
) -> None:
    told = {c.code: (c.notice, c.notice_at) for c in report.cases.cancelled}
    assert told == {
        seeded.codes["E"]: ("", None),
        seeded.codes["F"]: ("faxed", _at(85)),
        seeded.codes["G"]: ("not_needed", _at(95)),
        seeded.codes["H"]: ("", None),
    }


def test_the_page_and_the_sheet_give_the_notices_and_no_patient_nor_the_why(
    client: FlaskClient, seeded: Seeded
) -> None:
    assert client.post("/login", data={"username": "fu-sara", "secret": DEFAULT_PIN})
    url = f"/incidents/{seeded.incident_id}/followup"
    page = " ".join(visible(client.get(url).get_data(as_text=True)).split())
    text = " ".join(pdf_text(client.get(url + ".pdf").get_data()).split())
    e, f, g, h = (seeded.codes[k] for k in "EFGH")
    assert "Besked om makulering till remittenten" in page
    assert "Besked om makulering till remittenten" in text
    assert f"{f} – Rolf Röntgen, 2026-01-15 10:20 – besked faxat 2026-01-15 10:25" in page
    assert f"{g} – Rolf Röntgen, 2026-01-15 10:30 – besked behövs inte" in page
    assert f"{e} – Rolf Röntgen, 2026-01-15 10:10 – remittenten inte meddelad" in page
    assert f"Inte meddelade {e}, {h}" in page and f"Inte meddelade {e}, {h}" in text
    assert "Besked faxat 1" in text and "Besked behövs inte 1" in text
    assert f"{f} Rolf Röntgen 2026-01-15 10:20 Faxat 2026-01-15 10:25" in text
    assert f"{g} Rolf Röntgen 2026-01-15 10:30 Behövs inte" in text
    for shown in (page, text):
        assert "Dubbel av remissen" not in shown and PATIENTS["D"][0] not in shown
        assert PATIENTS["E"][0] not in shown and "Fel patient" not in shown


def test_a_restored_case_whose_referrer_was_told_is_counted_until_they_are_called(
    app: Flask, report: FollowUp, seeded: Seeded
) -> None:
    notices = report.cases.notices
    assert (notices.restored_told, notices.uncalled) == (1, (seeded.codes["I"],))
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.code == seeded.codes["I"]))
        sara = db.session.scalar(select(User).where(User.username == "fu-sara"))
        assert case is not None and sara is not None
        db.session.add(
            CancelNotice(
                case_id=case.id,
                kind="called",
                cancelled_at=_at(70),
                called_person="Dr Åberg",
                phone_number="0999-123 45",
                called_at=_at(110),
                user_id=sara.id,
                logged_at=_at(110),
            )
        )
        db.session.commit()
        incident = db.session.get(Incident, seeded.incident_id)
        assert incident is not None
        again = followup_report(incident, site_config(incident.site), T0 + timedelta(days=1))
    assert (again.cases.notices.restored_told, again.cases.notices.uncalled) == (1, ())


def test_the_page_and_the_sheet_name_the_referrers_not_called_after_a_restore(
    client: FlaskClient, seeded: Seeded
) -> None:
    assert client.post("/login", data={"username": "fu-sara", "secret": DEFAULT_PIN})
    url = f"/incidents/{seeded.incident_id}/followup"
    page = " ".join(visible(client.get(url).get_data(as_text=True)).split())
    text = " ".join(pdf_text(client.get(url + ".pdf").get_data()).split())
    i = seeded.codes["I"]
    assert "Ångrade efter besked 1" in page and f"Inte ringda om ångrad makulering {i}" in page
    assert "Ångrade efter besked 1" in text and f"Inte ringda om ångrad makulering {i}" in text
