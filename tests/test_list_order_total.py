"""Lists ordered by a time end with a row id: rows saved in the same instant keep one order.

Two rows can share a timestamp (typed in the same second, or the laptop's clock coarse).
Without a last tie-breaker PostgreSQL may return them in either order, so a list could change
between two reloads, and "the latest" of two could be the one not meant.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .catchup_world_support import world as world  # the fixture
from .statements import sent_statements

_ORDER_BY = re.compile(r"ORDER BY (?P<terms>.*?)(?:\s+LIMIT\b|\s+OFFSET\b|\)|$)", re.I | re.S)


def _time_orders(statements: list[str]) -> list[str]:
    """Each ORDER BY clause that sorts on a timestamp column (…_at)."""
    found = [m["terms"].strip() for s in statements for m in _ORDER_BY.finditer(s)]
    return [terms for terms in found if re.search(r"_at\b", terms)]


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("radiographer", "/drafts"),
        ("radiographer", "/incidents/"),
        ("radiographer", "/routines/transfers"),
        ("radiographer", "/routines/releases/cases/{case}"),
        ("radiographer", "/cases/{case}"),
        ("secretary", "/catchup/incidents/{incident}"),
    ],
)
def test_lists_ordered_by_time_end_with_an_id(
    app: Flask, client: FlaskClient, auth, world, role: str, path: str
) -> None:
    auth.logout()
    auth.login(role)
    url = path.format(case=world["ids"][0], incident=world["incident_id"])
    with sent_statements(app) as statements:
        assert client.get(url).status_code == 200
    orders = _time_orders(statements)
    assert all(re.search(r"\.id( DESC| ASC)?$", terms) for terms in orders), orders
