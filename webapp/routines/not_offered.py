"""The answer to an address of a routine the site does not use: its pages are not there."""

from __future__ import annotations

from flask import abort, make_response, render_template

from ..i18n import gettext as _

# The routines page's heading of each, so the refusal names the routine as the page does.
ROUTINE_NAMES = {
    "reviewer": "Extern granskare (natt)",
    "transfer": "Bildöverföring till/från annan region",
    "release": "Utlämnande av bilder",
}


def require_offered(offered: bool, routine: str) -> None:
    """404 before anything is read or written, unless the site offers the routine.

    The routines page and the case page leave out what the site file does not configure, but
    a bookmark or a typed address still reached the form: a read was logged, and a release
    could be made under rules the department never set.
    """
    if offered:
        return
    message = _(
        "%(routine)s används inte på den här avdelningen.", routine=_(ROUTINE_NAMES[routine])
    )
    abort(make_response(render_template("error.html", code=404, message=message), 404))
