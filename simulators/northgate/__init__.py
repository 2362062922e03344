"""A Northgate-like housing management system simulator (someone else's legacy system).

`create_app(config)` builds the Flask app; `flask --app simulators.northgate run --port 8101`
finds it. Nothing connects or creates files at import time. The wire contract is API.md.
"""

from __future__ import annotations

import hmac
import logging
import threading
from collections.abc import Mapping
from typing import Any

from flask import Flask, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from . import api_jobs, api_records, control, operator, seed, store
from .catalogue import load_catalogue
from .context import EXTENSION, Simulator, close_db, sim
from .faults import FaultInjector
from .settings import Settings
from .wire import NgError

__all__ = ["create_app"]

log = logging.getLogger(__name__)
_NG_PATHS = ("/api/", "/_sim/")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the simulator. `config` overrides the NORTHGATE_SIM_* environment variables and
    may add NORTHGATE_SIM_CLOCK (() -> aware datetime) and NORTHGATE_SIM_SLEEP ((s) -> None)."""
    settings = Settings.load(config)
    app = Flask(__name__)
    app.config.update({k: v for k, v in (config or {}).items() if not k.startswith("NORTHGATE_")})
    app.json.sort_keys = False  # type: ignore[attr-defined]
    store.initialise(settings.database)
    app.extensions[EXTENSION] = Simulator(
        settings=settings,
        catalogue=load_catalogue(),
        faults=FaultInjector(settings.fault_seed, settings.sleep),
    )
    for blueprint in (api_records.bp, api_jobs.bp, control.bp, operator.bp):
        app.register_blueprint(blueprint)
    app.before_request(_guard)
    app.teardown_appcontext(close_db)
    app.register_error_handler(NgError, _ng_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    app.cli.add_command(seed.seed_command)
    app.add_url_rule("/", "home", _home)
    return app


def _home() -> Response:
    return Response(
        "Northgate simulator. API under /api/v1 (X-API-Key header); operator page /operator.\n",
        mimetype="text/plain",
    )


def _guard() -> None:
    """Faults first (a system that is down does not check keys), then the API key."""
    path = request.path
    if path.startswith("/api/"):
        sim().faults.before_api_call()
    if path.startswith(_NG_PATHS):
        given = request.headers.get("X-API-Key", "")
        if not hmac.compare_digest(given.encode(), sim().settings.api_key.encode()):
            raise NgError(401, "NG-0401", "Missing or invalid X-API-Key")


def _ng_error(error: NgError) -> tuple[dict[str, str], int, dict[str, str]]:
    headers = {"Retry-After": "30"} if error.status == 503 else {}
    return error.body(), error.status, headers


def _http_error(error: HTTPException) -> Any:
    if not request.path.startswith(_NG_PATHS):
        return error
    # Framework-level refusals (no such path, wrong method, body too large) as NG-1<http code>.
    status = error.code or 400
    return {"ERROR_CODE": f"NG-1{status}", "ERROR_TEXT": error.description or "Error"}, status


def _unexpected_error(error: Exception) -> Any:
    log.exception("unexpected error in the Northgate simulator")
    body = {"ERROR_CODE": "NG-5000", "ERROR_TEXT": "Internal error"}
    return body, 500


_app: Flask | None = None
_app_lock = threading.Lock()


def __getattr__(name: str) -> Flask:
    # `app` is made on first access (flask --app, gunicorn), never at import time.
    global _app  # noqa: PLW0603 - one lazily built app per process
    if name != "app":
        raise AttributeError(name)
    with _app_lock:
        if _app is None:
            _app = create_app()
        return _app
