"""The access log names the incident of each row (an export, a batch view, a case's read),
on screen and in the CSV, and is filtered by incident."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .factories import declare_incident, incident_of, second_site


@pytest.fixture
def exported(app: Flask, client: FlaskClient, auth, case_id: int) -> tuple[FlaskClient, int]:
    """An admin who viewed the incident's batch and exported it; the incident's id."""
    incident_id = incident_of(app, case_id)
    auth.login("admin")
    assert client.get(f"/catchup/incidents/{incident_id}").status_code == 200
    assert client.get(f"/catchup/incidents/{incident_id}/export/csv").status_code == 200
    return client, incident_id


def _rows(page: str) -> list[str]:
    tbody = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>.*?</tr>", tbody, re.S)


def _csv(client: FlaskClient, query: str) -> list[dict[str, str]]:
    text = client.get("/admin/audit.csv?" + query).get_data().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


@pytest.mark.parametrize("action", ["export", "batch_view", "case_create"])
def test_a_row_of_an_incident_names_and_links_it_on_the_log_page(
    exported: tuple[FlaskClient, int], action: str
) -> None:
    client, incident_id = exported
    rows = _rows(client.get(f"/admin/audit?action={action}").get_data(as_text=True))
    assert rows
    for row in rows:
        assert f'href="/incidents/{incident_id}"' in row
        assert f"Driftstopp {incident_id}" in row
        assert "Integrationsmotorn" in row


def test_a_row_of_no_incident_names_none(exported: tuple[FlaskClient, int]) -> None:
    client, _incident_id = exported
    rows = _rows(client.get("/admin/audit?action=login").get_data(as_text=True))
    assert rows
    assert not any("/incidents/" in row or "Driftstopp " in row for row in rows)


def test_a_drill_is_named_a_drill_in_the_log(client: FlaskClient, auth) -> None:
    auth.login("admin")
    drill = declare_incident(client, drill=True)
    row = _rows(client.get("/admin/audit?action=incident_declare").get_data(as_text=True))[0]
    assert f"Driftstopp {drill}" in row
    assert "ÖVNING" in row


def test_the_log_csv_names_the_incident_of_each_row(exported: tuple[FlaskClient, int]) -> None:
    client, incident_id = exported
    rows = _csv(client, "")
    exports = [r for r in rows if r["händelse"] == "export"]
    assert exports
    assert {r["driftstopp-id"] for r in exports} == {str(incident_id)}
    assert all(r["driftstopp"].startswith("Integrationsmotorn") for r in exports)
    logins = [r for r in rows if r["händelse"] == "login"]
    assert {(r["driftstopp-id"], r["driftstopp"]) for r in logins} == {("", "")}


def test_the_log_is_filtered_by_incident(exported: tuple[FlaskClient, int]) -> None:
    client, incident_id = exported
    other = declare_incident(client, "pacs")
    page = client.get(f"/admin/audit?incident={other}").get_data(as_text=True)
    rows = _rows(page)
    assert rows
    assert all(f"Driftstopp {other}" in row for row in rows)
    assert f'<option selected value="{other}">' in page
    csv_rows = _csv(client, f"incident={incident_id}")
    assert csv_rows
    assert {r["driftstopp-id"] for r in csv_rows} == {str(incident_id)}
    assert {"export", "batch_view", "case_create"} <= {r["händelse"] for r in csv_rows}


def test_the_log_links_keep_the_incident_filter(exported: tuple[FlaskClient, int]) -> None:
    client, incident_id = exported
    page = client.get(f"/admin/audit?incident={incident_id}").get_data(as_text=True)
    assert f'href="/admin/audit.csv?incident={incident_id}"' in page


@pytest.mark.parametrize("value", ["abc", "0", "999999", "-1", "1.5"])
def test_a_bad_incident_filter_is_refused_in_swedish_next_to_the_field(
    exported: tuple[FlaskClient, int], value: str
) -> None:
    client, _incident_id = exported
    page = client.get(f"/admin/audit?incident={value}").get_data(as_text=True)
    assert 'id="incident-error"' in page
    assert "Inte ett giltigt val" in page
    # A refused filter shows no rows rather than the whole log.
    assert _rows(page) == ['<tr><td colspan="9">Inga händelser.</td></tr>']


def test_another_sites_incident_is_neither_offered_nor_filtered_by(
    app: Flask, client: FlaskClient, auth, user_factory, exported: tuple[FlaskClient, int]
) -> None:
    _client, incident_id = exported
    user_factory(role="admin", username="lby-admin", site_id=second_site(app))
    auth.logout()
    auth.login("admin", username="lby-admin")
    page = client.get(f"/admin/audit?incident={incident_id}").get_data(as_text=True)
    select = page.split('id="incident"', 1)[1].split("</select>", 1)[0]
    assert f'value="{incident_id}"' not in select
    assert 'id="incident-error"' in page
    assert f"Driftstopp {incident_id}" not in page
