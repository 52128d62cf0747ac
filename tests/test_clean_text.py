"""Text as it pastes in from other systems: what stands for a space stays one, the rest goes."""

from __future__ import annotations

import unicodedata

import pytest
from flask.testing import FlaskClient

from webapp.cases.fields import clean_text
from webapp.extensions import db
from webapp.models import Case

from .factories import referral_data


@pytest.mark.parametrize(
    ("pasted", "kept"),
    [
        ("Metformin 500\u00a0mg", "Metformin 500 mg"),  # no-break space
        ("Dr\u202fStröm", "Dr Ström"),  # narrow no-break space
        ("10\u2009mg", "10 mg"),  # thin space
        ("rad ett\u2028rad två", "rad ett\nrad två"),  # line separator
        ("stycke ett\u2029stycke två", "stycke ett\nstycke två"),  # paragraph separator
        ("gammalt\rsystem", "gammalt\nsystem"),  # a lone CR
        ("Windows\r\nrader", "Windows\nrader"),
        ("nol\x00byte", "nolbyte"),
        ("mjuk\u00adbindestreck", "mjukbindestreck"),  # soft hyphen: no meaning in a record
        ("noll\u200bbredd", "nollbredd"),  # zero-width space
        ("\u00a0 Anna \u00a0", "Anna"),
    ],
)
def test_pasted_spaces_and_breaks_are_kept_as_what_they_stand_for(pasted: str, kept: str) -> None:
    assert clean_text(pasted) == kept


def test_an_emoji_sequence_keeps_its_joiner() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean_text(family) == family


def test_a_name_with_a_separate_accent_is_stored_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "Öberg Åsa")
    assert decomposed != "Öberg Åsa"
    assert clean_text(decomposed) == "Öberg Åsa"


def test_a_referral_pasted_with_no_break_spaces_is_saved_with_spaces(
    app, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    data = referral_data(
        patient_name=unicodedata.normalize("NFD", "Öberg,\u00a0Åsa"),
        history="Metformin 500\u00a0mg\u2028eGFR 72",
    )
    location = client.post("/cases/new", data=data).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case is not None
        assert case.patient_name == "Öberg, Åsa"
        assert case.referral.history == "Metformin 500 mg\neGFR 72"
    board = client.get("/board/").get_data(as_text=True)
    assert "Ö. Å." in board  # the initial is the letter, not an O with its accent apart


@pytest.mark.parametrize(
    "pasted",
    [
        "\u200d",  # zero-width joiner
        " \u200d \u200d ",
        "\ufe0f",  # variation selector
        "\u034f",  # combining grapheme joiner
        "\u3164\u3164",  # Hangul filler
        "\u2800",  # braille blank
        "\u200b\u200d\u2060",
    ],
)
def test_a_value_of_invisible_characters_only_is_empty(pasted: str) -> None:
    assert clean_text(pasted) == ""


@pytest.mark.parametrize(
    ("pasted", "kept"),
    [
        ("Anna\u200d", "Anna"),
        ("\u200dAnna", "Anna"),
        ("19121212\u200d-1212", "19121212-1212"),
        ("eGFR 5\u200d8", "eGFR 58"),
    ],
)
def test_a_joiner_beside_a_letter_or_digit_it_cannot_join_goes(pasted: str, kept: str) -> None:
    assert clean_text(pasted) == kept


def test_a_required_field_of_invisible_characters_only_is_asked_for(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    data = referral_data(referrer_unit="\u200d" * 201, personal_number="\u200d" * 21)
    response = client.post("/cases/new", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Ange remitterande enhet." in page
    assert "Ange personnummer, eller välj okänd patient." in page
    assert "200 tecken" not in page and "20 tecken" not in page


def test_a_required_field_of_a_joiner_alone_is_not_saved(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    response = client.post("/cases/new", data=referral_data(clinical_question="\u200d"))
    assert response.status_code == 400
    assert "Ange frågeställning." in response.get_data(as_text=True)


def test_a_personnummer_pasted_into_free_text_is_stored_as_the_anonymiser_finds_it(
    app, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    data = referral_data(history="Tidigare remiss för 19121212\u200d-1212.")
    location = client.post("/cases/new", data=data).headers["Location"]
    with app.app_context():
        case = db.session.get(Case, int(location.rsplit("/", 1)[-1]))
        assert case is not None
        assert case.referral.history == "Tidigare remiss för 19121212-1212."
