"""Every form that autosaves, continued from a draft whose boxes were saved unticked (drafts.js
keeps such a box as ""): no box is drawn with value="", which a browser would send ticked and
the form read as unticked."""

from __future__ import annotations

import re
from importlib import import_module

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from wtforms import BooleanField
from wtforms.fields.core import UnboundField

from webapp.draft_kinds import DRAFT_KINDS, continue_url
from webapp.extensions import db
from webapp.models import ReservedCode

from .factories import declare_incident
from .routines_support import make_case

KEY = "sweep-" + "s" * 20


def _boxes(kind: str) -> list[str]:
    """The names of the kind's form's boxes (unprefixed)."""
    module, _, name = DRAFT_KINDS[kind].form.partition(":")
    form_class = getattr(import_module(f"webapp.{module}"), name)
    return sorted(
        attr
        for attr in dir(form_class)
        if isinstance(getattr(form_class, attr, None), UnboundField)
        and issubclass(getattr(form_class, attr).field_class, BooleanField)
    )


KINDS_WITH_BOXES = sorted(k for k, v in DRAFT_KINDS.items() if v.form and _boxes(k))
# Forms whose boxes are drawn only once asked (a refused save) or ticked: continued from a draft
# with them unticked, they draw none. Every other form draws one at least, or the sweep would
# check nothing.
ASKED_ONLY = {"identity", "move", "transfer"}


def _form_of(page: str, kind: str) -> str:
    """The HTML of the form that autosaves as the kind, on the page."""
    start = page.find(f'data-draft-kind="{kind}"')
    assert start >= 0, f"no {kind} form on the page"
    return page[start : page.index("</form>", start)]


def _world(app: Flask, client: FlaskClient, auth, kind: str) -> tuple[int, str]:
    """A case whose page draws the kind's form, and an unused referral blank."""
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLR", "count": "1"})
    auth.logout()
    # An addendum is written to a definitive report only.
    case_id = make_case(client, auth, report="definitive" if kind == "addendum" else "")
    if kind == "move":
        # A case is moved into another open incident: the form is drawn only beside one.
        auth.login("radiographer")
        declare_incident(client, "om_ris")
        auth.logout()
    with app.app_context():
        code = db.session.scalar(select(ReservedCode.code))
    return case_id, str(code)


@pytest.mark.parametrize("kind", KINDS_WITH_BOXES)
def test_a_continued_draft_draws_no_box_that_sends_its_tick_as_unticked(
    app: Flask, client: FlaskClient, auth, kind: str
) -> None:
    spec = DRAFT_KINDS[kind]
    made_case, code = _world(app, client, auth, kind)
    case_id = made_case if spec.case_arg else None
    sheet = code if spec.sheet_arg else ""
    role = spec.roles[0]
    auth.login(role)
    with app.test_request_context():
        url = continue_url(kind, KEY, case_id, role, sheet)
    # The form as first drawn names the prefix its fields, and so its draft's keys, carry.
    fresh = _form_of(client.get(url.replace(KEY, "")).get_data(as_text=True), kind)
    prefix = re.search(r'name="([\w-]*?)form_key"', fresh)
    assert prefix is not None, fresh
    data: dict[str, object] = {prefix.group(1) + box: "" for box in _boxes(kind)}
    data[prefix.group(1) + "form_key"] = KEY
    if sheet:
        data["blank_code"] = sheet
    body: dict[str, object] = {"kind": kind, "seq": 1, "data": data}
    if case_id is not None:
        body["case_id"] = str(case_id)
    response = client.put(f"/api/drafts/{KEY}", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)

    form = _form_of(client.get(url).get_data(as_text=True), kind)
    assert f'value="{KEY}"' in form, "the draft was not continued"
    drawn = re.findall(r'<input[^>]*type="checkbox"[^>]*>', form)
    assert bool(drawn) is (kind not in ASKED_ONLY), drawn
    assert not [box for box in drawn if 'value=""' in box], drawn
