"""Every request the benchmarks send, sent once and checked, without wrk or timing.

The load scripts only count status codes, so a change in the app (a new required field, a
version check) can make a benchmark measure refusals instead of pages and saves. This sends
each scenario's pages and each submit (settled and preflighted as `bench_submits.py` does)
against the real server and stops at the first answer that is not the one the figures assume.
`tests/test_bench_requests.py` runs it on a tiny seed (BENCH_SCALE=0.01).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import common as c
import seed
from bench_pages import scenarios, sessions_for, users_by_role
from bench_submits import db_count, give_accessions, settle, submit_sessions, submits


def check_pages(base: str, data_dir: Path, roles: dict[str, list[str]], pin: str) -> int:
    sent = 0
    for scenario in scenarios(data_dir):
        cookies = sessions_for(base, roles[scenario.role], pin, 1) if scenario.logged_in else []
        headers = {"Cookie": cookies[0]} if cookies else {}
        for path in {scenario.paths[0], scenario.paths[-1]}:
            status = c.Client().get(base + path, headers=headers).status
            if str(status) != scenario.expect:
                raise RuntimeError(f"{scenario.name}: {path} answered {status}")
            sent += 1
    return sent


def check_submits(base: str, data_dir: Path, roles: dict[str, list[str]], pin: str) -> int:
    sent = 0
    for sub in submits(data_dir):
        ids = [int(n) for n in sub.paths[0].split("/") if n.isdigit()]
        # One login will do for three submits: each login costs the server a production
        # argon2 hash, and the load's five per submit made most of this check's time.
        sessions = submit_sessions(base, sub.users(roles), pin, sub.form_page(ids), count=1)
        versions = settle(base, sub, sessions, data_dir)
        before = db_count(data_dir, sub.count_sql)
        for n, path in enumerate(sub.paths[:3]):
            cookie, token = sessions[n % len(sessions)]
            fields = {**sub.fields_for(path, versions), "csrf_token": token}
            if "form_key" in fields:
                fields["form_key"] = f"smoke{time.time_ns()}n{n}"
            r = c.Client().post(base + path, data=fields, headers={"Cookie": cookie})
            if r.status != 302 or "/login" in r.headers.get("Location", ""):
                raise RuntimeError(f"{sub.name}: {path} answered {r.status}")
            sent += 1
        saved = db_count(data_dir, sub.count_sql) - before
        if saved != min(3, len(sub.paths)):
            raise RuntimeError(f"{sub.name}: {saved} rows saved for {sent} accepted submits")
    return sent


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-smoke-") as tmp:
        data_dir = seed.fresh_copy(Path(tmp))
        give_accessions(data_dir)
        pin = seed.manifest()["pin"]
        roles = users_by_role(data_dir)
        with c.app_server(data_dir) as app:
            pages = check_pages(app.base, data_dir, roles, pin)
            saves = check_submits(app.base, data_dir, roles, pin)
    print(f"Every benchmark request answered as the figures assume: {pages} pages, {saves} submits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
