"""Pages under load (wrk, 20 connections) against the real server, beside the read limit."""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import common as c
import seed
from common import ROOT


@dataclass(frozen=True)
class Scenario:
    name: str
    role: str
    paths: list[str]
    expect: str  # the status every response should have
    is_page: bool = True  # the floors are shown beside the pages but have no goal of their own
    logged_in: bool = True


def users_by_role(data_dir: Path) -> dict[str, list[str]]:
    with sqlite3.connect(data_dir / "reservrutin.db") as conn:
        found: dict[str, list[str]] = {}
        for username, role in conn.execute("SELECT username, role FROM user ORDER BY id"):
            found.setdefault(role, []).append(username)
    return found


def sessions_for(base: str, users: list[str], pin: str, n: int = 5) -> list[str]:
    """Cookie headers of n logged-in sessions (tablets), round-robin over the role's users."""
    return [c.cookie_header(c.login(base, users[i % len(users)], pin)) for i in range(n)]


def scenarios(data_dir: Path) -> list[Scenario]:
    info = seed.manifest()
    board = info["incidents"]["board"]["id"]
    with sqlite3.connect(data_dir / "reservrutin.db") as conn:
        cases = [
            r[0] for r in conn.execute("SELECT id FROM 'case' WHERE incident_id = ?", (board,))
        ]
        examined = [
            r[0]
            for r in conn.execute(
                "SELECT c.id FROM 'case' c JOIN exam_record e ON e.case_id = c.id "
                "WHERE c.incident_id = ? AND c.status != 'cancelled'",
                (board,),
            )
        ]
        codes = [r[0] for r in conn.execute("SELECT code FROM 'case'")]
    css = sorted(p.name for p in (ROOT / "static" / "css").glob("*.css"))[0]
    return [
        # Not pages: what the app's own stack costs before any page work. A static file goes
        # through the same request hooks and headers but touches no database; /healthz without
        # a cookie adds one query; with a session it adds the session check.
        Scenario(
            "app floor: a static CSS file",
            "radiographer",
            [f"/static/css/{css}"],
            "200",
            False,
            logged_in=False,
        ),
        Scenario(
            "app floor: /healthz, no session",
            "radiographer",
            ["/healthz"],
            "200",
            False,
            logged_in=False,
        ),
        # Not a page: the cheapest request a logged-in tablet can make (the session is checked
        # against the database, nothing is rendered or logged), to show what every page pays.
        Scenario("logged-in floor (/healthz)", "radiographer", ["/healthz"], "200", False),
        Scenario(
            f"board ({len(cases)} cases, 60 most urgent shown)", "radiographer", ["/board/"], "200"
        ),
        Scenario(
            f"board ({len(cases)} cases, all shown)", "radiographer", ["/board/?all=1"], "200"
        ),
        Scenario("case page", "radiographer", [f"/cases/{i}" for i in cases], "200"),
        Scenario(
            f"outage follow-up ({len(cases)} cases)",
            "secretary",
            [f"/incidents/{board}/followup"],
            "200",
        ),
        Scenario("reporting screen", "radiologist", [f"/reporting/{i}" for i in examined], "200"),
        Scenario(
            f"scan lookup ({len(codes):,} cases)",
            "secretary",
            [
                f"/scan?code=RR1:{code.replace('-', '')}:REM:1"
                for code in codes[:: max(1, len(codes) // 2000)]
            ],
            "302",
        ),
    ]


def page_lua(paths: list[str], cookies: list[str]) -> str:
    return f"""
paths = {c.lua_list(paths)}
cookies = {c.lua_list(cookies)}
function request()
  local path = paths[math.random(#paths)]
  if #cookies == 0 then return wrk.format("GET", path) end
  return wrk.format("GET", path, {{["Cookie"] = cookies[math.random(#cookies)]}})
end
"""


def check(result: c.WrkResult, expect: str) -> str:
    other = {k: v for k, v in result.statuses.items() if k != expect}
    if other or result.errors:
        return f"unexpected: {other} errors {result.errors}"
    return ""


def main() -> int:
    c.ensure_wrk()
    print(f"Machine: {c.machine()}; waitress threads {c.THREADS}, {c.CONNECTIONS} connections")
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        with c.server(["bench/stack_apps.py", "read", "--threads", str(c.THREADS)]) as limit:
            read = c.run_wrk(limit.base, 'function request() return wrk.format("GET", "/") end')
        data_dir = seed.fresh_copy(Path(tmp))
        pin = seed.manifest()["pin"]
        roles = users_by_role(data_dir)
        lines = [
            c.row("page", "req/s", "p50 ms", "p95 ms", "p99 ms", "× read limit", "goal"),
            c.row("---", "---:", "---:", "---:", "---:", "---:", "---"),
            c.row("read limit (Flask hello)", *c.fmt(read), "1.00", ""),
        ]
        with c.app_server(data_dir) as app:
            sessions = {role: sessions_for(app.base, roles[role], pin) for role in roles}
            # BENCH_ONLY=board,case runs only the scenarios whose names contain those words.
            only = [w for w in os.environ.get("BENCH_ONLY", "").split(",") if w]
            for sc in scenarios(data_dir):
                if only and not any(w in sc.name for w in only):
                    continue
                cookies = sessions[sc.role] if sc.logged_in else []
                result = c.run_wrk(app.base, page_lua(sc.paths, cookies))
                ratio = result.rps / read.rps
                ok = ratio >= 0.5 and result.p95_ms <= 50
                note = check(result, sc.expect)
                lines.append(
                    c.row(
                        sc.name,
                        *c.fmt(result),
                        f"{ratio:.2f}",
                        ("met" if ok else "MISSED" if sc.is_page else "–")
                        + (f" ({note})" if note else ""),
                    )
                )
            rss = app.rss_mb()
        print("\n".join(lines))
        print(f"Server RSS after the page runs: {rss:.0f} MB (goal ≤ 200 MB)")
        print("Goal: ≥ 0.5 × read limit and p95 ≤ 50 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
