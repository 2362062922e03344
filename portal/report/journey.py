"""The order of the report questions and where each answer leads (one question per page).

Answers live in the draft as a plain dict; these functions decide which page comes next, which
earlier page must be answered first, and when the answers lead to an exit (R13-R15) instead
of a repair. Nothing here touches Flask, so the rules are easy to test.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from repairs.triage import (
    CannotReportOnline,
    Emergency,
    Gas,
    Leaf,
    TriageAnswers,
    TriageTree,
    UnknownAnswer,
)


class Step(StrEnum):
    EMERGENCY = "emergency"
    LOCATION = "location"
    PROBLEM = "problem"
    DETAIL = "detail"
    DESCRIPTION = "description"
    PHOTOS = "photos"
    ACCESS = "access"
    CONTACT = "contact"
    CHECK = "check"


class Exit(StrEnum):
    GAS = "gas"  # R13
    EMERGENCY = "emergency_call"  # R14
    CANNOT_REPORT = "cannot_report"  # R15


ORDER = tuple(Step)
# What the first question's answers mean.
NOT_AN_EMERGENCY, GAS, EMERGENCY = "no", "gas", "emergency"

Answers = Mapping[str, Any]


def leaf(tree: TriageTree, answers: Answers) -> Leaf | None:
    """Where the triage answers end, or None while they are incomplete (or stale)."""
    location, problem = answers.get("location"), answers.get("problem")
    if not location or not problem:
        return None
    try:
        return tree.leaf(TriageAnswers(location, problem, answers.get("detail")))
    except UnknownAnswer:
        return None


def needs_detail(tree: TriageTree, answers: Answers) -> bool:
    try:
        location = tree.location(answers.get("location") or "")
        return location.problem(answers.get("problem") or "").outcome is None
    except UnknownAnswer:
        return True


def is_answered(step: Step, tree: TriageTree, answers: Answers) -> bool:
    match step:
        case Step.EMERGENCY:
            return answers.get("emergency") == NOT_AN_EMERGENCY
        case Step.LOCATION:
            return _known(lambda: tree.location(answers.get("location") or ""))
        case Step.PROBLEM:
            return _known(
                lambda: tree.location(answers.get("location") or "").problem(
                    answers.get("problem") or ""
                )
            )
        case Step.DETAIL:
            return leaf(tree, answers) is not None
        case Step.DESCRIPTION:
            return bool(answers.get("description"))
        case Step.PHOTOS:
            return answers.get("photos_done") is True
        case Step.ACCESS:
            return "access_notes" in answers
        case Step.CONTACT:
            # R43 (assisted digital, portal/terminal): at a help terminal no mobile is asked.
            return bool(answers.get("contact_mobile")) or answers.get("no_texts") is True
    return False


def _known(find: Any) -> bool:
    try:
        find()
    except UnknownAnswer:
        return False
    return True


def exit_for(tree: TriageTree, answers: Answers) -> Exit | None:
    """R13-R15: the exit the answers so far lead to, if any."""
    if answers.get("emergency") == GAS:
        return Exit.GAS
    if answers.get("emergency") == EMERGENCY:
        return Exit.EMERGENCY
    found = leaf(tree, answers)
    outcome = found.outcome if found else None
    if isinstance(outcome, Gas):
        return Exit.GAS
    if isinstance(outcome, Emergency):
        return Exit.EMERGENCY
    if isinstance(outcome, CannotReportOnline):
        return Exit.CANNOT_REPORT
    return None


def applies(step: Step, tree: TriageTree, answers: Answers) -> bool:
    return step is not Step.DETAIL or needs_detail(tree, answers)


def blocker(step: Step, tree: TriageTree, answers: Answers) -> Step | Exit | None:
    """Where to send someone who asks for `step`: an earlier unanswered question, or the exit
    their answers lead to; None when `step` may be shown."""
    for earlier in ORDER[: ORDER.index(step)]:
        if earlier is Step.EMERGENCY and answers.get("emergency") in (GAS, EMERGENCY):
            return Exit.GAS if answers.get("emergency") == GAS else Exit.EMERGENCY
        if applies(earlier, tree, answers) and not is_answered(earlier, tree, answers):
            return earlier
        if earlier is Step.DETAIL and (found := exit_for(tree, answers)) is not None:
            return found
    return None


def after(step: Step, tree: TriageTree, answers: Answers, *, changing: bool) -> Step | Exit:
    """Where to go once `step` is answered: the next question, or (when changing an answer
    from the check page) back to the check page as soon as nothing is missing. An answer that
    leads to an exit goes there at once."""
    if (found := exit_for(tree, answers)) is not None:
        return found
    if changing:
        missing = [
            s for s in ORDER[:-1] if applies(s, tree, answers) and not is_answered(s, tree, answers)
        ]
        destination = missing[0] if missing else Step.CHECK
    else:
        later = [s for s in ORDER[ORDER.index(step) + 1 :] if applies(s, tree, answers)]
        destination = later[0]
    return blocker(destination, tree, answers) or destination


def before(step: Step, tree: TriageTree, answers: Answers) -> Step | None:
    """The page the back link goes to."""
    earlier = [s for s in ORDER[: ORDER.index(step)] if applies(s, tree, answers)]
    return earlier[-1] if earlier else None


def clear_after(step: Step, answers: dict[str, Any]) -> None:
    """A new location or problem makes the finer answers below it meaningless."""
    if step is Step.LOCATION:
        answers.pop("problem", None)
    if step in (Step.LOCATION, Step.PROBLEM):
        answers.pop("detail", None)
