"""Static files under versioned URLs: cached by the tablets, never stale after an upgrade."""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from webapp.static_access import ONE_YEAR, static_version

STATIC_URL = re.compile(r'(?:href|src|data-decoder-url)="(/static/[^"]+)"')


def _static_urls(html: str) -> list[str]:
    return [url.replace("&amp;", "&") for url in STATIC_URL.findall(html)]


def test_pages_link_static_files_by_version_and_those_are_cached_for_a_year(
    client: FlaskClient, auth
) -> None:
    auth.login("secretary")
    urls = _static_urls(client.get("/scan").get_data(as_text=True))
    # The stylesheet, the icon, the scripts and the camera decoder the scan station loads late.
    assert any("css/app.css" in u for u in urls)
    assert any("js/scan.js" in u for u in urls)
    assert any("vendor/jsqr/jsQR.js" in u for u in urls)
    for url in urls:
        assert re.search(r"\?v=[0-9a-f]{12}$", url), url
        response = client.get(url)
        assert response.status_code == 200, url
        cache = response.cache_control
        assert cache.max_age == ONE_YEAR and cache.public and cache.immutable, url
        assert not cache.no_cache, url
        response.close()


def test_a_revalidated_versioned_file_keeps_its_year(client: FlaskClient) -> None:
    (url,) = [
        u
        for u in _static_urls(client.get("/login", follow_redirects=True).get_data(as_text=True))
        if ".css" in u
    ]
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    first.close()
    again.close()
    assert again.status_code == 304
    assert again.cache_control.max_age == ONE_YEAR


def test_unversioned_or_outdated_urls_are_revalidated_every_time(client: FlaskClient) -> None:
    for url in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.cache_control.no_cache, url
        assert response.cache_control.max_age is None, url
        response.close()


def test_the_version_follows_the_content(tmp_path: Path) -> None:
    css = tmp_path / "css" / "app.css"
    css.parent.mkdir()
    css.write_text("body { color: black; }")
    before = static_version(str(tmp_path), "css/app.css")
    css.write_text("body { color: navy; }")
    # Same size and possibly the same mtime tick on a fast disk: move the mtime on explicitly.
    stat = css.stat()
    os.utime(css, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    after = static_version(str(tmp_path), "css/app.css")
    assert before and after and before != after


def test_no_version_for_missing_files_or_paths_outside_the_folder(
    tmp_path: Path, app: Flask
) -> None:
    (tmp_path / "secret.txt").write_text("x")
    folder = tmp_path / "static"
    folder.mkdir()
    assert static_version(str(folder), "../secret.txt") == ""
    assert static_version(str(folder), "missing.css") == ""
    assert static_version(str(folder), ".") == ""
    with app.test_request_context():
        from flask import url_for

        assert url_for("static", filename="missing.css") == "/static/missing.css"


def _versioned(client: FlaskClient, suffix: str) -> str:
    page = client.get("/login", follow_redirects=True).get_data(as_text=True)
    (url,) = [u for u in _static_urls(page) if u.split("?")[0].endswith(suffix)][:1]
    return url


def test_scripts_and_styles_go_compressed_to_a_browser_that_takes_gzip(
    app: Flask, client: FlaskClient
) -> None:
    # A tablet's first page loads every script and the stylesheet: about 90 KB as they are.
    for suffix in (".css", "/drafts.js"):
        url = _versioned(client, suffix)
        path = Path(app.static_folder or "") / url.split("?")[0].removeprefix("/static/")
        response = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
        body = response.get_data()
        response.close()
        assert response.headers["Content-Encoding"] == "gzip", url
        assert "Accept-Encoding" in response.headers["Vary"], url
        assert int(response.headers["Content-Length"]) == len(body)
        assert gzip.decompress(body) == path.read_bytes()
        assert len(body) < path.stat().st_size / 2
        assert response.cache_control.max_age == ONE_YEAR


def test_a_client_that_takes_no_gzip_gets_the_file_as_it_is(
    app: Flask, client: FlaskClient
) -> None:
    url = _versioned(client, ".css")
    path = Path(app.static_folder or "") / url.split("?")[0].removeprefix("/static/")
    for headers in ({}, {"Accept-Encoding": "identity"}, {"Accept-Encoding": "gzip;q=0"}):
        response = client.get(url, headers=headers)
        assert "Content-Encoding" not in response.headers, headers
        assert response.get_data() == path.read_bytes()
        assert "Accept-Encoding" in response.headers.get("Vary", ""), headers
        response.close()


def test_the_compressed_and_the_plain_file_have_their_own_etags(client: FlaskClient) -> None:
    # A cache holding the plain file must not take a 304 for the compressed one, or back.
    url = _versioned(client, ".css")
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": "gzip"})
    plain.close()
    packed.close()
    assert plain.headers["ETag"] != packed.headers["ETag"]
    again = client.get(
        url, headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]}
    )
    again.close()
    assert again.status_code == 304


def test_a_range_of_a_static_file_is_served_plain(client: FlaskClient) -> None:
    url = _versioned(client, ".css")
    response = client.get(url, headers={"Accept-Encoding": "gzip", "Range": "bytes=0-9"})
    assert response.status_code == 206
    assert "Content-Encoding" not in response.headers
    assert len(response.get_data()) == 10
    response.close()
