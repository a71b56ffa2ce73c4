"""Pytest plugin: configure Nautobot (plugins, job-log database, settings) before pytest-django starts Django."""

import os
from pathlib import Path

import nautobot
import pytest

DEFAULT_CONFIG = Path(__file__).resolve().parent / "nautobot_config.py"


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):  # pylint: disable=unused-argument
    """Load nautobot_config.py the way `nautobot-server` does, so pytest-django finds configured settings."""
    nautobot.setup(os.environ.get("NAUTOBOT_CONFIG", str(DEFAULT_CONFIG)))


def pytest_configure(config):  # pylint: disable=unused-argument
    """Drop the host Django adds for tests, as Nautobot's own runner does, so host checks stay honest."""
    from django.conf import settings  # pylint: disable=import-outside-toplevel

    if "testserver" in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS.remove("testserver")
