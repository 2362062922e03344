"""The start of the journey and the triage questions: is it an emergency, where, what, which
(R13-R16). Each answer is one radio page; exits stop the journey and create no job."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from adapters.db.report_drafts import Draft
from portal.accounts.access import current_tenancy, tenant_required
from portal.report import bp
from portal.report.context import report_context
from portal.report.drafting import (
    DRAFT_KEY,
    changing,
    current_draft,
    draft_page,
    facts_to_answers,
    save_and_continue,
    url_for_step,
)
from portal.report.forms import ChoiceForm
from portal.report.journey import (
    EMERGENCY,
    GAS,
    NOT_AN_EMERGENCY,
    Step,
    after,
    before,
    clear_after,
    leaf,
)
from repairs.reporting import TenancyUnknown
from repairs.triage import CannotReportOnline, CannotReportReason, Emergency, UnknownAnswer

Item = dict[str, Any]


@bp.get("/")
@tenant_required
def start() -> ResponseReturnValue:
    draft = current_draft()
    resumable = draft if draft is not None and draft.repair_ref is None else None
    return render_template("report/start.html", form=None, resumable=resumable)


@bp.post("/start")
@tenant_required
def begin() -> ResponseReturnValue:
    context = report_context()
    try:
        facts = context.service.tenancy_facts(current_tenancy())
    except TenancyUnknown:
        return render_template("report/tenancy_unknown.html"), 503
    refusal = facts.refusal()  # R15, R17
    if refusal is CannotReportReason.LEASEHOLDER:
        return redirect(url_for("report.leaseholder"))
    if refusal is not None:
        return redirect(url_for("report.not_repairable"))
    draft = context.drafts.start(
        facts.tenancy_ref, {"tenancy": facts_to_answers(facts)}, context.clock.now()
    )
    session[DRAFT_KEY] = draft.id
    return redirect(url_for("report.emergency"))


@bp.route("/emergency", methods=["GET", "POST"])
@draft_page(Step.EMERGENCY)
def emergency(draft: Draft) -> ResponseReturnValue:
    items: list[Item] = [
        {"value": GAS, "text": "I can smell gas or my carbon monoxide alarm is going off"},
        {
            "value": EMERGENCY,
            "text": "Yes, it is an emergency",
            "hint": {
                "text": "For example, no water or power, water leaking onto electrics, a "
                "leak you cannot stop, or a door or window that will not lock"
            },
        },
        {"divider": "or"},
        {"value": NOT_AN_EMERGENCY, "text": "No, it is not an emergency"},
    ]

    def save(answers: dict[str, Any], value: str) -> None:
        answers["emergency"] = value

    return _question(
        draft,
        Step.EMERGENCY,
        items,
        save,
        legend="Is this an emergency?",
        hint="An emergency is something that puts people at risk or could cause serious "
        "damage to your home.",
        required="Select if this is an emergency",
    )


@bp.route("/where", methods=["GET", "POST"])
@draft_page(Step.LOCATION)
def location(draft: Draft) -> ResponseReturnValue:
    tree = report_context().tree
    items = [_item(place.key, place.label, place.hint) for place in tree.locations]

    def save(answers: dict[str, Any], value: str) -> None:
        if answers.get("location") != value:
            clear_after(Step.LOCATION, answers)
        answers["location"] = value

    return _question(
        draft,
        Step.LOCATION,
        items,
        save,
        legend="Where is the problem?",
        required="Select where the problem is",
    )


@bp.route("/problem", methods=["GET", "POST"])
@draft_page(Step.PROBLEM)
def problem(draft: Draft) -> ResponseReturnValue:
    place = report_context().tree.location(draft.answers["location"])
    items = [_item(p.key, p.label, p.hint) for p in place.problems]

    def save(answers: dict[str, Any], value: str) -> None:
        if answers.get("problem") != value:
            clear_after(Step.PROBLEM, answers)
        answers["problem"] = value

    return _question(
        draft,
        Step.PROBLEM,
        items,
        save,
        legend="What is the problem?",
        caption=place.label,
        required="Select what the problem is",
    )


@bp.route("/detail", methods=["GET", "POST"])
@draft_page(Step.DETAIL)
def detail(draft: Draft) -> ResponseReturnValue:
    tree = report_context().tree
    chosen = tree.location(draft.answers["location"]).problem(draft.answers["problem"])
    if not chosen.details:
        return redirect(url_for_step(after(Step.DETAIL, tree, draft.answers, changing=False)))
    items = [_item(d.key, d.label, d.hint) for d in chosen.details]

    def save(answers: dict[str, Any], value: str) -> None:
        answers["detail"] = value

    return _question(
        draft,
        Step.DETAIL,
        items,
        save,
        legend="Which of these is closest?",
        caption=chosen.label,
        required="Select what best describes the problem",
    )


def _item(value: str, text: str, hint: str = "") -> Item:
    item: Item = {"value": value, "text": text}
    if hint:
        item["hint"] = {"text": hint}
    return item


def _question(
    draft: Draft,
    step: Step,
    items: list[Item],
    save: Callable[[dict[str, Any], str], None],
    *,
    legend: str,
    required: str,
    caption: str = "",
    hint: str = "",
) -> ResponseReturnValue:
    """One radio question: show it with the saved answer, or check and save the answer."""
    context = report_context()
    form = ChoiceForm([i["value"] for i in items if "value" in i], required)
    if request.method == "POST":
        if form.tampered():
            abort(400)  # an answer the page never offered
        if form.validate():
            answers = dict(draft.answers)
            save(answers, form.answer.data)
            return save_and_continue(
                draft, answers, after(step, context.tree, answers, changing=changing())
            )
    current = draft.answers.get(_ANSWER_KEYS[step])
    for item in items:
        if "value" in item:
            item["checked"] = item["value"] == (form.answer.data or current)
    return render_template(
        "report/question.html",
        form=form,
        items=items,
        legend=legend,
        caption=caption,
        hint=hint,
        back_url=_back_url(step, draft),
        action=_action(step),
    )


_ANSWER_KEYS = {
    Step.EMERGENCY: "emergency",
    Step.LOCATION: "location",
    Step.PROBLEM: "problem",
    Step.DETAIL: "detail",
}


def _action(step: Step) -> str:
    return url_for_step(step, changing=changing())


def _back_url(step: Step, draft: Draft) -> str:
    if changing():
        return url_for("report.check")
    previous = before(step, report_context().tree, draft.answers)
    return url_for_step(previous) if previous else url_for("report.start")


# ---------------------------------------------------------------- exits (no job is created)


@bp.get("/gas")
@tenant_required
def gas() -> ResponseReturnValue:
    """R13: stop at once; the national gas emergency number and our out-of-hours line."""
    return render_template("report/exit_gas.html", back_url=_exit_back_url())


@bp.get("/emergency-call")
@tenant_required
def emergency_call() -> ResponseReturnValue:
    """R14: phone us now; emergencies are never booked online."""
    found = _draft_leaf()
    reason = found.outcome.reason if found and isinstance(found.outcome, Emergency) else ""
    return render_template("report/exit_emergency.html", reason=reason, back_url=_exit_back_url())


@bp.get("/cannot-report-online")
@tenant_required
def cannot_report() -> ResponseReturnValue:
    """R15: say what to do instead; nothing is silently accepted."""
    found = _draft_leaf()
    if found is None or not isinstance(found.outcome, CannotReportOnline):
        return redirect(url_for("report.start"))
    return render_template(
        "report/exit_cannot_report.html", outcome=found.outcome, back_url=_exit_back_url()
    )


@bp.get("/leaseholders")
@tenant_required
def leaseholder() -> ResponseReturnValue:
    return render_template("report/exit_leaseholder.html")


@bp.get("/not-online")
@tenant_required
def not_repairable() -> ResponseReturnValue:
    """R17: a tenancy that has ended, or a home the council does not maintain."""
    return render_template("report/exit_not_repairable.html")


def _draft_leaf() -> Any:
    draft = current_draft()
    if draft is None:
        return None
    try:
        return leaf(report_context().tree, draft.answers)
    except UnknownAnswer:
        return None


def _exit_back_url() -> str:
    """Back to the question that led here, so a wrong click can be undone."""
    draft = current_draft()
    if draft is None or draft.repair_ref is not None:
        return url_for("report.start")
    answers = draft.answers
    if answers.get("emergency") != NOT_AN_EMERGENCY:
        return url_for("report.emergency")
    step = Step.DETAIL if answers.get("detail") else Step.PROBLEM
    return url_for_step(step)
