"""The worker jobs the portal registers for reporting: the outbox relay and the draft purge."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from adapters.db.tables.repairs import ReportDraftRow
from portal.cli import worker_jobs
from portal.report.context import report_worker_jobs
from tests.web.report.support import image_bytes, send, to_check_answers
from tests.web.report.test_photos import stored_files, upload

pytestmark = pytest.mark.web


def job(app, name):
    [found] = [j for j in report_worker_jobs(app) if j.name == name]
    return found


def test_the_worker_runs_the_reporting_jobs(make_app):
    # The web tests' apps replace `extras`; the production wiring is checked on a plain one.
    names = {j.name for j in worker_jobs(make_app())}
    assert {"repairs-outbox", "report-drafts-purge"} <= names


def test_the_worker_raises_a_report_made_while_the_backend_was_down(tenant, app, housing, clock):
    to_check_answers(tenant)
    housing.go_down()
    send(tenant)
    housing.come_back()
    clock.advance(timedelta(minutes=1))
    job(app, "repairs-outbox").run()
    assert len(housing.jobs()) == 1


def test_abandoned_drafts_lose_their_photos_after_a_week(tenant, app, clock):
    to_check_answers(tenant)
    upload(tenant, image_bytes())
    assert len(stored_files(app)) == 1
    purge = job(app, "report-drafts-purge")
    purge.run()
    assert len(stored_files(app)) == 1  # still fresh
    clock.advance(timedelta(days=8))
    purge.run()
    assert stored_files(app) == []
    with app.extensions["services"].sessions() as session:
        assert session.scalar(select(func.count()).select_from(ReportDraftRow)) == 0
