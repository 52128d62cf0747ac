"""Codes, exam names and rooms that differ only in case, spacing or a look-alike letter."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import Site
from webapp.siteconfig import SiteConfigError, parse_site_config

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
CT_LE = 'code = "CT-LE"\nname = "DT lungartärer (lungemboli)"\nmodality = "CT"\n'
US = '[[modalities]]\ncode = "US"\nname = "Ultraljud"\nrooms = ["UL 1", "UL 2"]\n'
AKUT = '[[priorities]]\ncode = "akut"\nlabel = "Akut"\nrank = 1\n'


def _with_exam(code: str, name: str, modality: str = "CT", flags: str = "") -> str:
    block = f'[[exams]]\ncode = "{code}"\nname = "{name}"\nmodality = "{modality}"\n{flags}\n'
    return EXAMPLE.replace("[[exams]]\n" + CT_LE, block + "[[exams]]\n" + CT_LE, 1)


def _with_modality(code: str) -> str:
    return EXAMPLE.replace(US, US + f'\n[[modalities]]\ncode = "{code}"\nname = "Annan"\n', 1)


def _refused(text: str, message: str) -> None:
    with pytest.raises(SiteConfigError) as raised:
        parse_site_config(text)
    assert message in str(raised.value), raised.value
    # Stored before the rule, it still loads (the laptop starts) and the admin is told.
    broken = parse_site_config(text, strict=False).broken_rules
    assert any(message in r.text() for r in broken), broken


@pytest.mark.parametrize(
    "name",
    ["DT lungartärer (lungemboli)", "dt lungartärer (lungemboli)", "DT  lungartärer (lungemboli) "],
)
def test_two_exams_of_one_modality_named_alike_are_refused(name: str) -> None:
    # The picker lists both as "DT lungartärer (lungemboli) (CT)": the one without contrast
    # could be picked for the other, and its contrast questions would not be asked.
    assert EXAMPLE.count(CT_LE) == 1
    _refused(
        _with_exam("CT-LE2", name),
        "Undersökningarna CT-LE och CT-LE2 (CT) heter likadant",
    )


def test_an_exam_named_as_one_of_another_modality_is_taken() -> None:
    config = parse_site_config(_with_exam("MR-LE", "DT lungartärer (lungemboli)", "MR"))
    assert config.exam("MR-LE") is not None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_with_modality("us"), "Modaliteten us och US skiljer sig bara"),
        (_with_modality("US "), "Modaliteten US  och US skiljer sig bara"),
        (_with_exam("ct-le", "DT annat"), "Undersökningen CT-LE och ct-le skiljer sig bara"),
        (
            EXAMPLE.replace(AKUT, AKUT + '\n[[priorities]]\ncode = "AKUT"\nlabel = "Akut 2"\n', 1),
            "Prioriteten AKUT och akut skiljer sig bara",
        ),
    ],
)
def test_codes_differing_only_in_case_or_spacing_are_refused(text: str, message: str) -> None:
    _refused(text, message)


def test_a_code_with_a_look_alike_letter_is_refused() -> None:
    # A Cyrillic С shows as the Latin C: two modalities the radiographer cannot tell apart,
    # and a code RIS never has.
    _refused(_with_modality("\u0421T"), "Modaliteten \u0421T har tecknet ”\u0421”")


@pytest.mark.parametrize(
    ("rooms", "message"),
    [
        ('["DT 1", "dt 1 "]', 'modalitet "CT": rummet dt 1  och DT 1 skiljer sig bara'),
        ('["DT 1", "DT 1"]', 'modalitet "CT": rummet DT 1 står två gånger'),
        ('["DT 1", " "]', 'modalitet "CT": ett rum saknar namn'),
    ],
)
def test_rooms_alike_or_blank_are_refused(rooms: str, message: str) -> None:
    _refused(EXAMPLE.replace('rooms = ["DT 1", "DT 2"]', f"rooms = {rooms}", 1), message)


def test_site_page_refuses_alike_exam_names_beside_the_field_keeping_the_text(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    typed = _with_exam("CT-LE2", "dt lungartärer (lungemboli)")
    response = client.post("/admin/site", data={"config_toml": typed})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    errors = re.findall(r'class="error"[^>]*>(.*?)</p>', page, re.S)
    assert any("CT-LE och CT-LE2 (CT) heter likadant" in e for e in errors), errors
    assert 'code = "CT-LE2"' in page
    with app.app_context():
        assert db.session.get(Site, 1).config_toml == EXAMPLE


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # Both drawn as "Magnetkamera" in the select: the one without MR safety questions
        # could be picked for the MR camera.
        (
            EXAMPLE.replace(US, US + '\n[[modalities]]\ncode = "MR2"\nname = "magnetkamera "\n', 1),
            "Modaliteterna MR2 och MR heter likadant",
        ),
        # Both drawn as "Akut" among the radio buttons, with different waits before overdue.
        (
            EXAMPLE.replace(AKUT, AKUT + '\n[[priorities]]\ncode = "akut2"\nlabel = "AKUT"\n', 1),
            "Prioriteterna akut2 och akut heter likadant",
        ),
    ],
)
def test_modalities_or_priorities_named_alike_are_refused(text: str, message: str) -> None:
    _refused(text, message)
