"""The exam form's check of the DLP against the CTDIvol (dose_rule), said beside the DLP."""

from __future__ import annotations

from wtforms import BooleanField

from ..dose_rule import DLP_ZERO, DOSES_SWAPPED, dlp_zero, short_scan, swapped_values
from ..i18n import gettext as _
from .fields import FiniteDecimalField


def check_doses(
    dlp: FiniteDecimalField, ctdivol: FiniteDecimalField, confirmed: BooleanField
) -> bool:
    """Whether the doses can be saved: a DLP of 0 never, one below the CTDIvol once confirmed.

    A tick left from values since corrected is dropped, so it is neither stored nor drawn.
    """
    if dlp.errors or ctdivol.errors:
        return True
    is_short = short_scan(dlp.data, ctdivol.data)
    if not is_short:
        confirmed.data = False
    if dlp_zero(dlp.data, ctdivol.data):
        message = DLP_ZERO
    elif is_short and not confirmed.data:
        message = DOSES_SWAPPED
    else:
        return True
    dlp.errors = [*dlp.errors, _(message, **swapped_values(dlp.data, ctdivol.data))]
    return False
