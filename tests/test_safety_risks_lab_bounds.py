"""An eGFR the lab gave with a bound ("<60", ">20") against the site's limit: the warning says
under the limit only when the value must be under it, and that it may be, with the exact value
needed, when the bound leaves both open."""

from __future__ import annotations

from dataclasses import replace

import pytest

from webapp.cases.safety_risks import may_be_below, safety_risks

from .test_safety_risks_rules import CONFIG, CT_CONTRAST

MAY_BE = (
    "eGFR %s – kan ligga under 30: ta reda på det exakta värdet, eller ge kontrastmedel bara "
    "efter radiologens ställningstagande."
)
UNDER = "eGFR %s – under 30: kontrastmedel bara efter radiologens ställningstagande."


def _texts(egfr: float, bound: str, metformin: str = "no") -> list[str]:
    facts = replace(CT_CONTRAST, egfr=egfr, egfr_bound=bound, metformin=metformin)
    return [r.text() for r in safety_risks(CONFIG, facts)]


@pytest.mark.parametrize(("egfr", "bound"), [(60.0, "<"), (31.0, "<"), (20.0, ">"), (29.5, ">")])
def test_a_bound_that_leaves_the_limit_open_says_the_value_may_be_under_it(
    egfr: float, bound: str
) -> None:
    shown = f"{bound}{egfr:g}".replace(".", ",")
    assert _texts(egfr, bound) == [MAY_BE % shown]


@pytest.mark.parametrize("egfr", [15.0, 29.6, 30.0])
def test_a_value_under_a_bound_at_or_below_the_limit_is_under_it(egfr: float) -> None:
    shown = f"<{egfr:g}".replace(".", ",")
    assert _texts(egfr, "<") == [UNDER % shown]


@pytest.mark.parametrize("egfr", [30.0, 90.0])
def test_a_value_over_a_bound_at_or_above_the_limit_is_no_risk(egfr: float) -> None:
    assert _texts(egfr, ">") == []
    assert not may_be_below(egfr, ">", 30.0)


def test_the_metformin_warning_says_may_be_for_a_bound_that_leaves_its_limit_open() -> None:
    # Metformin's limit is 45: "<60" may be under it, "<40" is.
    assert _texts(60.0, "<", metformin="yes")[1] == (
        "Metformin och eGFR <60 (kan ligga under 45) – ta reda på det exakta värdet, och följ "
        "den lokala rutinen för metformin vid kontrastmedel."
    )
    assert _texts(40.0, "<", metformin="yes")[1] == (
        "Metformin och eGFR <40 (under 45) – följ den lokala rutinen för metformin vid "
        "kontrastmedel."
    )


@pytest.mark.parametrize(("egfr", "bound"), [(60.0, "<"), (15.0, "<"), (20.0, ">"), (29.0, "")])
def test_every_value_that_may_be_under_the_limit_is_still_warned_about(
    egfr: float, bound: str
) -> None:
    # The safe side: the board flags the same cases (board/safety_clauses.egfr_below).
    assert may_be_below(egfr, bound, 30.0)
