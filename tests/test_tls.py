"""HTTPS on the LAN: Caddy's local CA in front of the app, as `make tls` runs it."""

from __future__ import annotations

import socket
import ssl
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from flask import Flask

from webapp.tls import caddy_binary, root_certificate, write_caddyfile

from .e2e.conftest import LiveServer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def proxied_app(app: Flask) -> Flask:
    from werkzeug.middleware.proxy_fix import ProxyFix

    app.config["SESSION_COOKIE_SECURE"] = True
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    return app


def test_app_is_served_over_https_with_the_local_ca(proxied_app: Flask, tmp_path: Path) -> None:
    caddy = caddy_binary()
    assert caddy, "caddy saknas: make test installerar den (apt-get install caddy)"
    server = LiveServer(proxied_app)
    server.start()
    https_port, ca_port = _free_port(), _free_port()
    tls_dir = tmp_path / "tls"
    config = write_caddyfile(
        tls_dir, ["127.0.0.1"], https_port, int(server.url.rsplit(":", 1)[1]), ca_port
    )
    proxy = subprocess.Popen(
        [caddy, "run", "--config", str(config), "--adapter", "caddyfile"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        context = None
        for _ in range(100):
            if root_certificate(tls_dir).exists():
                try:
                    context = ssl.create_default_context(cafile=str(root_certificate(tls_dir)))
                    with urllib.request.urlopen(
                        f"https://127.0.0.1:{https_port}/healthz", context=context, timeout=5
                    ) as response:
                        assert response.status == 200
                    break
                except (OSError, ssl.SSLError):
                    pass
            time.sleep(0.1)
        assert context is not None, "Caddy startade inte"
        with urllib.request.urlopen(
            f"https://127.0.0.1:{https_port}/login", context=context, timeout=5
        ) as response:
            cookies = response.headers.get_all("Set-Cookie") or []
            assert "max-age=" in response.headers["Strict-Transport-Security"]
        assert cookies and all("Secure" in c for c in cookies)
        # An untrusting client is refused: the certificate really comes from the local CA.
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(f"https://127.0.0.1:{https_port}/healthz", timeout=5)
        with urllib.request.urlopen(f"http://127.0.0.1:{ca_port}/root.crt", timeout=5) as response:
            assert response.read() == root_certificate(tls_dir).read_bytes()
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
        server.stop()
