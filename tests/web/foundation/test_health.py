from datetime import timedelta

import pytest

from adapters.db.health import Heartbeat

pytestmark = pytest.mark.web


def test_health_is_503_until_a_worker_has_beaten(app, client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "ok"
    assert response.json["worker"] == "no recent heartbeat"


def test_health_is_200_with_a_recent_heartbeat(app, client, clock):
    services = app.extensions["services"]
    Heartbeat(services.sessions, clock).beat()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok"


def test_a_heartbeat_older_than_three_minutes_is_stale(app, client, clock):
    services = app.extensions["services"]
    Heartbeat(services.sessions, clock).beat()
    clock.advance(timedelta(minutes=4))
    assert client.get("/healthz").status_code == 503


def test_liveness_ignores_the_worker_but_not_the_database(app, client):
    assert client.get("/healthz/live").status_code == 200


def test_health_is_503_when_the_database_cannot_be_reached(make_app, tmp_path):
    app = make_app(env={"DATABASE_URL": f"sqlite:///{tmp_path}/missing-dir/x/db.sqlite"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"
