"""The incident writes are split by what they do; each import path others rely on stays."""

from __future__ import annotations

from webapp.catchup import closing as catchup_closing


def test_ending_an_incident_has_a_module_of_its_own() -> None:
    from webapp.incidents.ending import end_incident

    assert catchup_closing.end_incident is end_incident


def test_declaring_from_the_form_stays_importable_from_services() -> None:
    # Another change edits declare_incident_once where it is: its path must not move.
    from webapp.incidents.services import declare_incident_once

    assert declare_incident_once.__module__ == "webapp.incidents.services"
