"""Triage from configuration (R16): location in the home -> problem -> detail -> outcome.

The tree is landlord data (`config/triage.yaml`), read by the portal at start-up and validated
here, standard library only. Every leaf ends in exactly one outcome:

- `bookable`: an ordinary repair with its SOR code, priority and trade (and, optionally, the
  Right to Repair defect it is, R5), reported online and booked by the tenant;
- `emergency` (R14) and `gas` (R13): stop at once, show phone numbers, never create a job;
- `damp_and_mould`: an Awaab's Law case (R9), recorded and raised but never booked by the
  tenant as an ordinary routine job;
- `cannot_report_online` (R15): communal areas, tenant responsibility, leaseholders and
  anything else, with what to do instead.

A problem either has details (a third question) or an outcome of its own, so nobody is asked a
question with only one answer. `TriageTree.from_mapping` raises `TriageError` naming the path of
the bad node, e.g. `triage.locations.kitchen.problems.sink.details.blocked.bookable.priority`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from repairs.config_reader import Node, PolicyError
from repairs.priorities import Priority, Trade

_KEY = re.compile(r"[a-z0-9][a-z0-9_]{0,39}")
_SOR_CODE = re.compile(r"[A-Z]{2}[0-9]{4}")
MAX_LABEL_LENGTH = 120


class TriageError(PolicyError):
    """A bad triage tree: the message names the path of the node and what is wrong."""


class UnknownAnswer(LookupError):
    """An answer that is not in the tree: a tampered form or a stale page (the web says 400)."""


class OutcomeKind(StrEnum):
    BOOKABLE = "bookable"
    EMERGENCY = "emergency"
    GAS = "gas"
    DAMP_AND_MOULD = "damp_and_mould"
    CANNOT_REPORT_ONLINE = "cannot_report_online"


class CannotReportReason(StrEnum):
    """R15: why a repair cannot be reported online."""

    COMMUNAL = "communal"
    TENANT_RESPONSIBILITY = "tenant_responsibility"
    LEASEHOLDER = "leaseholder"
    OTHER = "other"


@dataclass(frozen=True)
class Bookable:
    sor_code: str
    priority: Priority
    trade: Trade
    right_to_repair: str | None = None  # R5: a defect code from repairs.right_to_repair
    kind: OutcomeKind = OutcomeKind.BOOKABLE


@dataclass(frozen=True)
class Emergency:
    """R14: phone us now; no booking."""

    reason: str
    kind: OutcomeKind = OutcomeKind.EMERGENCY


@dataclass(frozen=True)
class Gas:
    """R13: leave, call the National Gas Emergency Service; never a job."""

    kind: OutcomeKind = OutcomeKind.GAS


@dataclass(frozen=True)
class DampAndMould:
    """R9: an Awaab's Law case, raised for a surveyor to arrange, never booked as routine."""

    sor_code: str
    trade: Trade = Trade.DAMP_AND_MOULD
    priority: Priority = Priority.DAMP_AND_MOULD
    right_to_repair: None = None
    kind: OutcomeKind = OutcomeKind.DAMP_AND_MOULD


@dataclass(frozen=True)
class CannotReportOnline:
    """R15: say what to do instead; nothing is silently accepted."""

    reason: CannotReportReason
    title: str
    advice: str
    kind: OutcomeKind = OutcomeKind.CANNOT_REPORT_ONLINE


Outcome = Bookable | Emergency | Gas | DampAndMould | CannotReportOnline
# What becomes a repair record: everything else is an exit that creates no job.
Reportable = Bookable | DampAndMould


@dataclass(frozen=True)
class Detail:
    key: str
    label: str
    hint: str
    outcome: Outcome


@dataclass(frozen=True)
class Problem:
    key: str
    label: str
    hint: str
    details: tuple[Detail, ...]
    outcome: Outcome | None  # set exactly when there are no details

    def detail(self, key: str) -> Detail:
        for detail in self.details:
            if detail.key == key:
                return detail
        raise UnknownAnswer(f"no detail {key!r} under problem {self.key!r}")


@dataclass(frozen=True)
class Location:
    key: str
    label: str
    hint: str
    problems: tuple[Problem, ...]

    def problem(self, key: str) -> Problem:
        for problem in self.problems:
            if problem.key == key:
                return problem
        raise UnknownAnswer(f"no problem {key!r} in location {self.key!r}")


@dataclass(frozen=True)
class TriageAnswers:
    location: str
    problem: str
    detail: str | None = None

    @property
    def path(self) -> str:
        """'kitchen/sink/blocked': stored with the repair so measures can group by it."""
        return "/".join(k for k in (self.location, self.problem, self.detail) if k)

    @classmethod
    def from_path(cls, path: str) -> TriageAnswers:
        parts = path.split("/")
        if len(parts) not in (2, 3) or not all(parts):
            raise UnknownAnswer(f"{path!r} is not a triage path")
        return cls(parts[0], parts[1], parts[2] if len(parts) == 3 else None)


@dataclass(frozen=True)
class Leaf:
    """One answered path through the tree and where it ends."""

    answers: TriageAnswers
    location: Location
    problem: Problem
    detail: Detail | None
    outcome: Outcome

    @property
    def labels(self) -> tuple[str, ...]:
        found = (self.location.label, self.problem.label, self.detail.label if self.detail else "")
        return tuple(label for label in found if label)


class TriageTree:
    def __init__(self, locations: tuple[Location, ...]) -> None:
        self.locations = locations

    @classmethod
    def from_mapping(cls, data: Mapping[str, object], path: str = "triage") -> TriageTree:
        try:
            root = Node(data, path).mapping(required=("locations",))
            locations = tuple(_location(k, n) for k, n in _keyed(root["locations"]))
        except TriageError:
            raise
        except PolicyError as error:
            raise TriageError(str(error)) from None
        if not locations:
            raise TriageError(f"{path}.locations: give at least one location")
        return cls(locations)

    def location(self, key: str) -> Location:
        for location in self.locations:
            if location.key == key:
                return location
        raise UnknownAnswer(f"no location {key!r}")

    def leaf(self, answers: TriageAnswers) -> Leaf:
        """The outcome of a complete set of answers; UnknownAnswer if any is not in the tree."""
        location = self.location(answers.location)
        problem = location.problem(answers.problem)
        if problem.outcome is not None:
            if answers.detail is not None:
                raise UnknownAnswer(f"problem {problem.key!r} takes no detail")
            return Leaf(answers, location, problem, None, problem.outcome)
        if answers.detail is None:
            raise UnknownAnswer(f"problem {problem.key!r} needs a detail")
        detail = problem.detail(answers.detail)
        return Leaf(answers, location, problem, detail, detail.outcome)

    def leaves(self) -> Iterator[Leaf]:
        for location in self.locations:
            for problem in location.problems:
                if problem.outcome is not None:
                    yield self.leaf(TriageAnswers(location.key, problem.key))
                for detail in problem.details:
                    yield self.leaf(TriageAnswers(location.key, problem.key, detail.key))

    def sor_codes(self) -> frozenset[str]:
        return frozenset(
            leaf.outcome.sor_code
            for leaf in self.leaves()
            if isinstance(leaf.outcome, Bookable | DampAndMould)
        )

    def check_defects(self, known: Collection[str], path: str = "triage") -> None:
        """R5: every Right to Repair code named in the tree must be a configured defect."""
        for leaf in self.leaves():
            code = leaf.outcome.right_to_repair if isinstance(leaf.outcome, Bookable) else None
            if code is not None and code not in known:
                where = _leaf_path(path, leaf.answers)
                raise TriageError(f"{where}.bookable.right_to_repair: {code!r} is not a defect in "
                                  "repairs.right_to_repair.defects")  # fmt: skip


def _leaf_path(root: str, answers: TriageAnswers) -> str:
    where = f"{root}.locations.{answers.location}.problems.{answers.problem}"
    return f"{where}.details.{answers.detail}" if answers.detail else where


def _keyed(node: Node) -> Iterator[tuple[str, Node]]:
    for key, child in node.items():
        if not _KEY.fullmatch(key):
            raise child.fail("keys are 1 to 40 lower-case letters, digits and _")
        yield key, child


def _label(node: Node, key: str = "label") -> str:
    text = node[key].text().strip()
    if len(text) > MAX_LABEL_LENGTH:
        raise node[key].fail(f"is {len(text)} characters; keep it under {MAX_LABEL_LENGTH}")
    return text


def _hint(node: Node) -> str:
    hint = node.get("hint")
    return hint.text().strip() if hint is not None else ""


def _location(key: str, node: Node) -> Location:
    node.mapping(required=("label", "problems"), optional=("hint",))
    problems = tuple(_problem(k, n) for k, n in _keyed(node["problems"]))
    if not problems:
        raise node["problems"].fail("give at least one problem")
    return Location(key, _label(node), _hint(node), problems)


def _problem(key: str, node: Node) -> Problem:
    node.mapping(required=("label",), optional=("hint", "details", *OutcomeKind))
    details_node = node.get("details")
    has_outcome = any(node.get(kind) is not None for kind in OutcomeKind)
    if (details_node is None) == (not has_outcome):
        raise node.fail("give either details or one outcome, not both or neither")
    if details_node is None:
        return Problem(key, _label(node), _hint(node), (), _outcome(node))
    details = tuple(_detail(k, n) for k, n in _keyed(details_node))
    if len(details) < 2:
        raise details_node.fail("give at least two details, or put the outcome on the problem")
    return Problem(key, _label(node), _hint(node), details, None)


def _detail(key: str, node: Node) -> Detail:
    node.mapping(required=("label",), optional=("hint", *OutcomeKind))
    return Detail(key, _label(node), _hint(node), _outcome(node))


def _outcome(node: Node) -> Outcome:
    given = [(kind, sub) for kind in OutcomeKind if (sub := node.get(kind)) is not None]
    if len(given) != 1:
        raise node.fail(f"give exactly one outcome: {', '.join(OutcomeKind)}")
    kind, sub = given[0]
    if kind is OutcomeKind.BOOKABLE:
        return _bookable(sub)
    if kind is OutcomeKind.EMERGENCY:
        sub.mapping(required=("reason",))
        return Emergency(_label(sub, "reason"))
    if kind is OutcomeKind.GAS:
        if sub.value not in ({}, None, True):
            raise sub.fail("takes no settings: write `gas: {}`")
        return Gas()
    if kind is OutcomeKind.DAMP_AND_MOULD:
        sub.mapping(required=("sor_code",))
        return DampAndMould(_sor_code(sub["sor_code"]))
    sub.mapping(required=("reason", "title", "advice"))
    reasons = {reason.value: reason for reason in CannotReportReason}
    return CannotReportOnline(sub["reason"].choice(reasons), _label(sub, "title"),
                              sub["advice"].text().strip())  # fmt: skip


def _bookable(node: Node) -> Bookable:
    node.mapping(required=("sor_code", "priority", "trade"), optional=("right_to_repair",))
    # R14, R9: emergencies and damp and mould have outcomes of their own, never a booking.
    priorities = {p.value: p for p in (Priority.URGENT, Priority.ROUTINE)}
    trades = {t.value: t for t in Trade if t is not Trade.DAMP_AND_MOULD}
    defect = node.get("right_to_repair")
    return Bookable(
        sor_code=_sor_code(node["sor_code"]),
        priority=node["priority"].choice(priorities),
        trade=node["trade"].choice(trades),
        right_to_repair=defect.text() if defect is not None else None,
    )


def _sor_code(node: Node) -> str:
    code = node.text()
    if not _SOR_CODE.fullmatch(code):
        raise node.fail(f'"{code}" is not an SOR code (two capital letters and four digits)')
    return code
