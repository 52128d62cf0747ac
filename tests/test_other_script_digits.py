"""Digits of other scripts ("²", "٣", "３") pass str.isdigit but not int(): never a 500."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.formutil import version_shown

from .test_reporting_templates_edits import _first_template, _shown

OTHER_DIGITS = ["²", "٣", "３", "1²"]


@pytest.mark.parametrize("text", OTHER_DIGITS)
def test_a_version_in_other_digits_counts_as_none_shown(text: str) -> None:
    assert version_shown(text) is None


@pytest.mark.parametrize("text", OTHER_DIGITS)
def test_a_template_save_with_its_version_in_other_digits_is_answered(
    app: Flask, client: FlaskClient, auth, text: str
) -> None:
    auth.login("admin")
    template = _first_template(app)
    url = f"/reporting/templates/{template.id}"
    shown = {**_shown(client.get(url).get_data(as_text=True)), "version": text}
    edit = {"name": template.name, "modality": template.modality, "is_active": "y"}
    edit["exam_codes"] = list(template.exam_codes or [])
    response = client.post(url, data={**edit, **shown, "sections": "Fynd\nRåd"})
    assert response.status_code in (302, 400, 409)


@pytest.mark.parametrize("text", OTHER_DIGITS)
def test_the_admin_page_with_a_port_in_other_digits_is_answered(
    client: FlaskClient, auth, text: str
) -> None:
    auth.login("admin")
    response = client.get("/admin/", headers={"Host": f"laptop:{text}"})
    assert response.status_code == 200
