"""The roles as staff see them: the pages, the users forms and the audit log name them alike."""

from __future__ import annotations

from .models.user import ROLES

ROLE_LABELS = {
    "radiographer": "Röntgensjuksköterska",
    "radiologist": "Radiolog",
    "secretary": "Sekreterare",
    "admin": "Administratör",
}
assert set(ROLE_LABELS) == set(ROLES)
