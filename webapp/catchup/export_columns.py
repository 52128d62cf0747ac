"""The spreadsheet's column names, in the order an importer reads them by position.

A group added later goes after all earlier ones, so no column an importer reads moves.
"""

from __future__ import annotations

FIXED_COLUMNS = (
    "ärendekod",
    "status",
    "patient namn",
    "personnummer/reservnummer",
    "id-typ",
    "tidigare identitet",
    "kön",
    "födelsedatum",
    "remittent",
    "svarsfax",
    "remittent telefon",
    "prioritet",
    "undersökning",
    # Keyed into RIS with the exam: as performed, else as referred; the referral's beside it.
    "sida",
    "sida enligt remissen",
    "modalitet",
    "frågeställning",
    "anamnes",
    "mottagen",
    "undersökning start",
    "undersökning slut",
    "modalitets-ID",
    "rum",
    "utförd av",
    "DLP (mGy·cm)",
    "CTDIvol (mGy)",
    "DAP (Gy·cm²)",
    "genomlysningstid (s)",
    "kontrastmedel",
    "kontrast (ml)",
    "komplikationer",
    "bilder till PACS",
    "utlåtande status",
    "utlåtande text",
    "signerad av",
    "signaturer",
    "faxat till remittent",
    "RIS accession",
    "RIS undersökningsnummer",
)
TAIL_COLUMNS = (
    "verifierad av",
    "verifierad",
    "makulerad orsak",
    "undantagen",
    "undantagen orsak",
    "undantagen av",
    "undantagen tid",
    "avstämd",
    # After every column before it, so an importer reading by position finds them where they
    # always were; on every row of a drill, whose patients are fictional and must never reach
    # the real RIS.
    "övning",
)
# The referral's safety answers, as the referral sheet gives them; added after "övning" so
# that no column an importer already reads moves. "kontrast planerad" is what the referral
# asked for; "kontrastmedel" above is what the exam gave.
SAFETY_COLUMNS = (
    "kontrast planerad",
    "kontrastmedelsallergi",
    "eGFR (ml/min/1,73 m²)",
    "kreatinin (µmol/l)",
    "njurfunktion provtagningsdatum",
    "njurfunktion okänd",
    "metformin",
    "graviditet",
    "pacemaker/ICD",
    "implantat",
    "vilket implantat",
)
# With four eyes a waiver stands once a second user confirms it; after every earlier column, so
# none moves. A waiver still waiting says so: "undantagen" is "ja" but the case is not
# reconciled ("avstämd" is empty) and must not be taken for one that stands.
WAIVER_CONFIRMATION_COLUMNS = (
    "undantag väntar på bekräftelse",
    "undantag bekräftat av",
    "undantag bekräftat tid",
)
# The radiologist's instruction to the radiographer (which exam, contrast phase), keyed into RIS
# with the order; after every earlier column, so none moves.
PROTOCOL_COLUMNS = (
    "radiologens instruktion",
    "instruktion skriven av",
    "instruktion skriven",
)
# Infection/isolation and how the patient moves, from the referral, keyed into RIS with the
# order; after every earlier column, so none moves.
CARE_COLUMNS = (
    "smitta/isolering",
    "vilken smitta",
    "förflyttning",
)
# The contrast's batch number ("okänt" when it was not known) and the patient's weight, from the
# exam documentation; after every earlier column, so none moves.
CONTRAST_TRACE_COLUMNS = (
    "batchnummer kontrastmedel",
    "patientens vikt (kg)",
)
# Where the radiologist read the images (PACS or the modality's screen, empty when not said) and
# the second look in PACS of a report read on the modality; after every earlier column, so none
# moves. The report text itself opens with the fax's line of one read on the modality.
READ_ON_COLUMNS = (
    "granskad på",
    "eftergranskad i PACS",
    "eftergranskad av",
    "eftergranskning resultat",
)
# What the case page shows and RIS is keyed from that no earlier column gave: an unidentified
# patient's approximate age (a reserve number is registered with an estimated birth year) and
# the radiographer's notes on the exam (where the images are when PACS did not get them); after
# every earlier column, so none moves.
CASE_PAGE_COLUMNS = (
    "ungefärlig ålder (år)",
    "anteckningar undersökning",
)
# Every release of the case's images, the note for the referral notes in RIS (remissanteckning),
# one a line in the order made; after every earlier column, so none moves.
RELEASE_COLUMNS = ("remissanteckningar utlämnande",)
