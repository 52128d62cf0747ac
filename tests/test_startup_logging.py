"""The server's own log keeps working after start-up has run the migrations."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# What app.py does before serving, with a second file for the same site in the data dir, which
# start-up reports as a warning while it loads the site files, after the migrations have run.
_START = """
import logging
from webapp import create_app
from webapp.startup import configure_logging, prepare
configure_logging()
app = create_app({"CHECK_LOCAL_DISK": False})
prepare(app)
silenced = sorted(
    name for name, logger in logging.root.manager.loggerDict.items()
    if isinstance(logger, logging.Logger) and logger.disabled
)
print("silenced:", silenced)
logging.getLogger("webapp.sites").info("after start-up")
"""


def test_start_up_keeps_the_apps_log_after_running_the_migrations(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parent.parent / "webapp" / "site_example.toml"
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "copy.toml").write_text(
        example.read_text(encoding="utf-8"), encoding="utf-8"
    )
    env = dict(os.environ, RESERVRUTIN_DATA_DIR=str(tmp_path), PYTHONDONTWRITEBYTECODE="1")
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", _START],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "silenced: []" in done.stdout
    # The app's format (time, level, message), at INFO, including the migrations' own lines.
    assert "INFO Running upgrade" in done.stderr
    assert "WARNING " in done.stderr and "läses inte: enheten" in done.stderr
    assert "INFO after start-up" in done.stderr
