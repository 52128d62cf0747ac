"""The anonymised referral faxed to the external reviewer keeps the patient's identity out of
its free text, and the case's pages show what it will print before it goes."""

from __future__ import annotations

from flask.testing import FlaskClient

from .factories import referral_data
from .printforms.conftest import pdf_text, raw_streams

HISTORY = (
    "Ingrid Lillqvist, pnr 451212-2385, bor Storgatan 5. Ingrids dotter ringer på "
    "070-123 45 67. Akut buksmärta sedan 2026-03-02, Waran 2,5 mg."
)
NOTE = "Identifierande uppgifter borttagna ur fritexten"


def _case(client: FlaskClient, auth, **overrides: str) -> int:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "external_reviewer"})
    values = {"history": HISTORY, **overrides}
    data = referral_data(patient_name="Ingrid Lillqvist", personal_number="19451212-2385", **values)
    location = client.post("/cases/new", data=data).headers["Location"]
    return int(location.rsplit("/", 1)[-1])


def test_the_anonymised_referral_prints_no_name_or_number_from_the_free_text(
    client: FlaskClient, auth
) -> None:
    case_id = _case(client, auth, clinical_question="Ileus? Lillqvist opererad 2019.")
    pdf = client.get(f"/print/cases/{case_id}/referral-anon.pdf").get_data()
    text = " ".join(pdf_text(pdf).split())
    for secret in ("Ingrid", "Lillqvist", "451212", "2385"):
        assert secret not in text and secret.encode("utf-16-be") not in raw_streams(pdf)
    assert "[borttaget], pnr [borttaget], bor Storgatan 5." in text
    assert "Ileus? [borttaget] opererad 2019." in text
    assert "Akut buksmärta sedan 2026-03-02, Waran 2,5 mg." in text
    assert NOTE in text


def test_the_referral_itself_still_prints_the_history_as_written(client: FlaskClient, auth) -> None:
    case_id = _case(client, auth)
    text = " ".join(pdf_text(client.get(f"/print/cases/{case_id}/referral.pdf").get_data()).split())
    assert "Ingrid Lillqvist, pnr 451212-2385" in text
    assert NOTE not in text


def test_an_anonymised_referral_with_nothing_to_remove_has_no_note(
    client: FlaskClient, auth
) -> None:
    case_id = _case(client, auth, history="Tidigare frisk.", clinical_question="Blödning?")
    text = pdf_text(client.get(f"/print/cases/{case_id}/referral-anon.pdf").get_data())
    assert "Tidigare frisk." in text and NOTE not in text


CHECK = "Läs texten som den anonymiserade remissen skriver ut innan den faxas"


def _page(client: FlaskClient, path: str) -> str:
    return " ".join(client.get(path).get_data(as_text=True).split())


def test_the_case_pages_show_what_the_anonymised_referral_prints_and_what_to_check(
    client: FlaskClient, auth
) -> None:
    case_id = _case(client, auth)
    for path in (f"/cases/{case_id}", f"/routines/reviewer/cases/{case_id}"):
        page = _page(client, path)
        assert CHECK in page, path
        assert "Patientens namn eller nummer har tagits bort ur texten." in page, path
        # Exactly the text the sheet prints, and what the app cannot take out by itself.
        assert "[borttaget], pnr [borttaget], bor Storgatan 5. [borttaget] dotter" in page, path
        assert "Storgatan 5</li>" in page and "070-123 45 67</li>" in page, path
        assert f'href="/cases/{case_id}/referral"' in page, path


def test_text_that_only_looks_identifying_is_pointed_out_though_nothing_was_removed(
    client: FlaskClient, auth
) -> None:
    case_id = _case(client, auth, history="Bor Kvarnvägen 12 med maken.")
    page = _page(client, f"/cases/{case_id}")
    assert CHECK in page and "Kvarnvägen 12</li>" in page
    assert "Patientens namn eller nummer har tagits bort ur texten." not in page


def test_a_case_with_nothing_identifying_in_its_text_shows_no_check(
    client: FlaskClient, auth
) -> None:
    case_id = _case(client, auth, history="Tidigare frisk.", clinical_question="Blödning?")
    for path in (f"/cases/{case_id}", f"/routines/reviewer/cases/{case_id}"):
        assert CHECK not in _page(client, path), path


def test_the_check_reads_in_english(client: FlaskClient, auth) -> None:
    case_id = _case(client, auth)
    assert client.post("/language", data={"lang": "en", "next": "/"}).status_code == 302
    page = _page(client, f"/cases/{case_id}")
    assert "Read the text the anonymised referral prints before it is faxed" in page
    assert CHECK not in page


def test_the_anonymised_referral_prints_no_identity_typed_in_the_referrers_fields(
    client: FlaskClient, auth
) -> None:
    """Typed by hand: the patient's name or personnummer in the wrong field must not reach the
    external reviewer either."""
    case_id = _case(
        client,
        auth,
        history="Tidigare frisk.",
        referrer_unit="Akuten Lillqvist",
        referrer_clinician="19451212-2385",
    )
    pdf = client.get(f"/print/cases/{case_id}/referral-anon.pdf").get_data()
    text = " ".join(pdf_text(pdf).split())
    for secret in ("Lillqvist", "451212", "2385"):
        assert secret not in text and secret.encode("utf-16-be") not in raw_streams(pdf)
    assert "Akuten [borttaget]" in text
    assert NOTE in text


def test_the_check_shows_a_referrers_field_that_lost_the_patients_identity(
    client: FlaskClient, auth
) -> None:
    """The check says what was removed: it shows where, not only that something was."""
    case_id = _case(
        client,
        auth,
        history="Tidigare frisk.",
        clinical_question="Blödning?",
        referrer_clinician="19451212-2385",
    )
    page = _page(client, f"/cases/{case_id}")
    assert CHECK in page
    assert "<dt>Remitterande läkare</dt> <dd>[borttaget]</dd>" in page
    # The referrer's own phone is no patient identity to point out.
    assert "0999-123 45</li>" not in page
