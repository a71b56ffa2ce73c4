"""Table of the gap register."""

import django_tables2 as tables
from django_tables2.utils import Accessor
from nautobot.apps.tables import BaseTable, ButtonsColumn, TagColumn, ToggleColumn

from nautobot_techmgmt.gap_display import RISK_HELP, severity_badge
from nautobot_techmgmt.models import KnowledgeGap


class SeverityColumn(tables.Column):
    """A gap's severity as its badge."""

    def render(self, record):  # pylint: disable=arguments-differ,arguments-renamed
        """The badge of the record's severity."""
        return severity_badge(record.severity)


class KnowledgeGapTable(BaseTable):
    """Gap records, newest first: what the gap is, where it stands and who owns it."""

    pk = ToggleColumn()
    kind = tables.Column(linkify=True)  # a gap has no name: its kind links to the record
    technology = tables.Column(linkify=True)
    severity = SeverityColumn()
    days_open = tables.Column(accessor=Accessor("days_open"), verbose_name="Days open", orderable=False)
    affected_objects = tables.Column(verbose_name="Objects affected")
    risk = tables.Column(attrs={"th": {"title": RISK_HELP}})
    owner = tables.Column(accessor=Accessor("owner"), linkify=True, verbose_name="Owner", orderable=False)
    tags = TagColumn(url_name="plugins:nautobot_techmgmt:knowledgegap_list")
    # Gaps are opened and closed by the engine: edit only, never delete.
    actions = ButtonsColumn(KnowledgeGap, buttons=("edit",))

    class Meta(BaseTable.Meta):
        model = KnowledgeGap
        fields = (
            "pk",
            "kind",
            "technology",
            "severity",
            "status",
            "opened",
            "closed",
            "days_open",
            "affected_objects",
            "risk",
            "owner",
            "risk_accepted_until",
            "detail",
            "comments",
            "tags",
            "actions",
        )
        default_columns = (
            "pk",
            "kind",
            "technology",
            "severity",
            "status",
            "opened",
            "closed",
            "days_open",
            "affected_objects",
            "risk",
            "owner",
            "actions",
        )
