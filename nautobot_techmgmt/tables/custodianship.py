"""Table of responsibilities."""

import django_tables2 as tables
from django.utils.html import format_html
from nautobot.apps.tables import BaseTable, ButtonsColumn, TagColumn, ToggleColumn

from nautobot_techmgmt.models import Responsibility
from nautobot_techmgmt.tables.targets import TargetColumn, TargetTypeColumn


class AssigneeColumn(tables.Column):
    """The team or expert that holds a responsibility, linked, with its kind."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", "Assignee")
        kwargs.setdefault("order_by", ("team__name", "expert__contact__name"))
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, accessor="assignee", **kwargs)

    # Django-tables2 passes only the arguments a method names.
    def render(self, record, value):  # pylint: disable=arguments-differ
        """A link to the assignee and whether it is a team or an expert."""
        if value is None:
            return "—"
        kind = "Team" if record.team_id else "Expert"
        return format_html(
            '<a href="{}">{}</a> <span class="text-secondary">({})</span>', value.get_absolute_url(), value, kind
        )

    # Django-tables2 passes only the arguments a method names.
    def value(self, value):  # pylint: disable=arguments-differ
        """Plain text for exports."""
        return str(value) if value is not None else ""


class ResponsibilityTable(BaseTable):
    """Responsibilities: who, in which role, for which technology and target."""

    pk = ToggleColumn()
    responsibility = tables.Column(linkify=True, accessor="pk", verbose_name="Responsibility", orderable=False)
    assignee = AssigneeColumn()
    role = tables.Column()
    technology = tables.Column(linkify=True)
    target_type = TargetTypeColumn()
    target = TargetColumn()
    tags = TagColumn(url_name="plugins:nautobot_techmgmt:responsibility_list")
    actions = ButtonsColumn(Responsibility)

    class Meta(BaseTable.Meta):
        model = Responsibility
        fields = (
            "pk",
            "responsibility",
            "assignee",
            "role",
            "technology",
            "target_type",
            "target",
            "escalation_tier",
            "hours_per_week",
            "comments",
            "tags",
            "actions",
        )
        default_columns = (
            "pk",
            "responsibility",
            "assignee",
            "role",
            "technology",
            "target_type",
            "target",
            "escalation_tier",
            "actions",
        )

    def render_responsibility(self, record):
        """The responsibility's name."""
        return str(record)
