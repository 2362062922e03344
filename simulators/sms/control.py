"""JSON controls under /_sim for tests and benchmarks: faults, reset, flush, stats, replies."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from simulators.sms.faults import FaultSettingsError
from simulators.sms.inbound import receive_reply
from simulators.sms.numbers import is_e164

control = Blueprint("sms_control", __name__, url_prefix="/_sim")


def _sim() -> Any:
    return current_app.extensions["sms_sim"]


def _bad_request(message: str) -> tuple[Response, int]:
    return jsonify({"error": message}), 400


def _json_object() -> dict[str, Any] | None:
    payload = request.get_json(silent=True) if request.content_length else {}
    return payload if isinstance(payload, dict) else None


@control.get("/faults")
def get_faults() -> Response:
    return jsonify(_sim().faults.current().as_dict())


@control.post("/faults")
def set_faults() -> Response | tuple[Response, int]:
    changes = _json_object()
    if changes is None:
        return _bad_request("send the fault settings as a JSON object")
    try:
        settings = _sim().faults.update(changes)
    except FaultSettingsError as error:
        return _bad_request(str(error))
    return jsonify(settings.as_dict())


@control.post("/reset")
def reset() -> Response | tuple[Response, int]:
    """Faults back to their defaults; messages, callbacks and opt-outs too with clear=true."""
    options = _json_object()
    if options is None or not isinstance(options.get("clear", False), bool):
        return _bad_request('send {"clear": true} or {"clear": false}')
    sim = _sim()
    if options.get("clear"):
        sim.store.clear()
    return jsonify({"faults": sim.faults.reset().as_dict(), "cleared": bool(options.get("clear"))})


@control.post("/callbacks/flush")
def flush_callbacks() -> Response:
    return jsonify(asdict(_sim().deliverer.flush()))


@control.get("/stats")
def stats() -> Response:
    return jsonify(_sim().store.stats())


@control.post("/phones/<number>/reply")
def reply(number: str) -> Response | tuple[Response, int]:
    payload = _json_object()
    if not is_e164(number):
        return _bad_request(f"{number} is not an E.164 number")
    if payload is None or not isinstance(payload.get("body"), str) or not payload["body"].strip():
        return _bad_request('send {"body": "…"} with the text of the reply')
    to = payload.get("to")
    if to is not None and not (isinstance(to, str) and is_e164(to)):
        return _bad_request("to must be an E.164 number")
    result = receive_reply(_sim(), number, payload["body"], to)
    return jsonify(asdict(result))
