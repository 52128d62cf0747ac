"""What the tests of webapp.codes share: an example code and the messages staff read."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from webapp.codes import CodeError, check_character

MSG_CHECK = "Kontrolltecknet stämmer inte – koden är felskriven. Kontrollera koden på papperet."


def code_with_check(body: str) -> str:
    """Return the display form for a five-character body."""
    full = body + check_character(body)
    return f"{full[:3]}-{full[3:]}"


EXAMPLE = code_with_check("K7M2Q")


def code_error(func: Callable[..., object], *args: object) -> str:
    """The message of the CodeError that func(*args) raises."""
    with pytest.raises(CodeError) as info:
        func(*args)
    return str(info.value)
