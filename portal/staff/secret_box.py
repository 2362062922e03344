"""Sealing staff authenticator secrets at rest, with the standard library only.

A TOTP secret must be readable by the server (it makes the expected codes), so it cannot be
hashed; it is encrypted instead, with keys derived from SECRET_KEY, so a copy of the database
alone does not let anyone make codes. Construction: HMAC-SHA256 as a pseudo-random function in
counter mode for the key stream (a fresh random 128-bit nonce per seal), then encrypt-then-MAC
with a separate HMAC-SHA256 key over version, nonce and ciphertext, checked in constant time.

Rotating SECRET_KEY makes every sealed secret unreadable: staff then need a new set-up link
(`flask --app wsgi staff reset EMAIL`). The sign-in log says so when it happens.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

VERSION = b"v1"
NONCE_BYTES = 16
TAG_BYTES = 32


class SealBroken(Exception):
    """The sealed text was altered, or sealed under another SECRET_KEY."""


def _key(secret_key: str, purpose: bytes) -> bytes:
    return hmac.new(secret_key.encode("utf-8"), b"staff-totp/" + purpose, hashlib.sha256).digest()


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (length + 31) // 32
    return b"".join(
        hmac.new(key, nonce + counter.to_bytes(4, "big"), hashlib.sha256).digest()
        for counter in range(blocks)
    )[:length]


def _xor(data: bytes, stream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))


def seal(plain: str, secret_key: str) -> str:
    data = plain.encode("utf-8")
    nonce = secrets.token_bytes(NONCE_BYTES)
    cipher = _xor(data, _stream(_key(secret_key, b"encrypt"), nonce, len(data)))
    tag = hmac.new(_key(secret_key, b"mac"), VERSION + nonce + cipher, hashlib.sha256).digest()
    return VERSION.decode() + "." + base64.urlsafe_b64encode(nonce + cipher + tag).decode()


def unseal(sealed: str, secret_key: str) -> str:
    version, _, body = sealed.partition(".")
    try:
        raw = base64.urlsafe_b64decode(body.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise SealBroken("not a sealed value") from None
    if version.encode() != VERSION or len(raw) < NONCE_BYTES + TAG_BYTES:
        raise SealBroken("not a sealed value")
    nonce, cipher, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    expected = hmac.new(_key(secret_key, b"mac"), VERSION + nonce + cipher, hashlib.sha256)
    if not hmac.compare_digest(expected.digest(), tag):
        raise SealBroken("the seal does not match: altered, or another SECRET_KEY")
    return _xor(cipher, _stream(_key(secret_key, b"encrypt"), nonce, len(cipher))).decode()
