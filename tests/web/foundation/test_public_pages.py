import re

import pytest

from tests.support.page_checker import assert_good_page

pytestmark = pytest.mark.web


@pytest.mark.parametrize("path", ["/", "/accessibility", "/privacy", "/cookies"])
def test_every_public_page_passes_the_page_checks(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_good_page(response)


def test_the_start_page_says_what_to_do_in_an_emergency(client):
    text = client.get("/").text
    assert "0800 111 999" in text  # R13
    assert "0300 123 9999" in text  # out of hours, from the landlord configuration
    assert "Northbridge City Council" in text


def test_no_page_shows_the_crown_or_the_gov_uk_name(client):
    text = client.get("/").text
    assert "GOV.UK" not in text
    assert "govuk-logo" not in text
    assert "Crown copyright" not in text


@pytest.mark.parametrize(
    ("method", "path", "status", "heading"),
    [
        ("get", "/no-such-page", 404, "Page not found"),
        ("post", "/accessibility", 405, "Sorry, you cannot do that on this page"),
        ("delete", "/", 405, "Sorry, you cannot do that on this page"),
    ],
)
def test_errors_are_service_pages_with_the_right_status(client, method, path, status, heading):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert heading in response.text
    assert "Werkzeug" not in response.text
    assert_good_page(response)


def test_an_oversized_body_gets_the_413_page(make_app):
    app = make_app()

    @app.post("/upload")
    def upload():
        return "accepted"

    response = app.test_client().post("/upload", data={"file": "x" * (33 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too big" in response.text


def test_an_unexpected_failure_shows_the_500_page_without_a_trace(make_app):
    app = make_app()

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    app.config["TESTING"] = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text


def test_a_form_post_without_a_csrf_token_is_refused_with_a_page(make_app):
    app = make_app()

    @app.route("/form", methods=["GET", "POST"])
    def form():
        return "ok"

    response = app.test_client().post("/form", data={"name": "x"})
    assert response.status_code == 400
    assert "timed out" in response.text


def test_every_response_carries_the_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # test is not production


def test_the_inline_js_enabled_script_carries_the_nonce_from_the_policy(client):
    response = client.get("/")
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">document.body.className' in response.text
    assert (
        client.get("/").headers["Content-Security-Policy"]
        != response.headers["Content-Security-Policy"]
    ), "a nonce must be new on every response"


def test_production_sends_hsts(make_app):
    app = make_app(env={"PORTAL_ENV": "production", "TWILIO_AUTH_TOKEN": "x"})
    response = app.test_client().get("/")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_pages_are_compressed_for_browsers_that_accept_it(client):
    response = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"


def test_hashed_static_files_are_cached_for_a_year_and_precompressed(client):
    html = client.get("/").text
    css = re.search(r'href="(/assets/app\.[0-9a-f]{12}\.css)"', html).group(1)
    response = client.get(css, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=315360000" in response.headers["Cache-Control"]
