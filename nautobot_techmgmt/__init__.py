"""Technical Management for Nautobot: experts, skills, custodians and knowledge gaps."""

from importlib import metadata

from nautobot.apps import NautobotAppConfig

from nautobot_techmgmt.constants import DEFAULT_SETTINGS

__version__ = metadata.version("nautobot-techmgmt")


class TechMgmtConfig(NautobotAppConfig):
    """App configuration for nautobot_techmgmt."""

    name = "nautobot_techmgmt"
    verbose_name = "Technical Management"
    version = __version__
    author = "nautobot-techmgmt developers"
    description = "Experts, skills, certifications and custodians joined to live inventory."
    base_url = "techmgmt"
    min_version = "3.2.0"
    max_version = "3.99"
    required_settings = []
    default_settings = DEFAULT_SETTINGS
    docs_view_name = "plugins:nautobot_techmgmt:docs"
    searchable_models = ["technology", "expert", "certification", "supplier", "supportcontract"]

    def ready(self):
        """Connect signal handlers once the app registry is ready."""
        super().ready()
        from nautobot_techmgmt import signals  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import


config = TechMgmtConfig  # pylint: disable=invalid-name
