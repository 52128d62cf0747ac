"""Cases saved before the name was stored as compared get it on upgrade, worked out as the app
works it out (Unicode-aware, not by the database), and the namesake check finds them."""

from __future__ import annotations

import unicodedata

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade
from sqlalchemy import inspect, text

from webapp.cases.namesakes import namesakes
from webapp.extensions import db
from webapp.startup import prepare

from .factories import referral_data, unidentified_referral_data

BEFORE = "c8f1d4a7e253"  # submission result name, the revision before the stored name key


def _columns(app: Flask) -> set[str]:
    with app.app_context():
        found = {c["name"] for c in inspect(db.engine).get_columns("case")}
        db.session.remove()
        db.engine.dispose()
    return found


def _downgrade(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        downgrade(directory=app.extensions["migrate"].directory, revision=BEFORE)
        db.engine.dispose()


def _keys(app: Flask) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(
            text('SELECT patient_name, patient_name_key FROM "case" ORDER BY id')
        ).all()
        db.session.remove()
    return [(r[0], r[1]) for r in rows]


def test_cases_saved_before_the_upgrade_get_the_name_as_compared(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    response = client.post("/incidents/new", data={"scenario": "integration"})
    incident_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    for suffix, name, number in (
        ("a", "Örjan Älvström", "19121212-1212"),
        ("b", "Östen Älvström", "19800101-0019"),
        ("c", "Straße Groß", "19800101-0035"),
    ):
        data = referral_data(key_suffix=suffix, patient_name=name, personal_number=number)
        assert client.post("/cases/new", data=data).status_code == 302
    assert client.post("/cases/new", data=unidentified_referral_data(key_suffix="u")).status_code
    _downgrade(app)
    assert "patient_name_key" not in _columns(app)
    # Decomposed accents, a comma, upper case: as a name written before the forms composed it.
    decomposed = unicodedata.normalize("NFD", "ÄLVSTRÖM,  Östen")
    with app.app_context():
        db.session.execute(
            text("UPDATE \"case\" SET patient_name = :n WHERE patient_name = 'Östen Älvström'"),
            {"n": decomposed},
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()

    prepare(app)
    assert _keys(app) == [
        ("Örjan Älvström", "älvström örjan"),
        (decomposed, "älvström östen"),
        ("Straße Groß", "gross strasse"),
        ("", ""),
    ]
    with app.app_context():
        found = namesakes(
            incident_id, id_kind="personnummer", patient_id="190001010000", name="Östen Älvström"
        )
        db.session.remove()
    assert [(f.name, f.shares) for f in found] == [(decomposed, "name")]


def test_the_downgrade_drops_the_key_and_its_index(app: Flask) -> None:
    _downgrade(app)
    assert "patient_name_key" not in _columns(app)
    with app.app_context():
        indexes = {i["name"] for i in inspect(db.engine).get_indexes("case")}
        db.engine.dispose()
    assert not any("name_key" in name for name in indexes)
    prepare(app)
    assert "patient_name_key" in _columns(app)
