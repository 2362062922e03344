"""R41 for the tenant journeys: each action taken while serving a tenant gets its audit row.

The journeys (report, book, change, cancel, survey) already act for `current_tenancy()` and
mark their own records as assisted; this module watches their POSTs from outside, so they
need no change to be audited. A POST counts as done when the journey answers with the
redirect it gives on success (POST-redirect-GET); a re-shown form, an error or a redirect
elsewhere records nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, Response, g, request

from portal.staff.serving import current_assisting, record_assisted_action


@dataclass(frozen=True)
class Watched:
    action: str
    succeeded: Callable[[str], bool]  # given the redirect's Location


def _ends(*suffixes: str) -> Callable[[str], bool]:
    return lambda location: location.split("?", 1)[0].endswith(suffixes)


WATCHED = {
    # Success goes to the confirmation or straight to booking; failure back to the start.
    "report.submit": Watched("repair.reported", lambda loc: not _ends("/report/", "/report")(loc)),
    "booking.check_book": Watched("appointment.booked", _ends("/booked")),
    "booking.check_change": Watched("appointment.changed", _ends("/changed")),
    "booking.cancel": Watched("appointment.cancelled", _ends("/cancelled")),
    "tracking.survey": Watched("survey.answered", _ends("/survey/thanks")),
}


def init_journey_audit(app: Flask) -> None:
    app.before_request(_before)
    app.after_request(_after)


def _before() -> None:
    if request.method == "POST" and request.endpoint == "report.submit":
        g.draft_ref_before = _draft_repair_ref()


def _after(response: Response) -> Response:
    watched = WATCHED.get(request.endpoint or "")
    if watched is None or request.method != "POST" or response.status_code not in (302, 303):
        return response
    if current_assisting() is None:
        return response
    if not watched.succeeded(response.headers.get("Location", "")):
        return response
    subject = (request.view_args or {}).get("reference", "")
    if request.endpoint == "report.submit":
        subject = _draft_repair_ref() or ""
        if not subject or subject == g.get("draft_ref_before"):
            return response  # a second click on Submit: nothing new was reported
    record_assisted_action(watched.action, str(subject).upper())
    return response


def _draft_repair_ref() -> str | None:
    """The repair the current report draft became, read from the reporting package."""
    try:
        from portal.report.drafting import current_draft
    except ImportError:
        return None
    draft = current_draft()
    ref = getattr(draft, "repair_ref", None) if draft else None
    return str(ref) if ref else None
