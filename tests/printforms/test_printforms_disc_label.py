"""The label of a released disc: the text to write on it, large, and a slip to cut out."""

from __future__ import annotations

import io
import unicodedata

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

import printforms as pf
from printforms.disc_label import EARLIER_PT, SLIP_MM
from printforms.page import CONTENT_LEFT_MM, FONT_BOLD

from . import factories as f
from .conftest import FINE_FAX, STANDARD_FAX, decoded_payloads, drawn_lines, pdf_text, placed_lines

HEBREW = "שרה כהן"
HEBREW_DRAWN = "ןהכ הרש"
ARABIC = "محمد العلي"
ARABIC_DRAWN = "\ufef2\ufee0\ufecc\ufedf\ufe8d \ufeaa\ufee4\ufea4\ufee3"
# As long as a name may be (200 characters), in words.
LONG_NAME = " ".join(["Karl-Gustav Maximilian Åkerlund-Östergren"] * 5)[:200]


def test_the_label_carries_both_identifiers_the_exam_the_parties_and_the_warning() -> None:
    text = " ".join(pdf_text(pf.render_disc_label(f.disc_label())).split())
    for value in (
        "SKIVETIKETT",
        "Skriv på skivan",
        "röntgenstämpeln",
        f.PATIENT_NAME,
        f.PATIENT_ID,
        "DT hjärna utan kontrast, 2025-03-02",
        "CD: Bilder och svarsutlåtande",
        "Röntgenkliniken, Demosjukhuset, tel 010-000 00 08",
        "Sjukhus utanför regionen: Länssjukhuset Ryhov",
        "Med post",
        "2025-03-03",
        "INNEHÅLLER PATIENTUPPGIFTER",
        "Dokumentera utlämnandet i remissanteckningen.",
    ):
        assert value in text, value


def test_a_usb_sticks_label_is_written_on_its_envelope() -> None:
    text = pdf_text(pf.render_disc_label(f.disc_label(medium="USB", is_usb=True)))
    assert "ETIKETT USB-MINNE" in text and "Skriv på kuvertet" in text
    assert "Skriv på skivan" not in text and "röntgenstämpeln" not in text


def test_a_transfers_dvd_says_when_it_was_sent_rather_than_released() -> None:
    data = f.disc_label(
        medium="DVD",
        delivery="Med patienttransporten",
        released_on="2025-03-04",
        date_label="Skickad",
    )
    text = " ".join(pdf_text(pf.render_disc_label(data)).split())
    assert "Skickad 2025-03-04" in text and "Utlämnat" not in text
    assert "Med patienttransporten" in text


@pytest.mark.parametrize("resolution", [STANDARD_FAX, FINE_FAX])
def test_the_labels_qr_reads_back_at_fax_resolution(resolution: tuple[int, int]) -> None:
    pdf = pf.render_disc_label(f.disc_label())
    assert decoded_payloads(pdf, resolution) == [["RR1:K7M2QX:ETK:2"]]
    assert "K7M2QX" in pdf_text(pdf)


def test_the_number_and_name_to_copy_by_hand_are_large() -> None:
    # Measured by the width each is drawn at: the size a line takes is the size it was drawn in.
    placed = placed_lines(pf.render_disc_label(f.disc_label()))
    for text, size in ((f.PATIENT_ID, 24), (f.PATIENT_NAME, 18)):
        widest = max(right - left for line, left, right, _ in placed if line == text)
        assert widest == pytest.approx(stringWidth(text, FONT_BOLD, size), rel=0.01)


def test_the_slip_is_as_wide_as_a_disc_and_starts_at_the_margin() -> None:
    pdf = pf.render_disc_label(f.disc_label())
    lines = {text: (left, right) for text, left, right, _ in placed_lines(pdf)}
    left, right = lines["INNEHÅLLER PATIENTUPPGIFTER"]
    # Inside the 120 mm slip, beside its 3 mm padding.
    assert CONTENT_LEFT_MM * 72 / 25.4 < left < (CONTENT_LEFT_MM + 4) * 72 / 25.4
    assert right < (CONTENT_LEFT_MM + SLIP_MM) * 72 / 25.4


def test_a_name_as_long_as_a_name_may_be_is_printed_whole_and_the_slip_stays_whole() -> None:
    pdf = pf.render_disc_label(
        f.disc_label(
            patient=f.patient(name=LONG_NAME),
            recipient="Privat vårdgivare: " + "Röntgenmottagningen Sankt Görans sjukhus " * 4,
            routine_notes=("Patienten visar giltig ID-handling vid hämtning.",) * 4,
        )
    )
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
    # Wrapped, never cut: every word of it is on the paper, twice (the disc's box and the slip).
    first = " ".join(pages[0].split())
    assert first.count("Åkerlund-Östergren") >= 2 * LONG_NAME.count("Åkerlund-Östergren")
    # The slip is cut out in one piece: all of it on the first page, whatever follows.
    assert "INNEHÅLLER PATIENTUPPGIFTER" in first and "Leverans Med post" in first
    assert decoded_payloads(pdf, STANDARD_FAX) == [["RR1:K7M2QX:ETK:2"]] * len(pages)


@pytest.mark.parametrize(("name", "drawn"), [(HEBREW, HEBREW_DRAWN), (ARABIC, ARABIC_DRAWN)])
def test_a_right_to_left_name_is_drawn_right_to_left_and_read_back_as_typed(
    name: str, drawn: str
) -> None:
    pdf = pf.render_disc_label(f.disc_label(patient=f.patient(name=name)))
    lines = drawn_lines(pdf)
    # The disc's box, the slip and the running patient line.
    assert sum(drawn in line for line in lines) >= 3
    assert name in unicodedata.normalize("NFKC", pdf_text(pdf))


def test_a_copy_and_a_cancelled_case_are_marked() -> None:
    data = f.with_meta(f.disc_label(), reprint_at="2025-03-03 10:00:00", is_cancelled=True)
    text = pdf_text(pf.render_disc_label(data))
    assert "KOPIA" in text and "MAKULERAD" in text


@pytest.mark.parametrize("is_usb", [False, True], ids=["disc", "usb"])
def test_a_reserve_numbered_patient_is_to_be_written_on_by_the_reserve_number(
    is_usb: bool,
) -> None:
    patient = f.patient(name="Namn okänt", id_label="Reservnummer", id_number="RES-0007")
    text = " ".join(
        pdf_text(pf.render_disc_label(f.disc_label(patient=patient, is_usb=is_usb))).split()
    )
    assert "Skriv reservnummer och namn" in text
    assert "personnummer" not in text.lower()


def test_a_patient_with_a_personnummer_is_to_be_written_on_by_it() -> None:
    text = " ".join(pdf_text(pf.render_disc_label(f.disc_label())).split())
    assert "Skriv personnummer och namn" in text


@pytest.mark.parametrize("resolution", [STANDARD_FAX, FINE_FAX])
def test_a_label_naming_its_record_reads_back_and_shows_it_under_the_qr(
    resolution: tuple[int, int],
) -> None:
    # The longest a label's payload gets: a five-digit record and an eleven-digit version.
    payload = "RR1:K7M2QX:ETKU99999:99999999999"
    assert len(payload) == 32
    data = f.with_meta(f.disc_label(label_reference="U99999"), qr_payload=payload)
    pdf = pf.render_disc_label(data)
    assert decoded_payloads(pdf, resolution) == [[payload]]
    assert f"{data.meta.case_code} U99999" in drawn_lines(pdf)


MARKED = "Bilderna kan vara märkta med reservnummer RES-0007"


@pytest.mark.parametrize("is_usb", [False, True], ids=["disc", "usb"])
def test_a_corrected_patients_label_says_the_images_may_carry_the_reserve_number(
    is_usb: bool,
) -> None:
    patient = f.patient(earlier_reserve="RES-0007")
    text = " ".join(
        pdf_text(pf.render_disc_label(f.disc_label(patient=patient, is_usb=is_usb))).split()
    )
    # What to write (the how, and the box to copy from) and the slip the receiver reads.
    assert text.count(MARKED) == 2
    assert "Skriv personnummer, namn och reservnumret" in text


def test_an_uncorrected_patients_label_names_no_reserve_number() -> None:
    text = " ".join(pdf_text(pf.render_disc_label(f.disc_label())).split())
    assert "reservnummer" not in text.lower()


@pytest.mark.parametrize("resolution", [STANDARD_FAX, FINE_FAX])
def test_the_longest_corrected_label_keeps_its_slip_whole_and_its_qr_readable(
    resolution: tuple[int, int],
) -> None:
    patient = f.patient(name=LONG_NAME, earlier_reserve="RES-0007, RES-20260115-0042")
    data = f.disc_label(
        patient=patient,
        recipient="Privat vårdgivare: " + "Röntgenmottagningen Sankt Görans sjukhus " * 4,
        routine_notes=("Patienten visar giltig ID-handling vid hämtning.",) * 4,
    )
    pdf = pf.render_disc_label(data)
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    # The slip is cut out in one piece, with the reserve numbers on it; here, after the longest
    # name and recipient, on the second page, whole.
    (slip,) = [page for page in pages if "INNEHÅLLER PATIENTUPPGIFTER" in page]
    assert "Leverans Med post" in slip
    assert "Bilderna kan vara märkta med reservnummer RES-0007, RES-20260115-0042" in slip
    assert "RES-20260115-0042" in pages[0]
    assert decoded_payloads(pdf, resolution) == [["RR1:K7M2QX:ETK:2"]] * len(pages)
    # A page after the first names the reserve numbers too, under its header.
    for page in pages[1:]:
        assert "Tidigare reservnummer" in page and "RES-20260115-0042" in page


def test_the_reserve_number_on_the_disc_is_beside_the_number_large_enough_to_copy() -> None:
    placed = placed_lines(
        pf.render_disc_label(f.disc_label(patient=f.patient(earlier_reserve="RES-0007")))
    )
    (number,) = [(left, y) for line, left, _, y in placed if line == f.PATIENT_ID][:1]
    beside = [(line, left, right, y) for line, left, right, y in placed if "RES-0007" in line]
    # The first is on the disc: in 12 pt bold, to the right of the number, on its row.
    line, left, right, y = beside[0]
    assert right - left == pytest.approx(stringWidth(line, FONT_BOLD, EARLIER_PT), rel=0.01)
    assert left > number[0] + stringWidth(f.PATIENT_ID, FONT_BOLD, 24)
    assert abs(y - number[1]) < 24


def test_a_patient_still_under_a_later_reserve_number_is_told_the_earlier_one_apart() -> None:
    # A reserve number as long as a region's may be: the line goes under it, not beside.
    number = "RES-20260115-0042-AKUT"
    patient = f.patient(id_label="Reservnummer", id_number=number, earlier_reserve="RES-0007")
    pdf = pf.render_disc_label(f.disc_label(patient=patient))
    text = " ".join(pdf_text(pdf).split())
    assert "Skriv reservnummer, namn och det tidigare reservnumret" in text
    assert text.count(MARKED) == 2
    placed = placed_lines(pdf)
    # The disc's box is the first (highest) of the lines drawing the number alone.
    number_y = max(y for line, _, _, y in placed if line == number)
    marked_y = max(y for line, _, _, y in placed if line == MARKED)
    assert number_y - 40 < marked_y < number_y
