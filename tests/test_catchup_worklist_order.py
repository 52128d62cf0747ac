"""The catch-up's cases come in one total order: by arrival, then by case id.

Cases typed in at the same moment tie on arrival. Without the id after it, PostgreSQL may give
tied rows in any order, so the batch page, the printed lists and the exports could list the same
cases differently from one request to the next.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from webapp.extensions import db
from webapp.models import Case

from .catchup_world_support import world as world  # the fixture
from .statements import sent_statements

# An ORDER BY of the case table on its arrival, and what follows it in that clause.
_BY_ARRIVAL = re.compile(r'ORDER BY "case"\.created_at(?P<rest>[^)]*)', re.I)


def _same_arrival(app: Flask) -> None:
    with app.app_context():
        first = db.session.scalar(select(Case.created_at).order_by(Case.id).limit(1))
        db.session.execute(update(Case).values(created_at=first))
        db.session.commit()


@pytest.mark.parametrize(
    "path",
    [
        "/catchup/incidents/{incident}",
        "/catchup/incidents/{incident}/export/pdf",
        "/catchup/incidents/{incident}/export/csv",
        "/print/incidents/{incident}/list.pdf?masked=0",
    ],
)
def test_cases_arrived_at_the_same_time_are_ordered_by_case_id(
    app: Flask, client: FlaskClient, world, path: str
) -> None:
    _same_arrival(app)
    with sent_statements(app) as statements:
        assert client.get(path.format(incident=world["incident_id"])).status_code == 200
    orders = [m["rest"] for s in statements for m in _BY_ARRIVAL.finditer(s)]
    assert orders, "no query orders the cases by arrival"
    assert all(rest.lstrip().startswith(', "case".id') for rest in orders), orders
