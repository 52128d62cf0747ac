"""The identity correction asks for a personnummer in the same form as the referral, and says so
beside the field: a correction is typed off a wristband or a journal in a hurry."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from .factories import referral_data

HINT = "ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN, + för 100 år och äldre"


def _number_input(page: str) -> str:
    match = re.search(r'<input[^>]*id="personal_number"[^>]*>', page)
    assert match, "no personnummer field"
    return match.group(0)


def test_the_identity_correction_gives_the_personnummer_format_beside_the_field(
    client: FlaskClient, auth
) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    for path in ("/cases/new", location + "/identity"):
        page = client.get(path).get_data(as_text=True)
        assert f'<p class="hint" id="personal_number-hint">{HINT}</p>' in page, path
        assert "personal_number-hint" in _number_input(page), path
