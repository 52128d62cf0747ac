"""The scan station after a long outage: one sheet at a time, with a full scan log.

A secretary scans the red tray's sheets one by one, so the figure is one request's time on the
real server (median and p95), not throughput. The data dir is made by the measured checkout's
own code (BENCH_APP_ROOT, as the other scripts): a demo drill of TEMPLATE_CASES cases, copied
with new codes up to CASES cases (the seed of `seed.py` takes long to build, and the station's
answer depends on how many cases and scans there are, not on how varied the cases are). The
cases get SCAN_EVENTS earlier scans (each case's referral, documentation form and report, then
cover sheets until the count is reached); then LOOKUPS sheets never scanned (the common case:
the station finds no earlier scan) and LOOKUPS sheets scanned before ("Redan öppnad") are
scanned, in random order. The plan SQLite chooses for the "scanned before?" query, and that
query's time alone, are printed too.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import subprocess
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

CASES = int(os.environ.get("BENCH_SCAN_CASES", "10000"))
TEMPLATE_CASES = 200
SCAN_EVENTS = int(os.environ.get("BENCH_SCAN_EVENTS", "30000"))
LOOKUPS = int(os.environ.get("BENCH_SCAN_LOOKUPS", "200"))
WARMUP = 10
PIN = seed.DEMO_PIN
# Run by the measured checkout's Python in its own directory: its schema, its migrations.
BUILD = """
import random, sqlite3, sys
sys.path.insert(0, ".")
from sqlalchemy import event
from sqlalchemy.engine import Engine
from webapp import create_app
from webapp.codes import generate_case_code
from webapp.demo import run_demo
from webapp.extensions import db
from webapp.startup import prepare

data_dir, cases, template, pin = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
app = create_app({"DATA_DIR": data_dir})
prepare(app)

@event.listens_for(Engine, "connect")
def _fast(dbapi_connection, _record):
    dbapi_connection.execute("PRAGMA synchronous=OFF")

with app.app_context():
    db.engine.dispose()
    run_demo(cases=template, seed=52, pin=pin)
    db.session.remove()
    db.engine.dispose()
conn = sqlite3.connect(data_dir + "/reservrutin.db")
columns = ", ".join(
    f'"{r[1]}"' for r in conn.execute('PRAGMA table_info("case")') if r[1] not in ("id", "code")
)
ids = [r[0] for r in conn.execute('SELECT id FROM "case" ORDER BY id')]
taken = {r[0] for r in conn.execute('SELECT code FROM "case" UNION SELECT code FROM reserved_code')}
rng = random.Random(52)
rows = []
while len(ids) + len(rows) < cases:
    code = generate_case_code(rng)
    if code not in taken:
        taken.add(code)
        rows.append((code, ids[len(rows) % len(ids)]))
conn.executemany(
    f'INSERT INTO "case" (code, {columns}) SELECT ?, {columns} FROM "case" WHERE id = ?', rows
)
conn.commit()
conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
conn.close()
"""


def build(data_dir: Path) -> None:
    """A data dir of CASES cases, made by the measured checkout."""
    data_dir.mkdir()
    subprocess.run(
        [c.PYTHON, "-c", BUILD, str(data_dir), str(CASES), str(TEMPLATE_CASES), PIN],
        cwd=c.APP_ROOT,
        check=True,
        capture_output=True,
    )


# The station's query as webapp/catchup/scans.py sends it (the whole row: its time and user).
QUERY = "SELECT * FROM scan_event WHERE payload = ? ORDER BY id LIMIT 1"


def fill_scan_log(database: Path, count: int) -> tuple[list[str], list[str]]:
    """Log `count` earlier scans; return (payloads logged, payloads of sheets never scanned)."""
    with closing(sqlite3.connect(database)) as conn:
        cases = conn.execute('SELECT id, code, incident_id FROM "case" ORDER BY id').fetchall()
        user_id = conn.execute("SELECT id FROM user WHERE role = 'secretary' LIMIT 1").fetchone()[0]
        sheets = [
            (case_id, incident_id, make_case_payload(code, doc, 1), doc)
            for doc in ("REM", "DOK", "UTL", "BAK")
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


def timed_queries(database: Path, payloads: list[str]) -> list[float]:
    """Milliseconds per "scanned before?" query alone, without the request around it."""
    times = []
    with closing(sqlite3.connect(database)) as conn:
        for payload in payloads:
            start = time.perf_counter()
            conn.execute(QUERY, (payload,)).fetchall()
            times.append((time.perf_counter() - start) * 1000)
    return times


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
    print(f"Machine: {c.machine()}; app from {c.APP_ROOT}")
    rng = random.Random(52)
    with tempfile.TemporaryDirectory(prefix="bench-scan-") as tmp:
        data_dir = Path(tmp) / "data"
        build(data_dir)
        database = data_dir / "reservrutin.db"
        logged, unscanned = fill_scan_log(database, SCAN_EVENTS)
        first = rng.sample(unscanned, min(LOOKUPS + WARMUP, len(unscanned)))
        again = rng.sample(logged, min(LOOKUPS, len(logged)))
        with sqlite3.connect(database) as conn:
            cases = conn.execute('SELECT count(*) FROM "case"').fetchone()[0]
            (secretary,) = conn.execute(
                "SELECT username FROM user WHERE role = 'secretary' ORDER BY id LIMIT 1"
            ).fetchone()
        with c.app_server(data_dir) as app:
            cookie = c.cookie_header(c.login(app.base, secretary, PIN))
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
        # The query alone, after the run: the sheets not scanned yet, and those scanned before.
        left = sorted(set(unscanned) - set(first))
        queries = {
            "first": timed_queries(database, rng.sample(left, min(LOOKUPS, len(left)))),
            "again": timed_queries(database, again),
        }
    print(f"{cases:,} cases, {SCAN_EVENTS:,} scans logged before ({events:,} after the run)")
    print(f"Query plan: {plan}")
    print(c.row("scan", "lookups", "median ms", "p95 ms", "query alone median ms", "p95 ms"))
    print(c.row("---", "---:", "---:", "---:", "---:", "---:"))
    for label, kind in (("sheet never scanned", "first"), ("sheet scanned before", "again")):
        found, alone = times[kind], queries[kind]
        print(
            c.row(
                label,
                str(len(found)),
                f"{statistics.median(found):.1f}",
                f"{p95(found):.1f}",
                f"{statistics.median(alone):.3f}",
                f"{p95(alone):.3f}",
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
