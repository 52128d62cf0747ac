"""Page weight of each main page: the HTML plus every script, stylesheet, image and font it
loads (parsed from the page and its CSS), and the count of requests that would leave the laptop."""

from __future__ import annotations

import gzip
import re
import sqlite3
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import common as c
import seed
from bench_pages import users_by_role

GOAL_BYTES = 150 * 1024


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.refs.append(a["src"] or "")
        elif tag == "link" and a.get("href") and a.get("rel") in ("stylesheet", "icon", "manifest"):
            self.refs.append(a["href"] or "")
        elif tag == "img" and a.get("src") and not (a["src"] or "").startswith("data:"):
            self.refs.append(a["src"] or "")


# What every tablet's browser says it takes; the app gzips scripts and styles for it.
BROWSER = {"Accept-Encoding": "gzip, deflate"}


def weigh(client: c.Client, base: str, path: str) -> tuple[int, int, int, int, int]:
    """(bytes on the wire, bytes as files, requests, requests off the laptop, requests on a
    repeat visit) for one page.

    On a repeat visit the browser asks again only for what was not served with a max-age.
    """
    page = client.get(base + path)
    if page.status != 200:
        raise RuntimeError(f"{path} answered {page.status}")
    parser = _Refs()
    parser.feed(page.text)
    pending = [urljoin(base + path, ref) for ref in parser.refs]
    seen: set[str] = set()
    total, plain, requests, external, repeat = len(page.body), len(page.body), 1, 0, 1
    while pending:
        url = pending.pop()
        if url in seen:
            continue
        seen.add(url)
        requests += 1
        if urlsplit(url).netloc != urlsplit(base).netloc:
            external += 1
            continue
        r = client.get(url, headers=BROWSER)
        body = gzip.decompress(r.body) if r.headers.get("Content-Encoding") == "gzip" else r.body
        total += len(r.body)
        plain += len(body)
        if not re.search(r"max-age=[1-9]", r.headers.get("Cache-Control", "")):
            repeat += 1
        if url.endswith(".css"):
            for ref in re.findall(r"url\(['\"]?([^'\")]+)", body.decode()):
                if not ref.startswith("data:"):
                    pending.append(urljoin(url, ref))
    return total, plain, requests, external, repeat


def main() -> int:
    print(f"Machine: {c.machine()}")
    info = seed.manifest()
    board = info["incidents"]["board"]["id"]
    with tempfile.TemporaryDirectory(prefix="bench-weight-") as tmp:
        data_dir = seed.fresh_copy(Path(tmp))
        roles = users_by_role(data_dir)
        with sqlite3.connect(data_dir / "reservrutin.db") as conn:
            case_id = conn.execute(
                "SELECT c.id FROM 'case' c JOIN report r ON r.case_id = c.id "
                "WHERE c.incident_id = ? AND r.state = 'definitive' LIMIT 1",
                (board,),
            ).fetchone()[0]
        pages = [
            ("login", None, "/login"),
            ("board (500 cases)", "radiographer", "/board/"),
            ("referral form", "radiographer", "/cases/new"),
            ("case page", "radiographer", f"/cases/{case_id}"),
            ("exam documentation", "radiographer", f"/cases/{case_id}/exam"),
            ("reporting worklist", "radiologist", "/reporting/"),
            ("reporting screen", "radiologist", f"/reporting/{case_id}"),
            ("scan station", "secretary", "/scan"),
            ("catch-up case", "secretary", f"/catchup/cases/{case_id}"),
        ]
        lines = [
            c.row("page", "KB", "KB as files", "requests", "off the laptop", "repeat", "goal"),
            c.row("---", "---:", "---:", "---:", "---:", "---:", "---"),
        ]
        with c.app_server(data_dir) as app:
            clients = {role: c.login(app.base, roles[role][0], info["pin"]) for role in roles}
            for name, role, path in pages:
                client = clients[role] if role else c.Client()
                size, plain, requests, external, repeat = weigh(client, app.base, path)
                ok = size <= GOAL_BYTES and external == 0
                kb, files = f"{size / 1024:.0f}", f"{plain / 1024:.0f}"
                verdict = "met" if ok else "MISSED"
                lines.append(c.row(name, kb, files, requests, external, repeat, verdict))
        print("\n".join(lines))
        print(
            "Bytes on the wire to a browser that takes gzip (the app gzips scripts and styles; "
            "pages go as they are), and the same files as they are. The scan station loads its "
            "QR library (static/vendor/jsqr, 251 KB) only when the camera is used. A repeat "
            "visit asks again only for what was served without a max-age. "
            "Goal: ≤ 150 KB, 0 off."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
