"""Server CPU time per request, one request at a time, beside the stack's read and write limits.

Under the GIL the server's throughput is at most one core divided by the CPU time one request
costs, so the ratio of a page's CPU time to the minimal route's is the best throughput ratio it
can reach, however many tablets ask. Requests go one at a time over a kept-alive connection
from this process; the server's user+system time is read from /proc before and after.

The shared VM's speed drifts by up to 2× within minutes, so every row alternates in short
rounds between the app and the stack limit it is compared with, and a slow minute falls on
both. A before/after pair is measured the same way in one run:
`BENCH_COMPARE_ROOT=/path/to/other/checkout` serves that checkout's app beside this one (each
on its own copy of the seed) and adds it to every row's rounds.
"""

from __future__ import annotations

import http.client
import os
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import common as c
import seed
from bench_pages import scenarios, sessions_for, users_by_role
from bench_submits import Submit, settle, submit_sessions, submits

SECONDS = float(os.environ.get("BENCH_CPU_SECONDS", "3"))
ROUNDS = 6
TICK = os.sysconf("SC_CLK_TCK")

Sender = Callable[[int], int]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


@dataclass
class Tally:
    """Server CPU and wall time over the requests sent to one server."""

    pid: int
    send: Sender
    expect: int
    cpu: float = 0.0
    wall: float = 0.0
    n: int = field(default=0)

    def run(self, seconds: float) -> None:
        cpu0, wall0 = cpu_seconds(self.pid), time.perf_counter()
        while time.perf_counter() - wall0 < seconds:
            status = self.send(self.n)
            if status != self.expect:
                raise RuntimeError(f"answered {status}, expected {self.expect}")
            self.n += 1
        self.wall += time.perf_counter() - wall0
        self.cpu += cpu_seconds(self.pid) - cpu0

    @property
    def cpu_ms(self) -> float:
        return self.cpu * 1000 / self.n

    @property
    def wall_ms(self) -> float:
        return self.wall * 1000 / self.n


def measure(tallies: list[Tally]) -> list[Tally]:
    """SECONDS of requests to each server, alternating between them in ROUNDS rounds."""
    for tally in tallies:
        for i in range(5):  # warm caches and prepared statements first
            tally.send(-1 - i)
    for _ in range(ROUNDS):
        for tally in tallies:
            tally.run(SECONDS / ROUNDS)
    return tallies


class KeepAlive:
    """One kept-alive HTTP/1.1 connection, as wrk and the tablets' browsers use."""

    def __init__(self, base: str) -> None:
        self.conn = http.client.HTTPConnection(urlsplit(base).netloc, timeout=30)

    def send(self, method: str, path: str, headers: dict[str, str], body: str | None = None) -> int:
        if body is not None:
            headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        response.read()
        return response.status


def page_sender(base: str, paths: list[str], cookies: list[str]) -> Sender:
    client = KeepAlive(base)

    def send(i: int) -> int:
        headers = {"Cookie": cookies[i % len(cookies)]} if cookies else {}
        return client.send("GET", paths[i * 7919 % len(paths)], headers)

    return send


def submit_sender(
    base: str, sub: Submit, sessions: list[tuple[str, str]], versions: dict[str, str]
) -> Sender:
    client = KeepAlive(base)
    stamp = time.time_ns()

    def send(i: int) -> int:
        cookie, token = sessions[i % len(sessions)]
        path = sub.paths[i * 7919 % len(sub.paths)]
        fields = {**sub.fields_for(path, versions), "csrf_token": token}
        if "form_key" in fields:
            fields["form_key"] = f"cpu{stamp}n{i}"
        return client.send("POST", path, {"Cookie": cookie}, urlencode(fields))

    return send


def write_sender(base: str) -> Sender:
    client = KeepAlive(base)
    stamp = time.time_ns()

    def send(i: int) -> int:
        form = {"key": f"k{stamp}n{i}", "text": "Ingen blödning"}
        return client.send("POST", "/write", {}, urlencode(form))

    return send


def total(tallies: list[Tally]) -> Tally:
    """The tallies of one server over several rows, as one."""
    out = Tally(tallies[0].pid, tallies[0].send, tallies[0].expect)
    for t in tallies:
        out.cpu, out.wall, out.n = out.cpu + t.cpu, out.wall + t.wall, out.n + t.n
    return out


def main() -> int:
    compare = os.environ.get("BENCH_COMPARE_ROOT")
    roots = [Path(compare), c.APP_ROOT] if compare else [c.APP_ROOT]
    print(f"Machine: {c.machine()}; waitress threads {c.THREADS}; one request at a time")
    if compare:
        print(f"before: {roots[0]}\nafter:  {roots[1]}")
        header = [
            c.row("request", "before CPU ms", "after CPU ms", "after ÷ before", "× limit after"),
            c.row("---", "---:", "---:", "---:", "---:"),
        ]
    else:
        header = [
            c.row("request", "server CPU ms", "wall ms", "requests", "× limit (CPU ratio)"),
            c.row("---", "---:", "---:", "---:", "---:"),
        ]

    def row(name: str, tallies: list[Tally], limit: Tally) -> str:
        last = tallies[-1]
        ratio = f"{limit.cpu_ms / last.cpu_ms:.2f}"
        if compare:
            before = tallies[0]
            change = f"{last.cpu_ms / before.cpu_ms:.2f}"
            return c.row(name, f"{before.cpu_ms:.2f}", f"{last.cpu_ms:.2f}", change, ratio)
        return c.row(name, f"{last.cpu_ms:.2f}", f"{last.wall_ms:.2f}", f"{last.n:,}", ratio)

    with tempfile.TemporaryDirectory(prefix="bench-cpu-") as tmp_name, ExitStack() as stack:
        tmp = Path(tmp_name)
        threads = ["--threads", str(c.THREADS)]
        reader = stack.enter_context(c.server(["bench/stack_apps.py", "read", *threads]))
        write_args = ["bench/stack_apps.py", "write", *threads, "--data-dir", str(tmp / "limit")]
        writer = stack.enter_context(c.server(write_args))
        pin = seed.manifest()["pin"]
        apps = []
        for n, root in enumerate(roots):
            data_dir = seed.fresh_copy(tmp / f"app{n}")
            apps.append((stack.enter_context(c.app_server(data_dir, root)), data_dir))
        roles = users_by_role(apps[0][1])
        # Each row alternates with its stack limit too, so the "× limit" ratio is drift-proof.
        page_rows, reads = [], []
        for sc in scenarios(apps[0][1]):
            limit = Tally(reader.process.pid, page_sender(reader.base, ["/"], []), 200)
            tallies = []
            for app, _ in apps:
                cookies = sessions_for(app.base, roles[sc.role], pin) if sc.logged_in else []
                send = page_sender(app.base, sc.paths, cookies)
                tallies.append(Tally(app.process.pid, send, int(sc.expect)))
            measure([limit, *tallies])
            reads.append(limit)
            page_rows.append(row(sc.name, tallies, limit))
        save_rows, writes = [], []
        for sub in submits(apps[0][1]):
            limit = Tally(writer.process.pid, write_sender(writer.base), 204)
            ids = [int(n) for n in sub.paths[0].split("/") if n.isdigit()]
            tallies = []
            for app, data_dir in apps:
                sessions = submit_sessions(app.base, sub.users(roles), pin, sub.form_page(ids))
                versions = settle(app.base, sub, sessions, data_dir)
                send = submit_sender(app.base, sub, sessions, versions)
                tallies.append(Tally(app.process.pid, send, 302))
            measure([limit, *tallies])
            writes.append(limit)
            save_rows.append(row(sub.name, tallies, limit))
    read, write = total(reads), total(writes)
    pages = [*header, row("read limit (Flask hello)", [read] * len(roots), read), *page_rows]
    limit_row = row("durable-write limit (Flask + 1 INSERT)", [write] * len(roots), write)
    saves = [*header, limit_row, *save_rows]
    print("Pages (× limit: read-limit CPU per request ÷ the page's)")
    print("\n".join(pages))
    print("\nSubmits (× limit: write-limit CPU per request ÷ the submit's)")
    print("\n".join(saves))
    return 0


if __name__ == "__main__":
    sys.exit(main())
