"""What every report page shares: finding this tenant's draft, sending people to the page their
answers allow, and turning a draft into the reporting command."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, redirect, request, session, url_for
from werkzeug.wrappers import Response

from adapters.db.report_drafts import Draft
from portal.accounts.access import acting_actor, current_tenancy, tenant_required
from portal.report.context import report_context
from portal.report.journey import Exit, Step, blocker
from repairs.calendar import Division
from repairs.ports import Tenure
from repairs.refs import PropertyRef, TenancyRef
from repairs.reporting import Actor, ReportRepair, TenancyFacts
from repairs.triage import TriageAnswers

DRAFT_KEY = "report_draft"
F = TypeVar("F", bound=Callable[..., Any])

ENDPOINTS = {
    Step.EMERGENCY: "report.emergency",
    Step.LOCATION: "report.location",
    Step.PROBLEM: "report.problem",
    Step.DETAIL: "report.detail",
    Step.DESCRIPTION: "report.description",
    Step.PHOTOS: "report.photos",
    Step.ACCESS: "report.access",
    Step.CONTACT: "report.contact",
    Step.CHECK: "report.check",
    Exit.GAS: "report.gas",
    Exit.EMERGENCY: "report.emergency_call",
    Exit.CANNOT_REPORT: "report.cannot_report",
}


def url_for_step(step: Step | Exit, *, changing: bool = False) -> str:
    if changing and isinstance(step, Step) and step is not Step.CHECK:
        return url_for(ENDPOINTS[step], change=1)
    return url_for(ENDPOINTS[step])


def changing() -> bool:
    """Came from a 'Change' link on the check page: go back there when done."""
    return request.args.get("change") == "1"


def current_draft() -> Draft | None:
    """This session's draft, if it belongs to the tenancy this request acts for."""
    draft_id = session.get(DRAFT_KEY)
    if not isinstance(draft_id, str):
        return None
    draft = report_context().drafts.get(draft_id)
    if draft is None or draft.tenancy_ref != current_tenancy():
        return None
    return draft


def draft_page(step: Step | None) -> Callable[[F], F]:
    """A page of the journey: signed in, with a draft, not yet submitted, and (for `step`)
    every earlier question answered. The view gets the draft as its first argument."""

    def decorate(view: F) -> F:
        @wraps(view)
        @tenant_required
        def guarded(*args: Any, **kwargs: Any) -> Any:
            draft = current_draft()
            if draft is None:
                return redirect(url_for("report.start"))
            if draft.repair_ref is not None:
                return redirect(url_for("report.confirmation"))
            if step is not None:
                elsewhere = blocker(step, report_context().tree, draft.answers)
                if elsewhere is not None:
                    return redirect(url_for_step(elsewhere))
            return view(draft, *args, **kwargs)

        return cast(F, guarded)

    return decorate


def save_and_continue(draft: Draft, answers: dict[str, Any], destination: Step | Exit) -> Response:
    context = report_context()
    context.drafts.save(draft.id, answers, context.clock.now())
    return redirect(
        url_for_step(destination, changing=changing() and destination is not Step.CHECK)
    )


def facts_to_answers(facts: TenancyFacts) -> dict[str, Any]:
    return {
        "tenancy_ref": str(facts.tenancy_ref),
        "property_ref": str(facts.property_ref),
        "tenure": facts.tenure.value,
        "division": facts.division.value,
        "maintainable": facts.maintainable,
        "active": facts.active,
    }


def facts_from(draft: Draft) -> TenancyFacts:
    saved = draft.answers.get("tenancy")
    if not isinstance(saved, dict):
        abort(400)
    return TenancyFacts(
        TenancyRef(saved["tenancy_ref"]),
        PropertyRef(saved["property_ref"]),
        Tenure(saved["tenure"]),
        Division(saved["division"]),
        bool(saved["maintainable"]),
        bool(saved["active"]),
    )


def acting() -> Actor:
    """R41: a staff member acting for the tenant reports under their own id."""
    staff_id = acting_actor()
    return Actor.staff(staff_id) if staff_id else Actor.tenant()


def command_from(draft: Draft, photo_tokens: tuple[str, ...]) -> ReportRepair:
    a = draft.answers
    return ReportRepair(
        submission_id=draft.submission_id,
        actor=acting(),
        tenancy=facts_from(draft),
        answers=TriageAnswers(a["location"], a["problem"], a.get("detail")),
        description=a["description"],
        access_notes=a.get("access_notes", ""),
        contact_mobile=a.get("contact_mobile"),
        photo_tokens=photo_tokens,
    )
