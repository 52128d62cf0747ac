"""The prefilled message to the RIS/PACS administrators names the outage it is about: the
routine asks that they be told of the problem and whether it persists."""

from __future__ import annotations

import html
import re
from datetime import datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import Incident
from webapp.routines.queries import admin_message
from webapp.siteconfig import parse_site_config
from webapp.web import local_time

from .routines_support import make_case


def _body(client: FlaskClient) -> str:
    page = client.get("/routines/reviewer").get_data(as_text=True)
    found = re.search(r'<span class="copy-value" id="val-body">(.*?)</span>', page, re.S)
    assert found is not None
    return html.unescape(found[1])


def test_the_message_ends_with_the_outage_labelled_and_since_when(
    app: Flask, client: FlaskClient, auth
) -> None:
    make_case(client, auth)
    with app.test_request_context():
        incident = db.session.scalars(select(Incident)).one()
        since = local_time(incident.started_at)
        title = incident.title
    auth.login("radiographer")
    body = _body(client)
    assert body.splitlines()[-1] == f"Driftstörning: {title}, sedan {since}, pågår fortfarande."
    assert f"\n{title}" not in body  # never the bare title on a line of its own


def test_an_ended_outage_is_named_with_when_it_ended(app: Flask) -> None:
    config = parse_site_config(EXAMPLE_SITE.read_text(encoding="utf-8"))
    incident = Incident(
        title="PACS nere",
        started_at=datetime(2025, 3, 1, 21, 5),
        ended_at=datetime(2025, 3, 2, 6, 40),
    )
    with app.test_request_context():
        body = admin_message(config, incident, [], local_time).body
    assert body.splitlines()[-1] == (
        "Driftstörning: PACS nere, 2025-03-01 22:05–2025-03-02 07:40, nu avslutad."
    )


def test_a_site_without_its_own_wording_gets_a_message_dated_in_plain_swedish(app: Flask) -> None:
    text = EXAMPLE_SITE.read_text(encoding="utf-8")
    start = text.index('admin_body = """')
    end = text.index('"""', start + len('admin_body = """')) + 3
    config = parse_site_config(text[:start] + text[end:])
    incident = Incident(title="PACS nere", started_at=datetime(2025, 3, 1, 21, 5))
    with app.test_request_context():
        body = admin_message(config, incident, [], local_time).body
    assert body.splitlines()[0] == (
        "Den 2025-03-01 fungerade inte kommunikationen med den externa granskaren "
        "(Röntgen Exempelstad). Ärenden: –."
    )
