"""`next` parameters never leave the site."""

import pytest

from portal.accounts.navigation import safe_next

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("value", ["/account", "/account/mobile?x=1", "/repairs/RR-ABC234#top"])
def test_our_own_paths_are_kept(value):
    assert safe_next(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "//evil.example",
        "https://evil.example/account",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "account",
        "/acc\nount",
        "",
        None,
        42,
        "/" + "a" * 600,
        "http:/evil.example",
    ],
)
def test_anything_else_falls_back_to_the_default(value):
    assert safe_next(value, "/account") == "/account"


def test_a_bare_question_mark_from_a_full_path_is_dropped():
    assert safe_next("/account?") == "/account"
