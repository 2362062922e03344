"""The package rule (portal -> adapters -> notifications -> repairs) is enforced by
import-linter from pyproject.toml; these tests prove the contracts would catch a violation."""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.unit

LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")
PACKAGES = ["repairs", "notifications", "adapters", "portal", "simulators"]


def lint_copy(tmp_path, module_text: dict[str, str]) -> subprocess.CompletedProcess:
    """Run our real contracts over a tiny tree of the same packages."""
    for package in PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    # The one allowed use of APScheduler must exist, or import-linter reports its ignore unused.
    (tmp_path / "notifications" / "scheduler.py").write_text("import apscheduler\n")
    for path, text in module_text.items():
        (tmp_path / path).write_text(text)
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    lines = [
        "[importlinter]",
        "root_packages =",
        *[f"    {p}" for p in PACKAGES],
        "include_external_packages = True",
        "",
    ]
    for number, contract in enumerate(config["contracts"]):
        lines.append(f"[importlinter:contract:{number}]")
        for key, value in contract.items():
            if isinstance(value, list):
                lines.append(f"{key} =")
                lines.extend(f"    {item}" for item in value)
            else:
                lines.append(f"{key} = {value}")
        lines.append("")
    (tmp_path / ".importlinter").write_text("\n".join(lines))
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", ".importlinter"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        check=False,
    )


def test_a_clean_tree_keeps_every_contract(tmp_path):
    result = lint_copy(tmp_path, {"portal/app.py": "import flask\nimport repairs\n"})
    assert result.returncode == 0, result.stdout


def test_the_domain_importing_flask_breaks_the_contracts(tmp_path):
    result = lint_copy(tmp_path, {"repairs/bad.py": "import flask\n"})
    assert result.returncode != 0
    assert "The domain uses the standard library only BROKEN" in result.stdout


def test_the_domain_importing_the_portal_breaks_the_layers(tmp_path):
    result = lint_copy(tmp_path, {"repairs/bad.py": "import portal\n"})
    assert result.returncode != 0
    assert "BROKEN" in result.stdout


def test_a_simulator_importing_our_code_breaks_the_contracts(tmp_path):
    result = lint_copy(tmp_path, {"simulators/bad.py": "import adapters\n"})
    assert result.returncode != 0
    assert "Simulators are other people's systems" in result.stdout
