"""Optional "Custodian team" and "Knowledge risk" columns on the Device, Circuit, VirtualMachine and Cluster lists.

Both read the materialised ObjectKnowledge rows that `alter_queryset` prefetches with their custodian team, so a
page costs the same few queries whatever its length. Like the detail panel, they show only technologies the user
may view, and nothing to a user who may not view technologies.
"""

import django_tables2
from django.db.models import Prefetch
from django.utils.html import format_html, format_html_join
from nautobot.apps.tables import TableExtension
from nautobot.apps.templatetags import placeholder

from nautobot_techmgmt.knowledge.gaps import SEVERITIES, SEVERITY_WEIGHT
from nautobot_techmgmt.models import ObjectKnowledge, Technology

SEVERITY_BADGE = {
    "critical": "bg-danger",
    "high": "bg-warning text-dark",
    "medium": "bg-info text-dark",
    "low": "bg-secondary",
}


class ObjectKnowledgeColumn(django_tables2.Column):
    """Base column over an object's prefetched ObjectKnowledge rows, limited to technologies the user may view."""

    def __init__(self, accessor="techmgmt_knowledge", **kwargs):
        """A computed column: not orderable, always rendered (even when the object has no rows).

        The accessor names the relation so that any table showing the column (a list, or a panel of a detail
        page) prefetches it instead of querying per row.
        """
        super().__init__(accessor=accessor, empty_values=(), orderable=False, **kwargs)

    @staticmethod
    def visible_rows(record, table):
        """The record's ObjectKnowledge rows whose technology the requesting user may view."""
        visible = getattr(table, "techmgmt_visible_technologies", None)
        if visible is None:
            request = getattr(table, "request", None)
            user = getattr(request, "user", None)
            if user is None or not user.has_perm("nautobot_techmgmt.view_technology"):
                visible = set()
            else:
                visible = set(Technology.objects.restrict(user, "view").values_list("pk", flat=True))
            table.techmgmt_visible_technologies = visible  # once per table, not per row
        return [row for row in record.techmgmt_knowledge.all() if row.technology_id in visible]


class CustodianTeamColumn(ObjectKnowledgeColumn):
    """The distinct effective custodian teams of the technologies in use on the object."""

    def __init__(self, **kwargs):
        """Labelled "Custodian team"; prefetches the teams with the rows."""
        super().__init__(accessor="techmgmt_knowledge__custodian_team", verbose_name="Custodian team", **kwargs)

    def teams(self, record, table):
        """Distinct teams, by name."""
        teams = {
            row.custodian_team.pk: row.custodian_team for row in self.visible_rows(record, table) if row.custodian_team
        }
        return sorted(teams.values(), key=lambda team: team.name)

    def render(self, record, table):  # pylint: disable=arguments-differ
        """Links to the teams."""
        teams = self.teams(record, table)
        if not teams:
            return placeholder(None)
        return format_html_join(", ", '<a href="{}">{}</a>', ((team.get_absolute_url(), team.name) for team in teams))

    def value(self, record, table):  # pylint: disable=arguments-differ
        """Team names for export."""
        return ", ".join(team.name for team in self.teams(record, table))


class KnowledgeRiskColumn(ObjectKnowledgeColumn):
    """The worst gap severity on the object as a badge, and the object's risk (sum over its technologies)."""

    def __init__(self, **kwargs):
        """Labelled "Knowledge risk"."""
        super().__init__(verbose_name="Knowledge risk", **kwargs)

    def summary(self, record, table):
        """(worst severity or "", risk) over the visible rows, or None when no technology is in use."""
        rows = self.visible_rows(record, table)
        if not rows:
            return None
        severities = {row.severity for row in rows if row.severity}
        worst = next((severity for severity in SEVERITIES if severity in severities), "")
        return worst, sum(row.risk for row in rows)

    def render(self, record, table):  # pylint: disable=arguments-differ
        """Badge and number."""
        summary = self.summary(record, table)
        if summary is None:
            return placeholder(None)
        worst, risk = summary
        if not worst:
            return format_html('<span class="badge bg-success">none</span> {}', risk)
        return format_html(
            '<span class="badge {}" title="Weight {} per gap">{}</span> {}',
            SEVERITY_BADGE[worst],
            SEVERITY_WEIGHT[worst],
            worst,
            risk,
        )

    def value(self, record, table):  # pylint: disable=arguments-differ
        """Severity and risk for export."""
        summary = self.summary(record, table)
        return "" if summary is None else f"{summary[0] or 'none'} {summary[1]}"


@classmethod
def _prefetch_knowledge(cls, queryset):  # pylint: disable=unused-argument
    """Prefetch the object's ObjectKnowledge rows with their custodian team: one query per page."""
    return queryset.prefetch_related(
        Prefetch("techmgmt_knowledge", queryset=ObjectKnowledge.objects.select_related("custodian_team").order_by())
    )


def _extension(model_label, suffix=None, prefetch=True):
    """A TableExtension adding both columns (not shown by default) to one core table."""
    attributes = {
        "__doc__": f"Custodian team and knowledge risk columns on the {model_label} {suffix or 'Table'}.",
        "model": model_label,
        "suffix": suffix,
        "table_columns": {
            "nautobot_techmgmt_custodian_team": CustodianTeamColumn(),
            "nautobot_techmgmt_knowledge_risk": KnowledgeRiskColumn(),
        },
    }
    if prefetch:  # once per model: two extensions prefetching the same relation would clash
        attributes["alter_queryset"] = _prefetch_knowledge
    return type(
        f"{model_label.split('.')[1].title()}{suffix or 'Table'}KnowledgeColumns", (TableExtension,), attributes
    )


table_extensions = [
    _extension("dcim.device"),
    _extension("circuits.circuit"),
    _extension("virtualization.virtualmachine"),
    # The virtual machine list shows VirtualMachineDetailTable, a subclass that copied its columns at import.
    _extension("virtualization.virtualmachine", suffix="DetailTable", prefetch=False),
    _extension("virtualization.cluster"),
]
