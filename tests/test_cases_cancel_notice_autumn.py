"""The cancellation notice's fax time in the repeated autumn hour (2026-10-25, Europe/Stockholm:
02:00–02:59 comes twice). The case was cancelled at 02:30 in the second pass (01:30 UTC); a fax
typed as 02:40 is 00:40 UTC in the first pass, before the cancel, and 01:40 UTC in the second.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Case

from .test_cases_cancel_notice import _cancel, _new_case, _notice_form, _notices

CANCELLED_SECOND_PASS = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def _cancelled_in_the_second_pass(app: Flask, client: FlaskClient, auth) -> str:
    url = _new_case(client, auth)
    _cancel(client, url)
    with app.app_context():
        case = db.session.get(Case, int(url.rsplit("/", 1)[1]))
        assert case is not None
        case.cancelled_at = CANCELLED_SECOND_PASS
        db.session.commit()
    return url


def test_a_fax_typed_in_the_repeated_hour_after_the_cancel_is_stored_as_its_second_pass(
    app: Flask, client: FlaskClient, auth
) -> None:
    url = _cancelled_in_the_second_pass(app, client, auth)
    data = _notice_form(client, url, faxed_at="2026-10-25T02:40")
    assert client.post(url + "/cancel-notice", data=data).status_code == 302
    (notice,) = _notices(app)
    assert notice.faxed_at is not None
    assert notice.faxed_at.replace(tzinfo=UTC) == datetime(2026, 10, 25, 1, 40, tzinfo=UTC)


def test_a_fax_before_the_cancel_in_both_passes_is_refused_beside_its_time(
    app: Flask, client: FlaskClient, auth
) -> None:
    url = _cancelled_in_the_second_pass(app, client, auth)
    data = _notice_form(client, url, faxed_at="2026-10-25T02:20")
    response = client.post(url + "/cancel-notice", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    beside = page.split('id="faxed_at-error"', 1)[1].split("</p>", 1)[0]
    assert "2026-10-25 02:30" in beside
    assert 'value="2026-10-25T02:20"' in page
    assert _notices(app) == []
