"""A restore is refused while a server runs on the database, idle or not.

An idle server's connections hold no SQLite lock, so the restore once replaced the file under
it: the server went on answering from the deleted file, and what tablets saved after the
restore was gone at the next start.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from webapp.config import PROJECT_ROOT

pytestmark = pytest.mark.sqlite_only


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env(data_dir: Path) -> dict[str, str]:
    env = os.environ | {
        "LC_ALL": "C.UTF-8",
        "LANG": "C.UTF-8",
        "RESERVRUTIN_DATA_DIR": str(data_dir),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("DATABASE_URL", None)
    return env


def _start(data_dir: Path, port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(PROJECT_ROOT / "app.py"), "--host", "127.0.0.1", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=_env(data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_until_up(server: subprocess.Popen[str], port: int) -> None:
    for _ in range(600):
        assert server.poll() is None, server.stderr.read() if server.stderr else ""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("servern startade inte")


def _flask(data_dir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *argv],
        cwd=PROJECT_ROOT,
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _stop(server: subprocess.Popen[str], how: int = signal.SIGTERM) -> None:
    if server.poll() is None:
        server.send_signal(how)
        server.wait(timeout=30)
    if server.stderr:
        server.stderr.close()


def _mark(database: Path, text: str) -> None:
    """A row written as a server's would be, to tell which file a later read sees."""
    conn = sqlite3.connect(str(database))
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS marker (text TEXT)")
        conn.execute("INSERT INTO marker VALUES (?)", (text,))
        conn.commit()
    finally:
        conn.close()


def _marks(database: Path) -> list[str]:
    conn = sqlite3.connect(str(database))
    try:
        return [row[0] for row in conn.execute("SELECT text FROM marker ORDER BY rowid")]
    finally:
        conn.close()


@pytest.fixture()
def backed_up(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A data dir whose database has a backup taken, and the backup's path."""
    data_dir = tmp_path / "data"
    made = _flask(data_dir, "backup")
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip().rsplit(": ", 1)[1])
    assert backup.exists()
    yield data_dir, backup


def test_a_restore_is_refused_while_an_idle_server_runs_and_the_database_stays(
    backed_up: tuple[Path, Path],
) -> None:
    data_dir, backup = backed_up
    database = data_dir / "reservrutin.db"
    port = _free_port()
    server = _start(data_dir, port)
    try:
        _wait_until_up(server, port)
        _mark(database, "före försöket")
        refused = _flask(data_dir, "restore", str(backup))
        assert refused.returncode == 2
        assert "Servern är igång på den här databasen" in refused.stderr
        assert "Stoppa servern" in refused.stderr
        assert "Databasen är oförändrad" in refused.stderr
        assert "Återställd" not in refused.stdout
        # The live file is the one the server has open: what it writes next is kept.
        _mark(database, "efter försöket")
        assert _marks(database) == ["före försöket", "efter försöket"]
        assert not list(data_dir.glob("reservrutin-fore-aterstallning-*.db"))
    finally:
        _stop(server)


def test_a_second_server_on_the_same_database_is_refused_in_swedish(
    backed_up: tuple[Path, Path],
) -> None:
    data_dir, _ = backed_up
    first_port, second_port = _free_port(), _free_port()
    first = _start(data_dir, first_port)
    try:
        _wait_until_up(first, first_port)
        second = _start(data_dir, second_port)
        _, err = second.communicate(timeout=120)
        assert second.returncode == 2
        assert "Kan inte starta: Servern är igång på den här databasen" in err
        assert "Traceback" not in err
        assert first.poll() is None
    finally:
        _stop(first)


def test_a_killed_server_leaves_no_lock_behind(backed_up: tuple[Path, Path]) -> None:
    data_dir, backup = backed_up
    port = _free_port()
    server = _start(data_dir, port)
    try:
        _wait_until_up(server, port)
    finally:
        _stop(server, signal.SIGKILL)
    restored = _flask(data_dir, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "Återställd från" in restored.stdout
