"""A new referral typed on a form drawn in a drill (marked ÖVNING) while a real outage was
declared meanwhile on another tablet: the tablet now works in the real outage, but the referral
may be a training patient. It is not opened there silently: the page says so with everything
typed kept, and the next Spara, once read, puts it in the real outage."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.cases.errors import REFERRAL_DRILL_NOW_REAL
from webapp.extensions import db
from webapp.models import Case

from .factories import declare_incident, hidden_value, referral_data

QUESTION = "Övningsfall: fraktur? Föll på isen."


def _cases(app: Flask) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(Case.incident_id).order_by(Case.id)))


def _says(page: str, text: str) -> bool:
    return text.replace("'", "&#39;") in page or text in page


def _opened_in_drill_then_real(client: FlaskClient, auth, tablet_factory) -> tuple[str, int]:
    admin = tablet_factory("chef", role="admin")
    drill = declare_incident(admin, "integration", drill=True)
    auth.login("radiographer")
    page = client.get("/cases/new").get_data(as_text=True)
    opened_in = hidden_value(page, "incident_id")
    assert opened_in == str(drill) and "ÖVNING" in page
    return opened_in, declare_incident(admin, "om_ris")


def test_a_referral_typed_in_a_drill_is_not_opened_in_a_real_outage_declared_meanwhile(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    opened_in, _real = _opened_in_drill_then_real(client, auth, tablet_factory)
    response = client.post(
        "/cases/new", data=referral_data(incident_id=opened_in, clinical_question=QUESTION)
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _says(page, REFERRAL_DRILL_NOW_REAL.split("%")[0])
    assert QUESTION in page
    assert _cases(app) == []


def test_the_referral_goes_into_the_real_outage_when_sent_again_after_reading(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    opened_in, real = _opened_in_drill_then_real(client, auth, tablet_factory)
    first = client.post("/cases/new", data=referral_data(incident_id=opened_in))
    moved_to = hidden_value(first.get_data(as_text=True), "incident_id")
    assert moved_to == str(real)
    again = client.post("/cases/new", data=referral_data(incident_id=moved_to))
    assert again.status_code == 302
    assert _cases(app) == [real]


def test_a_referral_of_the_drill_still_goes_into_the_drill_the_tablet_chose(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    opened_in, _real = _opened_in_drill_then_real(client, auth, tablet_factory)
    assert client.post(f"/incidents/{opened_in}/select").status_code == 302
    response = client.post("/cases/new", data=referral_data(incident_id=opened_in))
    assert response.status_code == 302
    assert _cases(app) == [int(opened_in)]
