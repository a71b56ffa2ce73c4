"""Table columns shared by the models that point at an inventory object or rule target."""

import django_tables2 as tables
from nautobot.apps.templatetags import hyperlinked_object, placeholder
from nautobot.dcim.models import Location

# Re-exported: the list views join what their target columns render.
from nautobot_techmgmt.object_types import TARGET_SELECT_RELATED  # noqa: F401  pylint: disable=unused-import


def target_type_display(value):
    """The kind of target, capitalised ("Device type"), or the placeholder when there is none."""
    return str(value).capitalize() if value else placeholder(value)


class TargetTypeColumn(tables.Column):
    """The kind of target a record points at ("Device type")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", "Target type")
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, accessor="target_type", **kwargs)

    def render(self, value):
        """The capitalised kind, or a placeholder."""
        return target_type_display(value)

    # Django-tables2 passes only the arguments a method names.
    def value(self, value):  # pylint: disable=arguments-differ
        """Plain text for exports."""
        return str(value) if value else ""


class TargetColumn(tables.Column):
    """The object or rule target a record points at, linked."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", "Target")
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, accessor="target", **kwargs)

    def render(self, value):
        """A link to the target, or a placeholder."""
        # A location's display name walks its ancestors, one query per row; its own name is enough here.
        return hyperlinked_object(value, "name" if isinstance(value, Location) else "display")

    # Django-tables2 passes only the arguments a method names.
    def value(self, value):  # pylint: disable=arguments-differ
        """Plain text for exports."""
        return str(value) if value is not None else ""
