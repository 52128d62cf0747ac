"""Crash proof: tablets submit while the server is killed without warning, again and again.

The real server (`python app.py`, waitress, SQLite WAL, synchronous=FULL) runs as a child
process. Two dozen client threads, each logged in as its own radiographer, submit referrals;
the server is SIGKILLed (TerminateProcess on Windows) at a random moment, restarted on the same
data dir, and killed again. A client that got no answer retries with the same form key, as a
tablet would. At the end every submission the server acknowledged must be in the database
exactly once, retried keys included, and the file must pass SQLite's integrity check.

Run `pytest tests/proof/test_crash.py -s` to see the figures; they are also written as JSON.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.factories import referral_data

from .helpers import ARRIVED, CONFLICT_TEXT, Client, ServerProcess, db_rows, prepare_data_dir

CLIENTS = 24
CYCLES = 4
KILL_AFTER = (0.2, 1.5)  # seconds after the server answers /healthz
RETRY_PAUSE = 0.05
RETRY_PAUSE_MAX = 0.25
FINAL_DRAIN_SECONDS = 90.0  # after the last restart: time for every pending retry to land
HARD_DEADLINE_SECONDS = 180.0  # the client threads stop by themselves after this, whatever happens


@dataclass
class Attempt:
    key: str
    patient_name: str
    payload: dict[str, Any]
    tries: int = 0
    failures: int = 0
    first_failure_at: datetime | None = None
    case_id: int | None = None
    acked_in_run: int = 0  # which server run (1 = first start) answered it


class Tablet(threading.Thread):
    """One tablet: submits referral after referral; on no answer, retries the same key."""

    def __init__(
        self,
        index: int,
        client: Client,
        server: ServerProcess,
        draining: threading.Event,
        stop: threading.Event,
        deadline: float,
    ) -> None:
        super().__init__(name=f"tablet-{index}", daemon=True)
        self.index = index
        self.client = client
        self.server = server
        self.draining = draining
        self.stop = stop
        self.deadline = deadline
        self.csrf = ""
        self.attempts: list[Attempt] = []
        self.unexpected: list[str] = []

    def _next(self) -> Attempt:
        seq = len(self.attempts) + 1
        name = f"Kraschtest T{self.index:02d} N{seq:04d}"
        key = f"crash-t{self.index:02d}-n{seq:04d}-{os.urandom(6).hex()}"
        payload = referral_data(
            form_key=key, patient_name=name, csrf_token=self.csrf, arrived_at=ARRIVED
        )
        attempt = Attempt(key=key, patient_name=name, payload=payload)
        self.attempts.append(attempt)
        return attempt

    def run(self) -> None:
        current: Attempt | None = None
        while time.monotonic() < self.deadline and not self.stop.is_set():
            if current is None:
                if self.draining.is_set():
                    return
                current = self._next()
            current.tries += 1
            try:
                resp = self.client.post("/cases/new", current.payload)
            except (OSError, http.client.HTTPException):
                # Refused, reset or cut off mid-answer: the server died. Same key again.
                current.failures += 1
                if current.first_failure_at is None:
                    current.first_failure_at = datetime.now(UTC)
                time.sleep(min(RETRY_PAUSE_MAX, RETRY_PAUSE * current.failures))
                continue
            case_id = resp.case_id()
            if case_id is not None:
                current.case_id = case_id
                current.acked_in_run = self.server.starts
                current = None
                continue
            conflict = CONFLICT_TEXT in resp.text
            self.unexpected.append(
                f"{current.key}: HTTP {resp.status} {resp.location or ''}"
                f"{' (konflikt)' if conflict else ''}"
            )
            if len(self.unexpected) > 20:
                return
            time.sleep(RETRY_PAUSE)


def _parse_utc(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def test_acknowledged_referrals_survive_sigkill(tmp_path: Path) -> None:
    seed = int(os.environ.get("RESERVRUTIN_PROOF_SEED") or int.from_bytes(os.urandom(4), "big"))
    rng = random.Random(seed)
    started = time.monotonic()
    data_dir = tmp_path / "data"
    usernames = [f"krasch{i:02d}" for i in range(CLIENTS)]
    cookies = prepare_data_dir(data_dir, usernames)

    server = ServerProcess(data_dir)
    tablets: list[Tablet] = []
    draining = threading.Event()
    stop = threading.Event()  # set on the way out, whatever happened: no tablet outlives the test
    kill_times: list[float] = []
    try:
        server.start()
        first = Client(lambda: server.base_url)
        first.login(usernames[0])
        first.declare_incident()
        deadline = time.monotonic() + HARD_DEADLINE_SECONDS
        for i, name in enumerate(usernames):
            # The first tablet logs in over HTTP; the others bring a session made in-process.
            client = first if i == 0 else Client(lambda: server.base_url, cookies=cookies[name])
            tablet = Tablet(i, client, server, draining, stop, deadline)
            tablet.csrf = client.csrf_token("/cases/new")
            tablets.append(tablet)
        for tablet in tablets:
            tablet.start()

        for cycle in range(CYCLES):
            if cycle:
                server.start()
            pause = rng.uniform(*KILL_AFTER)
            kill_times.append(round(pause, 3))
            time.sleep(pause)
            server.kill()

        # Back up for good: the tablets stop taking new referrals and retry what is pending.
        server.start()
        draining.set()
        drain_until = time.monotonic() + FINAL_DRAIN_SECONDS
        for tablet in tablets:
            tablet.join(timeout=max(0.1, drain_until - time.monotonic()))
        still_running = [t.name for t in tablets if t.is_alive()]
    finally:
        draining.set()
        stop.set()
        for tablet in tablets:
            if tablet.is_alive():
                tablet.join(timeout=15)
        server.kill()

    attempts = [a for t in tablets for a in t.attempts]
    unexpected = [u for t in tablets for u in t.unexpected]
    acked = [a for a in attempts if a.case_id is not None]
    retried = [a for a in attempts if a.failures]

    integrity = db_rows(data_dir, "PRAGMA integrity_check")
    fk_problems = db_rows(data_dir, "PRAGMA foreign_key_check")
    cases = db_rows(data_dir, 'SELECT id, patient_name FROM "case"')
    submissions = db_rows(
        data_dir, "SELECT key, case_id, created_at FROM submission WHERE kind = 'referral'"
    )
    case_ids_by_name: dict[str, list[int]] = {}
    for case_id, name in cases:
        case_ids_by_name.setdefault(name, []).append(case_id)
    submission_by_key = {key: (case_id, created) for key, case_id, created in submissions}
    cases_per_submission: dict[int, int] = {}
    for case_id, _created in submission_by_key.values():
        cases_per_submission[case_id] = cases_per_submission.get(case_id, 0) + 1

    found = [a for a in acked if case_ids_by_name.get(a.patient_name) == [a.case_id]]
    duplicate_names = {n: ids for n, ids in case_ids_by_name.items() if len(ids) > 1}
    # A retried key whose first try had committed before the kill: the retry got a replay.
    replayed_after_crash = [
        a
        for a in retried
        if a.key in submission_by_key
        and a.first_failure_at is not None
        and _parse_utc(submission_by_key[a.key][1]) < a.first_failure_at
    ]

    figures = {
        "seed": seed,
        "clients": CLIENTS,
        "cycles": CYCLES,
        "server_starts": server.starts,
        "server_start_seconds": server.start_seconds,
        "kill_after_seconds": kill_times,
        "submissions_attempted": len(attempts),
        "post_attempts_incl_refused": sum(a.tries for a in attempts),
        "acknowledged": len(acked),
        "acknowledged_per_server_run": [
            sum(1 for a in acked if a.acked_in_run == run) for run in range(1, server.starts + 1)
        ],
        "found_exactly_once": len(found),
        "duplicates": sum(len(ids) - 1 for ids in duplicate_names.values()),
        "retried_with_same_key": len(retried),
        "retries_answered_by_replay": len(replayed_after_crash),
        "cases_in_db": len(cases),
        "submission_rows": len(submissions),
        "unexpected_responses": len(unexpected),
        "integrity_check": integrity[0][0] if integrity else None,
        "seconds": round(time.monotonic() - started, 1),
    }
    (tmp_path / "crash_proof.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print("\nKraschtest (SIGKILL under last):")
    for name, value in figures.items():
        print(f"  {name}: {value}")
    print(f"  json: {tmp_path / 'crash_proof.json'}")

    assert not still_running, f"klienter blev inte klara: {still_running}"
    assert not unexpected, unexpected[:10]
    assert len(acked) >= CLIENTS, "för lite last för att bevisa något"
    assert len(acked) == len(attempts), "varje inskick ska till slut ha kvitterats"
    assert integrity == [("ok",)], integrity
    assert fk_problems == [], fk_problems
    assert not duplicate_names, duplicate_names
    found_keys = {a.key for a in found}
    missing = [a.key for a in acked if a.key not in found_keys]
    assert not missing, f"kvitterade men saknas/fel ärende: {missing[:10]}"
    # Every acknowledged key maps to exactly its case, and every case to exactly one key.
    for attempt in acked:
        assert submission_by_key.get(attempt.key, (None,))[0] == attempt.case_id, attempt.key
    assert all(n == 1 for n in cases_per_submission.values()), cases_per_submission
    assert set(submission_by_key) == {a.key for a in attempts}
    assert {cid for cid, _name in cases} == set(cases_per_submission)
    # The server really was killed mid-flight: some submissions had to be retried.
    assert retried, "inget inskick avbröts – dödades servern verkligen under last?"
