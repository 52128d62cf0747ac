"""Tests for the incident stamp in an incident list's QR (webapp.codes.generate_incident_stamp)."""

from __future__ import annotations

from random import Random

from webapp.codes import ALPHABET, generate_incident_stamp, make_incident_payload, parse_scan


def test_incident_stamp_is_four_code_characters() -> None:
    stamp = generate_incident_stamp()
    assert len(stamp) == 4 and set(stamp) <= set(ALPHABET)
    # It fits the list's QR and reads back.
    assert parse_scan(make_incident_payload(1, 1, stamp=stamp)).incident_stamp == stamp


def test_incident_stamps_spread_over_the_alphabet() -> None:
    # Incident 1 on 5,000 laptops: clustered stamps would let two laptops' lists pass for one.
    stamps = {generate_incident_stamp() for _ in range(5000)}
    assert len(stamps) > 4950


def test_incident_stamp_drawn_from_a_given_generator_repeats_with_its_seed() -> None:
    assert generate_incident_stamp(Random(7)) == generate_incident_stamp(Random(7))
