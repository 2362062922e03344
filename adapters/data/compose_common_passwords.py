"""Rebuild common-passwords.txt (R37): a one-off tool, not run by the service.

Usage:
    python adapters/data/compose_common_passwords.py DJANGO_LIST \
        > adapters/data/common-passwords.txt

DJANGO_LIST is `django/contrib/auth/common-passwords.txt.gz` unpacked from a Django wheel
(`pip download --no-deps django==5.2.19`): 19,646 passwords that appeared most often in
breach corpora, compiled by Royce Williams and shipped by Django under its BSD licence. Most
are shorter than our 12-character minimum, so the checker also strips digits and symbols from
both ends before looking a password up ("Sunshine2026!" -> "sunshine"). On top of the list this
adds well-known long patterns that a 12-character rule invites: digit runs, keyboard walks,
repeated characters, and common words with a year or "1234" tacked on.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

MIN_LENGTH = 12
_WALKS = [
    "12345678901234567890",
    "09876543210987654321",
    "qwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc4rfv5tgb",
    "qazwsxedcrfvtgbyhn",
    "1q2w3e4r5t6y7u8i9o0p",
    "zaq12wsxcde3",
    "zaq1zaq1zaq1",
    "1qazxsw23edc",
    "qwertyuiop[]",
    "abcdefghijklmnopqrstuvwxyz",
    "abcd1234abcd1234",
    "qwerty123456",
    "123456qwerty",
    "1234567890qwerty",
    "qwerty1234567890",
    "123qweasdzxc",
    "1qaz2wsx3edc",
    "qweasdzxc123",
    "abc123abc123",
    "123abc123abc",
    "a1b2c3d4e5f6g7h8",
    "1a2b3c4d5e6f7g8h",
    "aa11bb22cc33dd44",
]
_WORDS = [
    "password",
    "passw0rd",
    "p@ssw0rd",
    "letmein",
    "welcome",
    "iloveyou",
    "qwerty",
    "football",
    "monkey",
    "dragon",
    "sunshine",
    "princess",
    "baseball",
    "master",
    "shadow",
    "superman",
    "trustno1",
    "changeme",
    "admin",
    "council",
    "repairs",
    "housing",
    "tenant",
    "liverpool",
    "arsenal",
    "chelsea",
    "manchester",
    "london",
    "england",
    "summer",
    "winter",
    "spring",
    "autumn",
    "christmas",
    "hello",
    "freedom",
    "whatever",
    "computer",
    "internet",
    "secret",
]
_SUFFIXES = [
    "1234",
    "12345",
    "123456",
    "2024",
    "2025",
    "2026",
    "2027",
    "!!!!",
    "1234!",
    "123!",
    "2025!",
    "2026!",
    "@123",
    "0000",
    "1111",
    "1990",
    "1985",
    "1980",
]


def patterns() -> list[str]:
    found: list[str] = []
    for walk in _WALKS:
        found += [walk[:n] for n in range(MIN_LENGTH, len(walk) + 1)]
    for char in "0123456789abcdefghijklmnopqrstuvwxyz!*.-_":
        found += [char * n for n in range(MIN_LENGTH, 21)]
    for word in _WORDS:
        found += [word + suffix for suffix in _SUFFIXES]
        found += [word * 2, word * 3]
    return [p for p in found if len(p) >= MIN_LENGTH]


def compose(django_list: Path) -> list[str]:
    raw = django_list.read_bytes()
    text = gzip.decompress(raw).decode() if raw[:2] == b"\x1f\x8b" else raw.decode()
    words = dict.fromkeys(line.strip().lower() for line in text.splitlines() if line.strip())
    for pattern in patterns():
        words.setdefault(pattern.lower())
    return list(words)


if __name__ == "__main__":
    sys.stdout.write("\n".join(compose(Path(sys.argv[1]))) + "\n")
