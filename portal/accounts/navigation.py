"""`next` parameters go only to our own paths: never an open redirect."""

from __future__ import annotations

from urllib.parse import urlsplit

MAX_NEXT = 512


def safe_next(value: object, default: str | None = None) -> str | None:
    """`value` if it is a path on this site ('/account?x=1'), else `default`.

    Refused: absolute URLs, scheme-relative '//evil.example', backslash tricks ('/\\evil'),
    control characters and anything very long.
    """
    if not isinstance(value, str) or not value or len(value) > MAX_NEXT:
        return default
    if not value.startswith("/") or value.startswith(("//", "/\\")):
        return default
    if any(ord(char) < 32 or ord(char) == 127 or char == "\\" for char in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    # A bare trailing '?' from request.full_path is noise.
    return value[:-1] if value.endswith("?") else value
