"""Twilio's error body: ``{"code", "message", "more_info", "status"}`` with a matching status."""

from __future__ import annotations

from flask import Response, jsonify


class TwilioError(Exception):
    def __init__(self, code: int, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def error_response(code: int, message: str, status: int) -> Response:
    response = jsonify(
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        }
    )
    response.status_code = status
    return response


def unauthorised() -> Response:
    response = error_response(20003, "Authenticate", 401)
    response.headers["WWW-Authenticate"] = 'Basic realm="Twilio API"'
    return response


def not_found(path: str) -> Response:
    return error_response(20404, f"The requested resource {path} was not found", 404)


def too_many_requests() -> Response:
    return error_response(20429, "Too Many Requests", 429)


def internal_error() -> Response:
    return error_response(20500, "Internal Server Error", 500)
