"""Gap report export: the engine's knowledge gaps as CSV and Markdown files on the Job result."""

from datetime import date

from nautobot.apps.jobs import Job, MultiChoiceVar

from nautobot_techmgmt.answers import Answers
from nautobot_techmgmt.choices import TechnologyCategoryChoices
from nautobot_techmgmt.gap_display import RISK_HELP, kind_label, severity_label
from nautobot_techmgmt.jobs.common import GROUPING, csv_text
from nautobot_techmgmt.knowledge import GAP_KINDS, SEVERITIES
from nautobot_techmgmt.knowledge.gaps import SEVERITY

name = GROUPING  # pylint: disable=invalid-name  # Nautobot groups a module's Jobs under its `name`

CSV_HEADER = (
    "kind",
    "severity",
    "technology",
    "category",
    "custodian team",
    "bus factor",
    "required experts",
    "affected objects",
    "risk",
    "detail",
    "experts",
)
MARKDOWN_COLUMNS = ("Technology", "Gap", "Custodian team", "Bus factor", "Affected objects", "Risk", "Detail")


def _kind_choice(kind):
    """A gap kind as a form choice: ("single_expert", "Single expert (high)")."""
    return kind, f"{kind_label(kind)} ({SEVERITY[kind]})"


class ExportGapReport(Job):
    """Export the knowledge gaps, filtered by severity, kind and technology category, as CSV and Markdown."""

    severity = MultiChoiceVar(
        choices=[(severity, severity.capitalize()) for severity in SEVERITIES],
        required=False,
        description="Only gaps of these severities. None selected: all.",
    )
    kind = MultiChoiceVar(
        choices=[_kind_choice(kind) for kind in GAP_KINDS],
        required=False,
        description="Only gaps of these kinds. None selected: all.",
    )
    category = MultiChoiceVar(
        choices=TechnologyCategoryChoices.CHOICES,
        required=False,
        label="Technology category",
        description="Only technologies of these categories. None selected: all.",
    )

    class Meta:
        """Job metadata."""

        name = "Gap report export"
        description = (
            "Export the knowledge gaps (no expert, single expert, custodian without the skill, ...) with severity, "
            "bus factor and risk as a CSV file and a readable Markdown report."
        )
        has_sensitive_variables = False

    def run(self, *, severity=None, kind=None, category=None):  # pylint: disable=arguments-differ
        """Select the gaps, then write knowledge-gaps-<date>.csv and knowledge-gaps-<date>.md."""
        today = date.today()
        # As in the REST API: only technologies the user may view, and only the experts the user may view named.
        answers = Answers(self.user, as_of=today)
        if not answers.may_view_experts:
            self.logger.info("Expert names are left out of the report: you may not view experts.")
        gaps = answers.gaps(kinds=kind or (), severities=severity or (), categories=category or ())
        rows = [gap_row(answers.knowledge, gap) for gap in gaps]
        self.create_file(
            f"knowledge-gaps-{today.isoformat()}.csv",
            csv_text(CSV_HEADER, ([row[h] for h in CSV_HEADER] for row in rows)),
        )
        filters = {"severity": severity, "kind": kind, "technology category": category}
        self.create_file(f"knowledge-gaps-{today.isoformat()}.md", markdown_report(today, rows, filters))
        counts = {level: sum(1 for gap in gaps if gap.severity == level) for level in SEVERITIES}
        self.logger.info(
            "Exported %d knowledge gaps (%s).", len(gaps), ", ".join(f"{n} {level}" for level, n in counts.items())
        )
        return counts


def gap_row(knowledge, gap):
    """A gap (`answers.GapAnswer`) as a dict keyed by CSV_HEADER, plus its readable "label" and full detail."""
    technology = gap.technology
    return {
        "kind": gap.kind,
        "label": gap.label,
        "severity": gap.severity,
        "technology": technology.name,
        "category": technology.get_category_display(),
        "custodian team": str(technology.custodian_team or ""),
        "bus factor": knowledge.bus_factor(technology.pk),
        "required experts": technology.required_experts,
        "affected objects": gap.affected_objects,
        "risk": gap.risk,
        "detail": gap.detail,
        "experts": "; ".join(str(expert) for expert in gap.experts),
        "detail with experts": gap.detail_with_experts,
    }


def _cell(value):
    """A value made safe for a Markdown table cell."""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown_report(day, rows, filters):
    """A Markdown report: counts by severity, then one table per severity, worst risk first."""
    by_severity = {level: [row for row in rows if row["severity"] == level] for level in SEVERITIES}
    lines = [f"# Knowledge gaps on {day.isoformat()}", ""]
    applied = [f"{label}: {', '.join(values)}" for label, values in filters.items() if values]
    lines += [f"Filters: {'; '.join(applied)}." if applied else "All gaps (no filter).", ""]
    lines += [f"{RISK_HELP}", ""]
    lines += ["## Summary", "", "| Severity | Gaps | Risk |", "| --- | ---: | ---: |"]
    for level, level_rows in by_severity.items():
        lines.append(f"| {severity_label(level)} | {len(level_rows)} | {sum(row['risk'] for row in level_rows)} |")
    lines.append(f"| **Total** | **{len(rows)}** | **{sum(row['risk'] for row in rows)}** |")
    for level, level_rows in by_severity.items():
        if not level_rows:
            continue
        lines += ["", f"## {severity_label(level)} ({len(level_rows)})", ""]
        lines.append("| " + " | ".join(MARKDOWN_COLUMNS) + " |")
        lines.append("| --- | --- | --- | ---: | ---: | ---: | --- |")
        for row in sorted(level_rows, key=lambda row: -row["risk"]):
            cells = (
                row["technology"],
                row["label"],
                row["custodian team"] or "-",
                f"{row['bus factor']} of {row['required experts']}",
                row["affected objects"],
                row["risk"],
                row["detail with experts"],
            )
            lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    if not rows:
        lines += ["", "No knowledge gaps match."]
    return "\n".join(lines) + "\n"
