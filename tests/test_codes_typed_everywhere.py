"""A case code typed with one character wrong, wherever it is typed, is refused beside the
field with what is wrong, the text kept; it never opens, finds or names another case.

Exhaustive over every single-character substitution (the alphabet and the look-alikes it leaves
out) and every adjacent transposition of the codes the incident's cases were given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from html import escape
from random import Random
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.codes import (
    ALPHABET,
    CodeError,
    case_code_problem,
    generate_case_code,
    parse_case_code,
    parse_scan,
)
from webapp.extensions import db
from webapp.models import Case, ReservedCode

from .codes_support import MSG_CHECK
from .factories import referral_data

LOOKALIKES = "0O1IL"
MSG_LOOKALIKE_PART = "finns inte i ärendekoder (koderna använder inte 0, O, 1, I eller L)"


def misspellings(code: str) -> Iterator[tuple[str, str]]:
    """(typed, expected message part) for every one-character slip in a display code."""
    compact = code.replace("-", "")
    for i, ch in enumerate(compact):
        for other in ALPHABET + LOOKALIKES:
            if other != ch:
                typed = compact[:i] + other + compact[i + 1 :]
                yield typed, MSG_CHECK if other in ALPHABET else MSG_LOOKALIKE_PART
    for i in range(len(compact) - 1):
        if compact[i] != compact[i + 1]:
            swapped = compact[:i] + compact[i + 1] + compact[i] + compact[i + 2 :]
            yield swapped, MSG_CHECK


def some_misspellings(code: str) -> list[tuple[str, str]]:
    """A slip at every position, a look-alike and every transposition; typed as staff do."""
    slips = list(misspellings(code))
    substitutions = [s for s in slips[: 6 * 35] if s[1] == MSG_CHECK]
    # One wrong character at each position, each a different one of the alphabet.
    chosen = [substitutions[i * 30 + (i * 7) % 30] for i in range(6)]
    lookalike = next(s for s in slips if s[1] == MSG_LOOKALIKE_PART)
    # Typed as a person does: lower case, with the dash, with a space.
    typed = [(f"{t[:3]}-{t[3:]}".lower(), m) for t, m in chosen[:3]]
    typed += [(f"{t[:3]} {t[3:]}", m) for t, m in chosen[3:]]
    return [*typed, lookalike, *slips[6 * 35 :]]


@pytest.fixture
def codes(app: Flask, client: FlaskClient, auth) -> dict[str, str]:
    """Three cases of an incident and an unused documentation blank, typed in as admin."""
    auth.login("admin")
    client.post("/incidents/new", data={"scenario": "total"})
    for n in range(3):
        response = client.post("/cases/new", data=referral_data(key_suffix=str(n)))
        assert response.status_code == 302
    client.post("/blanks/reserve", data={"doc_kind": "BLD", "count": "1"})
    with app.app_context():
        return {
            "cases": list(db.session.scalars(select(Case.code).order_by(Case.id))),
            "blank": db.session.scalar(select(ReservedCode.code)),
        }


def _refused_beside_the_field(response, typed: str, message: str, where: str) -> str:  # type: ignore[no-untyped-def]
    page = response.get_data(as_text=True)
    problems = []
    # A filter of the access log is a search, not a refused save: its page answers 200.
    if response.status_code != (200 if where == "access log filter" else 400):
        problems.append(f"status {response.status_code}")
    if escape(message, quote=True) not in page and message not in page:
        problems.append("no message")
    if f'value="{typed}"' not in page:
        problems.append("text not kept")
    return ", ".join(problems)


def test_every_slip_matches_no_case_of_a_generated_set() -> None:
    codes = {generate_case_code(Random(seed)) for seed in range(400)}
    for code in codes:
        for typed, _message in misspellings(code):
            with pytest.raises(CodeError):
                parse_scan(typed)
            # Nor through the dash or a space, nor in lower case.
            with pytest.raises(CodeError):
                parse_case_code(f"{typed[:3]}- {typed[3:]}".lower())


def _sent_to(client: FlaskClient, blank: str) -> dict[str, Callable[[str], Any]]:
    return {
        "scan station": lambda t: client.get("/scan", query_string={"code": t}),
        "access log filter": lambda t: client.get("/admin/audit", query_string={"case_code": t}),
        "blank typed in": lambda t: client.post(f"/blanks/{blank}/attach", data={"typed": t}),
        "transfer form": lambda t: client.post("/routines/transfers/new", data={"case_code": t}),
        "reviewer report received": lambda t: client.post(
            "/routines/reviewer/receive", data={"case_code": t}
        ),
    }


def test_a_slip_in_a_code_is_refused_beside_the_field_wherever_it_is_typed(
    client: FlaskClient, codes: dict[str, Any]
) -> None:
    failures = []
    for code in codes["cases"]:
        for typed, message in some_misspellings(code):
            for where, send in _sent_to(client, codes["blank"]).items():
                problem = _refused_beside_the_field(send(typed), typed, message, where)
                if problem:
                    failures.append((where, code, typed, problem))
    assert failures == []


def test_the_code_as_written_lower_case_or_spaced_finds_its_case(
    client: FlaskClient, codes: dict[str, Any]
) -> None:
    code = codes["cases"][0]
    typed = f"{code[:3]} {code[4:]}".lower()
    assert client.get("/scan", query_string={"code": typed}).status_code == 302
    page = client.post(f"/blanks/{codes['blank']}/attach", data={"typed": typed})
    assert f'value="{code}"' not in page.get_data(as_text=True)  # a candidate, not an error
    assert page.status_code == 200


@pytest.mark.parametrize("text", ["19121212-1212", "RES-0007", "RES-7", "Örjan Ö", ""])
def test_text_not_written_as_a_code_is_not_named_as_a_misspelt_one(text: str) -> None:
    assert case_code_problem(text) is None


def test_a_code_with_one_character_wrong_is_named_as_misspelt() -> None:
    code = generate_case_code(Random(7))
    assert case_code_problem(code) is None
    assert case_code_problem(code.lower().replace("-", " ")) is None
    for typed, message in misspellings(code):
        problem = case_code_problem(typed)
        assert problem is not None and message in str(problem)
