"""Message wording (R27, R28): configured texts with a closed set of typed placeholders.

R27 is enforced by what the API can accept: a message is built only from a repair reference,
slot text, link and code (`MessageValues`) plus who it is from and how to get help (`Sender`).
There is no field for an address, notes, health or vulnerability details, key-safe codes or a
date of birth, so no template can leak them. R28: every value must be plain GSM-7 within a
configured length, and `check_worst_case` proves at start-up that every template still fits
the segment limit when every value is as long as allowed.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum

from notifications.segments import count_segments, is_gsm7_basic


class MessageKind(StrEnum):
    CONFIRMATION = "confirmation"
    REMINDER = "reminder"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"
    VERIFICATION_CODE = "verification_code"
    BOOK_LATER = "book_later"
    BOOK_REPAIR = "book_repair"
    NO_ACCESS = "no_access"
    COMPLETED = "completed"
    HELP = "help"
    # Twilio answers STOP/START itself and then refuses our texts to an opted-out number
    # (21610), so these two are the wording to set in its Advanced Opt-Out (and the
    # simulator); send them ourselves only where the provider does not auto-reply.
    OPT_OUT_CONFIRMATION = "opt_out_confirmation"
    OPT_IN_CONFIRMATION = "opt_in_confirmation"
    UNREADABLE = "unreadable"
    CHANGE = "change"
    STAFF_TEST = "staff_test"


# R25: these answer something the tenant just did, so they never wait for the window.
URGENT_KINDS = frozenset(
    {
        MessageKind.VERIFICATION_CODE,
        MessageKind.HELP,
        MessageKind.OPT_OUT_CONFIRMATION,
        MessageKind.OPT_IN_CONFIRMATION,
        MessageKind.UNREADABLE,
        MessageKind.CHANGE,
    }
)

_APPOINTMENT = frozenset({"council", "reference", "slot", "phone"})
# R27: (placeholders a template must use, placeholders it may use) for each kind.
PLACEHOLDERS: Mapping[MessageKind, tuple[frozenset[str], frozenset[str]]] = {
    MessageKind.CONFIRMATION: (_APPOINTMENT, _APPOINTMENT | {"link"}),
    MessageKind.REMINDER: (_APPOINTMENT, _APPOINTMENT | {"link"}),
    MessageKind.RESCHEDULED: (_APPOINTMENT, _APPOINTMENT | {"link"}),
    MessageKind.CANCELLED: (_APPOINTMENT, _APPOINTMENT | {"link"}),
    MessageKind.VERIFICATION_CODE: (
        frozenset({"code", "council"}),
        frozenset({"code", "council", "minutes", "phone"}),
    ),
    MessageKind.BOOK_LATER: (
        frozenset({"council", "reference", "phone"}),
        frozenset({"council", "reference", "phone"}),
    ),
    MessageKind.BOOK_REPAIR: (
        frozenset({"council", "reference", "link"}),
        frozenset({"council", "reference", "link", "phone"}),
    ),
    MessageKind.NO_ACCESS: (
        frozenset({"council", "reference", "link"}),
        frozenset({"council", "reference", "link", "slot", "phone"}),
    ),
    MessageKind.COMPLETED: (
        frozenset({"council", "reference"}),
        frozenset({"council", "reference", "link", "phone"}),
    ),
    MessageKind.HELP: (frozenset({"council", "phone"}), frozenset({"council", "phone", "link"})),
    MessageKind.OPT_OUT_CONFIRMATION: (frozenset({"council"}), frozenset({"council", "phone"})),
    MessageKind.OPT_IN_CONFIRMATION: (frozenset({"council"}), frozenset({"council", "phone"})),
    MessageKind.UNREADABLE: (frozenset({"council"}), frozenset({"council", "phone"})),
    MessageKind.CHANGE: (
        frozenset({"council", "link"}),
        frozenset({"council", "link", "reference", "slot", "phone"}),
    ),
    MessageKind.STAFF_TEST: (frozenset({"council"}), frozenset({"council", "phone"})),
}


class TemplateError(ValueError):
    """A template or a value that would give a wrong, leaky or oversized text."""


@dataclass(frozen=True)
class MessageValues:
    """The only per-message facts a text may carry (R27). Persist with to_dict/from_dict."""

    reference: str | None = None
    slot: str | None = None
    link: str | None = None
    code: str | None = None

    def to_dict(self) -> dict[str, str]:
        return {key: value for key, value in asdict(self).items() if value is not None}

    @classmethod
    def from_dict(cls, data: Mapping[str, str]) -> MessageValues:
        unknown = set(data) - {"reference", "slot", "link", "code"}
        if unknown:
            raise TemplateError(f"unknown message values: {', '.join(sorted(unknown))}")
        return cls(**data)


@dataclass(frozen=True)
class Sender:
    """Who a text is from and how to get help (R27): the council's short name and phone."""

    council: str
    phone: str


@dataclass(frozen=True)
class FieldLimits:
    """R28: the longest each value may be, in characters (all values are basic GSM-7)."""

    reference: int
    slot: int
    council: int
    phone: int
    code_digits: int


def placeholders_in(text: str) -> list[str]:
    """The placeholder names in `text`; refuses anything but plain `{name}`."""
    names = []
    for literal, name, spec, conversion in string.Formatter().parse(text):
        if "{" in literal or "}" in literal:
            raise TemplateError("braces may only surround a placeholder name, like {reference}")
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise TemplateError(f"placeholder {{{name}}} must be a plain name, like {{reference}}")
        names.append(name)
    return names


def check_template(kind: MessageKind, text: str) -> None:
    """R27/R28: refuse unknown or missing placeholders and anything but plain ASCII wording."""
    try:
        names = set(placeholders_in(text))
    except ValueError as error:  # string.Formatter raises on a lone brace
        raise TemplateError(str(error)) from None
    required, allowed = PLACEHOLDERS[kind]
    if unknown := names - allowed:
        raise TemplateError(
            f"unknown placeholder {{{sorted(unknown)[0]}}}; "
            f"{kind.value} may use {', '.join('{' + n + '}' for n in sorted(allowed))}"
        )
    if missing := required - names:
        raise TemplateError(f"{kind.value} must include {{{sorted(missing)[0]}}} (R27)")
    wording = "".join(literal for literal, *_ in string.Formatter().parse(text))
    bad = sorted({c for c in wording if not (c.isascii() and (c.isprintable() or c == "\n"))})
    if bad or not is_gsm7_basic(wording):
        shown = "".join(bad) or "".join(sorted({c for c in wording if not is_gsm7_basic(c)}))
        raise TemplateError(f"use plain ASCII letters and punctuation only, not {shown!r} (R28)")


@dataclass(frozen=True)
class LinkRules:
    """Links in texts point only at our own site, so a value cannot smuggle in another URL."""

    base_url: str
    max_length: int

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("https://", "http://")) or self.base_url.endswith("/"):
            raise TemplateError("base_url must be http(s)://host with no trailing slash")
        if self.max_length <= len(self.base_url) + 1:
            raise TemplateError("max_length must leave room for a path after base_url")


class MessageTemplates:
    """Renders configured wording; build once at start-up from `MessagingPolicy`."""

    def __init__(
        self,
        texts: Mapping[MessageKind, str],
        limits: FieldLimits,
        links: LinkRules,
        sender: Sender,
        *,
        code_minutes: int,
        max_segments: int,
    ) -> None:
        for kind in MessageKind:
            if kind not in texts:
                raise TemplateError(f"no wording for {kind.value}")
            check_template(kind, texts[kind])
        self._texts = dict(texts)
        self._limits = limits
        self._links = links
        self._code_minutes = code_minutes
        self._max_segments = max_segments
        self._check_value("council", sender.council, limits.council)
        self._check_value("phone", sender.phone, limits.phone)
        self._sender = sender

    def render(self, kind: MessageKind, values: MessageValues) -> str:
        """R27/R28: the text for `kind`, refusing a missing, oversized or non-GSM-7 value."""
        available = {
            "council": self._sender.council,
            "phone": self._sender.phone,
            "minutes": str(self._code_minutes),
            **self._checked(values),
        }
        text = self._texts[kind]
        for name in placeholders_in(text):
            if name not in available:
                raise TemplateError(f"{kind.value} needs a value for {{{name}}}")
        body = text.format_map(available)
        count = count_segments(body)
        if count.encoding != "GSM-7" or count.segments > self._max_segments:
            raise TemplateError(
                f"{kind.value} would be {count.segments} {count.encoding} segments (R28)"
            )
        return body

    def worst_case_values(self) -> MessageValues:
        """Every per-message value at its longest allowed length (R28)."""
        padding = self._links.max_length - len(self._links.base_url) - 1
        return MessageValues(
            reference="X" * self._limits.reference,
            slot="X" * self._limits.slot,
            link=self._links.base_url + "/" + "x" * padding,
            code="9" * self._limits.code_digits,
        )

    def render_worst_case(self, kind: MessageKind) -> str:
        """R28: `kind` with every value (the sender too) at its longest; raises if too long."""
        longest = MessageTemplates(
            self._texts,
            self._limits,
            self._links,
            Sender(council="X" * self._limits.council, phone="0" * self._limits.phone),
            code_minutes=self._code_minutes,
            max_segments=self._max_segments,
        )
        return longest.render(kind, self.worst_case_values())

    def _checked(self, values: MessageValues) -> dict[str, str]:
        checked = {}
        if values.reference is not None:
            checked["reference"] = self._check_value(
                "reference", values.reference, self._limits.reference
            )
        if values.slot is not None:
            checked["slot"] = self._check_value("slot", values.slot, self._limits.slot)
        if values.link is not None:
            checked["link"] = self._check_link(values.link)
        if values.code is not None:
            digits = self._limits.code_digits
            if not (values.code.isascii() and values.code.isdigit() and len(values.code) == digits):
                raise TemplateError(f"code must be exactly {digits} digits")
            checked["code"] = values.code
        return checked

    @staticmethod
    def _check_value(name: str, value: str, limit: int) -> str:
        if not value.strip() or value != value.strip() or "\n" in value or "\r" in value:
            raise TemplateError(f"{name} must be one line of text without outer spaces")
        if not is_gsm7_basic(value):
            raise TemplateError(f"{name} must use plain letters, digits and punctuation (R28)")
        if len(value) > limit:
            raise TemplateError(f"{name} is {len(value)} characters; the most is {limit} (R28)")
        return value

    def _check_link(self, link: str) -> str:
        base = self._links.base_url
        if not (link == base or link.startswith(base + "/") or link.startswith(base + "?")):
            raise TemplateError(f"links must start with {base}")
        if " " in link:
            raise TemplateError("a link must not contain spaces")
        return self._check_value("link", link, self._links.max_length)
