"""Debian's Chromium driven by Playwright, and the axe-core accessibility check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
# No sandbox as root in a container; no background traffic, which this machine would refuse.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def axe_violations(page: Any) -> list[dict[str, Any]]:
    # A link click returns once navigation starts; axe must see the new page, not the old
    # one being torn down, so wait for it to load and try once more if it was replaced.
    from playwright.sync_api import Error

    page.wait_for_load_state("load")
    try:
        return _run_axe(page)
    except Error:
        page.wait_for_load_state("load")
        return _run_axe(page)


def _run_axe(page: Any) -> list[dict[str, Any]]:
    # evaluate() runs through the DevTools protocol, so the page's CSP need not allow it.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    summary = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in violations
    ]
    assert not violations, f"axe found WCAG 2.2 A/AA violations on {page.url}:\n" + json.dumps(
        summary, indent=2
    )
