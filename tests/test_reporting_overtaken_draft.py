"""Text a radiologist typed into the report editor while a colleague signed the report
definitively is offered on the reporting screen, to read and carry into an addendum."""

from __future__ import annotations

import html
import re

from flask.testing import FlaskClient

from .factories import hidden_value, report_data
from .routines_support import make_case

TYPED = "Fri gas under diafragman, skrivet medan kollegan signerade."


def _typed_then_signed_by_colleague(client: FlaskClient, auth, tablet_factory) -> tuple[int, str]:
    """A case whose editor Anna typed in (autosaved) before Bertil signed it definitively."""
    case_id = make_case(client, auth)
    auth.login("radiologist", username="anna")
    screen = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    key = hidden_value(screen.split('id="report-form"', 1)[1], "form_key")
    typed = report_data("save", key, findings=TYPED, version="")
    saved = client.put(
        f"/api/drafts/{key}",
        json={"kind": "report", "seq": 1, "case_id": str(case_id), "data": typed},
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)
    bertil = tablet_factory("bertil", role="radiologist")
    signed = bertil.post(f"/reporting/{case_id}", data=report_data("definitive", "b" * 20))
    assert signed.status_code == 302
    return case_id, key


def test_a_report_draft_overtaken_by_a_definitive_signature_is_offered_on_the_screen(
    client: FlaskClient, auth, tablet_factory
) -> None:
    case_id, key = _typed_then_signed_by_colleague(client, auth, tablet_factory)
    page = html.unescape(client.get(f"/reporting/{case_id}").get_data(as_text=True))
    assert "Osparad ändring från" in page
    # Continued on the report screen (not the addendum's), where the text is shown to copy.
    assert f"/reporting/{case_id}?draft={key}" in page
    shown = html.unescape(client.get(f"/reporting/{case_id}?draft={key}").get_data(as_text=True))
    unsaved = shown.split('id="unsaved"', 1)[1].split("</section>", 1)[0]
    assert TYPED in unsaved


def test_the_overtaken_report_draft_is_offered_after_a_refused_addendum_too(
    client: FlaskClient, auth, tablet_factory
) -> None:
    case_id, key = _typed_then_signed_by_colleague(client, auth, tablet_factory)
    response = client.post(f"/reporting/{case_id}/addendum", data={"text": ""})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    # Its link opens the report screen with the report draft, never the addendum form under it.
    assert f"/reporting/{case_id}?draft={key}" in page
    assert not re.search(rf"/reporting/{case_id}/addendum\?draft={key}", page)
