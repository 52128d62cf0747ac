"""No value typed for one patient is offered again, from the browser's form history, on the
next patient's form: every one-line field of every page says autocomplete, "off" unless a
token of its own (a username, a password) is right for it."""

from __future__ import annotations

import pytest

from .test_tablet_keyboards import Attrs, _sweep

# The input types a browser keeps a history of and offers back as one types.
TYPED = (None, "text", "tel", "number", "search", "email", "url")
TOKENS = {"username", "current-password", "new-password", "name"}


@pytest.fixture(scope="module")
def every_field(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Attrs]:
    return _sweep(tmp_path_factory.mktemp("history"), english=False)


def test_no_one_line_field_offers_the_last_patients_values(
    every_field: dict[str, Attrs],
) -> None:
    # The exam form's weight, doses and contrast agent were offered back from the last exam.
    typed = {
        k: f for k, f in every_field.items() if f["_tag"] == "input" and f.get("type") in TYPED
    }
    assert "cases.exam patient_weight_kg" in typed
    wrong = {
        key: field.get("autocomplete")
        for key, field in typed.items()
        if field.get("autocomplete") not in {"off", *TOKENS}
    }
    assert wrong == {}


def test_the_login_keeps_its_username_token(every_field: dict[str, Attrs]) -> None:
    # The tablet's password manager fills the username and PIN together: no "off" there.
    assert every_field["auth.login username"]["autocomplete"] == "username"
    assert every_field["auth.login secret"]["autocomplete"] == "current-password"
