"""The addresses tablets on the LAN should open."""

from __future__ import annotations

import errno
import ipaddress
import socket
from urllib.parse import urlsplit


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


def is_loopback_url(url: str) -> bool:
    """Whether the URL names this machine's loopback, which no tablet reaches."""
    host = urlsplit(url).hostname or ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def bind_refusal(exc: OSError | ValueError, host: str, port: int) -> str:
    """Why the server could not listen on host:port, in Swedish for the administrator."""
    # waitress raises ValueError when the host name does not resolve to any address.
    if isinstance(exc, ValueError):
        return f"adressen {host} finns inte. Ange datorns adress med --host, eller utelämna den."
    if exc.errno == errno.EADDRINUSE:
        return (
            f"porten {port} används redan, kanske av en Reservrutin som redan är igång. "
            "Använd den, eller starta på en annan port med --port."
        )
    if exc.errno == errno.EACCES:
        return f"porten {port} kräver administratörsrätt. Välj en port över 1023 med --port."
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"adressen {host} hör inte till den här datorn. Ange en av datorns adresser."
    return f"kunde inte lyssna på {host}:{port} ({exc.strerror or exc})."
