"""The access log's page and export links carry its filters, and nothing else from the address."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


@pytest.mark.parametrize("name", ["endpoint", "_anchor", "_external", "_method", "_scheme"])
def test_an_address_argument_that_is_no_filter_is_left_out_of_the_links(
    client: FlaskClient, auth, name: str
) -> None:
    auth.login("admin")
    page = client.get(f"/admin/audit?{name}=x&username=test-admin")
    assert page.status_code == 200
    assert 'href="/admin/audit.csv?username=test-admin"' in page.get_data(as_text=True)
