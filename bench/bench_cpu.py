"""Server CPU time per request, one request at a time, beside the stack's read and write limits.

wrk's throughput on this shared 2-core VM swings by up to 2× within minutes, while the CPU time
the server process spends on one request hardly moves. Under the GIL the server's throughput
is at most one core divided by that time, so the ratio of a page's CPU time to the minimal
route's is the best throughput ratio it can reach, however many tablets ask. Requests go one at
a time from this process; the server's user+system time is read from /proc before and after.
"""

from __future__ import annotations

import http.client
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import common as c
import seed
from bench_pages import scenarios, sessions_for, users_by_role
from bench_submits import Submit, submit_sessions, submits

SECONDS = float(os.environ.get("BENCH_CPU_SECONDS", "3"))
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def measure(pid: int, send: Callable[[int], int], expect: int) -> tuple[float, float, int]:
    """(server CPU ms, wall ms) per request over SECONDS of sequential requests."""
    for i in range(5):  # warm caches and prepared statements first
        send(i)
    n = 0
    cpu0, wall0 = cpu_seconds(pid), time.perf_counter()
    while time.perf_counter() - wall0 < SECONDS:
        status = send(n)
        if status != expect:
            raise RuntimeError(f"answered {status}, expected {expect}")
        n += 1
    wall = time.perf_counter() - wall0
    return (cpu_seconds(pid) - cpu0) * 1000 / n, wall * 1000 / n, n


def row(name: str, cpu_ms: float, wall_ms: float, n: int, limit_ms: float) -> str:
    return c.row(name, f"{cpu_ms:.2f}", f"{wall_ms:.2f}", f"{n:,}", f"{limit_ms / cpu_ms:.2f}")


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


def page_sender(base: str, paths: list[str], cookies: list[str]) -> Callable[[int], int]:
    client = KeepAlive(base)

    def send(i: int) -> int:
        headers = {"Cookie": cookies[i % len(cookies)]} if cookies else {}
        return client.send("GET", paths[i * 7919 % len(paths)], headers)

    return send


def submit_sender(base: str, sub: Submit, sessions: list[tuple[str, str]]) -> Callable[[int], int]:
    client = KeepAlive(base)
    stamp = time.time_ns()

    def send(i: int) -> int:
        cookie, token = sessions[i % len(sessions)]
        fields = {**sub.fields, "csrf_token": token}
        if "form_key" in fields:
            fields["form_key"] = f"cpu{stamp}n{i}"
        path = sub.paths[i * 7919 % len(sub.paths)]
        return client.send("POST", path, {"Cookie": cookie}, urlencode(fields))

    return send


def main() -> int:
    print(f"Machine: {c.machine()}; waitress threads {c.THREADS}; one request at a time")
    header = [
        c.row("request", "server CPU ms", "wall ms", "requests", "× limit (CPU ratio)"),
        c.row("---", "---:", "---:", "---:", "---:"),
    ]
    with tempfile.TemporaryDirectory(prefix="bench-cpu-") as tmp:
        with c.server(["bench/stack_apps.py", "read", "--threads", str(c.THREADS)]) as srv:
            hello = measure(srv.process.pid, page_sender(srv.base, ["/"], []), 200)
        write_args = ["bench/stack_apps.py", "write", "--threads", str(c.THREADS)]
        with c.server([*write_args, "--data-dir", str(Path(tmp) / "limit")]) as srv:
            writer = KeepAlive(srv.base)

            def send_write(i: int) -> int:
                form = {"key": f"k{time.time_ns()}n{i}", "text": "Ingen blödning"}
                return writer.send("POST", "/write", {}, urlencode(form))

            write = measure(srv.process.pid, send_write, 204)
        pages = [*header, row("read limit (Flask hello)", *hello, hello[0])]
        saves = [*header, row("durable-write limit (Flask + 1 INSERT)", *write, write[0])]
        data_dir = seed.fresh_copy(Path(tmp))
        pin = seed.manifest()["pin"]
        roles = users_by_role(data_dir)
        with c.app_server(data_dir) as app:
            pid = app.process.pid
            for sc in scenarios(data_dir):
                cookies = sessions_for(app.base, roles[sc.role], pin) if sc.logged_in else []
                sent = measure(pid, page_sender(app.base, sc.paths, cookies), int(sc.expect))
                pages.append(row(sc.name, *sent, hello[0]))
            for sub in submits(data_dir):
                ids = [int(n) for n in sub.paths[0].split("/") if n.isdigit()]
                sessions = submit_sessions(app.base, roles[sub.role], pin, sub.form_page(ids))
                sent = measure(pid, submit_sender(app.base, sub, sessions), 302)
                saves.append(row(sub.name, *sent, write[0]))
    print("Pages (× limit: read-limit CPU per request ÷ the page's)")
    print("\n".join(pages))
    print("\nSubmits (× limit: write-limit CPU per request ÷ the submit's)")
    print("\n".join(saves))
    return 0


if __name__ == "__main__":
    sys.exit(main())
