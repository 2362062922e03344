"""The `assisted:` section of the landlord configuration is checked at start-up."""

from copy import deepcopy
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from adapters.db.staff_store import StaffRole
from portal.settings import SettingsError
from portal.staff.config import assisted_config

pytestmark = pytest.mark.unit

LANDLORD = yaml.safe_load((Path(__file__).parents[3] / "config" / "landlord.yaml").read_text())


def with_section(**changes):
    data = deepcopy(LANDLORD)
    data["assisted"].update(changes)
    return data


def test_the_shipped_configuration_reads():
    config = assisted_config(LANDLORD)
    assert "photo_id" in config.identity_checks
    assert config.terminal_warning_after == timedelta(minutes=4)  # R39
    assert config.terminal_wipe_after == timedelta(minutes=5)  # R39
    assert config.may_see_vulnerabilities(StaffRole.SUPERVISOR)


def test_vulnerability_flags_can_be_kept_from_advisors():
    config = assisted_config(with_section(vulnerability_flags_visible_to=["supervisor"]))
    assert not config.may_see_vulnerabilities(StaffRole.ADVISOR)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"identity_checks": {}}, "assisted.identity_checks: list at least one"),
        ({"terminal_identity_check": "retina"}, "assisted.terminal_identity_check"),
        ({"vulnerability_flags_visible_to": ["janitor"]}, "vulnerability_flags_visible_to[0]"),
        ({"terminal_idle_wipe_seconds": 250}, "at least 20 seconds after"),
        ({"terminal_idle_warning_seconds": "4 minutes"}, "terminal_idle_warning_seconds"),
        ({"staff_setup_link_hours": 0}, "staff_setup_link_hours"),
        ({"kiosk_colour": "red"}, "unknown key"),
    ],
)
def test_a_mistake_stops_start_up_naming_the_key(changes, message):
    with pytest.raises(SettingsError, match="landlord config") as error:
        assisted_config(with_section(**changes))
    assert message in str(error.value)


def test_a_missing_section_stops_start_up():
    data = deepcopy(LANDLORD)
    del data["assisted"]
    with pytest.raises(SettingsError, match="assisted"):
        assisted_config(data)
