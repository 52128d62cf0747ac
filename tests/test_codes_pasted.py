"""A case code pasted with characters that show as nothing (zero-width space, joiner and
non-joiner, word joiner, BOM, soft hyphen), or written with "_", "." or "/" between its halves,
is read as the code wherever a code is read, not refused as one of the wrong length."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from webapp.codes import (
    MSG_LENGTH,
    case_code_problem,
    looks_like_personal_number,
    make_case_payload,
    parse_case_code,
    parse_scan,
)

from .catchup_world_support import world as world  # the fixture
from .codes_support import EXAMPLE, MSG_CHECK, code_error

# The format characters, direction marks and isolates among them (a spreadsheet or an RTL
# e-mail puts them around a copied code).
INVISIBLE = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u200e",
    "\u200f",
    "\u2066",
    "\u2069",
]
HALVES = ["_", ".", "/"]


@pytest.mark.parametrize("ch", INVISIBLE)
def test_a_code_with_an_invisible_character_anywhere_is_read(ch: str) -> None:
    for typed in (
        ch + EXAMPLE,
        EXAMPLE + ch,
        EXAMPLE[:2] + ch + EXAMPLE[2:],
        EXAMPLE.replace("-", ch),
    ):
        assert parse_case_code(typed) == EXAMPLE
        assert case_code_problem(typed) is None
        assert parse_scan(typed).case_code == EXAMPLE


@pytest.mark.parametrize("ch", INVISIBLE)
def test_a_misspelt_code_with_an_invisible_character_is_named_as_misspelt(ch: str) -> None:
    slip = EXAMPLE[:5] + ("A" if EXAMPLE[5] != "A" else "B") + EXAMPLE[6:]
    problem = case_code_problem(ch + slip)
    assert problem is not None and str(problem) == MSG_CHECK


@pytest.mark.parametrize("ch", INVISIBLE)
def test_a_scanned_payload_with_an_invisible_character_is_read(ch: str) -> None:
    payload = make_case_payload(EXAMPLE, "UTL", 3)
    result = parse_scan(ch + payload.replace(":", ":" + ch, 1))
    assert (result.case_code, result.doc, result.version) == (EXAMPLE, "UTL", 3)


@pytest.mark.parametrize("ch", INVISIBLE)
def test_a_personnummer_with_an_invisible_character_is_named_as_one(ch: str) -> None:
    assert looks_like_personal_number(f"{ch}19121212-{ch}1212")


@pytest.mark.parametrize("sep", HALVES)
def test_a_code_with_another_separator_between_its_halves_is_read(sep: str) -> None:
    for typed in (EXAMPLE.replace("-", sep), EXAMPLE.replace("-", f" {sep} ").lower()):
        assert parse_case_code(typed) == EXAMPLE
        assert case_code_problem(typed) is None
        assert parse_scan(typed).case_code == EXAMPLE


@pytest.mark.parametrize("sep", HALVES)
def test_a_separator_elsewhere_in_a_code_is_still_refused(sep: str) -> None:
    compact = EXAMPLE.replace("-", "")
    assert code_error(parse_case_code, compact[:2] + sep + compact[2:]) == MSG_LENGTH
    assert code_error(parse_case_code, EXAMPLE.replace("-", sep * 2)) == MSG_LENGTH


@pytest.mark.parametrize("sep", HALVES)
def test_a_separator_is_not_read_as_one_of_the_payloads(sep: str) -> None:
    """Only ":" (as a scanner mistypes it) splits a payload: the others leave it unread."""
    with pytest.raises(Exception, match="Ärendekoden ska ha 6 tecken"):
        parse_scan(make_case_payload(EXAMPLE, "UTL", 3).replace(":", sep))


@pytest.mark.parametrize("typed", ["\u200b{code}", "{half}/{rest}", "\ufeff{half}.{rest}\u00ad"])
def test_the_scan_station_opens_a_pasted_or_slashed_code(
    client: FlaskClient, world, typed: str
) -> None:
    code = world["codes"][0]
    text = typed.format(code=code, half=code[:3], rest=code[4:])
    response = client.get("/scan", query_string={"code": text})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/catchup/cases/{world['ids'][0]}")
