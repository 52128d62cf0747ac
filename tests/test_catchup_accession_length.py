"""A RIS accession longer than the site takes (a DICOM Accession Number holds 16 characters) is
refused next to the field with the limit named, what was typed kept; the browser cuts nothing
off unseen. The duplicate confirmation is offered only for a duplicate."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.catchup.ris_numbers import save_ris_ids
from webapp.catchup.services import CatchupError
from webapp.extensions import db
from webapp.models import CatchupRecord, Site, User, utcnow

from .catchup_world_support import world as world  # the fixture

SIXTEEN = "EXS1234567890123"
# Two accessions pasted as one: 22 characters.
PASTED_TWICE = "EXS10000001EXS10000002"


def _accession(app: Flask, case_id: int) -> str | None:
    with app.app_context():
        return db.session.scalar(
            select(CatchupRecord.ris_accession).where(CatchupRecord.case_id == case_id)
        )


def _error(page: str, field: str = "ris_accession") -> str:
    return page.split(f'id="{field}-error"', 1)[1].split("</p>", 1)[0]


def _set_limit(app: Flask, limit: int) -> None:
    """Site 1's longest accession, as an admin's save would set it."""
    with app.app_context():
        site = db.session.get(Site, 1)
        old = "accession_max_length = 16"
        assert old in site.config_toml
        site.config_toml = site.config_toml.replace(old, f"accession_max_length = {limit}", 1)
        site.updated_at = utcnow()  # the parsed configuration is cached per version
        db.session.commit()


def _input(page: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)


def test_an_accession_longer_than_16_is_refused_naming_the_limit(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    response = client.post(
        f"/catchup/cases/{case_id}/ris",
        data={"ris_accession": PASTED_TWICE, "ris_exam_number": "U 123"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Accessionsnumret får vara högst 16 tecken" in _error(page)
    assert f'value="{PASTED_TWICE}"' in page  # what was typed is kept
    assert 'value="U 123"' in page
    assert not _accession(app, case_id)


def test_an_accession_of_exactly_16_is_saved(app: Flask, client: FlaskClient, world) -> None:
    case_id = world["ids"][0]
    response = client.post(f"/catchup/cases/{case_id}/ris", data={"ris_accession": SIXTEEN})
    assert response.status_code == 302
    assert _accession(app, case_id) == SIXTEEN


def test_a_site_with_a_longer_limit_takes_a_longer_accession(
    app: Flask, client: FlaskClient, world
) -> None:
    _set_limit(app, 22)
    case_id = world["ids"][0]
    response = client.post(f"/catchup/cases/{case_id}/ris", data={"ris_accession": PASTED_TWICE})
    assert response.status_code == 302
    assert _accession(app, case_id) == PASTED_TWICE


def test_a_site_with_a_shorter_limit_refuses_naming_its_limit(
    app: Flask, client: FlaskClient, world
) -> None:
    _set_limit(app, 10)
    case_id = world["ids"][0]
    response = client.post(f"/catchup/cases/{case_id}/ris", data={"ris_accession": "EXS10000001"})
    assert response.status_code == 400
    assert "Accessionsnumret får vara högst 10 tecken" in _error(response.get_data(as_text=True))
    assert not _accession(app, case_id)


def test_the_service_refuses_an_accession_longer_than_the_limit(app: Flask, world) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "test-secretary"))
        with pytest.raises(CatchupError) as caught:
            save_ris_ids(
                case_id=world["ids"][0],
                user=user,
                accession=PASTED_TWICE,
                exam_number="",
                allow_duplicate=False,
                accession_max_length=16,
            )
    assert "högst 16 tecken" in str(caught.value)
    assert not _accession(app, world["ids"][0])


def test_the_inputs_cut_nothing_shorter_than_the_server_checks(client: FlaskClient, world) -> None:
    """A maxlength of 64 cut a pasted double number to 64 characters, unseen, and saved it."""
    page = client.get(f"/catchup/cases/{world['ids'][0]}").get_data(as_text=True)
    for name in ("ris_accession", "ris_exam_number"):
        found = re.search(r'maxlength="(\d+)"', _input(page, name))
        assert found is None or int(found.group(1)) >= 200, _input(page, name)


def test_an_exam_number_longer_than_64_is_refused_naming_the_limit(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    typed = "U" * 65
    response = client.post(
        f"/catchup/cases/{case_id}/ris",
        data={"ris_accession": "EXS10000001", "ris_exam_number": typed},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Undersökningsnumret får vara högst 64 tecken" in _error(page, "ris_exam_number")
    assert f'value="{typed}"' in page
    assert not _accession(app, case_id)


def test_a_character_error_offers_no_duplicate_confirmation(client: FlaskClient, world) -> None:
    response = client.post(
        f"/catchup/cases/{world['ids'][0]}/ris", data={"ris_accession": "ÖRE123"}
    )
    assert response.status_code == 400
    assert 'name="allow_duplicate"' not in response.get_data(as_text=True)


def test_a_too_long_accession_offers_no_duplicate_confirmation(client: FlaskClient, world) -> None:
    response = client.post(
        f"/catchup/cases/{world['ids'][0]}/ris", data={"ris_accession": PASTED_TWICE}
    )
    assert response.status_code == 400
    assert 'name="allow_duplicate"' not in response.get_data(as_text=True)


def test_a_duplicate_offers_the_confirmation_and_confirming_saves(
    app: Flask, client: FlaskClient, world
) -> None:
    first, second = world["ids"]
    client.post(f"/catchup/cases/{first}/ris", data={"ris_accession": "EXS10000001"})
    response = client.post(f"/catchup/cases/{second}/ris", data={"ris_accession": "EXS10000001"})
    assert response.status_code == 400
    assert 'name="allow_duplicate"' in response.get_data(as_text=True)
    confirmed = client.post(
        f"/catchup/cases/{second}/ris",
        data={"ris_accession": "EXS10000001", "allow_duplicate": "y"},
    )
    assert confirmed.status_code == 302
    assert _accession(app, second) == "EXS10000001"


# Sixteen letters and digits, typed in groups as read off the RIS screen: 19 characters.
SIXTEEN_GROUPED = "EXS 1234 5678 90123"


def test_spaces_and_separators_are_not_counted_against_the_limit(
    app: Flask, client: FlaskClient, world
) -> None:
    """The duplicate check ignores them ("EXS 1000 0001" is "EXS10000001"): so does the limit.
    Counted, a number typed in groups was refused although it fits RIS."""
    case_id = world["ids"][0]
    response = client.post(
        f"/catchup/cases/{case_id}/ris", data={"ris_accession": f"  {SIXTEEN_GROUPED} "}
    )
    assert response.status_code == 302, _error(response.get_data(as_text=True))
    # Surrounding spaces (a scanner's) are not stored; the groups are, as typed.
    assert _accession(app, case_id) == SIXTEEN_GROUPED


def test_the_service_counts_letters_and_digits_only(app: Flask, world) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "test-secretary"))
        save_ris_ids(
            case_id=world["ids"][0],
            user=user,
            accession="EXS-1234/5678.9012_3",
            exam_number="",
            allow_duplicate=False,
            accession_max_length=16,
        )
    assert _accession(app, world["ids"][0]) == "EXS-1234/5678.9012_3"


def test_two_numbers_pasted_with_a_space_between_are_refused_counting_their_digits(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    typed = "EXS10000001 EXS10000002"
    response = client.post(f"/catchup/cases/{case_id}/ris", data={"ris_accession": typed})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = _error(page)
    assert "högst 16 tecken" in error and "det angivna har 22" in error
    assert f'value="{typed}"' in page
    assert not _accession(app, case_id)


def test_a_grouped_number_is_a_duplicate_of_the_same_number_ungrouped(
    client: FlaskClient, world
) -> None:
    first, second = world["ids"]
    client.post(f"/catchup/cases/{first}/ris", data={"ris_accession": "EXS1234567890123"})
    response = client.post(
        f"/catchup/cases/{second}/ris", data={"ris_accession": f" {SIXTEEN_GROUPED.lower()}"}
    )
    assert response.status_code == 400
    assert "används redan av ärende" in _error(response.get_data(as_text=True))


def test_an_accession_longer_than_its_column_with_its_spaces_is_refused_beside_the_field(
    app: Flask, client: FlaskClient, world
) -> None:
    """Sixteen digits spread out past the column's 64 characters: refused, never a 500."""
    case_id = world["ids"][0]
    typed = " ".join("123456789012345") + " " * 40 + "6"
    response = client.post(f"/catchup/cases/{case_id}/ris", data={"ris_accession": typed})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "högst 64 tecken med mellanslag" in _error(page)
    assert not _accession(app, case_id)
