"""Scan station: a newer version of a sheet scanned after an older one of the same case says
the older was scanned, and by whom: the secretary may have keyed the older paper already."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from .test_printing_versions import _correct_identity, _payload, _print, _scan
from .test_printing_versions import signed_case as signed_case  # the fixture

SCANNED_BEFORE = "En annan version av papperet"


def test_a_newer_version_scanned_after_an_older_one_says_the_sheet_was_scanned_before(
    client: FlaskClient, auth: Any, signed_case: int
) -> None:
    # The secretary may have keyed the older paper into RIS already: the newer is no new case.
    old = _payload(_print(client, signed_case, "referral"))
    _correct_identity(client, signed_case)
    new = _payload(_print(client, signed_case, "referral"))
    assert old != new
    _scan(client, auth, old)
    page = _scan(client, auth, new)
    assert SCANNED_BEFORE in page and "(version 1)" in page
    assert "Redan öppnad" not in page


def test_another_sheet_of_the_case_says_nothing_of_an_earlier_scan(
    client: FlaskClient, auth: Any, signed_case: int
) -> None:
    referral = _payload(_print(client, signed_case, "referral"))
    exam = _payload(_print(client, signed_case, "exam"))
    _scan(client, auth, referral)
    page = _scan(client, auth, exam)
    assert SCANNED_BEFORE not in page and "Redan öppnad" not in page
