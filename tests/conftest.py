"""Fixtures shared by every test layer.

Tests run on SQLite and on PostgreSQL (TEST_POSTGRES_URL). PostgreSQL is never skipped: if it
cannot be reached the tests that need it fail with a message saying how to start it.
External services point at 127.0.0.1:9, where nothing listens, so a forgotten double fails
loudly instead of reaching anything real.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from adapters.clock import FakeClock
from adapters.db import migrate
from adapters.db.base import Base
from adapters.db.engine import make_engine

ROOT = Path(__file__).resolve().parent.parent
TEST_POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
NOWHERE = "http://127.0.0.1:9"
# A Tuesday in term time, outside any clock change: tests that care pick their own instant.
DEFAULT_NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)

TEST_ENV = {
    "PORTAL_ENV": "test",
    "HOUSING_API_URL": f"{NOWHERE}/api/v1",
    "TWILIO_API_BASE_URL": NOWHERE,
    "PUBLIC_BASE_URL": "http://portal.test",
    "SECRET_KEY": "test-secret-key-that-is-long-enough-for-settings",
}


def environ_for_tests(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "HOUSING_"))}
    env.pop("DATABASE_URL", None)
    env.update(TEST_ENV)
    env.update(overrides)
    return env


# ---------------------------------------------------------------- databases


def _postgres_admin() -> sa.Engine:
    return sa.create_engine(
        TEST_POSTGRES_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )


def create_postgres_database(name: str) -> str:
    admin = _postgres_admin()
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        pytest.fail(
            f"PostgreSQL is not reachable at {TEST_POSTGRES_URL}: {str(error).splitlines()[0]}. "
            "Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main "
            "start (or set TEST_POSTGRES_URL)",
            pytrace=False,
        )
    finally:
        admin.dispose()
    return make_url(TEST_POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(name: str) -> None:
    admin = _postgres_admin()
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def worker_tag(request: pytest.FixtureRequest) -> str:
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


@pytest.fixture(scope="session")
def postgres_url(worker_tag: str) -> Iterator[str]:
    # Unique per process: two test runs on one server (a developer's and CI's, or two
    # engineers') must never drop each other's databases.
    name = f"portal_test_{worker_tag}_{os.getpid()}"
    url = create_postgres_database(name)
    yield url
    drop_postgres_database(name)


def truncate_all(engine: sa.Engine) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            if tables:
                joined = ", ".join(f'"{t}"' for t in tables)
                connection.execute(sa.text(f"TRUNCATE {joined} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(sa.text(f'DELETE FROM "{table}"'))


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def migrated_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[sa.Engine]:
    """A database built by the Alembic revisions, once per test session and per dialect."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'portal.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(migrated_engine: sa.Engine) -> Iterator[sa.Engine]:
    """The migrated database for one test, on SQLite and on PostgreSQL; emptied afterwards."""
    yield migrated_engine
    truncate_all(migrated_engine)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file; copying it is much faster than migrating for every test."""
    path = tmp_path_factory.mktemp("template") / "portal.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "portal.sqlite"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


# ---------------------------------------------------------------- the app


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(DEFAULT_NOW)


@pytest.fixture
def make_app(sqlite_url: str, tmp_path: Path, clock: FakeClock) -> Callable[..., Any]:
    """Build the portal as production does, with test settings and an injectable clock.
    Keyword arguments override environment variables or fields of Services."""
    from portal.app import create_app
    from portal.services import build_services
    from portal.settings import Settings

    def build(env: dict[str, str] | None = None, **service_overrides: Any) -> Any:
        overrides = {"DATABASE_URL": sqlite_url, "PORTAL_INSTANCE_DIR": str(tmp_path)}
        overrides.update(env or {})
        environ = environ_for_tests(**overrides)
        settings = Settings.from_env(environ)
        services = build_services(settings, clock=clock)
        for name, value in service_overrides.items():
            setattr(services, name, value)
        app = create_app(settings, services)
        app.config["TESTING"] = True
        return app

    return build


@pytest.fixture
def app(make_app: Callable[..., Any]) -> Any:
    return make_app()


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


# ---------------------------------------------------------------- browsers


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    from tests.support.browser import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Chromium is missing: run `make test` (it installs Debian's chromium) or "
            "`apt-get install chromium`",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def live_server(app: Any) -> Iterator[str]:
    from tests.support.live_server import serving

    with serving(app) as base_url:
        yield base_url
