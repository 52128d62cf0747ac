"""The patient's identity is removed from free text bound for the anonymised referral."""

from __future__ import annotations

from datetime import date

import pytest

from webapp.anonymise import REMOVED, PatientIdentity, identifying_hints, scrub
from webapp.identity import personal_number_spans

TODAY = date(2026, 3, 3)
INGRID = PatientIdentity("Ingrid Lillqvist", "personnummer", "194512122385")


def _scrubbed(text: str, patient: PatientIdentity = INGRID) -> str:
    return scrub(text, patient, TODAY).text


@pytest.mark.parametrize(
    "written",
    [
        "451212-2385",
        "4512122385",
        "451212 2385",
        "451212 - 2385",
        "19451212-2385",
        "194512122385",
        "19451212 2385",
        "451212\u20132385",  # an en dash, as a word processor writes it
        "45 12 12-23 85",
    ],
)
def test_the_patients_own_number_is_removed_in_any_usual_form(written: str) -> None:
    result = scrub(f"Pnr {written}, inkommer med ambulans.", INGRID, TODAY)
    assert result.text == f"Pnr {REMOVED}, inkommer med ambulans."
    assert result.removed == 1


def test_the_patients_own_number_written_with_a_plus_is_removed() -> None:
    old = PatientIdentity("Sven Ek", "personnummer", "191212121212")
    assert _scrubbed("Id 121212+1212.", old) == f"Id {REMOVED}."


def test_a_samordningsnummer_is_removed() -> None:
    patient = PatientIdentity("Ali Noor", "samordningsnummer", "194512722382")
    assert _scrubbed("Samordningsnr 451272-2382.", patient) == f"Samordningsnr {REMOVED}."


@pytest.mark.parametrize("written", ["RES-0042", "res0042", "RES 0042", "Res-00-42"])
def test_the_patients_reserve_number_is_removed(written: str) -> None:
    patient = PatientIdentity("", "reserve", "RES-0042")
    assert _scrubbed(f"Reservnr {written} på armbandet.", patient) == (
        f"Reservnr {REMOVED} på armbandet."
    )


def test_another_persons_personal_number_is_removed_too() -> None:
    text = "Dotterns pnr 770707-1234 står i journalen."
    assert _scrubbed(text) == f"Dotterns pnr {REMOVED} står i journalen."


def test_a_number_that_is_no_valid_personal_number_is_kept() -> None:
    # 770707-1235 fails the check digit: a lab or order number, not a person.
    assert _scrubbed("Provnummer 770707-1235.") == "Provnummer 770707-1235."


@pytest.mark.parametrize(
    "text",
    [
        "Röntgen 2026-12-05 visade infiltrat.",
        "Kontroll 20261205, eGFR 72 (2026-01-14).",
        "Waran 2,5 mg x 1, DLP 1200 mGy·cm, 500 ml.",
        "Kreatinin 88 µmol/l, Hb 120, CRP 45, temp 38,5.",
        "Labb 2026-01-14 08:30: LPK 12,3.",
    ],
)
def test_dates_and_doses_are_kept(text: str) -> None:
    result = scrub(text, INGRID, TODAY)
    assert result.text == text
    assert result.removed == 0


def test_the_patients_names_are_removed_whole_words_any_case() -> None:
    text = "Ingrid Lillqvist, 80 år. INGRID har ont. lillqvist föll i hemmet."
    assert _scrubbed(text) == f"{REMOVED}, 80 år. {REMOVED} har ont. {REMOVED} föll i hemmet."


def test_a_possessive_name_is_removed() -> None:
    assert _scrubbed("Ingrids dotter ringde.") == f"{REMOVED} dotter ringde."


def test_a_name_inside_another_word_is_kept() -> None:
    patient = PatientIdentity("Bo Ek", "personnummer", "194512122385")
    assert _scrubbed("Ekologisk kost, bor ensam, ekg normalt.", patient) == (
        "Ekologisk kost, bor ensam, ekg normalt."
    )


def test_names_with_swedish_letters_are_removed() -> None:
    patient = PatientIdentity("Örjan Älvström", "personnummer", "191212121212")
    assert _scrubbed("örjan älvströms fru: ÖRJAN ÄLVSTRÖM har feber.", patient) == (
        f"{REMOVED} fru: {REMOVED} har feber."
    )


def test_a_name_written_surname_first_with_a_comma_is_removed() -> None:
    patient = PatientIdentity("Lillqvist, Ingrid", "personnummer", "194512122385")
    assert _scrubbed("Pat Lillqvist, Ingrid.", patient) == f"Pat {REMOVED}."


def test_hyphenated_names_are_removed_whole_and_in_parts() -> None:
    patient = PatientIdentity("Karl-Johan Åkerström-Lind", "personnummer", "194512122385")
    text = "Karl-Johan Åkerström-Lind, kallas Johan. Fru Lind."
    assert _scrubbed(text, patient) == f"{REMOVED}, kallas {REMOVED}. Fru {REMOVED}."


def test_a_name_that_is_an_ordinary_word_is_removed_when_it_is_the_patients() -> None:
    # Safer to lose a word of the history than to fax the surname.
    patient = PatientIdentity("Rosa Björk", "personnummer", "194512122385")
    assert _scrubbed("Björk utanför fönstret, rosa utslag.", patient) == (
        f"{REMOVED} utanför fönstret, {REMOVED} utslag."
    )


def test_a_single_letter_initial_is_not_removed_everywhere() -> None:
    patient = PatientIdentity("Anna M Berg", "personnummer", "194512122385")
    assert _scrubbed("Smärta i höger fot, m. tibialis.", patient) == (
        "Smärta i höger fot, m. tibialis."
    )


def test_text_without_identity_is_unchanged() -> None:
    text = "Tidigare frisk. Insjuknade i morse med yrsel."
    result = scrub(text, INGRID, TODAY)
    assert (result.text, result.removed) == (text, 0)


def test_the_reported_history_keeps_no_identity() -> None:
    text = "Ingrid Lillqvist, pnr 451212-2385, bor Storgatan 5, akut buksmärta sedan 2026-03-02."
    result = scrub(text, INGRID, TODAY)
    assert "Ingrid" not in result.text and "Lillqvist" not in result.text
    assert "2385" not in result.text
    assert "akut buksmärta sedan 2026-03-02." in result.text
    assert result.removed == 2


def test_personal_number_spans_finds_each_valid_number() -> None:
    text = "a 451212-2385 b 19770707 1234 c 770707-1235"
    spans = personal_number_spans(text, TODAY)
    assert [text[s:e] for s, e in spans] == ["451212-2385", "19770707 1234"]


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("Bor Storgatan 5 i Halmstad.", "Storgatan 5"),
        ("Adress Kvarnvägen 12B.", "Kvarnvägen 12B"),
        ("Ring dottern 070-123 45 67.", "070-123 45 67"),
        ("Tel 0701234567 till maken.", "0701234567"),
        ("Nås på +46 70 123 45 67.", "+46 70 123 45 67"),
        ("Mejla anna.berg@exempel.se.", "anna.berg@exempel.se"),
    ],
)
def test_text_that_looks_identifying_is_pointed_out(text: str, hint: str) -> None:
    assert hint in identifying_hints(text)


@pytest.mark.parametrize(
    "text",
    [
        "Röntgen 2026-12-05 12:30 visade infiltrat, DLP 1200 mGy·cm.",
        "Fri luftväg, bor ensam i lägenhet, eGFR 72 (2026-01-14).",
        f"Pnr {REMOVED} enligt armbandet.",
    ],
)
def test_ordinary_clinical_text_is_not_pointed_out(text: str) -> None:
    assert identifying_hints(text) == ()
