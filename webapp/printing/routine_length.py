"""Which of the site's routines print on more than one binder page: said on the binder page
before they are printed, so the admin can shorten their texts first."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from functools import lru_cache

from flask import current_app
from pypdf import PdfReader

from printforms import data_office as po

from ..siteconfig import SiteConfig
from .routines import ConfigVersion, binder_data


@dataclass(frozen=True)
class LongRoutine:
    """A routine that runs past one page, and how many it takes (None: it could not be laid
    out, so how many is not known)."""

    name: str
    pages: int | None


def long_routines(
    config: SiteConfig, version: ConfigVersion, *, printed_by: str, address: str
) -> tuple[LongRoutine, ...]:
    """The routines of every scenario that print on more than one page, as the binder's print
    by printed_by at address would lay them out, and those that could not be laid out."""
    # The save's time stands in for the print's: the same width in the header, and the same
    # data (so the same cached answer) until the configuration, the address or the admin changes.
    data = binder_data(
        config,
        version,
        keys=list(config.scenarios),
        printed_at=version.saved_at,
        printed_by=printed_by,
        address=address,
    )
    found = []
    # One routine at a time (each is laid out on its own pages anyway): one that fails is named
    # to be checked by eye, and the others are still measured.
    for scenario in data.scenarios:
        try:
            pages = _measured(replace(data, scenarios=(scenario,)))
        except Exception:  # the print itself refuses such data and says so (PrintFailed)
            current_app.logger.exception("routine %r could not be laid out", scenario.name)
            found.append(LongRoutine(scenario.name, None))
        else:
            if pages > 1:
                found.append(LongRoutine(scenario.name, pages))
    return tuple(found)


# Laying out six routines takes about 200 ms, too long for every view of the binder page; a
# routine's data (hashable, frozen) is laid out once and its answer kept. A failure is not kept.
@lru_cache(maxsize=32)
def _measured(data: po.RoutineBinderData) -> int:
    """The pages the binder's one routine in data prints on."""
    from printforms import render_routines, routines_over_one_page

    if not routines_over_one_page(data):
        return 1
    return len(PdfReader(io.BytesIO(render_routines(data))).pages)
