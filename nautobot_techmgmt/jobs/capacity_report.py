"""Capacity report: expert hours needed and agreed, as CSV and Markdown files on the Job result.

The figures come from the per-user layer (`capacity.CapacityAnswers`), so the report shows what the user running the
Job may see on the capacity page: only the technologies, experts and contacts they may view, costs only with the
permission to view costs.
"""

from datetime import date

from nautobot.apps.jobs import BooleanVar, Job, MultiChoiceVar

from nautobot_techmgmt.answers import Answers
from nautobot_techmgmt.capacity import CapacityAnswers, assumptions
from nautobot_techmgmt.choices import TechnologyCategoryChoices
from nautobot_techmgmt.jobs.common import GROUPING, csv_text
from nautobot_techmgmt.knowledge.capacity import ZERO
from nautobot_techmgmt.models import Technology

name = GROUPING  # pylint: disable=invalid-name  # Nautobot groups a module's Jobs under its `name`

TECHNOLOGY_HEADER = (
    "technology",
    "category",
    "custodian team",
    "demand",
    "expert hours",
    "contract hours",
    "supply",
    "utilisation %",
    "shortfall",
    "surplus",
    "recommendation",
    "supplied by",
)
EXPERT_HEADER = ("expert", "home team", "line manager", "agreed", "committed", "allocated", "spare", "allocated to")
TEAM_HEADER = ("team", "experts", "agreed", "committed", "allocated", "spare", "demand", "supply")
LINE_MANAGER_HEADER = ("line manager", "experts", "agreed", "committed", "allocated", "spare")
EXPERT_COSTS = ("hourly cost", "cost per year")
GROUP_COSTS = ("cost per year",)
# Columns of text, left-aligned in the Markdown tables; the others are figures.
TEXT_COLUMNS = {
    "technology",
    "category",
    "custodian team",
    "recommendation",
    "supplied by",
    "expert",
    "home team",
    "line manager",
    "allocated to",
    "team",
}


class CapacityReport(Job):
    """Export expert hours needed and agreed per technology, expert, team and line manager, as CSV and Markdown."""

    category = MultiChoiceVar(
        choices=TechnologyCategoryChoices.CHOICES,
        required=False,
        label="Technology category",
        description="Only technologies of these categories. None selected: all.",
    )
    shortfall_only = BooleanVar(
        default=False,
        label="Shortfall only",
        description="Only technologies that need more hours than they are given.",
    )

    class Meta:
        """Job metadata."""

        name = "Capacity report"
        description = (
            "Export the expert hours each technology needs and is given (demand, supply, utilisation, shortfall, "
            "surplus, recommendation), and the agreed, committed, allocated and spare hours per expert, team and "
            "line manager, as CSV files and a readable Markdown report."
        )
        has_sensitive_variables = False

    def run(self, *, category=None, shortfall_only=False):  # pylint: disable=arguments-differ
        """Read the user's capacity figures, then write the capacity-*-<date>.csv files and capacity-<date>.md."""
        today = date.today()
        capacity = CapacityAnswers(Answers(self.user, as_of=today))
        if not capacity.answers.may_view_experts:
            self.logger.info("Expert names are left out of the report: you may not view experts.")
        costs = capacity.may_view_costs
        if not costs:
            self.logger.info("Costs are left out of the report: you may not view costs.")
        technologies = capacity.technologies(Technology.objects.filter(category__in=category) if category else None)
        if shortfall_only:
            technologies = [row for row in technologies if row.shortfall > 0]
        expert_costs, group_costs = (EXPERT_COSTS, GROUP_COSTS) if costs else ((), ())
        tables = {
            "technologies": (TECHNOLOGY_HEADER, [technology_row(row) for row in technologies]),
            "experts": (EXPERT_HEADER + expert_costs, [expert_row(row, costs) for row in capacity.experts()]),
            "teams": (TEAM_HEADER + group_costs, [team_row(row, costs) for row in capacity.teams()]),
            "line-managers": (
                LINE_MANAGER_HEADER + group_costs,
                [group_row(row, costs) for row in capacity.line_managers()],
            ),
        }
        for part, (header, rows) in tables.items():
            self.create_file(f"capacity-{part}-{today.isoformat()}.csv", csv_text(header, rows))
        filters = {"technology category": category, "shortfall only": ["yes"] if shortfall_only else []}
        report = markdown_report(today, technologies, tables, filters, costs)
        self.create_file(f"capacity-{today.isoformat()}.md", report)
        counts = {
            "technologies": len(technologies),
            "short of hours": sum(1 for row in technologies if row.shortfall > 0),
            "experts": len(tables["experts"][1]),
            "teams": len(tables["teams"][1]),
            "line managers": len(tables["line-managers"][1]),
        }
        self.logger.info(
            "Exported the capacity of %d technologies (%d short of %s h/week in all), %d experts, %d teams and %d "
            "line managers.",
            counts["technologies"],
            counts["short of hours"],
            hours(sum((row.shortfall for row in technologies), ZERO)),
            counts["experts"],
            counts["teams"],
            counts["line managers"],
        )
        return counts


def hours(value):
    """Hours per week as text with one decimal; "" for None."""
    return "" if value is None else f"{value:.1f}"


def money(value):
    """A cost as text with two decimals; "" when unknown or not shown."""
    return "" if value is None else f"{value:.2f}"


def percent(value):
    """A ratio as a whole percentage; "" for None (no supply)."""
    return "" if value is None else f"{value * 100:.0f}"


def supplied_by(row):
    """Who gives a technology its hours, most first: "Ada 10.0; Juniper JN-1 3.0", and how many are not named."""
    named = [
        f"{contributor.expert or contributor.contract} {hours(contributor.hours)}" for contributor in row.contributors
    ]
    if row.hidden_contributors:
        named.append(f"{row.hidden_contributors} not shown")
    return "; ".join(named)


def technology_row(row):
    """A `capacity.TechnologyRow` as CSV cells in the order of TECHNOLOGY_HEADER."""
    technology = row.technology
    return [
        technology.name,
        technology.get_category_display(),
        str(technology.custodian_team or ""),
        hours(row.demand.hours),
        hours(row.expert_hours),
        hours(row.contract_hours),
        hours(row.supply),
        percent(row.utilisation),
        hours(row.shortfall),
        hours(row.surplus),
        row.recommendation_label,
        supplied_by(row),
    ]


def expert_row(row, costs):
    """A `capacity.ExpertRow` as CSV cells (EXPERT_HEADER, then EXPERT_COSTS when `costs`)."""
    cells = [
        str(row.expert),
        str(row.expert.home_team or ""),
        row.line_manager.name if row.line_manager else "",
        hours(row.agreed),
        hours(row.committed),
        hours(row.allocated),
        hours(row.spare),
        "; ".join(f"{technology.name} {hours(given)}" for technology, given in row.allocations),
    ]
    return cells + ([money(row.hourly_cost), money(row.cost_per_year)] if costs else [])


def group_row(row, costs):
    """A `capacity.GroupRow` of a line manager as CSV cells (LINE_MANAGER_HEADER, then GROUP_COSTS when `costs`)."""
    cells = [
        row.owner.name,
        row.experts,
        hours(row.agreed),
        hours(row.committed),
        hours(row.allocated),
        hours(row.spare),
    ]
    return cells + ([money(row.cost_per_year)] if costs else [])


def team_row(row, costs):
    """A `capacity.GroupRow` of a team as CSV cells (TEAM_HEADER, then GROUP_COSTS when `costs`)."""
    cells = group_row(row, costs=False) + [hours(row.demand), hours(row.supply)]
    return cells + ([money(row.cost_per_year)] if costs else [])


def _cell(value):
    """A value made safe for a Markdown table cell; "-" for an empty one."""
    text = str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    return text or "-"


def _table(header, rows):
    """A Markdown table of CSV-shaped rows; figures right-aligned."""
    lines = ["| " + " | ".join(column.capitalize() for column in header) + " |"]
    lines.append("| " + " | ".join("---" if column in TEXT_COLUMNS else "---:" for column in header) + " |")
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return lines


def markdown_report(day, technologies, tables, filters, costs):
    """A Markdown report: totals, the technologies worst first, experts, teams, line managers, the assumptions."""
    lines = [f"# Expert hours on {day.isoformat()}", ""]
    applied = [f"{label}: {', '.join(values)}" for label, values in filters.items() if values]
    lines += [f"Technologies filtered by {'; '.join(applied)}." if applied else "All technologies in use.", ""]
    lines += ["Hours are per week. Shortfall: demand beyond supply; surplus: supply beyond demand."]
    if not costs:
        lines.append("Costs are left out: you may not view costs.")
    totals = (
        sum((row.demand.hours for row in technologies), ZERO),
        sum((row.supply for row in technologies), ZERO),
        sum((row.shortfall for row in technologies), ZERO),
        sum((row.surplus for row in technologies), ZERO),
    )
    lines += ["", "## Summary", ""]
    lines += _table(
        ("technologies", "demand", "supply", "shortfall", "surplus"), [[len(technologies), *map(hours, totals)]]
    )
    sections = (
        ("Technologies, worst first", "technologies", "No technology in use matches."),
        ("Experts", "experts", "No expert you may view has agreed hours or a qualification."),
        ("Teams", "teams", "No team has hours agreed for it or is custodian of a technology in use."),
        ("Line managers", "line-managers", "No line manager you may view agreed hours in force."),
    )
    for title, part, empty in sections:
        header, rows = tables[part]
        lines += ["", f"## {title} ({len(rows)})", ""]
        lines += _table(header, rows) if rows else [empty]
    lines += ["", "## Assumptions", ""]
    lines += [f"* {assumption}" for assumption in assumptions()]
    lines.append(
        '* Experts, contracts and contacts you may not view count in the figures but are not named ("not shown").'
    )
    return "\n".join(lines) + "\n"
