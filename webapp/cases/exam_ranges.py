"""The exam form's messages for a number out of its range, each naming what it is."""

from __future__ import annotations

WEIGHT_RANGE = "Ange vikten i kg, 0,3–400."
# Each dose names its unit and range: a value read off the modality in another unit is put right
# at once. The limits are wide on purpose, so a real overdose stays recordable. A no-break space
# groups the thousands so the range never wraps inside a number.
DLP_RANGE = "Ange DLP i mGy·cm, 0–100\u00a0000."
CTDIVOL_RANGE = "Ange CTDIvol i mGy, 0–10\u00a0000."
DAP_RANGE = "Ange DAP i Gy·cm², 0–100\u00a0000."
FLUORO_RANGE = "Ange genomlysningstiden i sekunder, 0–36\u00a0000."
# The counts say what they count: a bare range beside the field read as a code or a typo.
SERIES_RANGE = "Antal serier ska vara mellan 0 och 10\u00a0000."
IMAGES_RANGE = "Antal bilder ska vara mellan 0 och 100\u00a0000."
