"""The app's settings as the engine reads them."""

from django.conf import settings

from nautobot_techmgmt.constants import DEFAULT_SETTINGS


def app_setting(name):
    """A setting of the app from PLUGINS_CONFIG, falling back to the app's default."""
    return settings.PLUGINS_CONFIG.get("nautobot_techmgmt", {}).get(name, DEFAULT_SETTINGS[name])
