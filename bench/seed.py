"""Seeded data dirs for the benchmarks: built once through the app's own services, then copied.

The cache holds one data dir with three drill incidents made by `webapp.demo.run_demo` (the
services the forms call: referral, exam, reports, catch-up): 10,000 cases, 1,000 cases and
500 cases (the newest, so the board shows it). Every script gets a fresh copy, so one script's
writes never change the next one's figures. Run `python bench/seed.py` to build it on its own.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED_VERSION = 1
# The benchmarks log in as the demo users; `run_demo` would otherwise draw a PIN per run. The
# seed is a throwaway copy on the benchmarking machine, never the department's laptop.
DEMO_PIN = "246810"
# BENCH_CACHE puts the cache elsewhere (the test of the scripts' requests seeds a tiny one).
CACHE = Path(os.environ.get("BENCH_CACHE") or ROOT / "bench" / ".cache")
# BENCH_SCALE=0.05 gives a small seed for trying the scripts out; the figures need 1.
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
# (label, cases, started how long ago): the newest incident is the tablets' current one.
INCIDENTS = tuple(
    (label, max(20, int(count * SCALE)), ago)
    for label, count, ago in (
        ("10k", 10_000, timedelta(days=2)),
        ("1k", 1_000, timedelta(days=1)),
        ("board", 500, None),
    )
)


def _cache_dir() -> Path:
    return (
        CACHE / f"seed-v{SEED_VERSION}" if SCALE == 1 else CACHE / f"seed-v{SEED_VERSION}-x{SCALE}"
    )


def _build(target: Path) -> dict[str, Any]:
    from sqlalchemy import event, select
    from sqlalchemy.engine import Engine

    from webapp import create_app
    from webapp.demo import run_demo
    from webapp.extensions import db
    from webapp.models import Case, User, utcnow
    from webapp.startup import prepare

    app = create_app({"DATA_DIR": str(target)})
    prepare(app)

    # Seeding only: skip the fsync per transaction (the server runs with synchronous=FULL).
    @event.listens_for(Engine, "connect")
    def _fast(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA synchronous=OFF")

    manifest: dict[str, Any] = {"incidents": {}, "seconds": {}}
    with app.app_context():
        db.engine.dispose()
        now = utcnow()
        for label, count, ago in INCIDENTS:
            start = time.perf_counter()
            result = run_demo(
                cases=count, seed=len(label) + count, now=now - ago if ago else now, pin=DEMO_PIN
            )
            manifest["seconds"][label] = round(time.perf_counter() - start, 1)
            manifest["incidents"][label] = {"id": result.incident_id, "cases": count}
            print(f"  seeded {count} cases in {manifest['seconds'][label]} s", flush=True)
        board_id = manifest["incidents"]["board"]["id"]
        rows = db.session.execute(select(Case.id, Case.code, Case.incident_id, Case.status)).all()
        manifest["board_case_ids"] = [r.id for r in rows if r.incident_id == board_id]
        manifest["board_exam_case_ids"] = [
            r.id for r in rows if r.incident_id == board_id and r.status != "cancelled"
        ]
        manifest["codes"] = [r.code for r in rows]
        manifest["users"] = {
            u.role: u.username for u in db.session.scalars(select(User).order_by(User.id))
        }
        manifest["pin"] = DEMO_PIN
        manifest["total_cases"] = len(rows)
        manifest["seeded_at"] = now.isoformat()
        db.session.remove()
        db.engine.dispose()
    with sqlite3.connect(target / "reservrutin.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return manifest


def cached_seed() -> Path:
    """The cached seeded data dir, built first if missing (a few minutes)."""
    cache = _cache_dir()
    if (cache / "manifest.json").exists():
        return cache
    CACHE.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix="building-", dir=CACHE))
    print(f"Seeding benchmark data into {cache} (once; reused until bench/.cache is removed)")
    start = time.perf_counter()
    manifest = _build(build / "data")
    manifest["seed_seconds"] = round(time.perf_counter() - start, 1)
    print(f"  seeding took {manifest['seed_seconds']} s", flush=True)
    (build / "data" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    if cache.exists():
        shutil.rmtree(cache)
    shutil.move(str(build / "data"), cache)
    shutil.rmtree(build, ignore_errors=True)
    return cache


def manifest() -> dict[str, Any]:
    """What the seed holds: incident ids, case ids, codes, usernames, PIN."""
    return json.loads((cached_seed() / "manifest.json").read_text(encoding="utf-8"))


def fresh_copy(workdir: Path) -> Path:
    """A private copy of the seeded data dir (without backups) under workdir."""
    source = cached_seed()
    target = workdir / "data"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("backups", "manifest.json"))
    _bring_to_now(target / "reservrutin.db", _seeded_at(source))
    return target


def _seeded_at(source: Path) -> datetime:
    info = manifest()
    if "seeded_at" in info:
        return datetime.fromisoformat(info["seeded_at"])
    # A cache built before the time was kept: its manifest is written as seeding ends.
    return datetime.fromtimestamp((source / "manifest.json").stat().st_mtime, UTC)


def _bring_to_now(database: Path, seeded_at: datetime) -> None:
    """Move every time in the copy forward by the seed's age, as if it had just been seeded.

    The board always lists the cases past their priority's wait, and a seed's cases keep the
    arrival times they were given, so its board grew as the seed aged (145 rows fresh, 151 an
    hour later). Shifted, every copy is as old as a fresh seed, whenever the cache was built.
    """
    from webapp.extensions import db
    from webapp.models.base import UTCDateTime

    shift = int((datetime.now(UTC) - seeded_at).total_seconds())
    if shift <= 0:
        return
    columns = [
        (table.name, column.name)
        for table in db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, UTCDateTime)
    ]
    with closing(sqlite3.connect(database)) as conn:
        for table, column in columns:
            # Stored as 'YYYY-MM-DD HH:MM:SS.ffffff': whole seconds are shifted and the fraction
            # put back as it was (SQLite's own fractions round to the millisecond).
            conn.execute(
                f'UPDATE "{table}" SET "{column}" = '
                f"strftime('%Y-%m-%d %H:%M:%S', substr(\"{column}\", 1, 19), '+{shift} seconds') "
                f'|| substr("{column}", 20) WHERE length("{column}") = 26'
            )
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


if __name__ == "__main__":
    info = manifest()
    print(f"{info['total_cases']} cases, seeded in {info.get('seed_seconds', '?')} s")
