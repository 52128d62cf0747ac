"""QR payloads (webapp.codes): what a case sheet's and an incident list's code carries, and
the limits on it."""

from __future__ import annotations

import pytest

from webapp.codes import (
    DOC_TYPES,
    MAX_PAYLOAD_LENGTH,
    CodeError,
    ScanResult,
    canonical_scan,
    make_case_payload,
    make_disc_label_payload,
    make_incident_payload,
    parse_scan,
)

from .codes_support import EXAMPLE, code_error

MSG_BAD_STAMP = (
    "Ärendelistans QR-kod har en felaktig driftstoppsmärkning (4 tecken efter bindestrecket). "
    "Skanna listan igen."
)
ALL_DOCS = ["REM", "DOK", "UTL", "BAK", "ARE", "AUT", "MAK", "BLR", "BLD", "BLU", "ETK"]


def test_every_document_type_of_the_sheets_is_known() -> None:
    assert sorted(DOC_TYPES) == sorted(ALL_DOCS)


@pytest.mark.parametrize("doc", ALL_DOCS)
def test_case_payload_round_trip_for_every_doc(doc: str) -> None:
    payload = make_case_payload(EXAMPLE, doc, 3)
    assert payload == f"RR1:{EXAMPLE.replace('-', '')}:{doc}:3"
    assert parse_scan(payload) == ScanResult(
        kind="case", case_code=EXAMPLE, incident_id=None, doc=doc, version=3
    )
    assert make_case_payload(EXAMPLE.lower().replace("-", ""), doc.lower(), 3) == payload


def test_incident_payload_reads_back_with_its_page_and_stamp() -> None:
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


def test_the_longest_payloads_fit_the_limit_and_longer_ones_are_refused() -> None:
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
def test_make_case_payload_refuses_a_wrong_document_version_or_code(
    args: tuple[object, ...], fragment: str
) -> None:
    assert fragment in code_error(make_case_payload, *args)


@pytest.mark.parametrize(("incident_id", "page"), [(0, 1), (1, 0), (-5, 1), (True, 1), (1, 1.0)])
def test_make_incident_payload_refuses_an_id_or_page_not_a_positive_int(
    incident_id: object, page: object
) -> None:
    with pytest.raises(CodeError):
        make_incident_payload(incident_id, page, stamp="K7Q3")  # type: ignore[arg-type]


@pytest.mark.parametrize(("record", "marker"), [("release", "U"), ("transfer", "T")])
def test_a_disc_label_payload_names_its_release_or_transfer(record: str, marker: str) -> None:
    payload = make_disc_label_payload(EXAMPLE, 3, record=record, record_id=12)
    assert payload == f"RR1:{EXAMPLE.replace('-', '')}:ETK{marker}12:3"
    result = parse_scan(payload.lower().replace(":", "Ö"))
    assert (result.kind, result.case_code, result.doc, result.version) == (
        "case",
        EXAMPLE,
        "ETK",
        3,
    )
    assert (result.disc_record, result.disc_record_id) == (record, 12)
    assert canonical_scan(result) == payload


def test_a_plain_disc_label_printed_before_labels_named_their_record_still_parses() -> None:
    result = parse_scan(f"RR1:{EXAMPLE.replace('-', '')}:ETK:2")
    assert result == ScanResult(
        kind="case", case_code=EXAMPLE, incident_id=None, doc="ETK", version=2
    )
    assert result.disc_record is None and result.disc_record_id is None


def test_a_disc_label_payload_fits_with_a_five_digit_record_and_a_long_version() -> None:
    # 21 fixed characters with a 5-digit record number leave 11 digits for the version.
    payload = make_disc_label_payload(EXAMPLE, 10**11 - 1, record="release", record_id=99999)
    assert len(payload) == MAX_PAYLOAD_LENGTH
    assert parse_scan(payload).disc_record_id == 99999


@pytest.mark.parametrize(
    "doc", ["ETKX12", "ETKU", "ETKU0", "ETKU012", "ETKU1A", "ETKT-1", "ETKUT1"]
)
def test_a_disc_label_with_a_malformed_record_is_refused(doc: str) -> None:
    with pytest.raises(CodeError):
        parse_scan(f"RR1:{EXAMPLE.replace('-', '')}:{doc}:1")


def test_a_disc_labels_line_under_the_qr_typed_by_hand_names_the_case_and_record() -> None:
    result = parse_scan(f"{EXAMPLE.lower()} u12")
    assert (result.case_code, result.doc, result.version) == (EXAMPLE, None, None)
    assert (result.disc_record, result.disc_record_id) == ("release", 12)
