"""A CT's DLP smaller than its CTDIvol: most often the two typed in each other's field.

A DLP of 0 beside a CTDIvol above 0 is refused on its own: nothing was swapped, the DLP was
left at 0 for one not read off the dose report, and RIS would get a scan with no dose-length.

DLP (mGy·cm) is CTDIvol (mGy) times the scanned length (cm), so a DLP below the CTDIvol means a
scan shorter than 1 cm; a DLP equal to it (1 cm) is let through. Short scans exist (a biopsy's
check slices, one axial slice), so the refusal asks once: the radiographer may confirm the
values as typed (SHORT_SCAN_CONFIRM), stored with the exam. The swap is the common mistake.
Swapped, the two would be keyed into RIS and the dose register as a far higher local dose over
almost no length. The rule needs no modality: the form asks both of every exam, and any scan
that reports both obeys the same product.
"""

from __future__ import annotations

from decimal import Decimal

from .numbers import decimal_text

DOSES_SWAPPED = (
    "DLP (%(dlp)s mGy·cm) är mindre än CTDIvol (%(ctdivol)s mGy): värdena ser ut att vara "
    "omkastade. DLP är CTDIvol gånger scannad längd i cm."
)

DLP_ZERO = (
    "En undersökning med CTDIvol (%(ctdivol)s mGy) har en DLP över 0 mGy·cm. Skriv DLP från "
    "dosrapporten, eller lämna fältet tomt om den inte är känd."
)

# The box beside the DLP that saves a DLP below the CTDIvol as typed.
SHORT_SCAN_CONFIRM = "Värdena stämmer: kort skanning under 1 cm"

Dose = Decimal | float | int | None


def dlp_zero(dlp: Dose, ctdivol: Dose) -> bool:
    """Whether the DLP is 0 while the CTDIvol is above 0 (checked before doses_swapped)."""
    return dlp is not None and ctdivol is not None and Decimal(dlp) == 0 < Decimal(ctdivol)


def doses_swapped(dlp: Dose, ctdivol: Dose) -> bool:
    """Whether both doses are given and the DLP is smaller than the CTDIvol."""
    return dlp is not None and ctdivol is not None and Decimal(dlp) < Decimal(ctdivol)


def short_scan(dlp: Dose, ctdivol: Dose) -> bool:
    """Whether the DLP is above 0 and below the CTDIvol: a scan under 1 cm, or the two swapped."""
    return doses_swapped(dlp, ctdivol) and not dlp_zero(dlp, ctdivol)


def swapped_values(dlp: Dose, ctdivol: Dose) -> dict[str, object]:
    """DOSES_SWAPPED's values: both doses as staff typed them (decimal comma)."""
    return {"dlp": _text(dlp), "ctdivol": _text(ctdivol)}


def _text(value: Dose) -> str:
    return decimal_text(float(value)) if value is not None else ""
