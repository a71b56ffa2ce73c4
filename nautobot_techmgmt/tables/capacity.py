"""List-view table of effort models."""

import django_tables2 as tables
from django_tables2.utils import Accessor
from nautobot.apps.tables import BaseTable, ButtonsColumn, TagColumn, ToggleColumn

from nautobot_techmgmt.models import EffortModel
from nautobot_techmgmt.object_types import OBJECT_TYPES


def hours_per_object_text(values):
    """{object type key: hours} in words, in the registry's order: "0.5 per device, 0.2 per circuit"."""
    return ", ".join(
        f"{values[object_type.key]:g} per {object_type.verbose_name}"
        for object_type in OBJECT_TYPES
        if object_type.key in values
    )


class EffortModelTable(BaseTable):
    """Effort models: a category's default or a technology's override; blank values are inherited."""

    pk = ToggleColumn()
    effort_model = tables.Column(accessor=Accessor("pk"), linkify=True, verbose_name="Effort model", orderable=False)
    technology = tables.Column(linkify=True)
    category = tables.Column()
    base_hours_per_week = tables.Column(verbose_name="Base hours per week")
    hours_per_object = tables.Column(verbose_name="Hours per object per month", orderable=False)
    gap_uplift_percent = tables.Column()
    tags = TagColumn(url_name="plugins:nautobot_techmgmt:effortmodel_list")
    actions = ButtonsColumn(EffortModel)

    class Meta(BaseTable.Meta):
        model = EffortModel
        fields = (
            "pk",
            "effort_model",
            "technology",
            "category",
            "base_hours_per_week",
            "hours_per_object",
            "gap_uplift_percent",
            "description",
            "tags",
            "actions",
        )
        default_columns = (
            "pk",
            "effort_model",
            "base_hours_per_week",
            "hours_per_object",
            "gap_uplift_percent",
            "actions",
        )

    def render_effort_model(self, record):
        """The model's own label: "Effort of Junos", "Effort of Network technologies"."""
        return str(record)

    def render_hours_per_object(self, value):
        """The hours per object type in words."""
        return hours_per_object_text(value) or self.default
