"""What the batch page counts as left to do, named by kind.

One sum of cases, tasks, unsent forms and loose blanks read as that many cases left: 68 cases
and 9 tasks showed as 77.
"""

from __future__ import annotations

from ..i18n import gettext as _


def left_summary(*, cases: int, tasks: int, forms: int, blanks: int) -> str:
    """E.g. "68 ärenden, 9 uppgifter": each kind left with its count, none of a zero; "" if none."""
    parts = [
        (cases, _("1 ärende") if cases == 1 else _("%(n)s ärenden", n=cases)),
        (tasks, _("1 uppgift") if tasks == 1 else _("%(n)s uppgifter", n=tasks)),
        (forms, _("1 formulär") if forms == 1 else _("%(n)s formulär", n=forms)),
        (blanks, _("1 blankett") if blanks == 1 else _("%(n)s blanketter", n=blanks)),
    ]
    return ", ".join(text for count, text in parts if count)
