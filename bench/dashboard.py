"""The signed-in dashboard in `make bench`.

`bench.http_pages` picks up PAGES: before wrk loads /account, `signed_in_cookie` seeds a demo
account straight into the server's database and signs in through the real sign-in form over
HTTP (CSRF token, Argon2id check, new session id), returning the session cookie for wrk.

`python -m bench.dashboard` counts the SQL queries one dashboard request makes (in-process,
with a SQLAlchemy event listener) and saves the figure to bench/results/dashboard_queries.json.
"""

from __future__ import annotations

import http.client
import json
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from bench.http_pages import RESULTS, Page

SIGN_IN_NAME = "bench-tenant@example.com"
PASSWORD = "bench kettle orchard window"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def seed_demo_account(database_url: str) -> None:
    """The demo tenant (TEN-100001), with a password hashed at production cost."""
    from adapters.db.accounts import NewAccount, SignInNameTaken, SqlAccounts
    from adapters.db.engine import make_engine, make_session_factory
    from adapters.passwords import PasswordHasher

    engine = make_engine(database_url)
    now = datetime.now(UTC)
    account = NewAccount(
        sign_in_name=SIGN_IN_NAME,
        password_hash=PasswordHasher().hash(PASSWORD),
        tenancy_ref="TEN-100001",
        tenant_name="Mr Connor Hall",
        address="77 Orchard Way\nNorthbridge\nNB1 2AB",
        mobile="+447700900123",
        mobile_verified_at=now,
    )
    try:
        SqlAccounts(make_session_factory(engine)).create(account, now)
    except SignInNameTaken:
        pass
    finally:
        engine.dispose()


def _request(
    base_url: str, method: str, path: str, cookie: str | None, body: str | None = None
) -> tuple[int, dict[str, str], str]:
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    cookies = [v for k, v in response.getheaders() if k.lower() == "set-cookie"]
    connection.close()
    found = {c.split(";", 1)[0].split("=", 1)[0]: c.split(";", 1)[0] for c in cookies}
    return response.status, found, text


def signed_in_cookie(base_url: str, env: dict[str, str]) -> dict[str, str]:
    """Seed the account, sign in over HTTP, return {"Cookie": ...} for the load generator."""
    seed_demo_account(env["DATABASE_URL"])
    status, cookies, page = _request(base_url, "GET", "/sign-in", None)
    token = _TOKEN.search(page)
    if status != 200 or not cookies or token is None:
        raise SystemExit(f"bench: the sign-in page did not give a session ({status})")
    anonymous = next(iter(cookies.values()))
    form = urlencode(
        {"csrf_token": token.group(1), "sign_in_name": SIGN_IN_NAME, "password": PASSWORD}
    )
    status, cookies, _ = _request(base_url, "POST", "/sign-in", anonymous, form)
    if status != 302 or not cookies:
        raise SystemExit(f"bench: signing in failed ({status})")
    cookie = next(iter(cookies.values()))
    status, _, page = _request(base_url, "GET", "/account", cookie)
    if status != 200 or "Your account" not in page:
        raise SystemExit(f"bench: the dashboard did not load when signed in ({status})")
    return {"Cookie": cookie}


PAGES = [Page("dashboard (signed in)", "/account", prepare=signed_in_cookie)]


def queries_per_dashboard_request() -> dict[str, Any]:
    """SQL statements per signed-in /account request, in-process on SQLite."""
    from sqlalchemy import event

    from adapters.db import migrate
    from adapters.db.engine import make_engine
    from portal.app import create_app
    from portal.services import build_services
    from portal.settings import Settings

    instance = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    url = f"sqlite:///{instance / 'portal.sqlite'}"
    migrate.upgrade(make_engine(url))
    settings = Settings.from_env(
        {
            "PORTAL_ENV": "test",
            "DATABASE_URL": url,
            "PORTAL_INSTANCE_DIR": str(instance),
            "SECRET_KEY": "bench-" + "x" * 40,
        }  # fmt: skip
    )
    app = create_app(settings, build_services(settings))
    seed_demo_account(url)
    client = app.test_client()
    token = _TOKEN.search(client.get("/sign-in").text)
    assert token is not None
    client.post("/sign-in", data={"csrf_token": token.group(1), "sign_in_name": SIGN_IN_NAME,
                                  "password": PASSWORD})  # fmt: skip
    client.get("/account")
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA")):
            statements.append(statement.split(maxsplit=1)[0].upper())

    event.listen(app.extensions["services"].engine, "before_cursor_execute", count)
    assert client.get("/account").status_code == 200
    return {"queries_per_request": len(statements), "statements": statements}


def main() -> int:
    figures = queries_per_dashboard_request()
    figures["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "dashboard_queries.json").write_text(json.dumps(figures, indent=2))
    print(f"dashboard: {figures['queries_per_request']} SQL queries per signed-in request "
          f"({', '.join(figures['statements'])})")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
