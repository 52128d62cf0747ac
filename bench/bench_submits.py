"""Form submits under load (wrk, 20 connections, a fresh form_key per request) beside the
durable-write limit; then start-up time and server memory after the load."""

from __future__ import annotations

import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import common as c
import seed
from bench_pages import users_by_role

from tests.factories import exam_data, local_minute, referral_data

SESSIONS = 5


@dataclass(frozen=True)
class Submit:
    name: str
    role: str
    form_page: Callable[[list[int]], str]  # a GET that renders the form (for the CSRF token)
    paths: list[str]
    fields: dict[str, object]  # form_key and csrf_token are filled in per request
    count_sql: str  # rows that one successful submit adds
    # (case id, version) of the record an edit names: a form carries the version it showed,
    # and a save naming an older one is refused as a conflict (409).
    version_sql: str = ""

    def users(self, roles: dict[str, list[str]]) -> list[str]:
        """Who submits: for an edit one user, as a report or an exam record names its author,
        and another user's save would change it and move the version on under the others."""
        return roles[self.role][:1] if self.version_sql else roles[self.role]

    def fields_for(self, path: str, versions: dict[str, str]) -> dict[str, object]:
        """The submit's fields for one path, with the version the tablet's form showed."""
        return {**self.fields, "version": versions[path]} if self.version_sql else self.fields


def db_count(data_dir: Path, sql: str) -> int:
    with sqlite3.connect(data_dir / "reservrutin.db") as conn:
        return int(conn.execute(sql).fetchone()[0])


def give_accessions(data_dir: Path) -> None:
    """Save a RIS accession for every case of the board, as a secretary does before ticking
    'booked' (refused without one), so the ticks spread over all its cases as before."""
    board = seed.manifest()["incidents"]["board"]["id"]
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(data_dir / "reservrutin.db") as conn:
        conn.execute(
            "INSERT INTO catchup_record (case_id, ris_accession, ris_exam_number, waive_reason, "
            "version, updated_at) SELECT c.id, '', '', '', 1, ? FROM 'case' c "
            "LEFT JOIN catchup_record k ON k.case_id = c.id "
            "WHERE c.incident_id = ? AND k.id IS NULL",
            (now, board),
        )
        conn.execute(
            "UPDATE catchup_record SET ris_accession = 'B' || case_id WHERE ris_accession = '' "
            "AND case_id IN (SELECT id FROM 'case' WHERE incident_id = ?)",
            (board,),
        )


# A patient of its own: the test factories' default name is one the demo's seed also gives
# other patients under other numbers, and a referral under it is asked about as a namesake.
BENCH_PATIENT = {"patient_name": "Benjamin Mätsson"}
# A report draft saved as a radiologist saves one (the form key is the page's).
REPORT_DRAFT = {
    "action": "save",
    "template_id": "",
    "sections-0-heading": "Fynd",
    "sections-0-text": "Ingen blödning. Normalvida ventriklar. Inga skallfrakturer.",
    "sections-1-heading": "Bedömning",
    "sections-1-text": "Ingen akut intrakraniell patologi.",
}


def submits(data_dir: Path) -> list[Submit]:
    board = seed.manifest()["incidents"]["board"]["id"]
    with sqlite3.connect(data_dir / "reservrutin.db") as conn:
        open_cases = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM 'case' WHERE incident_id = ? AND status IN "
                "('referral_received', 'exam_done')",
                (board,),
            )
        ]
        unsigned = [
            r[0]
            for r in conn.execute(
                "SELECT c.id FROM 'case' c JOIN exam_record e ON e.case_id = c.id "
                "LEFT JOIN report r ON r.case_id = c.id "
                "WHERE c.incident_id = ? AND c.status = 'exam_done' "
                "AND (r.id IS NULL OR r.state = 'draft')",
                (board,),
            )
        ]
        # 'Booked' is done only on a case with its RIS accession saved (give_accessions).
        tickable = [
            r[0]
            for r in conn.execute(
                "SELECT c.id FROM 'case' c JOIN catchup_record k ON k.case_id = c.id "
                "WHERE c.incident_id = ? AND c.status != 'cancelled' AND k.waived_at IS NULL "
                "AND k.ris_accession != ''",
                (board,),
            )
        ]
    report = {"form_key": "", **REPORT_DRAFT}
    # The exam at the run's time: the server refuses a start a day before its referral's
    # arrival and its incident's start, and the factory's date is the suite's own.
    now = local_minute()
    return [
        Submit(
            "referral (new case)",
            "radiographer",
            lambda ids: "/cases/new",
            ["/cases/new"],
            # Arrived now: the server holds an arrival to its incident's start, and the seed's
            # incident is brought to the run's time (the factory's date is the suite's own).
            referral_data(**BENCH_PATIENT, arrived_at=local_minute()),
            "SELECT count(*) FROM submission WHERE kind = 'referral'",
        ),
        Submit(
            "exam documentation",
            "radiographer",
            lambda ids: f"/cases/{ids[0]}/exam",
            [f"/cases/{i}/exam" for i in open_cases],
            exam_data(started_at=now, ended_at=now, pacs_sent_at=now),
            "SELECT count(*) FROM submission WHERE kind = 'exam'",
            "SELECT case_id, version FROM exam_record",
        ),
        Submit(
            "report save (draft)",
            "radiologist",
            lambda ids: f"/reporting/{ids[0]}",
            [f"/reporting/{i}" for i in unsigned],
            report,
            "SELECT count(*) FROM submission WHERE kind = 'report'",
            "SELECT case_id, version FROM report",
        ),
        Submit(
            "catch-up tick",
            "secretary",
            lambda ids: f"/catchup/cases/{ids[0]}",
            [f"/catchup/cases/{i}/steps" for i in tickable],
            {"step": "booked", "is_done": "1"},
            "SELECT count(*) FROM catchup_tick",
        ),
    ]


def submit_sessions(
    base: str, users: list[str], pin: str, form_page: str, count: int = SESSIONS
) -> list[tuple[str, str]]:
    """(cookie header, CSRF token) of logged-in sessions, each after loading a form once."""
    out = []
    for i in range(count):
        s = c.login(base, users[i % len(users)], pin)
        page = s.get(base + form_page)
        if page.status != 200:
            raise RuntimeError(f"{form_page} answered {page.status}")
        out.append((c.cookie_header(s), c.csrf_token(page.text)))
    return out


def _versions(data_dir: Path, sub: Submit) -> dict[int, int]:
    with sqlite3.connect(data_dir / "reservrutin.db") as conn:
        return {int(case): int(version) for case, version in conn.execute(sub.version_sql)}


def _case_of(path: str) -> int:
    return int(re.findall(r"/(\d+)", path)[0])


def settle(
    base: str, sub: Submit, sessions: list[tuple[str, str]], data_dir: Path
) -> dict[str, str]:
    """Save each path's form once, as the load will; return the version each form then shows.

    The load repeats the same content, which changes nothing after this first save, so the
    versions stay put and every submit of the run names the current one, as an up-to-date
    tablet does.
    """
    if not sub.version_sql:
        return {}
    cookie, token = sessions[0]
    before = _versions(data_dir, sub)
    client = c.Client()
    for n, path in enumerate(sub.paths):
        shown = before.get(_case_of(path))
        fields = {**sub.fields, "csrf_token": token, "version": "" if shown is None else shown}
        fields["form_key"] = f"settle{time.time_ns()}n{n}"
        r = client.post(base + path, data=fields, headers={"Cookie": cookie})
        if r.status != 302:
            raise RuntimeError(f"{sub.name}: settling {path} answered {r.status}")
    after = _versions(data_dir, sub)
    return {path: str(after[_case_of(path)]) for path in sub.paths}


def submit_lua(sub: Submit, sessions: list[tuple[str, str]], versions: dict[str, str]) -> str:
    bodies = []
    for path in sub.paths:
        fields = sub.fields_for(path, versions)
        kept = {k: v for k, v in fields.items() if k not in ("form_key", "csrf_token")}
        body = urlencode(kept) + "&csrf_token=__CSRF__"
        if "form_key" in sub.fields:
            body += "&form_key=__KEY__"
        bodies.append(body)
    cookies = [s[0] for s in sessions]
    tokens = [s[1] for s in sessions]
    return f"""
paths = {c.lua_list(sub.paths)}
bodies = {c.lua_list(bodies)}
cookies = {c.lua_list(cookies)}
tokens = {c.lua_list(tokens)}
headers = {{["Content-Type"] = "application/x-www-form-urlencoded"}}
function request()
  local n = math.random(#cookies)
  local k = math.random(#paths)
  headers["Cookie"] = cookies[n]
  local b = bodies[k]:gsub("__CSRF__", tokens[n]):gsub("__KEY__", random_key())
  return wrk.format("POST", paths[k], headers, b)
end
"""


def preflight(
    base: str, sub: Submit, sessions: list[tuple[str, str]], versions: dict[str, str]
) -> None:
    """One submit by hand: it must answer 302 (saved), not 400 (form or CSRF error)."""
    cookie, token = sessions[0]
    fields = {**sub.fields_for(sub.paths[0], versions), "csrf_token": token}
    if "form_key" in fields:
        fields["form_key"] = "preflight" + str(time.time_ns())
    r = c.Client().post(base + sub.paths[0], data=fields, headers={"Cookie": cookie})
    if r.status != 302 or "/login" in r.headers.get("Location", ""):
        Path("/tmp/preflight.html").write_text(r.text)
        errors = re.findall(r'class="(?:flash|error|field-error)[^"]*"[^>]*>\s*([^<]+)', r.text)
        raise RuntimeError(f"{sub.name}: preflight answered {r.status}: {errors}")


def main() -> int:
    c.ensure_wrk()
    print(f"Machine: {c.machine()}; waitress threads {c.THREADS}, {c.CONNECTIONS} connections")
    with tempfile.TemporaryDirectory(prefix="bench-submits-") as tmp:
        limit_dir = Path(tmp) / "limit"
        with c.server(
            [
                "bench/stack_apps.py",
                "write",
                "--threads",
                str(c.THREADS),
                "--data-dir",
                str(limit_dir),
            ]
        ) as limit:
            write = c.run_wrk(
                limit.base,
                'function request() return wrk.format("POST", "/write", '
                '{["Content-Type"] = "application/x-www-form-urlencoded"}, '
                '"key=" .. random_key() .. "&text=Ingen+bl%C3%B6dning") end',
            )
        data_dir = seed.fresh_copy(Path(tmp))
        give_accessions(data_dir)
        pin = seed.manifest()["pin"]
        roles = users_by_role(data_dir)
        lines = [
            c.row(
                "submit",
                "req/s",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "× write limit",
                "saved/answered",
                "goal",
            ),
            c.row("---", "---:", "---:", "---:", "---:", "---:", "---:", "---"),
            c.row("durable-write limit (Flask + 1 INSERT, FULL)", *c.fmt(write), "1.00", "", ""),
        ]
        with c.app_server(data_dir) as app:
            startup = app.startup_seconds
            for sub in submits(data_dir):
                ids = [int(n) for n in re.findall(r"/(\d+)", sub.paths[0])]
                sessions = submit_sessions(app.base, sub.users(roles), pin, sub.form_page(ids))
                versions = settle(app.base, sub, sessions, data_dir)
                preflight(app.base, sub, sessions, versions)
                before = db_count(data_dir, sub.count_sql)
                lua = submit_lua(sub, sessions, versions)
                result = c.run_wrk(app.base, lua, duration=c.DURATION)
                saved = db_count(data_dir, sub.count_sql) - before
                ratio = result.rps / write.rps
                other = {k: v for k, v in result.statuses.items() if k != "302"}
                ok = ratio >= 0.5 and result.p99_ms <= 200 and not other and not result.errors
                # saved counts the warm-up run too; answered is the measured run only.
                lines.append(
                    c.row(
                        sub.name,
                        *c.fmt(result),
                        f"{ratio:.2f}",
                        f"{saved:,}/{result.requests:,}",
                        ("met" if ok else "MISSED") + (f" (statuses {other})" if other else ""),
                    )
                )
            rss = app.rss_mb()
        print("\n".join(lines))
        print(
            "Goal: ≥ 0.5 × durable-write limit and p99 ≤ 200 ms; saved counts the 2 s warm-up too"
        )
        print(f"Server RSS after the submit runs: {rss:.0f} MB (goal ≤ 200 MB)")
        print(f"Start-up to first 200 on /healthz (seeded 11,500-case database): {startup:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
