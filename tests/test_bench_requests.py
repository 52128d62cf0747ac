"""The benchmark scripts still send requests the app accepts (bench/smoke.py on a tiny seed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_benchmark_request_is_answered_as_the_figures_assume(tmp_path: Path) -> None:
    env = {**os.environ, "BENCH_SCALE": "0.01", "BENCH_CACHE": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "smoke.py"],
        cwd=ROOT / "bench",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Every benchmark request answered as the figures assume" in done.stdout
