"""The refusal of a form sent from a page older than its draft names who went on with it.

Another radiographer at another tablet is the usual one to go on with a draft: the person
refused must know whom to ask before choosing between the two texts.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from .factories import DEFAULT_PIN, make_user, referral_data

KEY = "draftkey-" + "w" * 16
TABLET_A = "tablet-a-" + "1" * 8
TABLET_B = "tablet-b-" + "2" * 8


def _put(client: FlaskClient, seq: int, question: str, *, writer: str, base: int) -> Any:
    data = referral_data(form_key=KEY, clinical_question=question)
    body = {"kind": "referral", "seq": seq, "label": "x", "data": data}
    response = client.put(f"/api/drafts/{KEY}", json={**body, "writer": writer, "base": base})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_refusal_names_the_colleague_who_went_on_at_another_tablet(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    _put(client, 4, "Fall i hemmet.", writer=TABLET_A, base=0)
    with app.app_context():
        make_user(username="berit", display_name="Berit Bäckström")
    tablet_b = app.test_client()
    login = tablet_b.post("/login", data={"username": "berit", "secret": DEFAULT_PIN})
    assert login.status_code == 302
    assert _put(tablet_b, 6, "Fall i hemmet. Kräktes.", writer=TABLET_B, base=4)["state"] == "saved"
    data = referral_data(
        form_key=KEY, clinical_question="Fall i hemmet.", draft_writer=TABLET_A, draft_base="4"
    )
    page = client.post("/cases/new", data=data).get_data(as_text=True)
    refusal = page[page.index("fortsattes på en annan platta") :].split("</", 1)[0]
    assert "av Berit Bäckström" in refusal
