"""The limits of the stack, served like app.py: `python bench/stack_apps.py read|write ...`.

read:  one Flask route returning a short string.
write: one Flask route that parses a form and inserts one row into SQLite (WAL,
       synchronous=FULL) in its own transaction; writers queue on an in-process lock and
       BEGIN IMMEDIATE, as the app does, so the figure is the disk's fsync rate plus Flask.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import threading
from pathlib import Path

from flask import Flask, request
from waitress import serve


def read_app() -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def index() -> str:
        return "ok"

    @app.get("/healthz")
    def healthz() -> str:
        return "ok"

    return app


def write_app(db_path: Path) -> Flask:
    app = Flask(__name__)
    local = threading.local()
    lock = threading.Lock()

    def connection() -> sqlite3.Connection:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA busy_timeout=15000")
            local.conn = conn
        return conn

    setup = connection()
    setup.execute(
        "CREATE TABLE IF NOT EXISTS item (id INTEGER PRIMARY KEY, key TEXT UNIQUE, text TEXT)"
    )

    @app.post("/write")
    def write() -> tuple[str, int]:
        key = request.form["key"]
        text = request.form.get("text", "")
        conn = connection()
        with lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("INSERT INTO item (key, text) VALUES (?, ?)", (key, text))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return "", 204

    @app.get("/healthz")
    def healthz() -> str:
        return "ok"

    return app


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["read", "write"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    if args.kind == "read":
        app = read_app()
    else:
        if args.data_dir is None:
            parser.error("write needs --data-dir")
        args.data_dir.mkdir(parents=True, exist_ok=True)
        app = write_app(args.data_dir / "limit.db")
    serve(
        app, host=args.host, port=args.port, threads=args.threads, channel_timeout=60, ident="limit"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
