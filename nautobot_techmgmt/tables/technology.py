"""Tables of technologies and technology scopes."""

import django_tables2 as tables
from nautobot.apps.tables import (
    BaseTable,
    BooleanColumn,
    ButtonsColumn,
    LinkedCountColumn,
    StatusTableMixin,
    TagColumn,
    ToggleColumn,
)

from nautobot_techmgmt.models import Technology, TechnologyScope
from nautobot_techmgmt.tables.targets import TargetColumn, TargetTypeColumn

TREE_LINK = """
{% load helpers %}
{% if not table.hide_hierarchy_ui %}
{% tree_hierarchy_ui_representation record.tree_depth|as_range table.hide_hierarchy_ui %}
{% endif %}
<a href="{{ record.get_absolute_url }}">{{ record.name }}</a>
"""


class TechnologyTable(StatusTableMixin, BaseTable):
    """Technologies, indented as a tree."""

    pk = ToggleColumn()
    name = tables.TemplateColumn(template_code=TREE_LINK, attrs={"td": {"class": "text-nowrap"}})
    parent = tables.Column(linkify=True)
    category = tables.Column()
    custodian_team = tables.Column(linkify=True)
    technical_manager = tables.Column(linkify=True)
    certification_required = BooleanColumn()
    scope_count = LinkedCountColumn(
        viewname="plugins:nautobot_techmgmt:technologyscope_list",
        url_params={"technology": "pk"},
        verbose_name="Scopes",
    )
    tags = TagColumn(url_name="plugins:nautobot_techmgmt:technology_list")
    actions = ButtonsColumn(Technology)

    class Meta(BaseTable.Meta):
        model = Technology
        fields = (
            "pk",
            "name",
            "parent",
            "category",
            "status",
            "custodian_team",
            "technical_manager",
            "required_experts",
            "qualified_level",
            "certification_required",
            "scope_count",
            "description",
            "tags",
            "actions",
        )
        default_columns = (
            "pk",
            "name",
            "category",
            "status",
            "custodian_team",
            "required_experts",
            "qualified_level",
            "scope_count",
            "actions",
        )


class TechnologyScopeTable(BaseTable):
    """Technology scopes: which technology is in use on which target."""

    pk = ToggleColumn()
    scope = tables.Column(linkify=True, accessor="pk", verbose_name="Scope", orderable=False)
    technology = tables.Column(linkify=True)
    target_type = TargetTypeColumn()
    target = TargetColumn()
    tags = TagColumn(url_name="plugins:nautobot_techmgmt:technologyscope_list")
    actions = ButtonsColumn(TechnologyScope)

    class Meta(BaseTable.Meta):
        model = TechnologyScope
        fields = ("pk", "scope", "technology", "target_type", "target", "description", "tags", "actions")
        default_columns = ("pk", "scope", "technology", "target_type", "target", "description", "actions")

    def render_scope(self, record):
        """The scope's name."""
        return str(record)
