"""Every page of a drill case says it is a drill: no real patient goes into a drill."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from .factories import unidentified_referral_data


@pytest.mark.parametrize("page", ["", "/exam", "/referral", "/identity", "/history"])
def test_every_page_of_a_drill_case_is_marked_as_a_drill(
    client: FlaskClient, auth, page: str
) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration", "is_drill": "y"})
    url = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    assert "ÖVNING" in client.get(url + page).get_data(as_text=True)
