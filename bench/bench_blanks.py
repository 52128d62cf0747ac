"""The binder's reprint of its unused blank codes (/blanks/unused.pdf) at 200 and 2,000 codes:
seconds for the whole request, ms per sheet and the PDF's size, and the drawing alone."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import common as c

from tests.dbsetup import make_test_app
from tests.factories import DEFAULT_PIN, make_user
from webapp.blanks.services import reserve_codes_once
from webapp.extensions import db
from webapp.formutil import new_form_key
from webapp.models import User

# BENCH_BLANK_SIZES=200 skips the 2,000-code run (e.g. for a quick before/after).
SIZES = tuple(int(n) for n in os.environ.get("BENCH_BLANK_SIZES", "200,2000").split(","))
# The binder's form reserves at most this many at a time.
PER_RESERVE = 200
# What a tablet's browser or a proxy in front of the laptop commonly waits before giving up.
TIMEOUT_S = 30.0


def reprint(count: int, kind: str) -> tuple[float, int, int]:
    """(seconds, sheets, bytes) of one reprint of `count` unused codes on a fresh database."""
    with tempfile.TemporaryDirectory(prefix="bench-blanks-") as tmp:
        app, teardown = make_test_app(Path(tmp), WTF_CSRF_ENABLED=False)
        try:
            with app.app_context():
                admin = make_user(role="admin", username="bench-admin")
                user = db.session.get(User, admin.id)
                for _ in range(0, count, PER_RESERVE):
                    reserve_codes_once(
                        user=user,
                        count=min(PER_RESERVE, count),
                        doc_kind=kind,
                        batch_label="",
                        form_key=new_form_key(),
                        digest=new_form_key(),
                        url_for_batch=lambda code: code,
                    )
            client = app.test_client()
            client.post("/login", data={"username": "bench-admin", "secret": DEFAULT_PIN})
            start = time.perf_counter()
            response = client.get(f"/blanks/unused.pdf?kind={kind}")
            seconds = time.perf_counter() - start
            body = response.get_data()
            if response.status_code != 200:
                raise RuntimeError(f"unused.pdf answered {response.status_code}")
            return seconds, body.count(b"/Type /Page\n"), len(body)
        finally:
            teardown()


def main() -> None:
    print(f"Machine: {c.machine()}")
    print(f"Reprint of the binder's unused codes, /blanks/unused.pdf (goal < {TIMEOUT_S:.0f} s)")
    for kind in ("BLR", "BLU"):
        for count in SIZES:
            seconds, pages, size = reprint(count, kind)
            per_sheet = seconds * 1000 / count
            print(
                f"  {kind} {count:5d} koder  {seconds:6.1f} s  {per_sheet:5.1f} ms/blad"
                f"  {pages:5d} sidor  {size / 1e6:5.2f} MB  {size / count / 1024:5.1f} kB/blad"
            )


if __name__ == "__main__":
    main()
