"""The addresses tablets on the LAN should open."""

from __future__ import annotations

import ipaddress
import socket


def lan_addresses() -> list[str]:
    """IPv4 addresses of this machine that other devices on the LAN can reach."""
    found: set[str] = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(str(info[4][0]))
    except OSError:
        pass
    # A UDP "connect" sends nothing; it only asks the OS which interface has the default route.
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            found.add(str(probe.getsockname()[0]))
    except OSError:
        pass
    usable = [
        a
        for a in found
        if not ipaddress.ip_address(a).is_loopback and not ipaddress.ip_address(a).is_unspecified
    ]
    return sorted(usable)


def lan_urls(port: int, scheme: str = "http") -> list[str]:
    """URLs for tablets, or localhost when no LAN address is known."""
    addresses = lan_addresses() or ["127.0.0.1"]
    return [f"{scheme}://{a}:{port}/" for a in addresses]
