"""The PDF checklist names a case's identity before a correction, as the CSV, JSON and FHIR do:
the booking made by hand and the images may be in RIS and PACS under the reserve number, and a
secretary ticking off the paper who searches only the new personnummer books the exam twice or
leaves its images under no patient."""

from __future__ import annotations

import io
from typing import Any

from flask.testing import FlaskClient
from pypdf import PdfReader

from .export_support import downloaded
from .factories import declare_incident, identity_data, unidentified_referral_data


def _text(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def test_the_checklist_names_the_reserve_number_the_patient_had_before_being_identified(
    client: FlaskClient, auth: Any
) -> None:
    auth.login("radiographer")
    incident = declare_incident(client, "om_ris")
    case_url = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    assert client.post(case_url + "/identity", data=identity_data()).status_code == 302
    auth.logout()
    auth.login("secretary")
    text = _text(downloaded(client, incident, "pdf"))
    assert "Örjan Älvström, 19121212-1212" in text
    assert "tidigare RES-0007" in text
    # A case never corrected names no earlier identity.
    assert text.count("tidigare") == 1
