"""The seed command: at least 500 homes, the same data every time, fixed demo logins."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from flask import Flask

from adapters.clock import FakeClock
from simulators.northgate import create_app

from .conftest import RecordedSleep, make_config

pytestmark = pytest.mark.integration


def fresh_app(folder: Path, clock: FakeClock, sleeps: RecordedSleep) -> Flask:
    return create_app(make_config(folder / "northgate.sqlite", clock, sleeps))


def run_seed(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["seed", *args])
    assert result.exit_code == 0, result.output
    return result.output


def dump(database: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(database)
    try:
        rows: list[tuple[object, ...]] = []
        for table in ("properties", "tenancies", "jobs", "job_changes"):
            rows += [(table, *row) for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1")]
        return rows
    finally:
        conn.close()


@pytest.fixture
def seeded(tmp_path: Path, clock: FakeClock, sleeps: RecordedSleep) -> tuple[Flask, str]:
    app = fresh_app(tmp_path, clock, sleeps)
    return app, run_seed(app)


def counts(database: Path, query: str) -> Counter[tuple[object, ...]]:
    conn = sqlite3.connect(database)
    try:
        return Counter(tuple(row) for row in conn.execute(query))
    finally:
        conn.close()


def test_the_seed_creates_at_least_five_hundred_properties_and_tenancies(
    seeded: tuple[Flask, str], tmp_path: Path
) -> None:
    database = tmp_path / "northgate.sqlite"
    assert sum(counts(database, "SELECT prop_ref FROM properties").values()) >= 500
    assert sum(counts(database, "SELECT tenancy_ref FROM tenancies").values()) >= 500


def test_the_seed_gives_a_realistic_mix_of_tenures_regions_and_history(
    seeded: tuple[Flask, str], tmp_path: Path
) -> None:
    database = tmp_path / "northgate.sqlite"
    tenures = counts(database, "SELECT tenure FROM tenancies")
    assert tenures[("SEC",)] > tenures[("LSH",)] > 0 and tenures[("INT",)] > 0
    assert 0 < counts(database, "SELECT 1 FROM tenancies WHERE ten_status = 'END'")[(1,)] < 50
    regions = counts(database, "SELECT bh_region FROM properties")
    assert regions[("EAW",)] > regions[("SCO",)] > 0 and regions[("NIR",)] > 0
    assert counts(database, "SELECT maint_flag FROM properties")[("N",)] > 0
    statuses = counts(database, "SELECT status FROM jobs")
    assert {("COM",), ("NAC",), ("FWR",)} <= set(statuses)


def test_the_first_demo_tenancy_is_the_one_other_tests_rely_on(
    seeded: tuple[Flask, str], tmp_path: Path
) -> None:
    conn = sqlite3.connect(tmp_path / "northgate.sqlite")
    row = conn.execute(
        "SELECT t.tenure, t.ten_status, t.dob, p.postcode, p.maint_flag, p.bh_region"
        " FROM tenancies t JOIN properties p USING (prop_ref) WHERE tenancy_ref = 'TEN-100001'"
    ).fetchone()
    conn.close()
    assert row == ("SEC", "CUR", "1971-03-14", "NB1 2AB", "Y", "EAW")


def test_the_seed_prints_demo_logins_and_writes_them_beside_the_database(
    seeded: tuple[Flask, str], tmp_path: Path
) -> None:
    _, output = seeded
    assert "TEN-100001  NB1 2AB   14/03/1971  SEC" in output
    written = (tmp_path / "northgate-demo-logins.txt").read_text(encoding="utf-8")
    assert "TEN-100001  NB1 2AB   14/03/1971  SEC" in written
    assert "TEN-100004  NB4 8HJ   30/01/1990  SEC  secure, ended" in written


def test_seeding_twice_gives_exactly_the_same_data(
    tmp_path: Path, clock: FakeClock, sleeps: RecordedSleep
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    run_seed(fresh_app(tmp_path / "a", clock, sleeps))
    run_seed(fresh_app(tmp_path / "b", clock, sleeps))
    first = dump(tmp_path / "a" / "northgate.sqlite")
    assert len(first) > 1000
    assert first == dump(tmp_path / "b" / "northgate.sqlite")


def test_seeding_again_without_reset_changes_nothing(
    seeded: tuple[Flask, str], tmp_path: Path
) -> None:
    app, _ = seeded
    before = dump(tmp_path / "northgate.sqlite")
    assert "nothing done" in run_seed(app)
    assert dump(tmp_path / "northgate.sqlite") == before


def test_reset_wipes_new_jobs_and_reseeds_the_same_data(
    seeded: tuple[Flask, str], tmp_path: Path
) -> None:
    app, _ = seeded
    database = tmp_path / "northgate.sqlite"
    before = dump(database)
    conn = sqlite3.connect(database)
    conn.execute("UPDATE tenancies SET surname = 'Changed'")
    conn.commit()
    conn.close()
    run_seed(app, "--reset")
    assert dump(database) == before


def test_the_number_of_properties_can_be_raised(
    tmp_path: Path, clock: FakeClock, sleeps: RecordedSleep
) -> None:
    app = fresh_app(tmp_path, clock, sleeps)
    run_seed(app, "--properties", "650")
    assert counts(tmp_path / "northgate.sqlite", "SELECT COUNT(*) FROM properties") == {(650,): 1}
