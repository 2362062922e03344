"""The schema comes only from Alembic revisions; models and revisions must agree, and every
revision must go up, down and up again on SQLite and PostgreSQL."""

import uuid

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from adapters.db import (
    migrate,
    tables,  # noqa: F401
)
from adapters.db.base import Base
from adapters.db.engine import make_engine
from tests.conftest import create_postgres_database, drop_postgres_database

pytestmark = pytest.mark.integration


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_engine(request, tmp_path):
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
        yield engine
        engine.dispose()
        return
    name = f"portal_migrations_{uuid.uuid4().hex[:10]}"
    engine = make_engine(create_postgres_database(name))
    yield engine
    engine.dispose()
    drop_postgres_database(name)


def revisions(engine):
    script = ScriptDirectory.from_config(migrate.alembic_config(engine))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_the_revisions_form_one_line_with_a_single_head(empty_engine):
    script = ScriptDirectory.from_config(migrate.alembic_config(empty_engine))
    assert len(script.get_heads()) == 1


def test_every_revision_goes_up_down_and_up_again(empty_engine):
    for revision in revisions(empty_engine):
        migrate.upgrade(empty_engine, revision)
        migrate.downgrade(empty_engine, "-1")
        migrate.upgrade(empty_engine, revision)
    migrate.downgrade(empty_engine, "base")
    assert sa.inspect(empty_engine).get_table_names() == ["alembic_version"]
    migrate.upgrade(empty_engine, "head")


def test_the_models_and_the_migrations_agree(empty_engine):
    migrate.upgrade(empty_engine, "head")
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_revisions_never_import_application_code():
    from pathlib import Path

    versions = Path(migrate.PROJECT_ROOT / "migrations" / "versions")
    for revision in versions.glob("*.py"):
        text = revision.read_text()
        for package in ("repairs", "notifications", "adapters", "portal"):
            assert f"import {package}" not in text and f"from {package}" not in text, revision.name


def test_offline_sql_can_be_generated_for_a_database_administrator(tmp_path, capsys):
    engine = make_engine(f"sqlite:///{tmp_path / 'offline.sqlite'}")
    command.upgrade(migrate.alembic_config(engine), "head", sql=True)
    assert "CREATE TABLE worker_heartbeat" in capsys.readouterr().out
