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
