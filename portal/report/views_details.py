"""After triage: description (R18), photos (R19), getting in (R27), mobile (R26), check your
answers with the service expectation (R8), submit exactly once (R11, R44), confirmation."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue

from adapters.db.report_drafts import MAX_PHOTOS, Draft
from portal.accounts.access import current_account, current_tenancy, tenant_required
from portal.report import bp
from portal.report.context import report_context
from portal.report.drafting import (
    changing,
    command_from,
    current_draft,
    draft_page,
    facts_from,
    save_and_continue,
    url_for_step,
)
from portal.report.forms import AccessForm, ContactForm, DescriptionForm, PhotoForm
from portal.report.journey import Step, after, before, leaf
from portal.report.photos import MAX_BYTES, PhotoRejected, clean_photo
from portal.report.wording import (
    PRIORITY_NAMES,
    by_date,
    choose_slot_url,
    national_mobile,
    repair_page_url,
)
from portal.staff.serving import alone_at_terminal
from repairs.local_time import local_date
from repairs.reporting import NotReportable, RaiseState
from repairs.triage import Leaf, TriageAnswers, UnknownAnswer


def _next(draft: Draft, step: Step, answers: dict[str, Any]) -> ResponseReturnValue:
    destination = after(step, report_context().tree, answers, changing=changing())
    return save_and_continue(draft, answers, destination)


def _back(step: Step, draft: Draft) -> str:
    if changing():
        return url_for("report.check")
    previous = before(step, report_context().tree, draft.answers)
    return url_for_step(previous) if previous else url_for("report.start")


def _page(template: str, step: Step, draft: Draft, **values: Any) -> str:
    action = url_for_step(step, changing=changing())
    return render_template(template, back_url=_back(step, draft), action=action, **values)


@bp.route("/description", methods=["GET", "POST"])
@draft_page(Step.DESCRIPTION)
def description(draft: Draft) -> ResponseReturnValue:
    form = DescriptionForm(data={"description": draft.answers.get("description", "")})
    if request.method == "POST" and form.validate():
        return _next(
            draft, Step.DESCRIPTION, {**draft.answers, "description": form.description.data.strip()}
        )
    return _page("report/description.html", Step.DESCRIPTION, draft, form=form)


@bp.route("/photos", methods=["GET", "POST"])
@draft_page(Step.PHOTOS)
def photos(draft: Draft) -> ResponseReturnValue:
    context = report_context()
    form = PhotoForm()
    saved = context.drafts.photos(draft.id)
    if request.method == "POST":
        upload = request.files.get("photo")
        if upload is not None and upload.filename:
            problem = _store_photo(draft, upload.stream.read(MAX_BYTES + 1), len(saved))
            if problem:
                form.photo.errors = [problem]
                return _page(
                    "report/photos.html",
                    Step.PHOTOS,
                    draft,
                    form=form,
                    saved=saved,
                    max_photos=MAX_PHOTOS,
                )
        elif request.form.get("action") == "upload":
            form.photo.errors = ["Select a photo to upload"]
            return _page(
                "report/photos.html",
                Step.PHOTOS,
                draft,
                form=form,
                saved=saved,
                max_photos=MAX_PHOTOS,
            )
        if request.form.get("action") == "continue":
            return _next(draft, Step.PHOTOS, {**draft.answers, "photos_done": True})
        return redirect(url_for_step(Step.PHOTOS, changing=changing()))
    return _page(
        "report/photos.html", Step.PHOTOS, draft, form=form, saved=saved, max_photos=MAX_PHOTOS
    )


def _store_photo(draft: Draft, data: bytes, already: int) -> str | None:
    """The tenant's error message, or None when the photo was kept."""
    if already >= MAX_PHOTOS:
        return f"You can add up to {MAX_PHOTOS} photos"
    context = report_context()
    try:
        record = context.photos.save(clean_photo(data))
    except PhotoRejected as rejected:
        return str(rejected)
    if not context.drafts.add_photo(draft.id, record, context.clock.now()):
        context.photos.delete(record)
        return f"You can add up to {MAX_PHOTOS} photos"
    return None


@bp.post("/photos/<token>/remove")
@draft_page(Step.PHOTOS)
def remove_photo(draft: Draft, token: str) -> ResponseReturnValue:
    context = report_context()
    removed = context.drafts.remove_photo(draft.id, token)
    if removed is None:
        abort(404)
    context.photos.delete(removed)
    return redirect(url_for_step(Step.PHOTOS, changing=changing()))


@bp.get("/photos/<token>")
@tenant_required
def photo(token: str) -> ResponseReturnValue:
    """R19: only the tenancy the photo belongs to ever gets it."""
    context = report_context()
    record = context.drafts.photo_for_tenancy(token, current_tenancy())
    if record is None or not context.photos.path(record).is_file():
        abort(404)
    response = send_file(context.photos.path(record), mimetype=record.content_type, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/access", methods=["GET", "POST"])
@draft_page(Step.ACCESS)
def access(draft: Draft) -> ResponseReturnValue:
    form = AccessForm(data={"access_notes": draft.answers.get("access_notes", "")})
    if request.method == "POST" and form.validate():
        notes = (form.access_notes.data or "").strip()
        return _next(draft, Step.ACCESS, {**draft.answers, "access_notes": notes})
    return _page("report/access.html", Step.ACCESS, draft, form=form)


@bp.route("/contact", methods=["GET", "POST"])
@draft_page(Step.CONTACT)
def contact(draft: Draft) -> ResponseReturnValue:
    # R43 (assisted digital): a tenant alone at a help terminal has no proved mobile, so we
    # neither ask for one nor promise a text; the confirmation is printed or noted instead.
    if alone_at_terminal():
        answers = {**draft.answers, "contact_mobile": None, "no_texts": True}
        return _next(draft, Step.CONTACT, answers)
    account = current_account()
    known = draft.answers.get("contact_mobile") or (account.mobile if account else None)
    form = ContactForm(data={"mobile": national_mobile(known)})
    if request.method == "POST" and form.validate():
        return _next(draft, Step.CONTACT, {**draft.answers, "contact_mobile": form.e164})
    return _page("report/contact.html", Step.CONTACT, draft, form=form)


@bp.get("/check")
@draft_page(Step.CHECK)
def check(draft: Draft) -> ResponseReturnValue:
    context = report_context()
    found = leaf(context.tree, draft.answers)
    if found is None:
        abort(400)
    outcome = context.service.reportable(found.answers)
    target = context.service.expectation(facts_from(draft), outcome)
    today = local_date(context.clock.now())
    return render_template(
        "report/check.html",
        leaf=found,
        answers=draft.answers,
        target=target,
        priority=PRIORITY_NAMES[outcome.priority],
        due=by_date(target.due_on, today),
        photos=context.drafts.photos(draft.id),
        mobile=national_mobile(draft.answers.get("contact_mobile")),
        back_url=_back(Step.CHECK, draft),
    )


@bp.post("/submit")
@tenant_required
def submit() -> ResponseReturnValue:
    draft = current_draft()
    if draft is None:
        return redirect(url_for("report.start"))
    if draft.repair_ref is not None:  # a double click, or back and submit again
        return redirect(url_for("report.confirmation"))
    context = report_context()
    photos = tuple(p.token for p in context.drafts.photos(draft.id))
    try:
        result = context.service.submit(command_from(draft, photos))
    except (NotReportable, UnknownAnswer, KeyError, ValueError):
        abort(400)  # incomplete or tampered answers; the pages never send these
    summary = context.store.summary(result.ref)
    if result.raise_state is RaiseState.RAISED and summary is not None and summary.bookable:
        return redirect(choose_slot_url(result.ref))
    return redirect(url_for("report.confirmation"))


@bp.get("/confirmation")
@tenant_required
def confirmation() -> ResponseReturnValue:
    context = report_context()
    draft = current_draft()
    summary = context.store.summary(draft.repair_ref) if draft and draft.repair_ref else None
    if summary is None or summary.tenancy_ref != current_tenancy():
        return redirect(url_for("report.start"))
    today = local_date(context.clock.now())
    # R9: an Awaab's Law case has its own page: nobody books it as a routine job.
    template = "report/confirmation.html" if summary.bookable else "report/damp_case.html"
    return render_template(
        template,
        summary=summary,
        leaf=leaf_of(summary.triage_path),
        priority=PRIORITY_NAMES[summary.priority],
        due=by_date(summary.target_date, today),
        mobile=national_mobile(summary.contact_mobile),
        choose_url=choose_slot_url(summary.ref),
        repair_url=repair_page_url(summary.ref),
        awaabs_law=context.policy.targets.awaabs_law,
    )


def leaf_of(triage_path: str) -> Leaf | None:
    """The stored answers' leaf; None if the triage file has changed since."""
    try:
        return report_context().tree.leaf(TriageAnswers.from_path(triage_path))
    except UnknownAnswer:
        return None
