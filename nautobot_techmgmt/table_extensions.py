"""Optional "Custodian team" and "Knowledge risk" columns on the lists of the object types (object_types.py).

Both read the knowledge state of the objects on the page (their ObjectKnowledge rows with their technologies' people
side joined in), loaded once per page when a column is shown, so a page costs the same few queries whatever its
length. Like the detail panel, they show only
technologies the user may view, and nothing to a user who may not view technologies.
"""

from collections import defaultdict

import django_tables2
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from nautobot.apps.tables import TableExtension
from nautobot.apps.templatetags import placeholder

from nautobot_techmgmt.answers import Answers
from nautobot_techmgmt.gap_display import RISK_HELP, severity_badge
from nautobot_techmgmt.knowledge.gaps import object_risk, worst_of, worst_severity
from nautobot_techmgmt.models import ObjectKnowledge
from nautobot_techmgmt.models.coverage import OBJECT_FIELD_OF_MODEL
from nautobot_techmgmt.object_types import OBJECT_TYPES


class ObjectKnowledgeColumn(django_tables2.Column):
    """Base column over an object's ObjectKnowledge rows, limited to technologies the user may view.

    The first cell rendered loads the rows of every object on the table's page in one query (plain values, no
    model instances), so a hidden column costs nothing and a shown one the same few queries whatever the page.
    """

    def __init__(self, **kwargs):
        """A computed column: not orderable, always rendered (even when the object has no rows)."""
        super().__init__(accessor="pk", empty_values=(), orderable=False, **kwargs)

    @staticmethod
    def visible_rows(record, table):
        """The record's rows [(technology_id, team_id, team_name, severity, risk)] of technologies the user may view."""
        rows = getattr(table, "techmgmt_rows", None)
        if rows is None:
            rows = table.techmgmt_rows = _rows_of_page(table, type(record))
        return rows.get(record.pk, [])


def _rows_of_page(table, model):
    """{object_id: [(technology_id, team_id, team_name, severity, risk)]} for the objects the table shows."""
    user = getattr(getattr(table, "request", None), "user", None)
    visible = set() if user is None else Answers(user).technology_ids
    page = getattr(table, "page", None)
    records = [row.record for row in page.object_list] if page is not None else list(table.data)
    object_field = OBJECT_FIELD_OF_MODEL[model._meta.label_lower]
    knowledge = ObjectKnowledge.objects.filter(**{f"{object_field}__in": [record.pk for record in records]})
    rows = defaultdict(list)
    for object_id, technology_id, team_id, team_name, *answer in (
        knowledge.with_answers()
        .order_by()
        .values_list(
            object_field,
            "technology_id",
            "custodian_team_id",
            "custodian_team__name",
            "state_gaps",
            "has_custodian",
            "state_custodian_qualified",
            "state_has_primary_support",
            "state_support_qualified",
        )
    ):
        if technology_id in visible:
            kinds = ObjectKnowledge.gap_kinds(*answer)
            rows[object_id].append((technology_id, team_id, team_name, worst_severity(kinds), object_risk(kinds)))
    return rows


class CustodianTeamColumn(ObjectKnowledgeColumn):
    """The distinct effective custodian teams of the technologies in use on the object."""

    def __init__(self, **kwargs):
        """Labelled "Custodian team"."""
        super().__init__(verbose_name="Custodian team", **kwargs)

    def teams(self, record, table):
        """Distinct (team id, team name), by name."""
        teams = {(team_id, name) for _, team_id, name, _, _ in self.visible_rows(record, table) if team_id}
        return sorted(teams, key=lambda team: team[1])

    def render(self, record, table):  # pylint: disable=arguments-differ
        """Links to the teams."""
        teams = self.teams(record, table)
        if not teams:
            return placeholder(None)
        return format_html_join(
            ", ", '<a href="{}">{}</a>', ((reverse("extras:team", kwargs={"pk": pk}), name) for pk, name in teams)
        )

    def value(self, record, table):  # pylint: disable=arguments-differ
        """Team names for export."""
        return ", ".join(name for _, name in self.teams(record, table))


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
        return worst_of(severity for _, _, _, severity, _ in rows), sum(risk for _, _, _, _, risk in rows)

    def render(self, record, table):  # pylint: disable=arguments-differ
        """Badge and number."""
        summary = self.summary(record, table)
        if summary is None:
            return placeholder(None)
        worst, risk = summary
        return format_html(
            "{} {}",
            severity_badge(worst, text=worst or "none"),
            format_html('<span title="{}">{}</span>', RISK_HELP, risk),
        )

    def value(self, record, table):  # pylint: disable=arguments-differ
        """Severity and risk for export."""
        summary = self.summary(record, table)
        return "" if summary is None else f"{summary[0] or 'none'} {summary[1]}"


def _extension(model_label, suffix=None):
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
    return type(
        f"{model_label.split('.')[1].title()}{suffix or 'Table'}KnowledgeColumns", (TableExtension,), attributes
    )


table_extensions = [
    _extension(object_type.label_lower, suffix=None if suffix == "Table" else suffix)
    for object_type in OBJECT_TYPES
    for suffix in object_type.table_suffixes
]
