"""A print draws each sheet's data from the database once, KOPIA and ÄNDRAD marks included."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Case
from webapp.printing.content import CaseSheets
from webapp.printing.services import Printed
from webapp.printing.sheets import BUILDERS
from webapp.sites import site_config

from .factories import exam_data
from .printforms.conftest import pdf_text

DIGESTED = ("referral", "referral-anon", "exam")


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each sheet's builder ran: the real builders, counted."""
    calls: Counter[str] = Counter()

    def counting(kind: str, builder: Callable[..., Any]) -> Callable[..., Any]:
        def build(*args: Any) -> Any:
            calls[kind] += 1
            return builder(*args)

        return build

    for kind, builder in list(BUILDERS.items()):
        monkeypatch.setitem(BUILDERS, kind, counting(kind, builder))
    return calls


def _print(client: FlaskClient, case_id: int, kind: str) -> str:
    response = client.get(f"/print/cases/{case_id}/{kind}.pdf")
    assert response.status_code == 200
    return pdf_text(response.get_data())


@pytest.mark.parametrize("kind", DIGESTED)
def test_a_first_print_builds_the_sheet_once(
    client: FlaskClient, auth, case_id: int, built: Counter[str], kind: str
) -> None:
    auth.login("radiographer")
    text = _print(client, case_id, kind)
    assert "KOPIA" not in text
    assert built[kind] == 1


@pytest.mark.parametrize("kind", DIGESTED)
def test_a_copy_builds_the_sheet_once_and_says_kopia(
    client: FlaskClient, auth, case_id: int, built: Counter[str], kind: str
) -> None:
    auth.login("radiographer")
    _print(client, case_id, kind)
    built.clear()
    assert "KOPIA" in _print(client, case_id, kind)
    assert built[kind] == 1


def test_a_changed_exam_sheet_builds_once_and_says_changed(
    client: FlaskClient, auth, case_id: int, built: Counter[str]
) -> None:
    auth.login("radiographer")
    _print(client, case_id, "exam")
    edit = exam_data(key_suffix="x", version="1", complications="Lätt illamående")
    assert client.post(f"/cases/{case_id}/exam", data=edit).status_code == 302
    built.clear()
    text = _print(client, case_id, "exam")
    assert "ÄNDRAD" in text and "Lätt illamående" in text and "KOPIA" not in text
    assert built["exam"] == 1


def test_one_tap_print_builds_every_sheet_once(
    client: FlaskClient, auth, case_id: int, built: Counter[str]
) -> None:
    auth.login("radiographer")
    _print(client, case_id, "all")
    assert built == Counter({"cover": 1, "referral": 1, "exam": 1})


@pytest.mark.parametrize("kind", DIGESTED)
def test_the_marked_first_print_is_the_sheet_built_for_that_print(
    app: Flask, case_id: int, kind: str
) -> None:
    printed = Printed(
        reprint_at=datetime(2026, 1, 15, 10, 5, 7, tzinfo=UTC),
        changed_since=datetime(2026, 1, 15, 9, 0, tzinfo=UTC),
    )
    with app.test_request_context():
        case = db.session.get(Case, case_id)
        config = site_config(case.incident.site)
        sheets = CaseSheets(case, config)
        sheets.content_version(kind)
        assert sheets.build(kind, printed) == BUILDERS[kind](case, config, printed)
        assert sheets.build(kind, Printed()) == BUILDERS[kind](case, config, Printed())
