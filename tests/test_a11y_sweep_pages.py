"""The pages the accessibility and keyboard sweeps open: each page a role meets is among them."""

from __future__ import annotations

from pathlib import Path

from .dbsetup import make_test_app
from .e2e.a11y_support import USERS, pages_for, seed_drill
from .factories import DEMO_PIN


def test_the_sweeps_open_the_join_page_of_a_voided_blank(tmp_path: Path) -> None:
    # A lost sheet's code, voided, then scanned: its join page says so at once, and is read by
    # axe like the join page of a blank in use.
    app, teardown = make_test_app(tmp_path, WTF_CSRF_ENABLED=False)
    try:
        drill = seed_drill(app)
        client = app.test_client()
        client.post("/login", data={"username": USERS["radiographer"], "secret": DEMO_PIN})
        pages = [
            client.get(path).get_data(as_text=True)
            for endpoint, path in pages_for(app, "radiographer", drill)
            if endpoint == "blanks.attach"
        ]
        assert len(pages) == 2
        assert sum("är makulerad och kan inte kopplas" in page for page in pages) == 1
    finally:
        teardown()
