"""A long outage compressed: tablets, a reporting station and the scan station on the real
server for SOAK_MINUTES (15), while the server's memory, descriptors and threads, the database
and its WAL file and the rows of every table are sampled. Prints the first minute beside the
last, and the rows each table gained per hour of load, to show what grows with time rather
than with the work done.

`python bench/soak.py` (SOAK_MINUTES=2 for a try-out). Ten times the tablets' real pace: the
board is refreshed every second rather than every ten, a form autosaved every half second.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import common as c
import seed
from bench_pages import users_by_role
from bench_submits import REPORT_DRAFT

from tests.factories import exam_data, local_minute, referral_data

MINUTES = float(os.environ.get("SOAK_MINUTES", "15"))
SAMPLE_SECONDS = 15
TABLETS = 8  # radiographers: board, case pages, referrals and exam documentation
READERS = 2  # radiologists: board, reporting screen, report drafts and saves
BACKGROUND = {"X-Reservrutin-Background": "1"}


@dataclass
class Load:
    """What the load did: latencies by minute and request kind, and unexpected answers."""

    start: float = field(default_factory=time.monotonic)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[tuple[int, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    unexpected: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    done: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def call(self, kind: str, fn, *args, expect: tuple[int, ...] = (200,), **kwargs) -> c.Response:
        t0 = time.monotonic()
        r = fn(*args, **kwargs)
        took = (time.monotonic() - t0) * 1000
        with self.lock:
            self.latencies[(int((t0 - self.start) // 60), kind)].append(took)
            self.done[kind] += 1
            if r.status not in expect:
                self.unexpected[f"{kind} {r.status}"] += 1
        return r


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    if not match:
        raise RuntimeError(f"no {name} on the page")
    return match.group(1)


def autosave(load: Load, s: c.Client, base: str, page: str, kind: str, **ids: object) -> None:
    """Five autosaves of a form being typed, as drafts.js sends them (the laptop's copy)."""
    key, token = hidden(page, "form_key"), hidden(page, "csrf_token")
    for seq in range(1, 6):
        body = {"kind": kind, "seq": seq, "data": {"notes": "x" * seq * 20}, "label": "Soak"}
        load.call(
            "autosave",
            s.request,
            "PUT",
            f"{base}/api/drafts/{key}",
            headers={"Content-Type": "application/json", "X-CSRFToken": token},
            body_json={**body, **ids},
        )
        time.sleep(0.5)


def pace(load: Load, seconds: float) -> bool:
    return not load.stop.wait(seconds * random.uniform(0.7, 1.3))


def board_rows_url(html: str) -> str:
    return re.search(r'data-refresh-url="([^"]+)"', html).group(1).replace("&amp;", "&")  # type: ignore[union-attr]


def poll_board(load: Load, s: c.Client, base: str) -> None:
    """A board left open: refreshed every second (ten times its real pace) until the end."""
    page = load.call("board", s.get, f"{base}/board/")
    url = base + board_rows_url(page.text)
    while pace(load, 1):
        load.call("board rows", s.get, url, headers=BACKGROUND)


def radiographer(load: Load, s: c.Client, base: str, cases: list[int], incident: int) -> None:
    """Case pages, then a new referral and its exam documentation, each form autosaved."""
    while pace(load, 3):
        load.call("case page", s.get, f"{base}/cases/{random.choice(cases)}")
        page = load.call("referral form", s.get, f"{base}/cases/new").text
        autosave(load, s, base, page, "referral", incident_id=incident)
        # Arrived now: the server holds an arrival to its incident's start.
        fields = referral_data(
            patient_name=f"Soak Patient {random.randrange(10**6)}", arrived_at=local_minute()
        )
        fields.update(form_key=hidden(page, "form_key"), csrf_token=hidden(page, "csrf_token"))
        r = load.call("referral submit", s.post, f"{base}/cases/new", fields, expect=(302,))
        found = re.search(r"/cases/(\d+)", r.headers.get("Location", ""))
        if not found:
            continue
        case_id = int(found.group(1))
        with load.lock:
            load.done["new case"] += 1
            new_cases.append(case_id)
        page = load.call("exam form", s.get, f"{base}/cases/{case_id}/exam").text
        autosave(load, s, base, page, "exam", case_id=case_id)
        # At the referral's arrival (now): a start a day before it and the outage is refused.
        now = local_minute()
        fields = exam_data(
            form_key=hidden(page, "form_key"),
            csrf_token=hidden(page, "csrf_token"),
            started_at=now,
            ended_at=now,
            pacs_sent_at=now,
        )
        load.call("exam submit", s.post, f"{base}/cases/{case_id}/exam", fields, expect=(302,))
        if random.random() < 0.2:
            # The red tray's sheets: cover, referral and documentation in one PDF.
            load.call("print", s.get, f"{base}/print/cases/{case_id}/all.pdf")


new_cases: list[int] = []


def radiologist(load: Load, s: c.Client, base: str, examined: list[int]) -> None:
    """The reporting screen of examined cases; a report typed (autosaved), then saved."""
    while pace(load, 4):
        with load.lock:
            pool = new_cases[-20:] or examined
        case_id = random.choice(pool)
        r = load.call("reporting screen", s.get, f"{base}/reporting/{case_id}")
        if r.status != 200 or 'name="form_key"' not in r.text:
            continue
        autosave(load, s, base, r.text, "report", case_id=case_id)
        fields = {**REPORT_DRAFT, "form_key": hidden(r.text, "form_key")}
        fields.update(csrf_token=hidden(r.text, "csrf_token"), version=hidden(r.text, "version"))
        load.call("report save", s.post, f"{base}/reporting/{case_id}", fields, expect=(302, 409))


def scan_station(load: Load, s: c.Client, base: str, codes: list[str]) -> None:
    """A sheet scanned every second."""
    while pace(load, 1):
        code = random.choice(codes).replace("-", "")
        load.call("scan", s.get, f"{base}/scan?code={quote(f'RR1:{code}:REM:1')}", expect=(302,))


def quiet_probe(s: c.Client, base: str, case_id: int) -> dict[str, float]:
    """Median ms of board refreshes and case pages with no other load (the data's own cost)."""
    page = s.get(f"{base}/board/")
    url = base + board_rows_url(page.text)
    out = {}
    for name, target, headers in (
        ("board refresh", url, BACKGROUND),
        ("case page", f"{base}/cases/{case_id}", {}),
    ):
        took = []
        for _ in range(30):
            t0 = time.monotonic()
            s.get(target, headers=headers)
            took.append((time.monotonic() - t0) * 1000)
        out[name] = sorted(took)[len(took) // 2]
    return out


def proc_figures(pid: int) -> tuple[float, int, int]:
    """RSS in MB, open descriptors and threads of the server process."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
    threads = int(re.search(r"Threads:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    return rss, len(os.listdir(f"/proc/{pid}/fd")), threads


def row_counts(database: Path) -> dict[str, int]:
    # Opened and closed per sample: a reader kept open here would itself pin the WAL.
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        rows = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        # The access log by action: which reads and events the load writes.
        for action, count in conn.execute("SELECT action, count(*) FROM audit_event GROUP BY 1"):
            rows[f"audit_event: {action}"] = count
        return rows


@dataclass(frozen=True)
class Sample:
    second: float
    rss_mb: float
    fds: int
    threads: int
    db_mb: float
    wal_mb: float
    rows: dict[str, int]


def sample(load: Load, pid: int, database: Path) -> Sample:
    rss, fds, threads = proc_figures(pid)
    wal = database.with_name(database.name + "-wal")
    return Sample(
        time.monotonic() - load.start,
        rss,
        fds,
        threads,
        database.stat().st_size / 2**20,
        (wal.stat().st_size if wal.exists() else 0) / 2**20,
        row_counts(database),
    )


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] if ordered else 0.0


def minute_p95(load: Load, minute: int, kinds: tuple[str, ...] | None = None) -> float:
    return p95(
        [
            v
            for (m, kind), values in load.latencies.items()
            if m == minute and (kinds is None or kind in kinds)
            for v in values
        ]
    )


def report(load: Load, samples: list[Sample]) -> None:
    first = next(s for s in samples if s.second >= 60) if samples[-1].second >= 60 else samples[0]
    last = samples[-1]
    minutes = int(last.second // 60)
    print(c.row("figure", "minute 1", f"minute {minutes}", "growth"))
    print(c.row("---", "---:", "---:", "---:"))
    for name, a, b in (
        ("server RSS MB", first.rss_mb, last.rss_mb),
        ("open descriptors", first.fds, last.fds),
        ("threads", first.threads, last.threads),
        ("database MB", first.db_mb, last.db_mb),
        ("WAL MB", first.wal_mb, last.wal_mb),
        ("p95 ms, all requests", minute_p95(load, 0), minute_p95(load, minutes - 1)),
        (
            "p95 ms, board refresh",
            minute_p95(load, 0, ("board rows",)),
            minute_p95(load, minutes - 1, ("board rows",)),
        ),
    ):
        print(c.row(name, f"{a:.1f}", f"{b:.1f}", f"{b - a:+.1f}"))
    print("p95 ms by minute: " + ", ".join(f"{minute_p95(load, m):.0f}" for m in range(minutes)))
    print(f"Largest WAL seen: {max(s.wal_mb for s in samples):.1f} MB")
    hours = (last.second - first.second) / 3600
    print("\n" + c.row("table", "rows at minute 1", "rows gained", "per hour of load"))
    print(c.row("---", "---:", "---:", "---:"))
    for table in sorted(last.rows):
        gained = last.rows[table] - first.rows.get(table, 0)
        if gained:
            print(c.row(table, first.rows.get(table, 0), gained, f"{gained / hours:,.0f}"))
    print("\nRequests: " + ", ".join(f"{k} {v:,}" for k, v in sorted(load.done.items())))
    print(f"Unexpected answers: {dict(load.unexpected) or 'none'}")


def main() -> int:
    print(f"Machine: {c.machine()}; waitress threads {c.THREADS}; {MINUTES:g} minutes")
    info = seed.manifest()
    board = info["incidents"]["board"]["id"]
    with tempfile.TemporaryDirectory(prefix="bench-soak-") as tmp:
        data_dir = seed.fresh_copy(Path(tmp))
        database = data_dir / "reservrutin.db"
        roles = users_by_role(data_dir)
        with closing(sqlite3.connect(database)) as conn:
            cases = [
                r[0] for r in conn.execute("SELECT id FROM 'case' WHERE incident_id=?", (board,))
            ]
            examined = [
                r[0]
                for r in conn.execute(
                    "SELECT c.id FROM 'case' c JOIN exam_record e ON e.case_id = c.id "
                    "WHERE c.incident_id = ? AND c.status = 'exam_done'",
                    (board,),
                )
            ]
        codes = info["codes"]
        with c.app_server(data_dir) as app:
            load = Load()
            pin = info["pin"]
            workers = []
            for n in range(TABLETS):
                s = c.login(app.base, roles["radiographer"][n % len(roles["radiographer"])], pin)
                workers.append((poll_board, (load, s, app.base)))
                workers.append((radiographer, (load, s, app.base, cases, board)))
            for n in range(READERS):
                s = c.login(app.base, roles["radiologist"][n % len(roles["radiologist"])], pin)
                workers.append((poll_board, (load, s, app.base)))
                workers.append((radiologist, (load, s, app.base, examined)))
            s = c.login(app.base, roles["secretary"][0], pin)
            workers.append((scan_station, (load, s, app.base, codes)))
            threads = [threading.Thread(target=f, args=a, daemon=True) for f, a in workers]
            quiet_before = quiet_probe(s, app.base, cases[0])
            load.start = time.monotonic()
            for t in threads:
                t.start()
            samples = [sample(load, app.process.pid, database)]
            deadline = load.start + MINUTES * 60
            while time.monotonic() < deadline:
                time.sleep(min(SAMPLE_SECONDS, max(0.0, deadline - time.monotonic())))
                samples.append(sample(load, app.process.pid, database))
                s0 = samples[-1]
                print(
                    f"  {s0.second / 60:5.1f} min: RSS {s0.rss_mb:.0f} MB, fds {s0.fds}, "
                    f"threads {s0.threads}, db {s0.db_mb:.1f} MB, WAL {s0.wal_mb:.1f} MB",
                    flush=True,
                )
            load.stop.set()
            for t in threads:
                t.join(timeout=30)
            quiet_after = quiet_probe(s, app.base, cases[0])
        report(load, samples)
        for name, ms in quiet_before.items():
            print(
                f"Quiet (no other load) median {name}: {ms:.1f} ms before, "
                f"{quiet_after[name]:.1f} ms after the soak"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
