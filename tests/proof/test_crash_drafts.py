"""Crash proof of the autosave: tablets save their drafts while the server is SIGKILLed.

The real server (`python app.py`, waitress, SQLite WAL, synchronous=FULL) is killed at random
moments while tablets save a draft keystroke by keystroke, as drafts.js does: each save the
next count of the whole form; one that got no answer is sent again, count and text the same.
Afterwards each draft holds at least the last save the laptop answered, and the text stored is
the text of the count stored: no save is lost, and none is there half. `pytest -s` shows the
figures.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .helpers import Client, ServerProcess, db_rows, prepare_data_dir

TABLETS = 8
CYCLES = 3
KILL_AFTER = (0.3, 1.2)  # seconds after the server answers /healthz
DEADLINE_SECONDS = 60.0  # a safety stop only


@dataclass
class Tablet:
    client: Client
    csrf: str
    key: str
    writer: str
    acked: int = 0  # the last count the laptop answered as stored
    retried: int = 0
    unexpected: list[str] = field(default_factory=list)


def _text(tablet: Tablet, seq: int) -> str:
    return f"{tablet.key} skrivet till tecken {seq}"


def _typist(tablet: Tablet, stop: threading.Event, until: float) -> None:
    seq = 1
    while not stop.is_set() and time.monotonic() < until:
        body = {
            "kind": "referral",
            "seq": seq,
            "label": "Kraschtest",
            "data": {"patient_name": _text(tablet, seq)},
            "writer": tablet.writer,
            "base": tablet.acked,
        }
        try:
            resp = tablet.client.request(
                "PUT",
                f"/api/drafts/{tablet.key}",
                json_body=body,
                extra_headers={"X-CSRFToken": tablet.csrf},
            )
        except (OSError, http.client.HTTPException):
            tablet.retried += 1
            time.sleep(0.05)
            continue  # the same count and text again, as the page's timer sends it
        state = json.loads(resp.text).get("state") if resp.status == 200 else None
        if state not in ("created", "saved", "held"):
            tablet.unexpected.append(f"{seq}: HTTP {resp.status} {resp.text[:200]}")
            return
        tablet.acked = seq
        seq += 1


def test_acknowledged_autosaves_survive_sigkill(tmp_path: Path) -> None:
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    data_dir = tmp_path / "data"
    names = [f"kd-rsk{i:02d}" for i in range(TABLETS)]
    cookies = prepare_data_dir(data_dir, names)
    server = ServerProcess(data_dir)
    stop = threading.Event()
    tablets: list[Tablet] = []
    threads: list[threading.Thread] = []
    try:
        server.start()
        first = Client(lambda: server.base_url, cookies=cookies[names[0]])
        first.declare_incident()
        until = time.monotonic() + DEADLINE_SECONDS
        for i, name in enumerate(names):
            client = Client(lambda: server.base_url, cookies=cookies[name])
            tablet = Tablet(
                client,
                client.csrf_token("/cases/new"),
                f"kd{i:02d}-{os.urandom(8).hex()}",
                f"w{i:07d}",
            )
            tablets.append(tablet)
            threads.append(threading.Thread(target=_typist, args=(tablet, stop, until)))
        for thread in threads:
            thread.daemon = True
            thread.start()
        for cycle in range(CYCLES):
            if cycle:
                server.start()
            time.sleep(rng.uniform(*KILL_AFTER))
            server.kill()
        server.start()
        time.sleep(0.5)  # the retries land on the server that stays up
        stop.set()
        for thread in threads:
            thread.join(timeout=max(0.1, until - time.monotonic()))
        assert not any(t.is_alive() for t in threads), "en platta blev inte klar"
    finally:
        stop.set()
        server.kill()

    # The figures, seen with `pytest -s`.
    print(
        f"saves answered {sum(t.acked for t in tablets)}, sent again after no answer "
        f"{sum(t.retried for t in tablets)}, server starts {server.starts}"
    )
    unexpected = [u for t in tablets for u in t.unexpected]
    assert not unexpected, unexpected[:10]
    assert sum(t.retried for t in tablets), "servern dödades aldrig mitt i en sparning"
    assert db_rows(data_dir, "PRAGMA integrity_check") == [("ok",)]
    stored = {
        key: (seq, json.loads(data)["patient_name"])
        for key, seq, data in db_rows(data_dir, "SELECT form_key, client_seq, data FROM draft")
    }
    for tablet in tablets:
        seq, text = stored[tablet.key]
        assert seq >= tablet.acked, (tablet.key, seq, tablet.acked)
        assert text == _text(tablet, seq), (tablet.key, seq, text)
