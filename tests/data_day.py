"""The outages the suite declares begin on its data's day.

The suite's referrals arrive 2026-01-15 10:30 at the site (factories.py) and its other times
are written against that day, while an outage declared through the app starts at the real
moment the test runs. The app asks about a referral that arrived more than a day before its
outage began (arrival_bound_rule.py), so every referral typed into such an outage would be
asked about. Rather than turn that rule off, an incident declared during the run is recorded
as begun on the data's day, the rule checked as it runs on a laptop: the clock of the suite's
data is applied to the declaration.

The browser journeys (e2e/) type today's dates, so their outages keep the moment they were
declared (make_test_app(on_data_day=False)).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event

from webapp.models import Incident, utcnow

# 10:00 at the site: half an hour before the factories' referrals arrive.
DATA_DAY_START = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
_RUN_STARTED = datetime.now(UTC)
# Where an app built by make_test_app notes that its outages begin on the data's day.
ON_DATA_DAY = "tests.data_day"
# A start further than this from the app's clock at the insert was given by the test
# (declare_incident(started_at=...)) and is kept; a nearer one the app took as "now".
_TAKEN_NOW = timedelta(minutes=1)


@event.listens_for(Incident, "before_insert")
def _begun_on_the_data_day(_mapper: Any, _connection: Any, incident: Incident) -> None:
    """Move a start the app took from its clock onto the data's day, keeping the order and the
    gaps between the incidents declared, also under a clock set back (clock_support.py)."""
    if not has_app_context() or ON_DATA_DAY not in current_app.extensions:
        return
    started = incident.started_at
    if started is None or abs(utcnow() - started) > _TAKEN_NOW:
        return
    incident.started_at = DATA_DAY_START + (started.astimezone(UTC) - _RUN_STARTED)
