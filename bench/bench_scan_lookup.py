"""The scan station after a long outage: one sheet at a time, with a full scan log.

A secretary scans the red tray's sheets one by one, so the figure is one request's time on the
real server (median and p95), not throughput. The seed's cases get SCAN_EVENTS earlier scans
(each case's referral and documentation form, then reports until the count is reached); then
LOOKUPS sheets never scanned (the common case: the station finds no earlier scan) and LOOKUPS
sheets scanned before ("Redan öppnad") are scanned, in random order. The plan SQLite chooses for
the station's "scanned before?" query is printed beside the figures.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import common as c
import seed

# seed puts the checkout on the path.
from webapp.codes import make_case_payload

SCAN_EVENTS = int(int(os.environ.get("BENCH_SCAN_EVENTS", "30000")) * seed.SCALE)
LOOKUPS = int(os.environ.get("BENCH_SCAN_LOOKUPS", "200"))
WARMUP = 10
# The station's query as webapp/catchup/scans.py sends it.
QUERY = "SELECT id FROM scan_event WHERE payload = ? ORDER BY id LIMIT 1"


def fill_scan_log(database: Path, count: int) -> tuple[list[str], list[str]]:
    """Log `count` earlier scans; return (payloads logged, payloads of sheets never scanned)."""
    with closing(sqlite3.connect(database)) as conn:
        cases = conn.execute('SELECT id, code, incident_id FROM "case" ORDER BY id').fetchall()
        user_id = conn.execute("SELECT id FROM user WHERE role = 'secretary' LIMIT 1").fetchone()[0]
        sheets = [
            (case_id, incident_id, make_case_payload(code, doc, 1), doc)
            for doc in ("REM", "DOK", "UTL")
            for case_id, code, incident_id in cases
        ]
        logged, unscanned = sheets[:count], sheets[count:]
        conn.executemany(
            "INSERT INTO scan_event (case_id, incident_id, payload, doc, user_id, at) "
            "VALUES (?, ?, ?, ?, ?, '2026-01-01 08:00:00.000000')",
            [
                (case_id, incident_id, payload, doc, user_id)
                for case_id, incident_id, payload, doc in logged
            ],
        )
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return [s[2] for s in logged], [s[2] for s in unscanned]


def query_plan(database: Path) -> str:
    with closing(sqlite3.connect(database)) as conn:
        rows = conn.execute(f"EXPLAIN QUERY PLAN {QUERY}", ("RR1:X",)).fetchall()
    return "; ".join(str(r[-1]) for r in rows)


def timed_scans(base: str, cookie: str, payloads: list[str]) -> list[float]:
    """Milliseconds per scan, each answered with the case's page (302)."""
    times = []
    for payload in payloads:
        start = time.perf_counter()
        r = c.Client().get(f"{base}/scan?code={quote(payload)}", headers={"Cookie": cookie})
        times.append((time.perf_counter() - start) * 1000)
        if r.status != 302 or "/login" in r.headers.get("Location", ""):
            raise RuntimeError(f"{payload} answered {r.status}")
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def main() -> int:
    print(f"Machine: {c.machine()}")
    rng = random.Random(52)
    with tempfile.TemporaryDirectory(prefix="bench-scan-") as tmp:
        data_dir = seed.fresh_copy(Path(tmp))
        database = data_dir / "reservrutin.db"
        logged, unscanned = fill_scan_log(database, SCAN_EVENTS)
        first = rng.sample(unscanned, min(LOOKUPS + WARMUP, len(unscanned)))
        again = rng.sample(logged, min(LOOKUPS, len(logged)))
        pin = seed.manifest()["pin"]
        with sqlite3.connect(database) as conn:
            cases = conn.execute('SELECT count(*) FROM "case"').fetchone()[0]
            (secretary,) = conn.execute(
                "SELECT username FROM user WHERE role = 'secretary' ORDER BY id LIMIT 1"
            ).fetchone()
        with c.app_server(data_dir) as app:
            cookie = c.cookie_header(c.login(app.base, secretary, pin))
            timed_scans(app.base, cookie, first[:WARMUP])
            # Interleaved, as a red tray holds both: neither kind runs on a warmer cache.
            mixed = [(p, "first") for p in first[WARMUP:]] + [(p, "again") for p in again]
            rng.shuffle(mixed)
            times: dict[str, list[float]] = {"first": [], "again": []}
            for payload, kind in mixed:
                times[kind] += timed_scans(app.base, cookie, [payload])
        with sqlite3.connect(database) as conn:
            (events,) = conn.execute("SELECT count(*) FROM scan_event").fetchone()
        plan = query_plan(database)
    print(f"{cases:,} cases, {SCAN_EVENTS:,} scans logged before ({events:,} after the run)")
    print(f"Query plan: {plan}")
    print(c.row("scan", "lookups", "median ms", "p95 ms"))
    print(c.row("---", "---:", "---:", "---:"))
    for label, kind in (("sheet never scanned", "first"), ("sheet scanned before", "again")):
        found = times[kind]
        print(c.row(label, str(len(found)), f"{statistics.median(found):.1f}", f"{p95(found):.1f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
