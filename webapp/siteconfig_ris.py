"""The site's rule for the RIS numbers the secretaries key in after an outage."""

from __future__ import annotations

from typing import Any

from . import siteconfig_values as v

ACCESSION_KEY = "accession_max_length"
# A DICOM Accession Number (VR SH) holds 16 characters: a longer one is two pasted as one.
DEFAULT_ACCESSION_LENGTH = 16
# The column holds 64.
LONGEST_ACCESSION = 64


def parse_accession_max_length(site: dict[str, Any]) -> int:
    """The [site] table's longest RIS accession, checked; left out, the DICOM limit."""
    default = DEFAULT_ACCESSION_LENGTH
    value = site.get(ACCESSION_KEY, default)
    # A float (16.5, nan) is no number of characters; bool is an int to Python.
    is_whole = isinstance(value, int) and not isinstance(value, bool)
    if is_whole and 1 <= value <= LONGEST_ACCESSION:
        return int(value)
    template = (
        "%(where)s: %(key)s ska vara ett helt antal tecken mellan 1 och %(longest)s, t.ex. "
        "%(key)s = %(default)s (ett DICOM-accessionsnummer rymmer 16); nu står det %(value)s."
    )
    values = {"where": "[site]", "key": ACCESSION_KEY, "longest": LONGEST_ACCESSION}
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise v.ConfigValueError(template, **values, default=default, value=value)
    v.rule(template, **values, default=default, value=value)
    # A stored configuration still loads, with the limit every site starts from.
    return default
