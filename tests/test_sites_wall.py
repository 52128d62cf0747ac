"""The wall between sites: every route, as every role of another site, shows and changes nothing."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import text

from webapp.extensions import db

from .factories import DEFAULT_PIN, make_user, second_site
from .test_access_wall import (
    LAST,
    PATIENT_NAME,
    PERSONAL_NUMBERS,
    ROLES,
    World,
    build_world,
    concrete_path,
    ordered_rules,
)

# Rows a request may write whatever it is: its own session, its login and its audit rows.
OWN_ROWS = {"audit_event", "user_session", "user"}


def _stored(app: Flask, other_site: int) -> dict[str, list[str]]:
    """Every row of every other table, as text, to compare before and after a request; of the
    prints, all but the other site's own binder routines (its admin may print them; they name
    no case)."""
    with app.app_context():
        return {
            table: sorted(
                repr(tuple(row))
                for row in db.session.execute(text(_rows_of(table)), {"other": other_site})
            )
            for table in sorted(db.metadata.tables)
            if table not in OWN_ROWS
        }


def _rows_of(table: str) -> str:
    if table == "print_record":
        return (
            'SELECT p.* FROM print_record p JOIN "user" u ON u.id = p.user_id '
            "WHERE NOT (u.site_id = :other AND p.doc IN ('routines', 'routine'))"
        )
    return f'SELECT * FROM "{table}"'


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


@pytest.mark.parametrize("role", ROLES)
def test_another_sites_user_sees_and_changes_nothing_of_this_site(
    app: Flask, world: World, role: str
) -> None:
    other_site = second_site(app)
    with app.app_context():
        make_user(role=role, username=f"lillby-{role}", site_id=other_site)
    client = app.test_client()
    response = client.post("/login", data={"username": f"lillby-{role}", "secret": DEFAULT_PIN})
    assert response.status_code == 302
    identifiers = (PATIENT_NAME, *PERSONAL_NUMBERS, world.case_code, "Åsa Öberg", "Utkast Patient")
    before = _stored(app, other_site)
    leaks = []
    for rule in ordered_rules(app):
        if rule.endpoint in LAST:
            continue
        path = concrete_path(rule, world.params())
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method)
            body = response.get_data().decode("utf-8", "replace")
            response.close()
            leaks += [(method, path, i) for i in identifiers if i in body]
            assert response.status_code < 500, (method, path)
    assert leaks == []
    after = _stored(app, other_site)
    assert {t for t in before if before[t] != after[t]} == set()
