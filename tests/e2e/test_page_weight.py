"""Every page of the tenant's journey transfers at most 60 KB on a cold cache, measured in
Chromium: compressed HTML, one stylesheet, and scripts only where a page uses them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e import test_book_and_track as journey
from tests.web.tracking.support import store_repair

pytestmark = pytest.mark.e2e

# The signed-in tenant and fake housing system of the booking journey tests.
app = journey.app
housing = journey.housing

BUDGET_BYTES = 60 * 1024


def cold_transfer(browser: Any, url: str, storage_state: Any) -> tuple[int, int]:
    """Bytes on the wire for one page load in a fresh context (nothing cached)."""
    context = browser.new_context(storage_state=storage_state)
    page = context.new_page()
    sizes: list[int] = []
    page.on("requestfinished", lambda request: sizes.append(
        request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]))  # fmt: skip
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    status = response.status if response else 0
    context.close()
    return status, sum(sizes)


def test_every_page_of_the_tenant_journey_is_under_60_kb(
    browser: Any,
    page: Any,
    app: Any,
    live_server: str,
    housing: Any,
) -> None:
    ref = store_repair(app, housing)
    journey.sign_in(page, live_server)
    signed_in = page.context.storage_state()
    pages = ["/", "/sign-in", "/account", "/report/", "/repairs", f"/repairs/{ref}",
             f"/repairs/{ref}/book", "/accessibility"]  # fmt: skip
    weights = {}
    for path in pages:
        status, transferred = cold_transfer(browser, live_server + path, signed_in)
        assert status == 200, path
        weights[path] = transferred
    heavy = {path: size for path, size in weights.items() if size > BUDGET_BYTES}
    print("bytes transferred per page:", weights)
    assert not heavy, f"pages over {BUDGET_BYTES} bytes: {heavy}"
