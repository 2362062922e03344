"""The application factory: the only way to build the portal."""

from __future__ import annotations

import logging

from flask import Flask
from flask_compress import Compress
from flask_wtf.csrf import CSRFProtect
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from portal import cli, errors, pages, webhooks
from portal.accounts import init_accounts
from portal.assets import init_assets
from portal.formatting import init_formatting
from portal.report.context import init_report
from portal.security import init_security_headers
from portal.services import Services, build_services
from portal.settings import Settings
from portal.staff import init_staff
from portal.terminal import init_terminal
from portal.tracking import init_tracking

# Photos (R19: up to 3 of 10 MB) plus the form itself.
MAX_REQUEST_BYTES = 32 * 1024 * 1024

csrf = CSRFProtect()


def create_app(settings: Settings, services: Services | None = None) -> Flask:
    app = Flask(__name__)
    services = services or build_services(settings)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not settings.is_development and settings.environment != "test",
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session does
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_MIN_SIZE=500,
        COMPRESS_MIMETYPES=["text/html", "application/json", "text/plain"],
        PREFERRED_URL_SCHEME="https" if settings.is_production else "http",
    )
    app.extensions["settings"] = settings
    app.extensions["services"] = services
    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("portal", "templates"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    csrf.init_app(app)
    Compress(app)
    init_security_headers(app, hsts=settings.is_production)
    init_formatting(app)
    init_assets(app)
    errors.init_error_pages(app)

    @app.context_processor
    def _council() -> dict[str, object]:
        return {"council": services.council}

    app.register_blueprint(pages.bp)
    init_accounts(app)
    init_staff(app)  # after accounts: staff sessions are its server-side sessions
    init_terminal(app)  # help terminals: kiosk mode on every page, after staff
    init_tracking(app)  # booking and tracking pages, feed sync
    init_report(app)  # /report and /repairs/<reference>; a bad triage file stops start-up
    webhooks.init_webhooks(app)
    cli.init_cli(app)
    logging.getLogger("portal").setLevel(logging.INFO)
    return app
