"""R16: the triage file is read at start-up; a mistake stops start-up with one line naming the
file and the path of the bad entry, like any other setting."""

import shutil
from pathlib import Path

import pytest
import yaml

from portal.settings import SettingsError

pytestmark = pytest.mark.web

CONFIG = Path(__file__).resolve().parents[3] / "config"


@pytest.fixture
def config_dir(tmp_path):
    folder = tmp_path / "config"
    shutil.copytree(CONFIG, folder)
    return folder


def build(make_app, config_dir):
    return make_app(env={"LANDLORD_CONFIG": str(config_dir / "landlord.yaml")})


def edit_triage(config_dir, change):
    path = config_dir / "triage.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data))


def test_the_shipped_configuration_starts(make_app, config_dir):
    app = build(make_app, config_dir)
    assert len(list(app.extensions["report"].tree.leaves())) >= 40


def test_a_bad_leaf_stops_start_up_naming_its_path(make_app, config_dir):
    def break_it(data):
        data["locations"]["kitchen"]["problems"]["kitchen_fan"]["bookable"]["priority"] = "soon"

    edit_triage(config_dir, break_it)
    with pytest.raises(SettingsError) as error:
        build(make_app, config_dir)
    message = str(error.value)
    assert "\n" not in message
    assert "triage.yaml: triage.locations.kitchen.problems.kitchen_fan.bookable.priority" in message


def test_an_unknown_right_to_repair_defect_stops_start_up(make_app, config_dir):
    def break_it(data):
        fan = data["locations"]["kitchen"]["problems"]["kitchen_fan"]["bookable"]
        fan["right_to_repair"] = "noisy_fan"

    edit_triage(config_dir, break_it)
    with pytest.raises(SettingsError, match="right_to_repair: 'noisy_fan' is not a defect"):
        build(make_app, config_dir)


def test_a_missing_triage_file_stops_start_up(make_app, config_dir):
    (config_dir / "triage.yaml").unlink()
    with pytest.raises(SettingsError, match="triage file .*triage.yaml: cannot be read"):
        build(make_app, config_dir)


def test_a_file_that_is_not_yaml_stops_start_up(make_app, config_dir):
    (config_dir / "triage.yaml").write_text("locations: [unclosed\n")
    with pytest.raises(SettingsError, match="cannot be read as YAML"):
        build(make_app, config_dir)


def test_the_landlord_file_must_name_the_triage_file(make_app, config_dir):
    path = config_dir / "landlord.yaml"
    path.write_text(path.read_text().replace("triage_file: triage.yaml", "tree: triage.yaml"))
    with pytest.raises(SettingsError, match="landlord config triage: give only triage_file"):
        build(make_app, config_dir)
