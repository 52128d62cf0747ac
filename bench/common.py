"""Shared by the benchmark scripts: servers in subprocesses, wrk runs, logins, machine facts."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
# Another checkout's app.py for before/after figures: BENCH_APP_ROOT=/tmp/before make bench
APP_ROOT = Path(os.environ.get("BENCH_APP_ROOT") or ROOT)
PYTHON = sys.executable
THREADS = int(os.environ.get("BENCH_THREADS", "8"))  # app.py's default; the limits use the same
CONNECTIONS = 20
DURATION = int(os.environ.get("BENCH_SECONDS", "10"))
WARMUP = 2
HOST = "127.0.0.1"


def machine() -> str:
    """One line: cores, CPU model, RAM."""
    model = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
    return f"{os.cpu_count()} cores, {model}, {kib / 1024 / 1024:.0f} GB RAM"


def ensure_wrk() -> str:
    """Path to wrk; installs Debian's package when running as root, else explains and exits."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: installing Debian's package (apt-get install -y wrk)", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False)
        found = shutil.which("wrk")
        if found:
            return found
    print(
        "The benchmarks need the load generator wrk. Install it with "
        "`sudo apt-get install wrk` (Debian/Ubuntu) and run `make bench` again.",
        file=sys.stderr,
    )
    sys.exit(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Client:
    """A tiny HTTP client with a cookie jar that never follows redirects (stdlib only)."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(
        self,
        method: str,
        url: str,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
        body_json: object | None = None,
    ) -> Response:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        if body_json is not None:
            body = json.dumps(body_json).encode()
        req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with self._opener.open(req, timeout=timeout) as r:
                return Response(r.status, dict(r.headers), r.read())
        except urllib.error.HTTPError as e:
            return Response(e.code, dict(e.headers), e.read())

    def get(self, url: str, **kwargs: object) -> Response:
        return self.request("GET", url, **kwargs)  # type: ignore[arg-type]

    def post(self, url: str, data: dict[str, object], **kwargs: object) -> Response:
        return self.request("POST", url, data=data, **kwargs)  # type: ignore[arg-type]


@dataclass
class Server:
    """A server process on 127.0.0.1 and how long it took to answer its health URL."""

    process: subprocess.Popen[bytes]
    base: str
    startup_seconds: float
    log: Path

    def rss_mb(self) -> float:
        """Resident memory of the server process (VmRSS)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kib = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
        return kib / 1024

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@contextmanager
def server(args: Sequence[str], health: str = "/healthz", cwd: Path = ROOT) -> Iterator[Server]:
    """Start `python <args> --host 127.0.0.1 --port P`, wait for 200 on health, stop at exit."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="bench-server-", suffix=".log")[1])
    start = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [PYTHON, *args, "--host", HOST, "--port", str(port)],
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=dict(os.environ),
        )
    base = f"http://{HOST}:{port}"
    deadline = start + 60
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if Client().get(base + health, timeout=2).status == 200:
                break
        except OSError:
            pass
        if time.perf_counter() > deadline:
            process.kill()
            raise RuntimeError("server did not answer within 60 s")
        time.sleep(0.02)
    srv = Server(process, base, time.perf_counter() - start, log)
    try:
        yield srv
    finally:
        srv.stop()
        # Kept only when the server failed to start (its tail is in the error above).
        log.unlink(missing_ok=True)


def app_server(data_dir: Path, root: Path = APP_ROOT) -> Server:
    """The real app as `make run` serves it (waitress, file SQLite, CSRF and login on)."""
    args = [str(root / "app.py"), "--data-dir", str(data_dir), "--threads", str(THREADS)]
    return server(args, cwd=root)  # type: ignore[return-value]


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[str, int]
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


LUA_COMMON = r"""
local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  statuses = {}
  math.randomseed(tid * 7919 + os.time())
  if init_scenario then init_scenario() end
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local merged = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do merged[tostring(k)] = (merged[tostring(k)] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(merged) do table.insert(parts, string.format('"%s":%d', k, v)) end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d,' ..
    '"errors":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, table.concat(parts, ",")))
end
function random_key()
  local chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
  local out = {}
  for i = 1, 32 do
    local n = math.random(1, #chars)
    out[i] = chars:sub(n, n)
  end
  return table.concat(out)
end
"""


def lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string literal for ASCII text


def lua_list(values: Sequence[str]) -> str:
    return "{" + ",".join(lua_string(v) for v in values) + "}"


def run_wrk(
    base: str, scenario_lua: str, *, duration: int = DURATION, connections: int = CONNECTIONS
) -> WrkResult:
    """Warm up, then run wrk with the scenario's request() for `duration` seconds."""
    wrk = ensure_wrk()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA_COMMON + "\n" + scenario_lua)
        script = f.name
    try:
        for seconds, keep in ((WARMUP, False), (duration, True)):
            out = subprocess.run(
                [
                    wrk,
                    "-t1",
                    f"-c{connections}",
                    f"-d{seconds}s",
                    "--timeout",
                    "10s",
                    "-s",
                    script,
                    base,
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            if keep:
                line = next(x for x in out.splitlines() if x.startswith("WRKJSON "))
                data = json.loads(line[len("WRKJSON ") :])
                return WrkResult(
                    requests=data["requests"],
                    seconds=data["duration_us"] / 1e6,
                    p50_ms=data["p50"] / 1000,
                    p95_ms=data["p95"] / 1000,
                    p99_ms=data["p99"] / 1000,
                    max_ms=data["max"] / 1000,
                    statuses=data["statuses"],
                    errors=data["errors"],
                )
    finally:
        os.unlink(script)
    raise AssertionError("unreachable")


def login(base: str, username: str, pin: str) -> Client:
    """A logged-in client (CSRF token taken from the login page)."""
    s = Client()
    page = s.get(f"{base}/login")
    r = s.post(
        f"{base}/login",
        data={"username": username, "secret": pin, "csrf_token": csrf_token(page.text)},
    )
    if r.status != 302 or "/login" in r.headers.get("Location", ""):
        raise RuntimeError(f"login as {username} failed: {r.status}")
    return s


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def cookie_header(s: Client) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in s.cookies)


def row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def fmt(result: WrkResult) -> list[str]:
    """rps, p50, p95, p99 and a note when anything but the expected statuses came back."""
    return [
        f"{result.rps:,.0f}",
        f"{result.p50_ms:.1f}",
        f"{result.p95_ms:.1f}",
        f"{result.p99_ms:.1f}",
    ]
