"""The supervisors' measures (R45), from our own database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from adapters.db.tables.accounts import Account
from adapters.db.tables.repairs import RepairRow
from tests.support.page_checker import assert_good_page
from tests.web.staff.support import make_staff, sign_in_staff
from tests.web.tracking.support import make_tenant, store_repair

pytestmark = pytest.mark.web


def test_measures_show_channel_shares_active_accounts_and_work_on_time(app, client, clock, housing):
    online = [store_repair(app, housing) for _ in range(3)]
    store_repair(app, housing, assisted=True)
    store_repair(app, housing, reported_at=clock.now() - timedelta(days=200))  # outside 90 days
    make_tenant(app)
    sessions = app.extensions["services"].sessions
    with sessions.begin() as db:
        db.execute(update(Account).values(last_sign_in_at=clock.now() - timedelta(days=10)))
        for ref, late in [(online[0], False), (online[1], True)]:
            row = db.query(RepairRow).filter_by(reference=str(ref)).one()
            row.completed_at = row.target_due_before + (
                timedelta(hours=1) if late else -timedelta(hours=1)
            )
    sign_in_staff(client, clock, make_staff(app, "boss@council.example", "supervisor"))
    page = client.get("/staff/measures")
    assert_good_page(page)
    text = " ".join(page.text.split())
    assert (
        'Online by the tenant</th> <td class="govuk-table__cell govuk-table__cell--numeric">3'
        in text
    )
    assert ">75%<" in text and ">25%<" in text  # 3 online, 1 assisted in the last 90 days
    assert "50% (1 of 2)" in text  # one of two completed within target
    assert "Accounts active in the last 90 days" in text
    whole_year = " ".join(client.get("/staff/measures?days=365").text.split())
    assert ">80%<" in whole_year  # 4 of 5 online over the year


def test_an_advisor_cannot_see_the_measures(app, client, clock):
    sign_in_staff(client, clock, make_staff(app))
    assert client.get("/staff/measures").status_code == 403
