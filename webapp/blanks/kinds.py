"""The binder blanks by their codes, and the one name the reserve form, the binder page and the
audit log give each."""

from __future__ import annotations

BLANK_KIND_NAMES = {"BLR": "Remiss", "BLD": "Dokumentation", "BLU": "Utlåtande"}
BLANK_KINDS = tuple(BLANK_KIND_NAMES)
