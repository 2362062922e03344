"""Choose, check and confirm, change and cancel an appointment (R20-R23).

Views are thin: read the form, call `BookingService`, map its outcome to a page. Every URL is
checked against the signed-in tenancy (someone else's reference is a 404), and a slot or week
the rules never offer is a 400, never a 500.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response

from portal.accounts.access import acting_actor, current_tenancy, tenant_required
from portal.booking.context import booking_context
from portal.booking.forms import SLOT_TAKEN, CancelForm, ChooseSlotForm, ConfirmForm
from repairs.booking import (
    Block,
    Blocked,
    BookAppointment,
    CancelAppointment,
    NotOffered,
    Outcome,
    RepairNotFound,
    RepairOnFile,
    RescheduleAppointment,
    SlotPage,
    booking_block,
    parse_slot_key,
    slot_key,
    week_of,
)
from repairs.local_time import local_date
from repairs.ports import BackendError, BackendUnavailable
from repairs.refs import RepairRef
from repairs.slots import Slot, format_date, format_time

bp = Blueprint("booking", __name__)

MODES = ("book", "change")
# Reporting links to booking.choose_slot once a job is raised.
CHOOSE = {"book": "booking.choose_slot", "change": "booking.choose_change"}
CHECK = {"book": "booking.check_book", "change": "booking.check_change"}
MAX_WEEK = 99
_TAKEN = "slot-taken"


def repair_url(ref: RepairRef | str) -> str:
    return f"/repairs/{ref}"


def find_repair(reference: str) -> RepairOnFile:
    """The repair if the signed-in tenancy owns it; anything else is a 404."""
    try:
        ref = RepairRef.parse(reference)
    except ValueError:
        abort(404)
    try:
        return booking_context().service.find(ref, current_tenancy())
    except RepairNotFound:
        abort(404)


def _week() -> int:
    text = request.args.get("week", "0")
    if not text.isdigit() or int(text) > MAX_WEEK:
        abort(400)  # a tampered or mangled link
    return int(text)


def _slot(text: str | None) -> Slot:
    try:
        return parse_slot_key(text or "")
    except NotOffered:
        abort(400)


def _gate(on_file: RepairOnFile, mode: str) -> Response | str | None:
    """The page to show instead when this repair cannot be booked or changed online."""
    service = booking_context().service
    block = booking_block(on_file.repair) if mode == "book" else service.change_block(on_file)
    if block is None:
        return None
    if block is Block.ALREADY_BOOKED or (block is Block.NOT_BOOKED and mode == "change"):
        target = "change" if block is Block.ALREADY_BOOKED else "book"
        if target == "book" and booking_block(on_file.repair) is not None:
            return redirect(repair_url(on_file.repair.ref))
        return redirect(url_for(CHOOSE[target], reference=on_file.repair.ref))
    return cannot(on_file, block)


def cannot(on_file: RepairOnFile, block: Block) -> str:
    return render_template("booking/cannot.html", repair=on_file.repair, block=block.value)


# ---------------------------------------------------------------- choose a slot


@bp.route("/repairs/<reference>/book", methods=["GET", "POST"], endpoint="choose_slot")
@bp.route("/repairs/<reference>/change", methods=["GET", "POST"], endpoint="choose_change")
@tenant_required
def choose(reference: str) -> Any:
    mode = "change" if request.endpoint == "booking.choose_change" else "book"
    on_file = find_repair(reference)
    if (gate := _gate(on_file, mode)) is not None:
        return gate
    week = _week()
    form = ChooseSlotForm()
    if form.validate_on_submit():
        slot = _slot(form.slot.data)
        _check(on_file, slot)
        return redirect(url_for(CHECK[mode], reference=reference, slot=slot_key(slot)))
    if _TAKEN in get_flashed_messages():
        form.slot.errors = [SLOT_TAKEN]
    return _choose_page(on_file, mode, week, form)


def _check(on_file: RepairOnFile, slot: Slot) -> None:
    try:
        booking_context().service.check_slot(on_file, slot)
    except NotOffered:
        abort(400)


def _choose_page(on_file: RepairOnFile, mode: str, week: int, form: ChooseSlotForm) -> Any:
    context = booking_context()
    try:
        page = context.service.slots(on_file, week)
    except NotOffered:
        abort(400)
    except BackendUnavailable:
        return render_template("booking/unavailable.html", repair=on_file.repair, mode=mode), 503
    except BackendError:
        return render_template("booking/problem.html", repair=on_file.repair, mode=mode)
    times = context.policy.slot_times
    days = [
        {
            "legend": format_date(day.day, with_year=day.day.year != _today().year),
            "id": "slot" if index == 0 else f"slot-{day.day.isoformat()}",
            "items": [
                {
                    "value": slot_key(slot),
                    "text": _slot_words(slot, times),
                    "checked": form.slot.data == slot_key(slot),
                }  # fmt: skip
                for slot in day.slots
            ],
        }
        for index, day in enumerate(page.days)
    ]
    return render_template(
        "booking/choose.html", form=form, repair=on_file.repair, mode=mode, page=page, days=days,
        starts=format_date(page.starts, with_year=False), ends=format_date(_last_weekday(page)),
        until=format_date(page.until) if page.until else None,
        current=context.service.text(on_file.repair.appointment)
        if mode == "change" and on_file.repair.appointment else None,
    )  # fmt: skip


def _last_weekday(page: SlotPage) -> date:
    """The week's heading ends on its Friday: there are no weekend slots."""
    end = page.ends
    while end.weekday() >= 5 and end > page.starts:
        end -= timedelta(days=1)
    return end


def _slot_words(slot: Slot, times: Any) -> str:
    window = times[slot.kind]
    return f"{window.name}, {format_time(window.start)} to {format_time(window.end)}"


def _today() -> date:
    return local_date(booking_context().services.clock.now())


# ---------------------------------------------------------------- check and confirm


@bp.route("/repairs/<reference>/book/check", methods=["GET", "POST"], endpoint="check_book")
@bp.route("/repairs/<reference>/change/check", methods=["GET", "POST"], endpoint="check_change")
@tenant_required
def check(reference: str) -> Any:
    mode = "change" if request.endpoint == "booking.check_change" else "book"
    on_file = find_repair(reference)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)  # the hidden slot is missing: not something a person can fix
        return _confirm(on_file, mode, _slot(form.slot.data))
    if (gate := _gate(on_file, mode)) is not None:
        return gate
    slot = _slot(request.args.get("slot"))
    _check(on_file, slot)
    form.slot.data = slot_key(slot)
    service = booking_context().service
    return render_template(
        "booking/check.html", form=form, repair=on_file.repair, mode=mode, mobile=on_file.mobile,
        slot_text=service.text(slot), slot=slot,
        current=service.text(on_file.repair.appointment) if mode == "change"
        and on_file.repair.appointment else None,
    )  # fmt: skip


def _confirm(on_file: RepairOnFile, mode: str, slot: Slot) -> Any:
    service = booking_context().service
    ref, tenancy, assisted = on_file.repair.ref, current_tenancy(), acting_actor() is not None
    try:
        if mode == "book":
            result = service.book(BookAppointment(ref, tenancy, slot, assisted))
        else:
            result = service.reschedule(RescheduleAppointment(ref, tenancy, slot, assisted))
    except Blocked as blocked:
        return _gate(on_file, mode) or cannot(on_file, blocked.block)
    except NotOffered:
        abort(400)
    outcome = result.outcome
    if outcome in (Outcome.DONE, Outcome.ALREADY_DONE):
        return redirect(url_for("booking.done", reference=ref, what="booked" if mode == "book"
                                else "changed"))  # fmt: skip
    if outcome is Outcome.SLOT_TAKEN:
        flash(_TAKEN)
        week = week_of(slot.day, _today())
        return redirect(url_for(CHOOSE[mode], reference=ref, week=week))
    if outcome is Outcome.BUSY:
        return redirect(repair_url(ref))
    return redirect(url_for("booking.not_done", reference=ref, what=outcome.value, mode=mode))


# ---------------------------------------------------------------- cancel


@bp.route("/repairs/<reference>/cancel", methods=["GET", "POST"])
@tenant_required
def cancel(reference: str) -> Any:
    on_file = find_repair(reference)
    service = booking_context().service
    if request.method == "GET" and (gate := _gate(on_file, "change")) is not None:
        return gate
    form = CancelForm()
    if form.validate_on_submit():
        command = CancelAppointment(
            on_file.repair.ref, current_tenancy(), acting_actor() is not None
        )
        try:
            result = service.cancel(command)
        except Blocked as blocked:
            return _gate(on_file, "change") or cannot(on_file, blocked.block)
        if result.outcome in (Outcome.DONE, Outcome.ALREADY_DONE):
            return redirect(url_for("booking.done", reference=reference, what="cancelled"))
        return redirect(url_for("booking.not_done", reference=reference,
                                what=result.outcome.value, mode="cancel"))  # fmt: skip
    slot = on_file.repair.appointment
    return render_template("booking/cancel.html", form=form, repair=on_file.repair,
                           slot_text=service.text(slot) if slot else "")  # fmt: skip


# ---------------------------------------------------------------- what happened


@bp.get("/repairs/<reference>/<any(booked, changed, cancelled):what>")
@tenant_required
def done(reference: str, what: str) -> Any:
    on_file = find_repair(reference)
    repair = on_file.repair
    slot = repair.appointment if what != "cancelled" else None
    if what == "cancelled":
        history = repair.appointment_history
        if repair.appointment is not None or not history:
            return redirect(repair_url(repair.ref))
        slot = history[-1].slot
    elif slot is None:
        return redirect(repair_url(repair.ref))
    return render_template("booking/done.html", repair=repair, what=what, mobile=on_file.mobile,
                           slot_text=booking_context().service.text(slot))  # fmt: skip


_NOT_DONE = {o.value for o in (Outcome.FOLLOW_UP, Outcome.UNAVAILABLE, Outcome.FAILED)}


@bp.get("/repairs/<reference>/not-done")
@tenant_required
def not_done(reference: str) -> Any:
    on_file = find_repair(reference)
    what, mode = request.args.get("what", ""), request.args.get("mode", "")
    if what not in _NOT_DONE or mode not in (*MODES, "cancel"):
        abort(400)
    return render_template("booking/not_done.html", repair=on_file.repair, what=what, mode=mode,
                           mobile=on_file.mobile)  # fmt: skip
