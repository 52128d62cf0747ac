"""Make sure the tools the tests drive are installed: Debian's Chromium and Caddy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

CHROMIUM = os.environ.get("RESERVRUTIN_CHROMIUM", "/usr/bin/chromium")


def main() -> int:
    """Install Debian's chromium and caddy with apt-get when missing and we are root."""
    missing = []
    if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
        missing.append("chromium")
    if not shutil.which("caddy"):
        missing.append("caddy")
    if not missing:
        return 0
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if not is_root or not shutil.which("apt-get"):
        print(
            f"Saknas: {', '.join(missing)}. Installera som root: apt-get install -y "
            f"{' '.join(missing)}  (eller sätt RESERVRUTIN_CHROMIUM till en Chromium).",
            file=sys.stderr,
        )
        return 1
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
