"""Swedish labels of the routines' stored codes, available in this blueprint's templates."""

from __future__ import annotations

from ..release_terms import DELIVERY_LABELS, MEDIA_LABELS, RECIPIENT_LABELS
from . import bp

REVIEWER_LABELS = {
    "fax_sent": "Anonymiserad remiss faxad",
    "image_route": "Bildöverföring",
    "report_received": "Utlåtande mottaget per fax",
    "forwarded": "Kopia faxad till remittenten",
    "verbal_answer": "Muntligt svar till remittenten",
    "admin_done": "Hanterat av RIS-administratören",
    "received_undone": "Utlåtande mottaget per fax (ångrat)",
    "forwarded_undone": "Kopia faxad till remittenten (ångrat)",
    "receipt_undone": "Mottagningen ångrad",
    "ris_removal_due": "Svaret inlagt i RIS: ska tas bort där",
    "ris_removed": "Svaret borttaget ur RIS av RIS-administratören",
    "cancel_told": "Meddelad att ärendet är makulerat",
    "back_on_told": "Meddelad att makuleringen är ångrad: undersökningen görs",
}
DIRECTION_LABELS = {"send": "Skicka", "receive": "Ta emot"}
ROUTE_LABELS = {
    "direct": "Direkt via länkdatorn",
    "via_region": "Via grannregion",
    "dvd": "DVD med patienttransporten",
}
OUTCOME_LABELS = {"ok": "Lyckades", "failed": "Misslyckades", "pending": "Väntar på svar"}
# A transfer's troubleshooting lists, as its page heads them (for the audit log).
CHECK_LIST_LABELS = {
    "first": "Börja här",
    "send": "Problem med att skicka",
    "receive": "Problem med att ta emot",
}
TRANSFER_STATUS_LABELS = {"open": "Pågår", "done": "Klar", "abandoned": "Avbruten"}
RELEASE_STATUS_LABELS = {
    "sent": "Skickat",
    "awaiting_pickup": "Väntar på utlämning",
    "handed_over": "Utlämnat",
}


@bp.context_processor
def _labels() -> dict[str, object]:
    return {
        "REVIEWER_LABELS": REVIEWER_LABELS,
        "DIRECTION_LABELS": DIRECTION_LABELS,
        "ROUTE_LABELS": ROUTE_LABELS,
        "OUTCOME_LABELS": OUTCOME_LABELS,
        "TRANSFER_STATUS_LABELS": TRANSFER_STATUS_LABELS,
        "RELEASE_STATUS_LABELS": RELEASE_STATUS_LABELS,
        "RECIPIENT_LABELS": RECIPIENT_LABELS,
        # No CHANNEL_LABELS: they name the site's portal and archive, so the views pass them
        # filled in (`rules.channel_labels`).
        "MEDIA_LABELS": MEDIA_LABELS,
        "DELIVERY_LABELS": DELIVERY_LABELS,
    }
