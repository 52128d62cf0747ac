"""HTTPS on the LAN: a Caddyfile for Caddy's internal CA in front of waitress."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

CA_RELATIVE = Path("caddy") / "pki" / "authorities" / "local" / "root.crt"


def caddy_binary() -> str | None:
    """Path of the caddy executable, if installed."""
    return shutil.which("caddy")


def install_caddy() -> str:
    """Install Debian's caddy (root on Linux); elsewhere explain how to get it."""
    found = caddy_binary()
    if found:
        return found
    if sys.platform.startswith("linux") and shutil.which("apt-get"):
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "caddy"],
            check=True,
            env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
        )
        found = caddy_binary()
        if found:
            return found
    raise RuntimeError(
        "Caddy saknas. Installera den (Debian: apt-get install caddy; Windows: lägg caddy.exe "
        "från en godkänd källa i PATH) och försök igen."
    )


def caddyfile(tls_dir: Path, hosts: list[str], https_port: int, app_port: int, ca_port: int) -> str:
    """The Caddy config: HTTPS for each LAN address, and the root certificate over HTTP."""
    sites = ", ".join(f"https://{h}:{https_port}" for h in hosts)
    data = (tls_dir / "caddy").as_posix()
    ca_dir = (tls_dir / CA_RELATIVE.parent).as_posix()
    return f"""{{
\tstorage file_system {data}
\tskip_install_trust
\tadmin off
\tauto_https disable_redirects
\tlocal_certs
}}

{sites} {{
\ttls internal
\tencode gzip
\treverse_proxy 127.0.0.1:{app_port} {{
\t\theader_up X-Forwarded-Proto https
\t}}
}}

# Tablets fetch the root certificate here once, to trust the HTTPS address above.
http://:{ca_port} {{
\t@cert path /root.crt
\thandle @cert {{
\t\troot * {ca_dir}
\t\theader Content-Type application/x-x509-ca-cert
\t\tfile_server
\t}}
\thandle {{
\t\trespond "Hämta rotcertifikatet: /root.crt" 200
\t}}
}}
"""


def write_caddyfile(
    tls_dir: Path, hosts: list[str], https_port: int, app_port: int, ca_port: int
) -> Path:
    """Write the Caddyfile into the data dir's tls folder."""
    tls_dir.mkdir(parents=True, exist_ok=True)
    path = tls_dir / "Caddyfile"
    path.write_text(caddyfile(tls_dir, hosts, https_port, app_port, ca_port), encoding="utf-8")
    return path


def root_certificate(tls_dir: Path) -> Path:
    """Where Caddy keeps the local CA's root certificate (created on first start)."""
    return tls_dir / CA_RELATIVE
