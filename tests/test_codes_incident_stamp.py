"""Tests for the incident stamp in an incident list's QR (webapp.codes.incident_stamp)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from webapp.codes import ALPHABET, incident_stamp

START = datetime(2026, 12, 2, 9, 14, 5, 123456, tzinfo=UTC)


def test_incident_stamp_is_four_code_characters_and_stable() -> None:
    stamp = incident_stamp(42, START, "demo")
    assert len(stamp) == 4 and set(stamp) <= set(ALPHABET)
    assert incident_stamp(42, START, "demo") == stamp
    # The same moment in another zone (as handed back by another database) is the same start.
    assert incident_stamp(42, START.astimezone(timezone(timedelta(hours=1))), "demo") == stamp


@pytest.mark.parametrize(
    ("incident_id", "started_at", "site_code"),
    [
        (43, START, "demo"),  # another incident of this laptop
        (42, START + timedelta(microseconds=1), "demo"),  # another laptop of the same site
        (42, START, "lby"),  # another department's laptop
    ],
)
def test_incident_stamp_differs_for_another_incident_with_the_same_id(
    incident_id: int, started_at: datetime, site_code: str
) -> None:
    assert incident_stamp(incident_id, started_at, site_code) != incident_stamp(42, START, "demo")


def test_incident_stamps_spread_over_the_alphabet() -> None:
    # Incident 1 on 5,000 laptops: clustered stamps would let two laptops' lists pass for one.
    starts = [START + timedelta(microseconds=n) for n in range(5000)]
    stamps = {incident_stamp(1, start, "demo") for start in starts}
    assert len(stamps) > 4950


def test_incident_stamp_refuses_a_naive_start() -> None:
    with pytest.raises(ValueError):
        incident_stamp(42, START.replace(tzinfo=None), "demo")
