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
    """A routine that runs past one page, and how many it takes."""

    name: str
    pages: int


def long_routines(
    config: SiteConfig, version: ConfigVersion, *, printed_by: str, address: str
) -> tuple[LongRoutine, ...]:
    """The routines of every scenario that print on more than one page, as the binder's print
    by printed_by at address would lay them out."""
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
    try:
        return _measured(data)
    except Exception:  # the print itself refuses such data and says so (PrintFailed)
        current_app.logger.exception("routines could not be laid out to count their pages")
        return ()


# Laying out six routines takes about 200 ms, too long for every view of the binder page; a
# binder's data (hashable, frozen) is laid out once and its answer kept.
@lru_cache(maxsize=16)
def _measured(data: po.RoutineBinderData) -> tuple[LongRoutine, ...]:
    from printforms import render_routines, routines_over_one_page

    found = []
    for index in routines_over_one_page(data):
        scenario = data.scenarios[index]
        pdf = render_routines(replace(data, scenarios=(scenario,)))
        found.append(LongRoutine(scenario.name, len(PdfReader(io.BytesIO(pdf)).pages)))
    return tuple(found)
