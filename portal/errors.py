"""Every error is a page in the service's own layout: never a raw Werkzeug page or a trace."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

# Titles and advice per status, in plain words (GOV.UK service manual error page patterns).
ERROR_PAGES: dict[int, tuple[str, str]] = {
    400: (
        "Sorry, there is a problem with the service",
        "Something in the page you sent did not make sense to us. "
        "Go back, check your answers and try again.",
    ),
    403: (
        "You cannot see this page",
        "You do not have permission to see this page. If you think you should, contact us.",
    ),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. "
        "If you pasted the web address, check you copied the entire address.",
    ),
    405: (
        "Sorry, you cannot do that on this page",
        "This page cannot be used in that way. Go back to the previous page and try again.",
    ),
    413: (
        "The file or form you sent is too big",
        "Files must be smaller than 10MB. Go back and choose a smaller file.",
    ),
    429: (
        "Sorry, there have been too many attempts",
        "You have tried too many times in a short time. Wait a few minutes and try again.",
    ),
    500: (
        "Sorry, there is a problem with the service",
        "Try again later. What you entered has not been lost if you go back.",
    ),
}


def init_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[str, int]:
        return _render(
            400, "Your page timed out or was sent twice. Go back, reload the page and try again."
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[str, int] | HTTPException:
        code = error.code or 500
        if code < 400:
            return error
        return _render(code)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        if isinstance(error, HTTPException):
            return _http(error)  # type: ignore[return-value]
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _render(500)

    @app.errorhandler(InternalServerError)
    def _internal(error: InternalServerError) -> tuple[str, int]:
        return _render(500)


def _render(code: int, advice: str | None = None) -> tuple[str, int]:
    known = code if code in ERROR_PAGES else (500 if code >= 500 else 400)
    title, default_advice = ERROR_PAGES[known]
    page = render_template(
        "errors/error.html", code=code, title=title, advice=advice or default_advice
    )
    return page, code
