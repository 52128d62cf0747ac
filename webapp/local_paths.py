"""Return addresses that stay on this laptop."""

from __future__ import annotations

from urllib.parse import urlsplit


def local_path(target: str | None) -> str | None:
    """A path on this laptop to go back to, or None for an address that may lead elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers read a backslash as a slash and drop tabs and line breaks from an address:
    # "/\\evil.example" and "/\t/evil.example" are both "//evil.example". A line break would
    # also make the redirect's header fail (a 500).
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target
