"""Numbers as Swedish staff read and key them."""

from __future__ import annotations

from decimal import Decimal


def decimal_text(value: float | int | None) -> str:
    """Decimal comma, shortest exact form, never exponent notation.

    Doses and volumes are keyed into RIS from what the screen, the sheet and the CSV show, so
    all of them show the stored value exactly as typed: no rounding, and never "1e+06".
    """
    if value is None:
        return ""
    text = format(Decimal(repr(float(value))).normalize(), "f")
    return text.replace(".", ",")


def decimal_point_text(value: float | int | None) -> str:
    """decimal_text with a decimal point, for the machine-read formats (JSON, FHIR)."""
    return decimal_text(value).replace(",", ".")


def lab_text(value: float | int | None, bound: str = "") -> str:
    """A lab value as the lab gave it, decimal comma: ">90", "<14,5", "29,6"; "" if none."""
    return f"{bound}{decimal_text(value)}" if value is not None else ""


def lab_point_text(value: float | int | None, bound: str = "") -> str:
    """lab_text with a decimal point, for the machine-read formats (JSON, FHIR)."""
    return lab_text(value, bound).replace(",", ".")
