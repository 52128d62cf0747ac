"""Idempotent submits against the real server process (`python app.py`, waitress, SQLite).

The form key is the idempotency key. A replay returns the first result; a key reused with
other content is refused; two identical requests racing each other create one case.
"""

from __future__ import annotations

import http.client
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.factories import referral_data

from .helpers import (
    ARRIVED,
    CONFLICT_TEXT,
    Client,
    Response,
    ServerProcess,
    db_rows,
    prepare_data_dir,
)

RACE_ROUNDS = 30
RACE_TIMEOUT = 20.0


@dataclass
class Live:
    server: ServerProcess
    client: Client
    csrf: str
    data_dir: Path

    def payload(self, name: str, **overrides: Any) -> dict[str, Any]:
        key = f"idem-{os.urandom(12).hex()}"
        return referral_data(
            form_key=key, patient_name=name, csrf_token=self.csrf, arrived_at=ARRIVED, **overrides
        )

    def case_ids(self, name: str) -> list[int]:
        return [
            r[0]
            for r in db_rows(self.data_dir, 'SELECT id FROM "case" WHERE patient_name = ?', (name,))
        ]

    def submission_case_ids(self, key: str) -> list[int]:
        return [
            r[0]
            for r in db_rows(self.data_dir, "SELECT case_id FROM submission WHERE key = ?", (key,))
        ]

    def tablet(self) -> Client:
        """Another connection of the same tablet (same session cookie)."""
        return Client(self.client.base_url, cookies=dict(self.client.cookies))


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    data_dir = tmp_path_factory.mktemp("idempotency") / "data"
    prepare_data_dir(data_dir, ["idem01"])
    server = ServerProcess(data_dir)
    try:
        server.start()
        client = Client(lambda: server.base_url)
        client.login("idem01")
        client.declare_incident()
        yield Live(server, client, client.csrf_token("/cases/new"), data_dir)
    finally:
        server.kill()


def test_replayed_submit_returns_the_original_result(live: Live) -> None:
    data = live.payload("Idempotens Replay")
    first = live.client.post("/cases/new", data)
    case_id = first.case_id()
    assert case_id is not None, (first.status, first.text[:300])

    for _ in range(3):
        again = live.client.post("/cases/new", data)
        assert again.status == first.status
        assert again.location == first.location
    # Same content from a fresh page load (new CSRF token) is still the same submit.
    other_page = dict(data, csrf_token=live.client.csrf_token("/cases/new"))
    assert live.client.post("/cases/new", other_page).location == first.location

    assert live.case_ids("Idempotens Replay") == [case_id]
    assert live.submission_case_ids(data["form_key"]) == [case_id]


def test_reused_key_with_other_content_is_refused(live: Live) -> None:
    data = live.payload("Idempotens Original")
    case_id = live.client.post("/cases/new", data).case_id()
    assert case_id is not None

    changed = dict(data, patient_name="Idempotens Ändrad", history="Annan anamnes.")
    refused = live.client.post("/cases/new", changed)
    assert refused.status == 409
    assert refused.case_id() is None
    assert CONFLICT_TEXT in refused.text

    assert live.case_ids("Idempotens Original") == [case_id]
    assert live.case_ids("Idempotens Ändrad") == []
    assert live.submission_case_ids(data["form_key"]) == [case_id]
    # The original is still replayable after the refusal.
    assert live.client.post("/cases/new", data).case_id() == case_id


def _race(live: Live, payloads: list[dict[str, Any]]) -> list[Response | BaseException]:
    """Send the payloads at the same instant, one thread and connection each."""
    barrier = threading.Barrier(len(payloads), timeout=RACE_TIMEOUT)
    results: list[Response | BaseException] = [TimeoutError("no answer")] * len(payloads)

    def send(i: int, client: Client) -> None:
        try:
            barrier.wait()
            results[i] = client.post("/cases/new", payloads[i])
        except (OSError, http.client.HTTPException, threading.BrokenBarrierError) as exc:
            results[i] = exc

    threads = [
        threading.Thread(target=send, args=(i, live.tablet()), daemon=True)
        for i in range(len(payloads))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=RACE_TIMEOUT)
    return results


@pytest.mark.parametrize("parallel", [2, 4])
def test_retry_while_first_request_runs_creates_one_case(live: Live, parallel: int) -> None:
    """A double-tap or an impatient retry: identical requests in flight at the same time."""
    for round_no in range(RACE_ROUNDS):
        name = f"Idempotens Kapplöpning {parallel}-{round_no:02d}"
        data = live.payload(name)
        results = _race(live, [data] * parallel)
        responses = [r for r in results if isinstance(r, Response)]
        assert len(responses) == parallel, results
        locations = {r.location for r in responses}
        assert all(r.case_id() is not None for r in responses), [
            (r.status, r.text[:200]) for r in responses
        ]
        assert len(locations) == 1, locations
        (case_id,) = {r.case_id() for r in responses}
        assert live.case_ids(name) == [case_id], name
        assert live.submission_case_ids(data["form_key"]) == [case_id]


def test_racing_same_key_with_different_content_stores_one(live: Live) -> None:
    """Two contents under one key at once: one wins, the other is refused, nothing doubles."""
    for round_no in range(10):
        first = live.payload(f"Idempotens Olika A{round_no:02d}")
        second = dict(first, patient_name=f"Idempotens Olika B{round_no:02d}")
        results = _race(live, [first, second])
        responses = [r for r in results if isinstance(r, Response)]
        assert len(responses) == 2, results
        winners = [r for r in responses if r.case_id() is not None]
        losers = [r for r in responses if r.case_id() is None]
        assert len(winners) == 1 and len(losers) == 1, [r.status for r in responses]
        assert CONFLICT_TEXT in losers[0].text
        stored = live.case_ids(first["patient_name"]) + live.case_ids(second["patient_name"])
        assert stored == [winners[0].case_id()]
        assert live.submission_case_ids(first["form_key"]) == stored


def test_replay_after_sigkill_returns_the_original_result(live: Live) -> None:
    data = live.payload("Idempotens Efter Krasch")
    first = live.client.post("/cases/new", data)
    assert first.case_id() is not None

    live.server.kill()
    live.server.start()

    again = live.client.post("/cases/new", data)
    assert again.location == first.location
    assert live.case_ids("Idempotens Efter Krasch") == [first.case_id()]
