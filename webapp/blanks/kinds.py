"""The binder blanks by their codes, and the names the binder page and the audit log give them."""

from __future__ import annotations

BLANK_KIND_NAMES = {"BLR": "Remiss", "BLD": "Dokumentation", "BLU": "Utlåtande"}
BLANK_KINDS = tuple(BLANK_KIND_NAMES)
