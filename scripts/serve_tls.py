"""Serve Reservrutin over HTTPS on the LAN: waitress on loopback, Caddy's local CA in front."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp.config import DEFAULT_DATA_DIR  # noqa: E402
from webapp.network import lan_addresses  # noqa: E402
from webapp.tls import install_caddy, root_certificate, write_caddyfile  # noqa: E402


def main() -> int:
    """Start the app and Caddy; stop both on Ctrl-C."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--https-port", type=int, default=8443)
    parser.add_argument("--app-port", type=int, default=8080)
    parser.add_argument("--ca-port", type=int, default=8444)
    args = parser.parse_args()
    caddy = install_caddy()
    tls_dir = args.data_dir.resolve() / "tls"
    hosts = ["localhost", "127.0.0.1", *lan_addresses()]
    config = write_caddyfile(tls_dir, hosts, args.https_port, args.app_port, args.ca_port)
    env = dict(os.environ, RESERVRUTIN_HTTPS="1", RESERVRUTIN_BEHIND_PROXY="1")
    app = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "app.py"),
            "--host",
            "127.0.0.1",
            "--port",
            str(args.app_port),
            "--data-dir",
            str(args.data_dir),
        ],
        env=env,
    )
    proxy = subprocess.Popen([caddy, "run", "--config", str(config), "--adapter", "caddyfile"])
    try:
        for _ in range(50):
            if root_certificate(tls_dir).exists():
                break
            time.sleep(0.2)
        print("\nReservrutin över HTTPS:")
        for host in hosts[2:] or hosts[:1]:
            print(f"  https://{host}:{args.https_port}/")
        print("Lita på rotcertifikatet en gång per platta, hämta det från:")
        for host in hosts[2:] or hosts[:1]:
            print(f"  http://{host}:{args.ca_port}/root.crt")
        print(f"(Filen: {root_certificate(tls_dir)})\n", flush=True)
        while app.poll() is None and proxy.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in (proxy, app):
            process.terminate()
        for process in (proxy, app):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
