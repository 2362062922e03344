"""What other blueprints rely on: tenant_required, current_tenancy and acting for a tenant."""

import pytest
from flask import Blueprint

from portal.accounts.access import (
    act_for_tenancy,
    acting_actor,
    current_tenancy,
    stop_acting,
    tenant_required,
)
from repairs.refs import TenancyRef
from tests.web.accounts.support import create_account

pytestmark = pytest.mark.web


@pytest.fixture
def app(make_app, housing, sms):
    from adapters.passwords import cheap_hasher_for_tests

    app = make_app(
        housing=housing, sms_sender=sms, extras={"password_hasher": cheap_hasher_for_tests()}
    )
    probe = Blueprint("probe", __name__)

    @probe.get("/_probe/tenancy")
    @tenant_required
    def tenancy():
        return f"{current_tenancy().value} by {acting_actor() or 'the tenant'}"

    @probe.get("/_probe/act/<ref>")
    def act(ref):
        act_for_tenancy(TenancyRef(ref), actor="staff-42")
        return "acting"

    @probe.get("/_probe/stop")
    def stop():
        stop_acting()
        return "stopped"

    app.register_blueprint(probe)
    return app


def test_a_signed_in_tenant_acts_on_their_own_tenancy(client, sms):
    create_account(client, sms)
    assert client.get("/_probe/tenancy").text == "TEN-100001 by the tenant"


def test_a_visitor_is_sent_to_sign_in_with_the_page_to_come_back_to(client):
    response = client.get("/_probe/tenancy?x=1")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in?next=/_probe/tenancy?x%3D1")


def test_staff_acting_for_a_tenant_get_that_tenancy_and_are_named_as_the_actor(client):
    client.get("/_probe/act/TEN-100002")
    assert client.get("/_probe/tenancy").text == "TEN-100002 by staff-42"
    client.get("/_probe/stop")
    assert client.get("/_probe/tenancy").status_code == 302


def test_staff_acting_for_a_tenant_cannot_reach_the_tenants_own_account_settings(client):
    client.get("/_probe/act/TEN-100002")
    assert client.get("/account/mobile").status_code == 302
