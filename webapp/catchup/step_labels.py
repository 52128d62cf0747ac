"""The catch-up steps as the secretaries' screens name them, for the pages and the audit log."""

from __future__ import annotations

STEP_LABELS = {
    "booked": "Bokad i RIS",
    "exam_completed": "Undersökningen klarmarkerad i RIS",
    "images_matched": "Bilderna matchade i PACS",
    "report_keyed": "Utlåtandet inlagt i RIS",
    "correction_list": "Lagd på radiologens korr-lista",
}
