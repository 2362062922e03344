"""The public pages in a real browser: accessible, small, usable at 320 px and without
JavaScript."""

import pytest

from tests.support.browser import assert_accessible

pytestmark = pytest.mark.e2e

PAGE_BUDGET_BYTES = 60 * 1024


@pytest.mark.parametrize("path", ["/", "/accessibility", "/privacy", "/cookies", "/no-such-page"])
def test_public_pages_have_no_axe_violations(page, live_server, path):
    response = page.goto(live_server + path)
    assert response.status == (404 if path == "/no-such-page" else 200)
    assert_accessible(page)


def test_the_start_page_transfers_under_60_kb_on_a_cold_cache(page, live_server):
    transferred = []
    page.on(
        "requestfinished",
        lambda request: transferred.append(
            request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]
        ),
    )
    page.goto(live_server + "/")
    page.wait_for_load_state("networkidle")
    assert sum(transferred) <= PAGE_BUDGET_BYTES, f"{sum(transferred)} bytes"


def test_the_start_page_fits_a_320_pixel_screen_without_sideways_scrolling(browser, live_server):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    context.close()


def test_the_start_page_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text() == "Report a repair to your council home"
    page.get_by_role("link", name="Accessibility statement").click()
    assert "Accessibility statement" in page.locator("h1").inner_text()
    context.close()
