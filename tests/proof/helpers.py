"""A real `python app.py` server process and a small HTTP client with its own cookies.

Only 127.0.0.1 is ever contacted. Every wait is bounded, so a test that goes wrong fails
instead of hanging.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from tests.factories import CHEAP_ARGON2, DEFAULT_PIN, local_minute, make_user

PROJECT_ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
DB_FILENAME = "reservrutin.db"
CASE_URL_RE = re.compile(r"^(?:https?://[^/]+)?/cases/(\d+)$")
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
CONFLICT_TEXT = "redan sparat som ett ärende"
# The real server holds a referral's arrival to its incident's start (arrival_bound_rule), and
# its incident is declared while the tests run: the referrals arrive then too, once for all (a
# payload sent again must be the same to the byte).
ARRIVED = local_minute()


def free_port() -> int:
    """A port the OS just had free on 127.0.0.1 (each xdist worker asks for its own)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex((HOST, port)) == 0


def prepare_data_dir(
    data_dir: Path, usernames: list[str], role: str = "radiographer"
) -> dict[str, dict[str, str]]:
    """Migrate a fresh data dir, create the users and log each in; return their cookies.

    This runs in this process, before any server does. The login goes through the app's own
    /login view (CSRF on) with the test suite's cheap argon2 profile: the server would rehash
    every PIN at production cost on first login, about half a second of CPU per tablet. The
    session cookies are signed with the data dir's secret key, so the real server accepts them.
    """
    from webapp import create_app
    from webapp.extensions import db
    from webapp.startup import prepare

    data_dir.mkdir(parents=True, exist_ok=True)
    app = create_app(
        {
            "DATA_DIR": data_dir,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{data_dir / DB_FILENAME}",
            **CHEAP_ARGON2,
        }
    )
    prepare(app)
    cookies: dict[str, dict[str, str]] = {}
    try:
        with app.app_context():
            for name in usernames:
                make_user(role=role, username=name, display_name=f"Test {name}")
        for name in usernames:
            client = app.test_client()
            page = client.get("/login").get_data(as_text=True)
            match = CSRF_RE.search(page)
            assert match, "ingen csrf_token på /login"
            resp = client.post(
                "/login",
                data={"username": name, "secret": DEFAULT_PIN, "csrf_token": match[1] or match[2]},
            )
            assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
            cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
            assert cookie is not None
            cookies[name] = {cookie.key: cookie.value}
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return cookies


def server_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESERVRUTIN_")}
    env.pop("DATABASE_URL", None)
    env["RESERVRUTIN_DATA_DIR"] = str(data_dir)
    env["PYTHONUNBUFFERED"] = "1"
    return env


class ServerProcess:
    """`python app.py --host 127.0.0.1 --port P --data-dir DIR`, killable without warning."""

    def __init__(self, data_dir: Path, threads: int = 8) -> None:
        self.data_dir = data_dir
        self.threads = threads
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.start_seconds: list[float] = []
        self._log: Any = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        """Start and wait for /healthz; on a lost port (another worker took it) pick a new one."""
        began = time.monotonic()
        deadline = began + timeout
        for _attempt in range(3):
            if _listening(self.port):
                # Someone else (another xdist worker) has the port: never talk to their server.
                self.port = free_port()
                continue
            self._spawn()
            if self._wait_healthy(deadline):
                self.start_seconds.append(round(time.monotonic() - began, 2))
                return
            self.kill()
            self.port = free_port()
        raise AssertionError(f"servern startade inte; se {self.data_dir}/server-*.log")

    def _spawn(self) -> None:
        assert self.proc is None
        self.starts += 1
        log_path = self.data_dir / f"server-{self.starts}.log"
        self._log = open(log_path, "wb")  # noqa: SIM115  (closed in kill())
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(PROJECT_ROOT / "app.py"),
                "--host",
                HOST,
                "--port",
                str(self.port),
                "--data-dir",
                str(self.data_dir),
                "--threads",
                str(self.threads),
            ],
            cwd=PROJECT_ROOT,
            env=server_env(self.data_dir),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )

    def _wait_healthy(self, deadline: float) -> bool:
        assert self.proc is not None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                try:
                    conn.request("GET", "/healthz")
                    resp = conn.getresponse()
                    resp.read()
                    if resp.status == 200:
                        return True
                finally:
                    conn.close()
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def kill(self) -> None:
        """SIGKILL (TerminateProcess on Windows): no shutdown code in the server runs."""
        proc, self.proc = self.proc, None
        if proc is not None:
            if proc.poll() is None:
                if hasattr(signal, "SIGKILL"):
                    os.kill(proc.pid, signal.SIGKILL)
                else:
                    proc.kill()
            proc.wait(timeout=15)
        if self._log is not None:
            self._log.close()
            self._log = None


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    def case_id(self) -> int | None:
        """The case the server acknowledged: a 302 to /cases/<id>."""
        if self.status not in (302, 303):
            return None
        match = CASE_URL_RE.match(self.location)
        return int(match.group(1)) if match else None


@dataclass
class Client:
    """One tablet: its own cookies; a fresh connection per request; timeouts on every call."""

    base_url: Any  # a str, or a callable returning the current one (the server may move port)
    timeout: float = 10.0
    cookies: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _url(self) -> str:
        return self.base_url() if callable(self.base_url) else self.base_url

    def request(
        self,
        method: str,
        path: str,
        data: dict[str, Any] | None = None,
        json_body: Any = None,
        extra_headers: dict[str, str] | None = None,
    ) -> Response:
        parsed = urllib.parse.urlsplit(self._url())
        assert parsed.hostname == HOST, parsed
        headers = {"Connection": "close", **(extra_headers or {})}
        with self._lock:
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection(HOST, parsed.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8", errors="replace")
            with self._lock:
                for raw in resp.headers.get_all("Set-Cookie") or []:
                    jar: SimpleCookie = SimpleCookie()
                    jar.load(raw)
                    for name, morsel in jar.items():
                        self.cookies[name] = morsel.value
            return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, text)
        finally:
            conn.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, Any]) -> Response:
        return self.request("POST", path, data)

    def csrf_token(self, path: str) -> str:
        resp = self.get(path)
        assert resp.status == 200, (path, resp.status, resp.text[:300])
        match = CSRF_RE.search(resp.text)
        assert match, f"ingen csrf_token på {path}"
        return match.group(1) or match.group(2)

    def login(self, username: str, pin: str = DEFAULT_PIN) -> None:
        token = self.csrf_token("/login")
        resp = self.post("/login", {"username": username, "secret": pin, "csrf_token": token})
        assert resp.status == 302, (resp.status, resp.text[:500])

    def declare_incident(self) -> None:
        token = self.csrf_token("/incidents/new")
        resp = self.post("/incidents/new", {"scenario": "integration", "csrf_token": token})
        assert resp.status == 302, (resp.status, resp.text[:500])


def with_retries(call: Any, attempts: int = 20, pause: float = 0.1) -> Any:
    """Retry a call that fails because the server is (re)starting."""
    for attempt in range(attempts):
        try:
            return call()
        except OSError:
            if attempt == attempts - 1:
                raise
            time.sleep(pause)
    return None


def db_rows(data_dir: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Read the SQLite file directly (after the server is gone), not through the app."""
    conn = sqlite3.connect(data_dir / DB_FILENAME, timeout=10)
    try:
        return list(conn.execute(sql, params))
    finally:
        conn.close()
