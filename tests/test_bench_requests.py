"""The benchmark scripts still send requests the app accepts (bench/smoke.py on a tiny seed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .factories import referral_data

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


def test_the_benchmark_referral_is_a_patient_no_demo_case_can_be_taken_for() -> None:
    # The seed's demo draws its patients' names from these lists; a benchmark referral under a
    # name the demo gave another number is asked about as a namesake (400), and the figures
    # would count refusals. The tiny seed of the test above is too small to draw it reliably.
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_submits import BENCH_PATIENT
    finally:
        sys.path.remove(str(ROOT / "bench"))
    from webapp.cases.namesakes import name_key
    from webapp.demo_patients import FEMALE_NAMES, MALE_NAMES, SURNAMES

    demo_names = {
        name_key(f"{first} {last}") for first in (*FEMALE_NAMES, *MALE_NAMES) for last in SURNAMES
    }
    data = referral_data(**BENCH_PATIENT)
    assert name_key(str(data["patient_name"])) not in demo_names
    # The demo's patients are 1 to 95 years old, with serials 980-999.
    number = str(data["personal_number"])
    assert number[:4] < "1925" and not number[9:11].startswith("9")


def test_the_blank_reprint_benchmark_gets_one_page_per_unused_code() -> None:
    # bench/bench_blanks.py counts pages and bytes of what the route answered: a refusal or a
    # redirect would be timed as a reprint.
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_blanks import reprint
    finally:
        sys.path.remove(str(ROOT / "bench"))
    _seconds, pages, size = reprint(3, "BLU")
    assert pages == 3 and size > 0
