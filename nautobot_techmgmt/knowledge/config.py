"""The app's settings as the engine reads them."""

from django.conf import settings


def app_setting(name):
    """A setting of the app from PLUGINS_CONFIG, falling back to the app's default."""
    from nautobot_techmgmt import TechMgmtConfig  # pylint: disable=import-outside-toplevel  # the app imports us

    return settings.PLUGINS_CONFIG.get("nautobot_techmgmt", {}).get(name, TechMgmtConfig.default_settings[name])
