"""Render times of every printforms document (median of repeated runs), bundle and lists."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import printforms as pf
from tests.printforms import factories as f


def median_ms(fn: Callable[[], bytes], runs: int) -> float:
    fn()  # first render registers fonts and encodes the QR once
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    cases = {
        "remiss": lambda: pf.render_referral(f.referral()),
        "dokumentation": lambda: pf.render_exam(f.exam()),
        "utlåtande": lambda: pf.render_report(f.report(urgent_calls=(f.urgent_call(),))),
        "röd back": lambda: pf.render_cover(f.red_tray()),
        "anonymiserad remiss": lambda: pf.render_anonymised_referral(f.anonymised_referral()),
        "anonymiserat utlåtande": lambda: pf.render_anonymised_report(f.anonymised_report()),
        "blankett (remiss)": lambda: pf.render_blank_stack([f.blank("referral")]),
        "rutin (ett scenario)": lambda: pf.render_routines(f.routine_binder()),
        "ärendepaket (4 dokument)": lambda: pf.render_bundle(
            [f.red_tray(), f.referral(), f.exam(), f.report()]
        ),
    }
    print("printforms, median of 20 renders (goal ≤ 50 ms per document)")
    for name, fn in cases.items():
        print(f"  {name:28s} {median_ms(fn, 20):7.1f} ms")
    # Each real print carries a new payload, so also time the QR encoding that the cache hides.
    fresh = iter(range(10_000))

    def new_payload() -> bytes:
        meta = f.meta(qr_payload=f"RR1:K{next(fresh):05d}:REM:1")
        return pf.render_referral(f.referral(meta=meta))

    print(f"  {'remiss, ny QR-kod varje gång':28s} {median_ms(new_payload, 20):7.1f} ms")
    big = f.incident_list(cases=200)
    print(
        f"  {'ärendelista 200 ärenden':28s} "
        f"{median_ms(lambda: pf.render_incident_list(big), 5):7.1f} ms  (goal ≤ 1500 ms)"
    )
    followup = f.followup(rows=500)
    print(
        f"  {'uppföljning 500 rader':28s} "
        f"{median_ms(lambda: pf.render_followup(followup), 5):7.1f} ms"
    )
    binder = f.routine_binder(
        *(f.routine_scenario(position=f"Rutin {n} av 6") for n in range(1, 7))
    )
    print(
        f"  {'pärmens rutiner, 6 scenarier':28s} "
        f"{median_ms(lambda: pf.render_routines(binder), 5):7.1f} ms"
    )
    stack = [f.blank("referral", n) for n in range(1, 51)]
    print(f"  {'50 blanketter':28s} {median_ms(lambda: pf.render_blank_stack(stack), 3):7.1f} ms")


if __name__ == "__main__":
    main()
