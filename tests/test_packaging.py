"""What the wheel ships: the app and its templates, never tests or developer tooling."""

import tomllib
from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[1]


def shipped_packages():
    """The packages setuptools puts in the wheel, found with the project's own configuration."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    return find_packages(where=str(ROOT), include=config["include"], exclude=config.get("exclude", ()))


def test_the_wheel_ships_the_app_and_nothing_test_only():
    packages = shipped_packages()
    assert "nautobot_techmgmt" in packages
    assert "nautobot_techmgmt.knowledge" in packages
    test_only = [name for name in packages if not name.startswith("nautobot_techmgmt")]
    test_only += [name for name in packages if name.split(".")[-1] in {"tests", "testing", "development"}]
    test_modules = [
        str(path.relative_to(ROOT))
        for name in packages
        for path in (ROOT / name.replace(".", "/")).glob("*.py")
        if path.name.startswith("test_") or path.name in {"conftest.py", "fixtures.py"}
    ]
    assert test_only == [], test_only
    assert test_modules == [], test_modules
