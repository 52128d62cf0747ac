"""The batch page's "Kvar att göra" says what it counts: cases and tasks apart, never one sum
that reads as that many cases left."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from webapp.catchup.left_summary import left_summary
from webapp.extensions import db
from webapp.models import CatchupRecord

from .catchup_support import new_case, reconcile_world
from .catchup_world_support import world as world  # the fixture


def _heading(client: FlaskClient, auth, incident_id: int) -> str:
    auth.logout()
    auth.login("admin")
    page = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    found = re.search(r"<h2>(Kvar att göra[^<]*)</h2>", page)
    assert found is not None
    return found.group(1)


def _task_left(app: Flask, client: FlaskClient, auth, world) -> None:
    """Both cases reconciled; the first's accession then blank (a task, not a case, is left)."""
    reconcile_world(client, auth, world)
    with app.app_context():
        db.session.execute(
            update(CatchupRecord)
            .where(CatchupRecord.case_id == world["ids"][0])
            .values(ris_accession="")
        )
        db.session.commit()


def test_the_heading_counts_cases_left(client: FlaskClient, auth, world) -> None:
    assert _heading(client, auth, world["incident_id"]) == "Kvar att göra: 2 ärenden"


def test_the_heading_counts_a_task_as_a_task_not_a_case(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    _task_left(app, client, auth, world)
    assert _heading(client, auth, world["incident_id"]) == "Kvar att göra: 1 uppgift"


def test_the_heading_counts_cases_and_tasks_apart(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    _task_left(app, client, auth, world)
    new_case(client, auth, key_suffix="c", patient_name="Nils Nilsson")
    assert _heading(client, auth, world["incident_id"]) == "Kvar att göra: 1 ärende, 1 uppgift"


def test_the_heading_says_nothing_is_left_without_a_count(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    assert _heading(client, auth, world["incident_id"]) == "Kvar att göra"


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((68, 9, 0, 0), "68 ärenden, 9 uppgifter"),
        ((1, 1, 1, 1), "1 ärende, 1 uppgift, 1 formulär, 1 blankett"),
        ((0, 2, 3, 4), "2 uppgifter, 3 formulär, 4 blanketter"),
        ((0, 0, 0, 0), ""),
    ],
)
def test_each_count_is_named_in_its_singular_or_plural_and_a_zero_left_out(
    app: Flask, counts: tuple[int, int, int, int], expected: str
) -> None:
    cases, tasks, forms, blanks = counts
    with app.test_request_context():
        assert left_summary(cases=cases, tasks=tasks, forms=forms, blanks=blanks) == expected
