"""A case code of another site typed on the join page names that site, as the scan station does."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, ReservedCode, User

from .catchup_support import login_at_second_site
from .factories import referral_data


def test_case_code_of_another_site_on_the_join_page_names_that_site(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "total"})
    client.post("/cases/new", data=referral_data())
    login_at_second_site(app, client, auth)
    with app.app_context():
        code = db.session.scalar(select(Case.code))
        user = db.session.scalar(select(User).where(User.username == "lby-sek"))
        db.session.add(
            ReservedCode(
                code="K7M-2Q2", site_id=user.site_id, doc_kind="BLD", reserved_by_id=user.id
            )
        )
        db.session.commit()
    response = client.post("/blanks/K7M-2Q2/attach", data={"typed": code})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"Ärendekoden {code} hör till en annan enhet: Röntgen Exempelstad." in page
    # Nothing of the patient is shown to the other site.
    assert "Älvström" not in page and "19121212" not in page
