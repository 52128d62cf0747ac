"""The PIN slips: several to an A4 page with cut lines, each with the person's login."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

import printforms as pf
from printforms.data import PinSlip, PinSlipsData

from .conftest import drawing_streams, pdf_text


def _data(count: int, **overrides: object) -> PinSlipsData:
    slips = tuple(PinSlip(f"Åsa Öberg {i}", f"asa.oberg{i}", f"{583920 + i}") for i in range(count))
    values: dict[str, object] = {
        "site": "Röntgen Testsjukhuset",
        "address": "http://192.168.1.20:8080/",
        "slips": slips,
    }
    values.update(overrides)
    return PinSlipsData(**values)  # type: ignore[arg-type]


def _pages(pdf: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_each_slip_has_the_site_address_name_username_pin_and_the_rule() -> None:
    text = " ".join(pdf_text(pf.render_pin_slips(_data(3))).split())
    for i in range(3):
        assert f"Åsa Öberg {i}" in text
        assert f"asa.oberg{i}" in text
        assert f"{583920 + i}" in text
    assert text.count("Röntgen Testsjukhuset") == 3
    assert text.count("http://192.168.1.20:8080/") == 3
    assert text.count("Byt PIN-kod vid första inloggningen") == 3


def test_eight_slips_fill_a_page_and_the_ninth_starts_the_next() -> None:
    pages = _pages(pf.render_pin_slips(_data(9)))
    assert len(pages) == 2
    assert "Åsa Öberg 7" in pages[0] and "Åsa Öberg 8" in pages[1]
    assert PdfReader(io.BytesIO(pf.render_pin_slips(_data(8)))).pages[0].mediabox.width == (
        pytest.approx(595.27, abs=0.1)
    )


def test_the_slips_are_parted_by_dashed_cut_lines() -> None:
    (stream,) = drawing_streams(pf.render_pin_slips(_data(2)))
    assert b" d" in stream  # a dash pattern is set
    assert stream.count(b" l S") + stream.count(b" l\nS") >= 3


def test_a_long_name_is_printed_whole_on_its_slip() -> None:
    name = "Anna-Karin Margareta Elisabeth Östergren-Söderström af Ekenstam"
    data = _data(0, slips=(PinSlip(name, "anna-karin.ostergren", "583920"),))
    text = " ".join(pdf_text(pf.render_pin_slips(data)).split())
    assert "Östergren-Söderström" in text and "af Ekenstam" in text


def test_no_pin_is_in_the_documents_metadata() -> None:
    reader = PdfReader(io.BytesIO(pf.render_pin_slips(_data(2))))
    assert "583920" not in repr(dict(reader.metadata or {}))


def test_nothing_to_print_is_refused() -> None:
    with pytest.raises(ValueError):
        pf.render_pin_slips(_data(0))
