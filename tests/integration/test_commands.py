"""The real command-line entry points, run as processes the way an operator runs them."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import ROOT, environ_for_tests

pytestmark = pytest.mark.integration

FLASK = str(Path(sys.executable).parent / "flask")


def run_flask(*args, env, timeout=60):
    return subprocess.run(
        [FLASK, "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_a_bad_database_url_stops_start_up_with_one_line_and_no_traceback():
    result = run_flask("db", "upgrade", env=environ_for_tests(DATABASE_URL="nonsense://"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "Cannot start the portal: DATABASE_URL must start with sqlite:/// or "
        "postgresql+psycopg://, not 'nonsense://'"
    ]


def test_db_upgrade_builds_the_schema_on_postgresql_too(postgres_url):
    env = environ_for_tests(DATABASE_URL=postgres_url)
    assert run_flask("db", "upgrade", env=env).returncode == 0
    tables = run_flask("db", "tables", env=env).stdout.split()
    assert "worker_heartbeat" in tables


def wait_for(condition, timeout=30.0):
    """Wait for another process to reach a state; bounded, and only for real processes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_the_worker_beats_at_start_and_removes_its_beat_on_sigterm(tmp_path):
    url = f"sqlite:///{tmp_path / 'worker.sqlite'}"
    env = environ_for_tests(DATABASE_URL=url, PORTAL_INSTANCE_DIR=str(tmp_path))
    assert run_flask("db", "upgrade", env=env).returncode == 0
    engine = sa.create_engine(url)

    def beats():
        with engine.connect() as connection:
            return connection.scalar(sa.text("SELECT count(*) FROM worker_heartbeat"))

    worker = subprocess.Popen(
        [FLASK, "--app", "wsgi", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert wait_for(lambda: beats() == 1), "the worker did not beat"
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output
    assert "worker stopped" in output
    assert beats() == 0
    engine.dispose()


def test_two_workers_each_keep_their_own_heartbeat(tmp_path):
    url = f"sqlite:///{tmp_path / 'workers.sqlite'}"
    env = environ_for_tests(DATABASE_URL=url, PORTAL_INSTANCE_DIR=str(tmp_path))
    assert run_flask("db", "upgrade", env=env).returncode == 0
    engine = sa.create_engine(url)
    workers = [
        subprocess.Popen(
            [FLASK, "--app", "wsgi", "worker"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    try:

        def count():
            with engine.connect() as connection:
                return connection.scalar(sa.text("SELECT count(*) FROM worker_heartbeat"))

        assert wait_for(lambda: count() == 2)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGINT)
        for worker in workers:
            assert worker.wait(timeout=30) == 0
    engine.dispose()
    os.remove(tmp_path / "workers.sqlite")
