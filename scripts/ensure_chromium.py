"""Make sure the Chromium the browser tests drive is installed (Debian's package)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

CHROMIUM = os.environ.get("RESERVRUTIN_CHROMIUM", "/usr/bin/chromium")


def main() -> int:
    """Install Debian's chromium with apt-get when it is missing and we are root."""
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return 0
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if not is_root or not shutil.which("apt-get"):
        print(
            f"Chromium saknas ({CHROMIUM}). Installera den som root: "
            "apt-get install -y chromium  (eller sätt RESERVRUTIN_CHROMIUM till en Chromium).",
            file=sys.stderr,
        )
        return 1
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
