"""Nothing mixed up: every page that shows a case shows two of its identifiers together, the
patient's name with the personnummer or the case code, in Swedish and in English."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .test_access_wall import (
    EXPECTED,
    LAST,
    PATIENT_NAME,
    PERSONAL_NUMBERS,
    PUBLIC,
    ROLES,
    World,
    build_world,
    concrete_path,
    login,
    ordered_rules,
)

# The world's second case: examined, not reported.
OTHER_NAME, OTHER_NUMBER = "Åsa Öberg", "19800101-0027"
# The access log names each row's case by its code, and its patient as the event recorded
# them: an event that named no patient (an exam documented) shows the code alone.
EVENT_LOG = {"admin.audit"}
# The outage's follow-up is written to be passed on (the RIS/PACS administrators, a meeting):
# it names cases by their code alone, as it says at its top, and no work is done from it.
CODES_ONLY = {"followup.show"}


def _masked(number: str) -> str:
    """The number as the board and the worklist show it beside the case code and initials."""
    return number[:9] + "****"


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def _other_code(app: Flask, world: World) -> str:
    from webapp.extensions import db
    from webapp.models import Case

    with app.app_context():
        return db.session.get(Case, world.open_case_id).code  # type: ignore[union-attr]


def _lone_identifiers(client: FlaskClient, app: Flask, patients: list[tuple[str, ...]]) -> list:
    """The pages (GET) that show one identifier of a case without a second one of it."""
    lone = []
    for rule in ordered_rules(app):
        expected = EXPECTED[rule.endpoint]
        if rule.endpoint in LAST or "GET" not in (rule.methods or set()):
            continue
        allowed = expected == PUBLIC or client.role in expected  # type: ignore[attr-defined]
        if not allowed or rule.endpoint in EVENT_LOG | CODES_ONLY:
            continue
        response = client.get(concrete_path(rule, client.params))  # type: ignore[attr-defined]
        if response.mimetype != "text/html":
            response.close()
            continue
        body = response.get_data(as_text=True)
        response.close()
        for name, numbers, code in patients:
            number = any(n in body for n in (*numbers, _masked(numbers[0])))
            shown = [name in body, number, code in body]
            if any(shown) and sum(shown) < 2:
                lone.append((rule.endpoint, name, shown))
    return lone


@pytest.mark.parametrize("english", [False, True], ids=["sv", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_that_shows_a_case_shows_two_of_its_identifiers(
    app: Flask, world: World, role: str, english: bool
) -> None:
    client = app.test_client()
    login(client, app, role)
    if english:
        client.post("/language", data={"lang": "en"})
    client.role = role  # type: ignore[attr-defined]
    client.params = world.params()  # type: ignore[attr-defined]
    patients = [
        (PATIENT_NAME, PERSONAL_NUMBERS, world.case_code),
        (OTHER_NAME, (OTHER_NUMBER,), _other_code(app, world)),
    ]
    lone = _lone_identifiers(client, app, patients)
    assert lone == [], "\n".join(map(str, lone))
