"""The spreadsheet's words for stored codes, as the secretaries read them in Swedish Excel."""

# Kept apart from the web layer's labels so the export stays free of Flask.
STATUS_LABELS = {
    "referral_received": "Remiss mottagen",
    "exam_done": "Undersökning klar",
    "report_draft": "Utlåtande påbörjat",
    "report_preliminary": "Preliminärt utlåtande",
    "report_definitive": "Definitivt utlåtande",
    "keyed_in_ris": "Inlagd i RIS",
    "closed": "Avslutad",
    "cancelled": "Makulerad",
}
# As cases/laterality.py says them, in the case of a cell.
SIDE_LABELS = {"right": "höger", "left": "vänster", "both": "båda sidor"}
ID_KIND_LABELS = {
    "personnummer": "personnummer",
    "samordningsnummer": "samordningsnummer",
    "reserve": "reservnummer",
}
SEX_LABELS = {"F": "Kvinna", "M": "Man"}
PACS_LABELS = {"yes": "ja", "no": "nej", "failed": "misslyckades"}
# A safety question left blank stays blank: "vet ej" is an answer, no answer is not.
ANSWER_LABELS = {"yes": "ja", "no": "nej", "unknown": "vet ej"}
MOBILITY_LABELS = {
    "walks": "går själv",
    "wheelchair": "rullstol",
    "bed": "säng",
    "stretcher": "bår",
}
ROUTE_LABELS = {
    "iv": "intravenöst",
    "oral": "peroralt",
    "rectal": "rektalt",
    "intraarticular": "intraartikulärt",
    "other": "annat",
}
REPORT_STATE_LABELS = {
    "draft": "ej signerat",
    "preliminary": "preliminärt signerat",
    "definitive": "definitivt signerat",
}
STEP_LABELS = {
    "booked": "bokad i RIS",
    "exam_completed": "klarmarkerad i RIS",
    "images_matched": "bilder matchade i PACS",
    "report_keyed": "utlåtande inlagt i RIS",
    "correction_list": "på korr-lista",
}
