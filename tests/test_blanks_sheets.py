"""The binder's blank sheets as they travel: by fax to and from the referrer."""

from __future__ import annotations

import io

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader

from .printforms.conftest import pdf_text
from .test_blanks_reserve import batch_pdf_link


def _blank_text(client: FlaskClient, doc_kind: str) -> str:
    reserved = client.post("/blanks/reserve", data={"doc_kind": doc_kind, "count": "1"})
    response = client.get(batch_pdf_link(client, reserved))
    assert response.mimetype == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.get_data())).pages) == 1
    return pdf_text(response.get_data())


def test_blank_referral_says_where_the_referrer_faxes_it(client: FlaskClient, auth) -> None:
    # A ward that fills in the paper referral must fax it to radiology and may need to call.
    auth.login("admin")
    text = " ".join(_blank_text(client, "BLR").split())
    assert "0999-100 01" in text  # the site's fax, from its config
    assert "0999-100 00" in text  # the site's phone


@pytest.mark.parametrize("label", ["Till", "Svarsfax", "Från", "0999-100 01", "0999-100 00"])
def test_blank_report_carries_a_fax_header_for_the_referrer(
    client: FlaskClient, auth, label: str
) -> None:
    # The handwritten report is faxed to the referrer: to whom, and from which fax and phone.
    auth.login("admin")
    assert label in _blank_text(client, "BLU")
