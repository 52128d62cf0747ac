"""One reading of a row id typed into a form or a query: ASCII digits, at most nine."""

from __future__ import annotations

import pytest

from webapp.row_ids import row_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("7", 7),
        ("007", 7),
        ("999999999", 999_999_999),
        ("123456789", 123_456_789),
    ],
)
def test_ascii_digits_up_to_nine_are_an_id(text: str, expected: int) -> None:
    assert row_id(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1234567890",  # ten digits: may overflow the integer column
        "0000000001",
        "²",
        "1²",
        "١",  # Arabic-Indic one: int() would read it as 1
        "１",  # fullwidth one
        "-1",
        "+1",
        " 1",
        "1 ",
        "1 2",
        "1.0",
        "1e3",
        "0x1",
        "1_000",
        "abc",
    ],
)
def test_anything_else_is_no_id(text: str) -> None:
    assert row_id(text) is None


@pytest.mark.parametrize("value", [None, 5, 5.0, b"5"])
def test_what_is_not_text_is_no_id(value: object) -> None:
    assert row_id(value) is None
