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


ALL_ADDRESSES = ("0.0.0.0", "::")


def tablet_addresses(listen_host: str | None) -> list[str]:
    """The addresses tablets reach the server on, given the one it listens on (None when not
    known, as under `flask run` or behind Caddy: then the laptop's own LAN addresses)."""
    if listen_host is None or listen_host in ALL_ADDRESSES:
        return lan_addresses()
    if is_loopback_host(listen_host):
        return []  # the laptop's LAN address would be offered, and not answer
    return [listen_host]


def lan_urls(port: int, scheme: str = "http", listen_host: str | None = None) -> list[str]:
    """URLs for tablets, or this laptop's own loopback when no tablet can reach it."""
    addresses = tablet_addresses(listen_host)
    if addresses:
        return [_url(scheme, a, port) for a in addresses]
    if listen_host is not None and is_loopback_host(listen_host):
        return [_url(scheme, listen_host, port)]
    return [_url(scheme, "::1" if listen_host == "::" else "127.0.0.1", port)]


def _url(scheme: str, host: str, port: int) -> str:
    return f"{scheme}://[{host}]:{port}/" if ":" in host else f"{scheme}://{host}:{port}/"


def is_loopback_host(host: str) -> bool:
    """Whether host names this machine's loopback (127.0.0.0/8, ::1 or localhost)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def started_lines(host: str, port: int, addresses: list[str], scheme: str = "http") -> list[str]:
    """What app.py prints once it listens on host:port, given the laptop's LAN addresses."""
    if host in ALL_ADDRESSES:
        if addresses:
            urls = [_url(scheme, a, port) for a in addresses]
            return ["Reservrutin är igång. Öppna på surfplattorna:", *(f"  {u}" for u in urls)]
        # 127.0.0.1 offered as the tablets' address sends staff typing it into every tablet.
        why = (
            "Datorns adress i nätverket kunde inte läsas. Surfplattorna kan inte nå datorn "
            "förrän den är ansluten till ett nätverk: anslut den till samma nätverk som "
            "plattorna, så visar Administration adressen (ingen omstart behövs)."
        )
        own = "127.0.0.1" if host == "0.0.0.0" else "::1"
    elif is_loopback_host(host):
        why = (
            f"Reservrutin lyssnar bara på den här datorn ({host}). Surfplattorna kan inte nå "
            "datorn: starta om med --host 0.0.0.0 för att nå den från nätverket."
        )
        own = host
    else:
        return ["Reservrutin är igång. Öppna på surfplattorna:", f"  {_url(scheme, host, port)}"]
    return [
        "Reservrutin är igång.",
        why,
        f"  I den här datorns webbläsare: {_url(scheme, own, port)}",
    ]


def is_loopback_url(url: str) -> bool:
    """Whether the URL names this machine's loopback, which no tablet reaches."""
    return is_loopback_host(urlsplit(url).hostname or "")


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
