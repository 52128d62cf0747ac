"""Tests for webapp.codes."""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.codes import (
    ALPHABET,
    DOC_TYPES,
    MAX_PAYLOAD_LENGTH,
    CodeError,
    ScanResult,
    canonical_scan,
    check_character,
    generate_case_code,
    make_case_payload,
    make_incident_payload,
    parse_case_code,
    parse_scan,
)

MSG_LENGTH = "Ärendekoden ska ha 6 tecken, t.ex. K7M-2Q2."
MSG_CHECK = "Kontrolltecknet stämmer inte – koden är felskriven. Kontrollera koden på papperet."
MSG_BAD_STAMP = (
    "Ärendelistans QR-kod har en felaktig driftstoppsmärkning (4 tecken efter bindestrecket). "
    "Skanna listan igen."
)
ALL_DOCS = ["REM", "DOK", "UTL", "BAK", "ARE", "AUT", "BLR", "BLD", "BLU"]


def code_with_check(body: str) -> str:
    """Return the display form for a five-character body."""
    full = body + check_character(body)
    return f"{full[:3]}-{full[3:]}"


EXAMPLE = code_with_check("K7M2Q")


def code_error(func: Callable[..., object], *args: object) -> str:
    with pytest.raises(CodeError) as info:
        func(*args)
    return str(info.value)


# --- alphabet and check character --------------------------------------------------------------


def test_alphabet() -> None:
    assert len(ALPHABET) == 31
    assert len(set(ALPHABET)) == 31
    assert not set(ALPHABET) & set("0O1IL")
    assert ALPHABET.upper() == ALPHABET


def test_every_single_error_and_transposition_is_detected() -> None:
    rng = random.Random(20250615)
    codes = [parse_case_code(generate_case_code(rng)).replace("-", "") for _ in range(400)]
    for code in codes:
        for position in range(6):
            for replacement in ALPHABET:
                if replacement == code[position]:
                    continue
                mutated = code[:position] + replacement + code[position + 1 :]
                assert check_character(mutated[:5]) != mutated[5], (code, mutated)
        # Adjacent swaps are required; the distinct weights also catch any other swap.
        for i in range(6):
            for j in range(i + 1, 6):
                if code[i] == code[j]:
                    continue
                swapped = list(code)
                swapped[i], swapped[j] = swapped[j], swapped[i]
                mutated = "".join(swapped)
                assert check_character(mutated[:5]) != mutated[5], (code, mutated)
                with pytest.raises(CodeError):
                    parse_case_code(mutated)


def test_check_character_rejects_bad_body() -> None:
    with pytest.raises(CodeError):
        check_character("ABCD")
    with pytest.raises(CodeError):
        check_character("ABCDO")


# --- generation ---------------------------------------------------------------------------------


def test_generated_codes_parse_back_and_use_only_the_alphabet() -> None:
    rng = random.Random(1)
    allowed = set(ALPHABET) | {"-"}
    for _ in range(10_000):
        code = generate_case_code(rng)
        assert len(code) == 7
        assert code[3] == "-"
        assert set(code) <= allowed
        assert parse_case_code(code) == code


def test_generate_with_default_and_system_random() -> None:
    for rng in (None, secrets.SystemRandom()):
        code = generate_case_code(rng)
        assert parse_case_code(code) == code


def test_generation_is_reproducible_with_seeded_rng() -> None:
    assert generate_case_code(random.Random(7)) == generate_case_code(random.Random(7))


# --- parsing human input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        EXAMPLE,
        EXAMPLE.lower(),
        EXAMPLE.replace("-", ""),
        EXAMPLE.replace("-", " "),
        f"  {EXAMPLE.lower()}  \r\n",
        " ".join(EXAMPLE.replace("-", "")),
        EXAMPLE.replace("-", "–"),
        f"{EXAMPLE[:2]}-{EXAMPLE[2:]}",
    ],
)
def test_parse_tolerates_case_spaces_and_dashes(variant: str) -> None:
    assert parse_case_code(variant) == EXAMPLE


@pytest.mark.parametrize("text", ["", "K7M", "K7M-2Q", "K7M-2QXX", "K7M-2QX-7", "-------"])
def test_wrong_length(text: str) -> None:
    assert code_error(parse_case_code, text) == MSG_LENGTH


@pytest.mark.parametrize(
    ("char", "shown"),
    [
        ("O", "O"),
        ("o", "O"),
        ("0", "0"),
        ("1", "1"),
        ("I", "I"),
        ("i", "I"),
        ("L", "L"),
        ("l", "L"),
    ],
)
def test_look_alike_characters_are_refused_not_guessed(char: str, shown: str) -> None:
    message = code_error(parse_case_code, "K7M-2Q" + char)
    assert message == (
        f"Tecknet '{shown}' finns inte i ärendekoder (koderna använder inte 0, O, 1, I eller L)."
    )


@pytest.mark.parametrize("char", ["#", "Å", "ß", "٣"])
def test_other_invalid_characters(char: str) -> None:
    message = code_error(parse_case_code, "K7M2Q" + char)
    assert message == f"Tecknet '{char}' finns inte i ärendekoder."


def test_wrong_check_character() -> None:
    body = EXAMPLE.replace("-", "")[:5]
    wrong = next(ch for ch in ALPHABET if ch != check_character(body))
    assert code_error(parse_case_code, body + wrong) == MSG_CHECK


def test_the_example_code_in_the_length_message_passes_its_own_check() -> None:
    from webapp.codes import MSG_LENGTH as shown  # the message staff read, not this file's copy

    [example] = re.findall(r"\b[0-9A-Z]{3}-[0-9A-Z]{3}\b", shown)
    assert parse_case_code(example) == example


def test_code_error_is_value_error() -> None:
    assert issubclass(CodeError, ValueError)


# --- payloads -----------------------------------------------------------------------------------


def test_doc_types() -> None:
    assert sorted(DOC_TYPES) == sorted(ALL_DOCS)


@pytest.mark.parametrize("doc", ALL_DOCS)
def test_case_payload_round_trip_for_every_doc(doc: str) -> None:
    payload = make_case_payload(EXAMPLE, doc, 3)
    assert payload == f"RR1:{EXAMPLE.replace('-', '')}:{doc}:3"
    assert parse_scan(payload) == ScanResult(
        kind="case", case_code=EXAMPLE, incident_id=None, doc=doc, version=3
    )
    assert make_case_payload(EXAMPLE.lower().replace("-", ""), doc.lower(), 3) == payload


def test_incident_payload_round_trip() -> None:
    payload = make_incident_payload(42, 3, stamp="K7Q3")
    assert payload == "RR1:I42-K7Q3:LST:3"
    result = parse_scan(payload)
    assert result == ScanResult(
        kind="incident",
        case_code=None,
        incident_id=42,
        doc="LST",
        version=None,
        page=3,
        incident_stamp="K7Q3",
    )
    assert canonical_scan(result) == payload


def test_incident_payload_of_a_list_printed_before_stamps_still_parses() -> None:
    payload = make_incident_payload(42, 3, stamp=None)
    assert payload == "RR1:I42:LST:3"
    result = parse_scan(payload)
    assert result.kind == "incident" and result.incident_id == 42 and result.page == 3
    assert result.incident_stamp is None
    assert canonical_scan(result) == payload


@pytest.mark.parametrize(
    "text",
    [
        "RR1:I42-:LST:1",
        "RR1:I42-K7Q:LST:1",
        "RR1:I42-K7Q3X:LST:1",
        "RR1:I42-K7Q0:LST:1",
        "RR1:I42-K7QI:LST:1",
        "RR1:I42-K7-3:LST:1",
        "RR1:I42-K7Q3-:LST:1",
        "RR1:I42--K7Q3:LST:1",
        "RR1:I42-K7Qå:LST:1",
        "RR1:I42+K7Q:LST:1",
    ],
)
def test_scan_of_a_list_with_a_malformed_stamp_says_so(text: str) -> None:
    assert code_error(parse_scan, text) == MSG_BAD_STAMP


@pytest.mark.parametrize("stamp", ["", "K7Q", "K7Q3X", "k7q3", "K7Q0"])
def test_make_incident_payload_refuses_a_malformed_stamp(stamp: str) -> None:
    assert code_error(lambda: make_incident_payload(42, 1, stamp=stamp)) == MSG_BAD_STAMP


def test_scan_accepts_the_stamp_dash_as_a_swedish_layout_types_it() -> None:
    # A US-layout scanner presses the US "-" key, which the Swedish layout reads as "+".
    result = parse_scan("rr1Öi42+k7q3Ölst;1\r\n")
    assert result.incident_id == 42 and result.incident_stamp == "K7Q3"
    assert canonical_scan(result) == "RR1:I42-K7Q3:LST:1"


def test_payload_length_limit() -> None:
    longest_version = 10**17 - 1  # 15 fixed characters + 17 digits = 32
    payload = make_case_payload(EXAMPLE, "REM", longest_version)
    assert len(payload) == MAX_PAYLOAD_LENGTH
    assert parse_scan(payload).version == longest_version
    with pytest.raises(CodeError):
        make_case_payload(EXAMPLE, "REM", longest_version + 1)

    # The largest id a database holds and a stamp leave room for any page a list can have.
    largest = make_incident_payload(2**31 - 1, 10**5, stamp="K7Q3")
    assert largest == "RR1:I2147483647-K7Q3:LST:100000"
    assert len(largest) <= MAX_PAYLOAD_LENGTH
    assert len(make_incident_payload(10**10, 10**5, stamp="K7Q3")) == 32  # 16 + 5 + 11
    with pytest.raises(CodeError):
        make_incident_payload(10**10, 10**6, stamp="K7Q3")
    with pytest.raises(CodeError):
        parse_scan(f"RR1:I{10**10}-K7Q3:LST:{10**6}")
    assert len(make_incident_payload(10**10, 10**10, stamp=None)) == 32  # 10 + 11 + 11
    with pytest.raises(CodeError):
        make_incident_payload(10**11, 10**10, stamp=None)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((EXAMPLE, "XYZ", 1), "dokumenttyp"),
        ((EXAMPLE, "LST", 1), "dokumenttyp"),
        ((EXAMPLE, "REM", 0), "Versionen"),
        ((EXAMPLE, "REM", -1), "Versionen"),
        ((EXAMPLE, "REM", True), "Versionen"),
        ((EXAMPLE, "REM", "1"), "Versionen"),
        (("K7M-2QO", "REM", 1), "finns inte"),
    ],
)
def test_make_case_payload_errors(args: tuple[object, ...], fragment: str) -> None:
    assert fragment in code_error(make_case_payload, *args)


@pytest.mark.parametrize(("incident_id", "page"), [(0, 1), (1, 0), (-5, 1), (True, 1), (1, 1.0)])
def test_make_incident_payload_errors(incident_id: object, page: object) -> None:
    with pytest.raises(CodeError):
        make_incident_payload(incident_id, page, stamp="K7Q3")  # type: ignore[arg-type]


# --- scanning -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "separators",
    [(":", ":", ":"), (";", ";", ";"), ("Ö", "Ö", "Ö"), ("ö", "ö", "ö"), (":", "Ö", ";")],
)
def test_scan_accepts_keyboard_layout_damaged_separators(separators: tuple[str, str, str]) -> None:
    a, b, c = separators
    compact = EXAMPLE.replace("-", "")
    assert parse_scan(f"RR1{a}{compact}{b}DOK{c}2").case_code == EXAMPLE
    assert parse_scan(f"RR1{a}I7{b}LST{c}1").incident_id == 7
    assert parse_scan(f"RR1{a}I7-K7Q3{b}LST{c}1").incident_stamp == "K7Q3"


@pytest.mark.parametrize("wrapper", ["{}", "{}\r\n", "{}\n", "  {}  ", "\t{}\r", "{}\r\n\r\n"])
def test_scan_tolerates_surrounding_whitespace(wrapper: str) -> None:
    payload = make_case_payload(EXAMPLE, "UTL", 12)
    assert parse_scan(wrapper.format(payload)).version == 12
    assert parse_scan(wrapper.format(payload.lower())).doc == "UTL"


@pytest.mark.parametrize(
    "text", [EXAMPLE, EXAMPLE.lower(), EXAMPLE.replace("-", ""), f" {EXAMPLE.replace('-', ' ')} "]
)
def test_scan_accepts_bare_case_code(text: str) -> None:
    assert parse_scan(text) == ScanResult(
        kind="case", case_code=EXAMPLE, incident_id=None, doc=None, version=None
    )


def test_scan_with_wrong_check_character_never_returns_another_case() -> None:
    compact = EXAMPLE.replace("-", "")
    wrong = compact[:5] + next(ch for ch in ALPHABET if ch != compact[5])
    assert code_error(parse_scan, f"RR1:{wrong}:REM:1") == MSG_CHECK
    assert code_error(parse_scan, wrong) == MSG_CHECK


@pytest.mark.parametrize(
    "text",
    [
        "",
        "RR1",
        "RR1:",
        "RR2:{c}:REM:1",
        "XX1:{c}:REM:1",
        "RR1:{c}:REM",
        "RR1:{c}:REM:1:1",
        "RR1:{c}:XYZ:1",
        "RR1:{c}:REM:0",
        "RR1:{c}:REM:-1",
        "RR1:{c}:REM:",
        "RR1:{c}:REM:1.5",
        "RR1:{c}:REM:٣",
        "RR1:{c}:REM:²",
        "RR1:{c}:REM:1_0",
        "RR1:{d}:REM:1",
        "RR1:{c} :REM:1",
        "RR1:{c}:LST:1",
        "RR1:I:LST:1",
        "RR1:I0:LST:1",
        "RR1:Ix:LST:1",
        "RR1:I5:LST:0",
        "RR1:I5:REM:1",
        "RR1:I5:LST",
        "RR1:I5-K7Q3:REM:1",
        "RR1:I-K7Q3:LST:1",
        "RR1:IK7Q3:LST:1",
        "RR1:I5–K7Q3:LST:1",
        "RR1::REM:1",
    ],
)
def test_scan_rejects_malformed_payloads(text: str) -> None:
    compact = EXAMPLE.replace("-", "")
    with pytest.raises(CodeError):
        parse_scan(text.format(c=compact, d=EXAMPLE))


@given(st.text(max_size=60))
def test_scan_of_arbitrary_text_returns_result_or_code_error(text: str) -> None:
    check_scan_contract(text)


payload_like = st.lists(
    st.one_of(
        st.sampled_from(
            ["RR1", "I", "LST", "REM", "BLU", "0", "12", EXAMPLE, ":", ";", "Ö", "ö", "-", "+"]
        ),
        st.text(alphabet=ALPHABET + "0123456789:;Öö-+ IL", max_size=8),
    ),
    max_size=8,
).map("".join)


@given(payload_like)
def test_scan_of_payload_like_text_returns_result_or_code_error(text: str) -> None:
    check_scan_contract(text)


def check_scan_contract(text: str) -> None:
    try:
        result = parse_scan(text)
    except CodeError:
        return
    if result.kind == "case":
        assert result.case_code is not None
        assert parse_case_code(result.case_code) == result.case_code
        assert result.incident_id is None
        if result.doc is not None:
            assert result.doc in DOC_TYPES
            assert result.version is not None and result.version >= 1
    else:
        assert result.kind == "incident"
        assert result.incident_id is not None and result.incident_id >= 1
        assert result.page is not None and result.page >= 1
        assert result.case_code is None
        stamp = result.incident_stamp
        assert stamp is None or (len(stamp) == 4 and set(stamp) <= set(ALPHABET))
    # However it was read, the sheet's one spelling reads back as the same sheet.
    assert parse_scan(canonical_scan(result)) == result


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("RR1:K7M2Q2:REM:1", "RR1:K7M2Q2:REM:1"),
        (" rr1Ök7m2q2Örem;01\r\n", "RR1:K7M2Q2:REM:1"),
        ("k7m 2q2", "K7M-2Q2"),
        ("K7M2Q2", "K7M-2Q2"),
        ("rr1;i42;lst;3", "RR1:I42:LST:3"),
        ("rr1Öi042+k7q3Ölst;03", "RR1:I42-K7Q3:LST:3"),
    ],
)
def test_canonical_scan_spells_each_sheet_one_way(text: str, canonical: str) -> None:
    assert canonical_scan(parse_scan(text)) == canonical
