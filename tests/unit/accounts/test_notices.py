"""The 'someone linked an account to your tenancy' text fits the text-message rules (R27, R28)."""

import pytest

from notifications.segments import count_segments, is_gsm7
from portal.accounts.notices import linked_notice

pytestmark = pytest.mark.unit


def test_the_linked_account_notice_is_gsm7_and_fits_two_segments_at_its_longest():
    body = linked_notice("X" * 24, "0" * 16)  # the configured field limits for council, phone
    assert is_gsm7(body)
    assert count_segments(body).segments <= 2


def test_the_notice_names_the_council_and_how_to_get_help_and_nothing_personal():
    body = linked_notice("Northbridge", "0300 123 4567")
    assert body.startswith("Northbridge Council:")
    assert "0300 123 4567" in body
