"""Reconciliation exports of 1,000 and 10,000 cases: seconds and peak memory, each in a fresh
subprocess (as `flask export-batch` runs them), so one export's memory never hides another's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import common as c
import seed

# BENCH_EXPORT_FORMATS=pdf times one format (e.g. for a quick before/after).
FORMATS = tuple(os.environ.get("BENCH_EXPORT_FORMATS", "csv,json,fhir,pdf").split(","))
# BENCH_EXPORT_SIZES=1k skips the 10,000-case runs (e.g. for a quick before/after).
SIZES = os.environ.get("BENCH_EXPORT_SIZES", "1k,10k").split(",")

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from webapp import create_app
from webapp.catchup.batch_reader import batch_case_ids
from webapp.catchup.export_views import document_urls_for, pdf_renderer_for
from webapp.catchup.exporting import NothingChanged, export_batch
from webapp.extensions import db
from webapp.models import Incident
from webapp.sites import site_config
from webapp.startup import prepare

app = create_app({"DATA_DIR": sys.argv[2]})
# A seed cached by an earlier version is brought up to the schema, as the server's start does.
prepare(app)
with app.app_context():
    incident = db.session.get(Incident, int(sys.argv[3]))
    config = site_config(incident.site)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        result = export_batch(
            incident=incident, config=config, fmt=sys.argv[4], user=None,
            changed_only=sys.argv[5] == "changed",
            system_base="http://127.0.0.1:8080",
            document_urls=document_urls_for("http://127.0.0.1:8080"),
            pdf_renderer=pdf_renderer_for(incident.id),
        )
        cases, size = result.case_count, len(result.content)
    except NothingChanged:
        cases, size = 0, 0
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    total = len(batch_case_ids(incident.id))
print("RESULT " + json.dumps({"seconds": seconds, "cases": cases, "read": total,
      "bytes": size, "base_mb": base / 1024, "peak_mb": peak / 1024}))
"""


def run_export(
    data_dir: Path, incident_id: int, fmt: str, *, changed: bool = False
) -> dict[str, float]:
    which = "changed" if changed else "whole"
    out = subprocess.run(
        [c.PYTHON, "-c", CHILD, str(c.APP_ROOT), str(data_dir), str(incident_id), fmt, which],
        capture_output=True,
        text=True,
        check=True,
        cwd=c.APP_ROOT,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def main() -> int:
    print(f"Machine: {c.machine()}")
    info = seed.manifest()
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as tmp:
        data_dir = seed.fresh_copy(Path(tmp))
        lines = [
            c.row("format", "cases", "seconds", "ms/case", "size", "peak RSS MB", "RSS growth MB"),
            c.row("---", "---:", "---:", "---:", "---:", "---:", "---:"),
        ]
        for fmt in FORMATS:
            for label in SIZES:
                r = run_export(data_dir, info["incidents"][label]["id"], fmt)
                lines.append(
                    c.row(
                        fmt.upper(),
                        f"{r['cases']:,}",
                        f"{r['seconds']:.2f}",
                        f"{r['seconds'] / r['cases'] * 1000:.2f}",
                        f"{r['bytes'] / 1e6:.1f} MB",
                        f"{r['peak_mb']:.0f}",
                        f"{r['peak_mb'] - r['base_mb']:.0f}",
                    )
                )
        if "csv" in FORMATS:
            # A 'changed only' export reads every case to compare it with what the previous
            # export held: with nothing changed since, this is all it costs.
            for label in SIZES:
                r = run_export(data_dir, info["incidents"][label]["id"], "csv", changed=True)
                lines.append(
                    c.row(
                        "CSV changed only, none changed",
                        f"{r['read']:,} read, {r['cases']:,} sent",
                        f"{r['seconds']:.2f}",
                        f"{r['seconds'] / r['read'] * 1000:.2f}",
                        f"{r['bytes'] / 1e6:.1f} MB",
                        f"{r['peak_mb']:.0f}",
                        f"{r['peak_mb'] - r['base_mb']:.0f}",
                    )
                )
        print("\n".join(lines))
        print("Linear growth shows as an unchanged ms/case from 1,000 to 10,000 cases.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
