"""Each page loads the scripts its forms need, and the pages without those forms do not.

The exam fields and the report editor are loaded by their own pages only (page weight), and
before drafts.js: a kept copy it puts back must find the fields already following it.
"""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from .routines_support import make_case

SCRIPT = re.compile(r'<script src="/static/js/([^"?]+)')


def _scripts(client: FlaskClient, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, path
    return SCRIPT.findall(response.get_data(as_text=True))


def _before_drafts(scripts: list[str], name: str) -> bool:
    return name in scripts and scripts.index(name) < scripts.index("drafts.js")


def test_the_referral_form_loads_the_exam_fields_before_the_autosave(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "external_reviewer"})
    scripts = _scripts(client, "/cases/new")
    assert _before_drafts(scripts, "forms.js")
    assert _before_drafts(scripts, "exam-fields.js")
    assert "report-editor.js" not in scripts


def test_the_exam_form_loads_the_exam_fields_before_the_autosave(client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth, exam=False)
    auth.login("radiographer")
    assert _before_drafts(_scripts(client, f"/cases/{case_id}/exam"), "exam-fields.js")


def test_the_reporting_screen_loads_the_report_editor(client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    auth.login("radiologist")
    scripts = _scripts(client, f"/reporting/{case_id}")
    assert _before_drafts(scripts, "report-editor.js")
    assert "exam-fields.js" not in scripts


def test_a_page_without_those_forms_loads_neither(client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    scripts = _scripts(client, f"/cases/{case_id}")
    assert {"app.js", "forms.js", "drafts.js"} <= set(scripts)
    assert not {"exam-fields.js", "report-editor.js"} & set(scripts)
