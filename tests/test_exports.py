"""The batch exports as CSV and JSON, written from plain CaseExport data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from webapp.catchup.batch import (
    CaseExport,
    DispatchData,
)
from webapp.catchup.export_csv import to_csv
from webapp.catchup.export_json import to_json

from .export_cases import (
    GENERATED,
    INCIDENT,
    all_cases,
    case,
    exam,
    formula_case,
    patient,
    referral,
    report,
)

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "docs" / "batch-schema.json"


# --- CSV -----------------------------------------------------------------------------------


def parse_csv(data: bytes) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len(set(header)) == len(header)
    return [dict(zip(header, row, strict=True)) for row in body]


def test_csv_is_excel_friendly_and_round_trips() -> None:
    data = to_csv(all_cases())
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    header = text.split("\r\n")[0]
    assert header.startswith("ärendekod;status;patient namn;")
    assert ";avstämd;övning;kontrast planerad;" in header
    # The waiver's confirmation (four eyes) came after the safety answers, then the
    # radiologist's instruction, then infection and mobility, then the contrast's batch and the
    # weight, then where the report's images were read and their second look, then an
    # unidentified patient's approximate age and the exam's notes: none moved.
    assert ";implantat;vilket implantat;undantag väntar på bekräftelse;" in header
    assert header.endswith(
        ";undantag bekräftat av;undantag bekräftat tid"
        ";radiologens instruktion;instruktion skriven av;instruktion skriven"
        ";smitta/isolering;vilken smitta;förflyttning"
        ";batchnummer kontrastmedel;patientens vikt (kg)"
        ";granskad på;eftergranskad i PACS;eftergranskad av;eftergranskning resultat"
        ";ungefärlig ålder (år);anteckningar undersökning"
        ";remissanteckningar utlämnande"
    )
    rows = parse_csv(data)
    assert [r["ärendekod"] for r in rows] == ["AB12CD", "EF34GH", "JK56LM", "NP78QR"]
    first, second, reserve = rows[0], rows[1], rows[2]
    assert first["patient namn"] == "Åsa Öberg-Ärlig"
    assert second["patient namn"] == "Örjan Ängström"
    assert first["personnummer/reservnummer"] == "19121212-1212"
    assert first["id-typ"] == "personnummer"
    assert second["id-typ"] == "samordningsnummer"
    assert reserve["personnummer/reservnummer"] == "RES-2025 0042"
    assert reserve["id-typ"] == "reservnummer"
    assert first["kön"] == "Kvinna" and reserve["kön"] == "Okänt"
    assert first["remittent"] == "Dr Björk, Akutmottagningen"
    assert first["prioritet"] == "Akut"
    assert first["modalitets-ID"] == "RES0001"
    assert first["bilder till PACS"] == "ja" and second["bilder till PACS"] == "misslyckades"
    # Times are local (Stockholm, UTC+1 in March) for the people reading them.
    assert first["mottagen"] == "2025-03-01 23:10"
    assert first["utlåtande text"] == (
        "Fynd: Ingen blödning.\nInga frakturer.\n"
        "Bedömning: Ingen akut intrakraniell patologi.\n"
        "Tillägg (Rut Radiolog): Jämfört med äldre."
    )
    assert first["signerad av"] == "Rut Radiolog"
    assert first["RIS accession"] == "ACC123"
    assert first["bokad i RIS"] == "ja" and first["bokad i RIS av"] == "Selma Sekreterare"
    assert first["klarmarkerad i RIS"] == "" and first["klarmarkerad i RIS tid"] == ""
    assert reserve["undersökning start"] == "" and reserve["utlåtande status"] == ""


def test_csv_carries_what_ris_is_keyed_from_beyond_the_dose() -> None:
    contrast = exam(contrast_agent="Omnipaque 350", contrast_volume_ml=80.5, contrast_route="iv")
    row = parse_csv(to_csv([case(exam=contrast)]))[0]
    assert row["anamnes"] == "Waran."
    assert row["remittent telefon"] == "0999-200 00"
    assert row["rum"] == "DT 1" and row["utförd av"] == "Sara Sjuksköterska"
    assert row["kontrastmedel"] == "Omnipaque 350, intravenöst" and row["kontrast (ml)"] == "80,5"
    assert row["komplikationer"] == ""
    # Each signature with its local time, then each addendum's: RIS records when, not just who.
    assert row["signaturer"] == (
        "preliminärt Rut Radiolog 2025-03-02 00:00\n"
        "definitivt Rut Radiolog 2025-03-02 02:00\n"
        "tillägg Rut Radiolog 2025-03-02 03:00"
    )


def test_csv_lists_each_fax_of_the_report_to_the_referrer() -> None:
    faxed = report(
        dispatches=[
            DispatchData(
                "0999-123 46", "2025-03-01T23:20:00+00:00", "Selma Sekreterare", "preliminary"
            ),
            DispatchData("0999-123 46", "2025-03-02T01:15:00+00:00", "Rut Radiolog", "definitive"),
        ]
    )
    rows = parse_csv(to_csv([case(report=faxed), case(report=report())]))
    assert rows[0]["faxat till remittent"] == (
        "0999-123 46 2025-03-02 00:20 Selma Sekreterare (preliminärt)\n"
        "0999-123 46 2025-03-02 02:15 Rut Radiolog (definitivt)"
    )
    assert rows[1]["faxat till remittent"] == ""


def test_csv_decimal_comma() -> None:
    rows = parse_csv(to_csv(all_cases()))
    assert rows[0]["DLP (mGy·cm)"] == "812,5"
    assert rows[0]["CTDIvol (mGy)"] == "48,25"
    assert rows[0]["DAP (Gy·cm²)"] == ""
    assert rows[1]["DAP (Gy·cm²)"] == "0,125"
    big = case(exam=exam(dose={"dlp_mgycm": 1e20, "fluoro_seconds": 30.0}))
    row = parse_csv(to_csv([big]))[0]
    assert row["DLP (mGy·cm)"] == "100000000000000000000"
    assert row["genomlysningstid (s)"] == "30"


def test_csv_neutralises_formulas() -> None:
    row = parse_csv(to_csv([formula_case()]))[0]
    assert row["patient namn"] == '\'=HYPERLINK("http://evil")'
    assert row["frågeställning"] == "'+SUM(A1:A9)"
    assert row["svarsfax"] == "'-1+1"
    for value in row.values():
        assert not value.startswith(("=", "+", "@")) or value[1:].replace(",", "").isdigit()


def test_csv_empty_batch_has_header_only() -> None:
    text = to_csv([]).decode("utf-8-sig")
    assert text.count("\r\n") == 1


# --- JSON ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def export_json(cases: list[CaseExport], since: str | None = None) -> str:
    return to_json(cases, incident=INCIDENT, generated_at=GENERATED, since=since)


def test_json_validates_against_schema(validator: jsonschema.Draft202012Validator) -> None:
    text = export_json(all_cases(), since="2025-03-02T00:00:00+00:00")
    assert "Åsa Öberg-Ärlig" in text  # ensure_ascii=False
    document = json.loads(text)
    validator.validate(document)
    assert document["schema"] == "reservrutin-batch/1"
    assert list(document) == ["schema", "incident", "generated_at", "since", "cases"]
    assert document["cases"][0]["report"]["addenda"][0]["text"] == "Jämfört med äldre."
    assert document["cases"][2]["exam"] is None
    assert export_json(all_cases(), since="2025-03-02T00:00:00+00:00") == text


def test_schema_documents_every_property() -> None:
    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                assert "description" in sub, f"{path}.{name} has no description"
            for key, sub in node.items():
                walk(sub, f"{path}.{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{path}[{i}]")

    walk(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")), "$")


@pytest.mark.parametrize(
    "path",
    [
        ("schema",),
        ("cases", 0, "patient"),
        ("cases", 0, "patient", "id_kind"),
        ("cases", 1, "report", "fhir_status"),
        ("cases", 0, "exam", "started_at"),
        ("cases", 0, "steps", 0, "done"),
    ],
)
def test_json_missing_required_key_fails(
    validator: jsonschema.Draft202012Validator, path: tuple[Any, ...]
) -> None:
    document = json.loads(export_json(all_cases()))
    node = document
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)


def test_json_wrong_values_fail(validator: jsonschema.Draft202012Validator) -> None:
    document = json.loads(export_json(all_cases()))
    document["cases"][0]["patient"]["id_kind"] = "passport"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)
    document = json.loads(export_json(all_cases()))
    document["cases"][0]["unexpected"] = 1
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)


def test_csv_says_why_a_case_was_cancelled() -> None:
    cancelled = case(status="cancelled", cancelled_reason="Dubblett av EF34GH")
    row = parse_csv(to_csv([cancelled]))[0]
    assert row["status"] == "Makulerad"
    assert row["makulerad orsak"] == "Dubblett av EF34GH"


def test_csv_numbers_excel_would_alter_stay_text() -> None:
    # Excel reads these as numbers: the leading 0, the + and the digits past 15 would be lost.
    awkward = case(
        referral=referral(reply_fax="0311234567", referrer_phone="+46311234500"),
        patient=patient(id_kind="reserve", id_value="0042", sex="", birth_date=None),
        ris_accession="000123",
        ris_exam_number="12345678901234567",
    )
    row = parse_csv(to_csv([awkward]))[0]
    assert row["svarsfax"] == "'0311234567"
    assert row["remittent telefon"] == "'+46311234500"
    assert row["personnummer/reservnummer"] == "'0042"
    assert row["RIS accession"] == "'000123"
    assert row["RIS undersökningsnummer"] == "'12345678901234567"
    # Real numbers stay numbers, with their decimal comma.
    assert row["DLP (mGy·cm)"] == "812,5" and row["CTDIvol (mGy)"] == "48,25"
    assert row["kontrast (ml)"] == ""


def test_csv_says_which_of_the_hour_the_clocks_go_back_a_time_is() -> None:
    # 25 Oct 2026, 03:00 summer time becomes 02:00 winter time: 02:30 comes twice.
    first = case(
        code="SUMMER",
        exam=exam(started_at="2026-10-25T00:30:00+00:00", ended_at="2026-10-25T01:05:00+00:00"),
    )
    second = case(
        code="WINTER",
        exam=exam(started_at="2026-10-25T01:30:00+00:00", ended_at="2026-10-25T02:10:00+00:00"),
    )
    rows = parse_csv(to_csv([first, second]))
    assert rows[0]["undersökning start"] == "2026-10-25 02:30 (UTC+2)"
    assert rows[0]["undersökning slut"] == "2026-10-25 02:05 (UTC+1)"
    assert rows[1]["undersökning start"] == "2026-10-25 02:30 (UTC+1)"
    # Any other hour as the clock showed it, unmarked.
    assert rows[1]["undersökning slut"] == "2026-10-25 03:10"


def test_csv_numbers_excel_would_read_as_exponents_stay_text() -> None:
    # Excel reads digits around an E as a number in scientific notation in any locale: reserve
    # number 12E4 would show as 1,20E+05, and saved back it would be 120000.
    awkward = case(
        patient=patient(id_kind="reserve", id_value="12E4", sex="", birth_date=None),
        ris_accession="2026E15",
        ris_exam_number="7E-3",
    )
    row = parse_csv(to_csv([awkward]))[0]
    assert row["personnummer/reservnummer"] == "'12E4"
    assert row["RIS accession"] == "'2026E15"
    assert row["RIS undersökningsnummer"] == "'7E-3"
