"""Tests for webapp.identity."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.identity import (
    IdentityError,
    PersonalNumber,
    age_on,
    luhn_check_digit,
    normalize_reserve_number,
    parse_personal_number,
)

TODAY = date(2025, 6, 15)

MSG_FORMAT = "Ange 10 eller 12 siffror (ÅÅMMDD-NNNN eller ÅÅÅÅMMDDNNNN)."
MSG_CHECK = "Kontrollsiffran stämmer inte – kontrollera numret."
MSG_DATE = "Datumet finns inte."


def reference_luhn_valid(ten_digits: str) -> bool:
    """Independent textbook Luhn validation (double every second digit from the right)."""
    total = 0
    for position, ch in enumerate(reversed(ten_digits)):
        digit = int(ch)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def with_check(nine: str) -> str:
    """Append the Luhn check digit to nine digits."""
    return nine + str(luhn_check_digit(nine))


def twelve(birth: date, serial3: str, samordning: bool = False) -> str:
    """Build a valid 12-digit number for a birth date and three-digit serial."""
    day = birth.day + (60 if samordning else 0)
    ten = with_check(f"{birth:%y%m}{day:02d}{serial3}")
    return f"{birth.year:04d}{ten[2:]}"


def parse(text: str) -> PersonalNumber:
    return parse_personal_number(text, today=TODAY)


def error_of(text: str) -> str:
    with pytest.raises(IdentityError) as info:
        parse(text)
    return str(info.value)


# --- Luhn -------------------------------------------------------------------------------------


@pytest.mark.parametrize("ten", ["1212121212", "8112289874", "7010632391", "4607137454"])
def test_known_valid_numbers_pass_reference_luhn(ten: str) -> None:
    assert reference_luhn_valid(ten)
    assert luhn_check_digit(ten[:9]) == int(ten[9])


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_luhn_matches_reference(nine: str) -> None:
    check = luhn_check_digit(nine)
    assert 0 <= check <= 9
    assert reference_luhn_valid(nine + str(check))
    for wrong in set(range(10)) - {check}:
        assert not reference_luhn_valid(nine + str(wrong))


@pytest.mark.parametrize("bad", ["", "12345678", "1234567890", "12345678a", "١٢٣٤٥٦٧٨٩"])
def test_luhn_rejects_bad_input(bad: str) -> None:
    with pytest.raises(ValueError):
        luhn_check_digit(bad)


# --- valid numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "191212121212",
        "19121212-1212",
        "121212+1212",
        "  121212+1212 \n",
        "\t19121212-1212  ",
        "19121212 1212",
        "121212 +1212",
        "1912 1212 1212",
    ],
)
def test_tolvan_forms(text: str) -> None:
    pn = parse(text)
    assert pn == PersonalNumber(
        normalized="191212121212",
        kind="personnummer",
        birth_date=date(1912, 12, 12),
        sex="M",
        display="19121212-1212",
    )


@pytest.mark.parametrize(
    "text",
    ["201212121212", "20121212-1212", "1212121212", "121212-1212", "121212 1212", "121212-12 12"],
)
def test_recent_century(text: str) -> None:
    pn = parse(text)
    assert pn.normalized == "201212121212"
    assert pn.birth_date == date(2012, 12, 12)
    assert pn.display == "20121212-1212"


def test_well_known_example_male() -> None:
    pn = parse("811228-9874")
    assert pn.normalized == "198112289874"
    assert pn.birth_date == date(1981, 12, 28)
    assert pn.sex == "M"
    assert pn.kind == "personnummer"


def test_female_from_even_second_last_digit() -> None:
    number = twelve(date(1990, 5, 17), "382")
    pn = parse(number)
    assert pn.sex == "F"
    assert pn.display == f"{number[:8]}-{number[8:]}"


def test_samordningsnummer() -> None:
    pn = parse("701063-2391")
    assert pn.kind == "samordningsnummer"
    assert pn.birth_date == date(1970, 10, 3)
    assert pn.normalized == "197010632391"
    assert pn.display == "19701063-2391"
    assert pn.sex == "M"


def test_samordningsnummer_twelve_digits_day_31() -> None:
    number = twelve(date(1985, 1, 31), "244", samordning=True)
    assert number[6:8] == "91"
    pn = parse(number)
    assert pn.kind == "samordningsnummer"
    assert pn.birth_date == date(1985, 1, 31)
    assert pn.sex == "F"


def test_twelve_digits_keep_their_century_whatever_today_is() -> None:
    for today in (date(1912, 12, 12), date(2099, 12, 31)):
        assert parse_personal_number("19121212-1212", today).birth_date == date(1912, 12, 12)


# --- century resolution -------------------------------------------------------------------------


def test_ten_digit_born_today_is_newborn() -> None:
    ten = with_check("250615123")
    assert parse(ten).birth_date == date(2025, 6, 15)
    # With "+" the same digits mean a person turning 100 today.
    assert parse(f"{ten[:6]}+{ten[6:]}").birth_date == date(1925, 6, 15)


def test_ten_digit_birthday_tomorrow_is_previous_century() -> None:
    ten = with_check("250616123")
    assert parse(ten).birth_date == date(1925, 6, 16)
    assert age_on(date(1925, 6, 16), TODAY) == 99


def test_plus_applies_from_the_year_the_person_turns_100() -> None:
    # Folkbokföring writes "+" from 1 January of the year of the 100th birthday, so in June
    # 2025 someone born in December 1925 already has "+" on their ID card (not born 1825).
    ten = with_check("251224123")
    assert parse(f"{ten[:6]}+{ten[6:]}").birth_date == date(1925, 12, 24)
    tomorrow = with_check("250616123")
    assert parse(f"{tomorrow[:6]}+{tomorrow[6:]}").birth_date == date(1925, 6, 16)


def test_plus_on_new_years_eve_of_the_100th_year() -> None:
    ten = with_check("251231123")
    pn = parse_personal_number(f"{ten[:6]}+{ten[6:]}", today=date(2025, 1, 1))
    assert pn.birth_date == date(1925, 12, 31)


def test_ten_digit_century_at_year_boundary() -> None:
    ten = with_check("991231123")
    new_years_day = date(2000, 1, 1)
    assert parse_personal_number(ten, today=new_years_day).birth_date == date(1999, 12, 31)
    assert parse_personal_number(ten, today=date(2099, 12, 31)).birth_date == date(2099, 12, 31)


@given(
    birth=st.dates(min_value=TODAY - timedelta(days=199 * 365), max_value=TODAY),
    serial=st.text(alphabet="0123456789", min_size=3, max_size=3),
    samordning=st.booleans(),
)
def test_round_trip_twelve_and_ten_digit_forms(birth: date, serial: str, samordning: bool) -> None:
    number = twelve(birth, serial, samordning)
    pn = parse(number)
    assert pn.birth_date == birth
    assert pn.normalized == number
    assert pn.kind == ("samordningsnummer" if samordning else "personnummer")
    assert pn.sex == ("M" if int(serial[2]) % 2 else "F")
    separator = "+" if TODAY.year - birth.year >= 100 else "-"
    assert parse(f"{number[2:8]}{separator}{number[8:]}") == pn
    if separator == "-":
        assert parse(number[2:]) == pn


# --- leap years ---------------------------------------------------------------------------------


def test_feb_29_in_leap_years() -> None:
    assert parse(twelve(date(2000, 2, 29), "123")).birth_date == date(2000, 2, 29)
    ten = with_check("040229123")
    assert parse(f"{ten[:6]}+{ten[6:]}").birth_date == date(1904, 2, 29)
    assert parse(ten).birth_date == date(2004, 2, 29)


@pytest.mark.parametrize("nine", ["000229123", "230229123", "010229123"])
def test_feb_29_in_non_leap_years_is_rejected(nine: str) -> None:
    ten = with_check(nine)
    century = "19" if nine.startswith("00") else "20"
    assert error_of(century + ten) == MSG_DATE
    if not nine.startswith("00"):
        assert error_of(ten) == MSG_DATE


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "12121212",
        "12121212121",
        "1912121212120",
        "191212-121212",
        "121212--1212",
        "121212/1212",
        "12121a-1212",
        "١٢١٢١٢-١٢١٢",
        "121212 - - 1212",
    ],
)
def test_format_errors(text: str) -> None:
    assert error_of(text) == MSG_FORMAT


def test_plus_with_twelve_digits_is_rejected() -> None:
    message = error_of("19121212+1212")
    assert "Plustecken" in message


def test_wrong_check_digit() -> None:
    assert error_of("19121212-1213") == MSG_CHECK
    assert error_of("1212121211") == MSG_CHECK


@pytest.mark.parametrize(
    "nine",
    ["801301123", "800001123", "800132123", "800100123", "800431123", "801092123", "801060123"],
)
def test_impossible_dates(nine: str) -> None:
    assert error_of("19" + with_check(nine)) == MSG_DATE


def test_future_birth_date_is_rejected() -> None:
    message = error_of(twelve(TODAY + timedelta(days=1), "123"))
    assert "framtiden" in message
    future_samordning = twelve(date(2030, 1, 1), "123", samordning=True)
    assert "framtiden" in error_of(future_samordning)


def test_error_messages_are_distinct() -> None:
    messages = {
        error_of("123"),
        error_of("19121212+1212"),
        error_of("19121212-1213"),
        error_of("19" + with_check("801301123")),
        error_of(twelve(date(2030, 1, 1), "123")),
    }
    assert len(messages) == 5


def test_identity_error_is_value_error() -> None:
    assert issubclass(IdentityError, ValueError)


@given(st.text(max_size=30))
def test_arbitrary_text_parses_or_raises_identity_error(text: str) -> None:
    try:
        pn = parse(text)
    except IdentityError:
        return
    assert len(pn.normalized) == 12
    assert pn.birth_date <= TODAY


# --- age_on -------------------------------------------------------------------------------------


def test_age_on() -> None:
    birth = date(1980, 6, 15)
    assert age_on(birth, birth) == 0
    assert age_on(birth, date(2025, 6, 14)) == 44
    assert age_on(birth, date(2025, 6, 15)) == 45
    assert age_on(birth, date(2025, 12, 31)) == 45


def test_age_on_a_day_before_the_birth_is_zero() -> None:
    # A site clock or time zone moved back after a newborn's number was stored: the case page
    # and the sheets still show the patient, aged 0.
    assert age_on(date(2025, 6, 15), date(2025, 6, 14)) == 0


def test_age_on_feb_29_birthday_counts_from_feb_28_in_common_years() -> None:
    birth = date(2000, 2, 29)
    assert age_on(birth, date(2001, 2, 27)) == 0
    assert age_on(birth, date(2001, 2, 28)) == 1
    assert age_on(birth, date(2004, 2, 28)) == 3
    assert age_on(birth, date(2004, 2, 29)) == 4


# --- reserve numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("res1234", "RES1234"),
        ("  ab-12  ", "AB-12"),
        ("RES 12 34", "RES1234"),
        ("99\t0001\n", "990001"),
        ("A" * 20, "A" * 20),
        ("1234", "1234"),
        ("20250615-R001", "20250615-R001"),
    ],
)
def test_normalize_reserve_number(text: str, expected: str) -> None:
    assert normalize_reserve_number(text) == expected


def reserve_error(text: str) -> str:
    with pytest.raises(IdentityError) as info:
        normalize_reserve_number(text)
    return str(info.value)


def test_reserve_number_errors_are_distinct() -> None:
    empty = reserve_error("   ")
    short = reserve_error("ab1")
    long = reserve_error("A" * 21)
    bad = reserve_error("RES_1234")
    dashes = reserve_error("----")
    assert len({empty, short, long, bad, dashes}) == 5
    assert "'_'" in bad
    assert "20" in long
    assert "4" in short


# "ß", "ſ", "ı" and "ﬁ" upper-case to ASCII ("SS", "S", "I", "FI"): they must be refused, not
# silently turned into another reserve number.
@pytest.mark.parametrize(
    "text", ["ÅÄÖ1234", "RES/123", "RES.123", "١٢٣٤٥", "reß123", "ſ1234", "rıs123", "ﬁ1234"]
)
def test_reserve_number_rejects_non_ascii_and_punctuation(text: str) -> None:
    with pytest.raises(IdentityError):
        normalize_reserve_number(text)
