"""Reading plain configuration data (parsed YAML) with errors that name the exact key path."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time
from typing import TypeVar

_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
_T = TypeVar("_T")


class PolicyError(ValueError):
    """Bad landlord configuration: the message names the key path and what is wrong."""


def _show(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


class Node:
    """One value in the configuration tree and the dotted path that reached it."""

    def __init__(self, value: object, path: str) -> None:
        self.value = value
        self.path = path

    def fail(self, problem: str) -> PolicyError:
        return PolicyError(f"{self.path}: {problem}")

    def _as_mapping(self) -> Mapping[object, object]:
        if not isinstance(self.value, Mapping):
            raise self.fail(f"{_show(self.value)} is not a mapping of keys to values")
        return self.value

    def mapping(self, required: tuple[str, ...] = (), optional: tuple[str, ...] = ()) -> Node:
        """Check this is a mapping with these keys; unknown keys are refused (typos)."""
        value = self._as_mapping()
        for key in required:
            if key not in value:
                raise PolicyError(f"{self.path}.{key}: is required")
        allowed = (*required, *optional)
        unknown = [key for key in value if allowed and key not in allowed]
        if unknown:
            expected = ", ".join(allowed)
            raise PolicyError(f"{self.path}.{unknown[0]}: unknown key (expected {expected})")
        return self

    def __getitem__(self, key: str) -> Node:
        value = self._as_mapping()
        if key not in value:
            raise PolicyError(f"{self.path}.{key}: is required")
        return Node(value[key], f"{self.path}.{key}")

    def get(self, key: str) -> Node | None:
        value = self._as_mapping()
        return Node(value[key], f"{self.path}.{key}") if key in value else None

    def items(self) -> Iterator[tuple[str, Node]]:
        for key, value in self._as_mapping().items():
            if not isinstance(key, str):
                raise self.fail(f"key {_show(key)} is not text")
            yield key, Node(value, f"{self.path}.{key}")

    def elements(self) -> Iterator[Node]:
        if not isinstance(self.value, list | tuple):
            raise self.fail(f"{_show(self.value)} is not a list")
        for index, value in enumerate(self.value):
            yield Node(value, f"{self.path}[{index}]")

    def text(self) -> str:
        if not isinstance(self.value, str) or not self.value.strip():
            raise self.fail(f"{_show(self.value)} is not non-empty text")
        return self.value

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.fail(f"{_show(self.value)} is not true or false")
        return self.value

    def integer(self, minimum: int = 0) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.fail(f"{_show(self.value)} is not a whole number")
        if self.value < minimum:
            raise self.fail(f"{self.value} is less than {minimum}")
        return self.value

    def time_of_day(self) -> time:
        if isinstance(self.value, int) and not isinstance(self.value, bool):
            # YAML 1.1 reads an unquoted 12:00 as the base-60 number 720.
            raise self.fail(f'{self.value} is not a time; write times in quotes, "HH:MM"')
        match = _TIME.fullmatch(self.value) if isinstance(self.value, str) else None
        if match is None:
            raise self.fail(f'{_show(self.value)} is not a time (24-hour "HH:MM")')
        return time(int(match[1]), int(match[2]))

    def calendar_date(self) -> date:
        if isinstance(self.value, date) and not isinstance(self.value, datetime):
            return self.value
        try:
            if isinstance(self.value, str):
                return date.fromisoformat(self.value)
        except ValueError:
            pass
        raise self.fail(f"{_show(self.value)} is not a date (YYYY-MM-DD)")

    def choice(self, options: Mapping[str, _T]) -> _T:
        if not isinstance(self.value, str) or self.value not in options:
            raise self.fail(f"{_show(self.value)} is not one of {', '.join(options)}")
        return options[self.value]
