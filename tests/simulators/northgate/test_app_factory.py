"""The app is built on demand: importing the package touches nothing, and flask finds it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulators.northgate import create_app

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = os.environ | {"PYTHONPATH": str(ROOT)} | env
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        args, cwd=cwd, env=environment, capture_output=True, text=True, timeout=60, check=False
    )


def test_importing_the_package_creates_no_files(tmp_path: Path) -> None:
    result = run([sys.executable, "-c", "import simulators.northgate"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_flask_finds_the_app_and_seeds_the_default_database(tmp_path: Path) -> None:
    flask = str(Path(sys.executable).with_name("flask"))
    result = run([flask, "--app", "simulators.northgate", "seed"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "instance" / "northgate.sqlite").exists()
    assert (tmp_path / "instance" / "northgate-demo-logins.txt").exists()


def test_create_app_makes_the_tables_and_uses_wal(tmp_path: Path) -> None:
    import sqlite3

    database = tmp_path / "deep" / "ng.sqlite"
    create_app({"NORTHGATE_SIM_DATABASE": str(database)})
    conn = sqlite3.connect(database)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    conn.close()
    assert {"properties", "tenancies", "jobs", "job_changes"} <= tables
    assert mode == "wal"


def test_a_bad_fault_seed_in_the_environment_stops_start_up(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="NORTHGATE_SIM_FAULT_SEED"):
        create_app(
            {"NORTHGATE_SIM_DATABASE": str(tmp_path / "x.sqlite"), "NORTHGATE_SIM_FAULT_SEED": "x"}
        )
