"""Coverage pages: the dashboard, the skills matrix and the what-if page, laid out with Nautobot UI components.

Each page asks the per-user answers (`answers.Answers`) once per request: they keep only the technologies the user
may view and name experts only to users who may view them. Panels are declared once at module level; the view puts
the figures into the template context and the panels render them.
"""

import csv
from collections import Counter
from datetime import date
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from nautobot.apps.ui import (
    Breadcrumbs,
    EChartsPanel,
    EChartsTypeChoices,
    Panel,
    Titles,
    ViewNameBreadcrumbItem,
)
from nautobot.apps.views import EnhancedPaginator, GenericView, ObjectPermissionRequiredMixin, get_paginate_count

from nautobot_techmgmt.answers import Answers, worst_first
from nautobot_techmgmt.forms.knowledge import SkillsMatrixFilterForm, WhatIfForm
from nautobot_techmgmt.gap_display import KIND_LABELS, RISK_HELP, SEVERITY_CHART_COLORS, severity_tiles, with_links
from nautobot_techmgmt.knowledge import GAP_KINDS, SEVERITIES
from nautobot_techmgmt.knowledge.gaps import SEVERITY
from nautobot_techmgmt.models import Expert, KnowledgeGap, Skill, Technology

WORST_GAPS = 15
MAX_LISTED_GAPS = 500
MAX_MATRIX_COLUMNS = 60
TREND_DAYS = 365
BUS_FACTOR_BUCKETS = ("0", "1", "2", "3+")
BUS_FACTOR_LABELS = ("0 experts", "1 expert", "2 experts", "3+ experts")


class ChartPanel(EChartsPanel):
    """An ECharts panel whose figures are also given as a table, for screen readers and for reading exact values.

    `summary_key` names the context entry holding {"headers": [...], "rows": [[...], ...]}.
    """

    body_wrapper_template_path = "nautobot_techmgmt/inc/chart_body.html"
    chart_height = "20rem"
    summary_key = None

    def get_extra_context(self, context):
        """Add the table that repeats the chart's figures."""
        return {**super().get_extra_context(context), "chart_summary": context.get(self.summary_key)}


def _from_context(key):
    """Chart data read from the view's context at render time."""
    return lambda context: context.get(key) or {}


def _panel(label, template, weight, table=False, **kwargs):
    """A panel whose body is one of the app's templates."""
    if table:
        kwargs["body_wrapper_template_path"] = "components/panel/body_wrapper_table.html"
    return Panel(label=label, weight=weight, body_content_template_path=f"nautobot_techmgmt/inc/{template}", **kwargs)


#
# Helpers shared by the pages
#


class CoverageView(GenericView, ObjectPermissionRequiredMixin):
    """Base of the coverage pages: login and view permission on technologies; `queryset` is what the user may view."""

    breadcrumbs = Breadcrumbs(
        items={
            "*": [ViewNameBreadcrumbItem(view_name="plugins:nautobot_techmgmt:coverage_dashboard", label="Coverage")]
        }
    )
    queryset = Technology.objects.all()
    template_name = "nautobot_techmgmt/coverage_page.html"

    def get_required_permission(self):
        """Every coverage page needs the permission to view technologies."""
        return "nautobot_techmgmt.view_technology"

    @cached_property
    def answers(self):
        """The engine's answers as this request's user may see them."""
        return Answers(self.request.user)

    def can_view_experts(self):
        """Whether the user may view any expert (the rows the user may not view are filtered out separately)."""
        return self.answers.may_view_experts

    def render_page(self, request, rows, **context):
        """Render the page's rows of panels with the given context."""
        return render(
            request,
            self.template_name,
            {
                "rows": rows,
                "breadcrumbs": self.breadcrumbs,
                "view_titles": self.view_titles,
                "show_experts": self.can_view_experts(),
                **context,
            },
        )


#
# Coverage dashboard
#


def _vertical_chart(label, weight, summary_key, chart_type, data_key, **chart_kwargs):
    """A chart panel with one series per severity or a single series, counts on the y axis, no legend."""
    return ChartPanel(
        label=label,
        weight=weight,
        summary_key=summary_key,
        chart_kwargs={
            "chart_type": chart_type,
            "header": label,
            "data": _from_context(data_key),
            "x_label": "",
            "y_label": "",
            "legend": {"show": False},
            "additional_config": {
                "title": {"show": False},
                "grid": {"left": 8, "right": 24, "top": 40, "bottom": 16, "containLabel": True},
                "yAxis": {"minInterval": 1},
            },
            **chart_kwargs,
        },
    )


class CoverageDashboardView(CoverageView):
    """Gaps by severity and kind, bus factor distribution, trend, truck factor and the worst gaps."""

    view_titles = Titles(titles={"*": "Coverage Dashboard"})
    tiles = _panel("Knowledge gaps", "coverage_tiles.html", 100)
    gaps_by_kind = ChartPanel(
        label="Gaps by kind and severity",
        weight=200,
        summary_key="gaps_by_kind_summary",
        chart_kwargs={
            "chart_type": EChartsTypeChoices.BAR,
            "header": "Gaps by kind and severity",
            "data": _from_context("gaps_by_kind"),
            "theme_colors": SEVERITY_CHART_COLORS,
            "x_label": "",
            "y_label": "",
            "legend": {"bottom": 0},
            # Horizontal stacked bars: kind names are long, and each bar takes its severity's colour.
            "additional_config": {
                "title": {"show": False},
                "grid": {"left": 8, "right": 24, "top": 16, "bottom": 40, "containLabel": True},
                "xAxis": {"type": "value", "minInterval": 1},
                "yAxis": {"type": "category", "data": KIND_LABELS, "inverse": True},
                "series": [{"stack": "gaps"} for _ in SEVERITIES],
            },
        },
    )
    bus_factor = _vertical_chart(
        "Bus factor of technologies in use", 300, "bus_factor_summary", EChartsTypeChoices.BAR, "bus_factor"
    )
    trend = _vertical_chart(
        "Open gaps by severity",
        400,
        "trend_summary",
        EChartsTypeChoices.LINE,
        "trend",
        theme_colors=SEVERITY_CHART_COLORS,
        legend={"top": 0},
    )
    time_to_close = _panel("Time to close", "time_to_close.html", 500, table=True)
    trend_empty = _panel("Trend", "coverage_trend_empty.html", 400)
    truck = _panel("Truck factor", "truck_factor.html", 600)
    worst_gaps = _panel("Worst gaps", "gap_table.html", 700, table=True, body_id="gaps")
    getting_started = _panel("Getting started", "getting_started.html", 100)

    def get(self, request):
        """Ask the engine once, keep what the user may view, and lay the figures out."""
        answers = self.answers
        in_use = answers.technologies_in_use
        if not in_use:  # nothing to count yet: say what to do first instead of drawing empty charts
            return self.render_page(request, ((self.getting_started,),), technology_count=len(answers.technology_ids))
        gaps = answers.gaps()
        counts = Counter(gap.severity for gap in gaps)
        factor, named_leavers, hidden_leavers = answers.truck_factor()
        register = KnowledgeGap.objects.restrict(request.user, "view").filter(technology__in=self.queryset)
        registered = register.exists()
        listed, filters = self.filtered_gaps(request, answers)
        rows = (
            (self.tiles,),
            (self.gaps_by_kind, self.bus_factor),
            (self.trend, self.time_to_close) if registered else (self.trend_empty,),
            (self.truck,),
            (self.worst_gaps,),
        )
        return self.render_page(
            request,
            rows,
            tiles=severity_tiles(counts),
            technologies_in_use=len(in_use),
            total_gaps=len(gaps),
            truck_factor=factor,
            truck_factor_experts=named_leavers,
            truck_factor_hidden=hidden_leavers,
            gap_rows=with_links(listed),
            risk_help=RISK_HELP,
            gaps_listed=len(listed),
            gaps_total=len(gaps),
            gap_filters=filters,
            gap_footer=True,
            gaps_api_url=f"{reverse('plugins-api:nautobot_techmgmt-api:gaps')}?{urlencode(filters)}",
            **self.kind_chart(gaps),
            **self.bus_factor_chart(answers.knowledge, in_use),
            **(self.register_figures(register) if registered else {}),
        )

    @staticmethod
    def filtered_gaps(request, answers):
        """The gaps for the table: the worst few, or every gap of the severity or kind asked for."""
        severity = request.GET.get("severity") if request.GET.get("severity") in SEVERITIES else None
        kind = request.GET.get("kind") if request.GET.get("kind") in GAP_KINDS else None
        filters = [(name, value) for name, value in (("severity", severity), ("kind", kind)) if value]
        listed = answers.gaps(kinds=[kind] if kind else (), severities=[severity] if severity else ())
        if filters or request.GET.get("show") == "all":
            return listed[:MAX_LISTED_GAPS], filters
        return listed[:WORST_GAPS], filters

    @staticmethod
    def kind_chart(gaps):
        """Gap counts per kind, one series per severity so each bar takes its severity's colour."""
        per_kind = Counter(gap.kind for gap in gaps)
        series = [
            {
                "name": severity.capitalize(),
                "data": [per_kind.get(kind, 0) if SEVERITY[kind] == severity else 0 for kind in GAP_KINDS],
            }
            for severity in SEVERITIES
        ]
        summary = [
            [label, SEVERITY[kind].capitalize(), per_kind.get(kind, 0)]
            for kind, label in zip(GAP_KINDS, KIND_LABELS, strict=True)
        ]
        return {
            "gaps_by_kind": {"x": KIND_LABELS, "series": series},
            "gaps_by_kind_summary": {"headers": ["Kind", "Severity", "Gaps"], "rows": summary},
        }

    @staticmethod
    def bus_factor_chart(knowledge, in_use):
        """How many technologies in use have bus factor 0, 1, 2 and 3 or more."""
        buckets = Counter(BUS_FACTOR_BUCKETS[min(knowledge.bus_factor(pk), 3)] for pk in in_use)
        values = [buckets.get(bucket, 0) for bucket in BUS_FACTOR_BUCKETS]
        return {
            "bus_factor": {"x": list(BUS_FACTOR_LABELS), "series": [{"name": "Technologies in use", "data": values}]},
            "bus_factor_summary": {
                "headers": ["Qualified experts", "Technologies in use"],
                "rows": [list(pair) for pair in zip(BUS_FACTOR_BUCKETS, values, strict=True)],
            },
        }

    @staticmethod
    def register_figures(register):
        """From the gap register: gaps open on each day of the last year by severity, and the time to close per kind."""
        trend = register.trend(TREND_DAYS)
        since = trend[0]["date"]
        dates = [row["date"].isoformat() for row in trend]
        medians = register.median_days_to_close(since=since)
        closed = register.closed_count_by_kind(since=since)
        register_url = reverse("plugins:nautobot_techmgmt:knowledgegap_list")
        return {
            "trend": {
                "x": dates,
                "series": [
                    {"name": severity.capitalize(), "data": [row[severity] for row in trend]} for severity in SEVERITIES
                ],
            },
            "trend_summary": {
                "headers": ["Date", *(severity.capitalize() for severity in SEVERITIES)],
                "rows": [[row["date"].isoformat(), *(row[severity] for severity in SEVERITIES)] for row in trend],
            },
            "time_to_close_since": since,
            "time_to_close_rows": [
                {
                    "kind": label,
                    "median_days": medians[kind],
                    "closed": closed[kind],
                    "url": f"{register_url}?{urlencode({'kind': kind, 'closed__gte': since.isoformat()})}",
                }
                for kind, label in zip(GAP_KINDS, KIND_LABELS, strict=True)
                if kind in closed
            ],
        }


#
# Skills matrix
#


class SkillsMatrixView(CoverageView):
    """Experts x technologies heat map of skill levels, filterable by team and category, exportable as CSV."""

    view_titles = Titles(titles={"*": "Skills Matrix"})
    template_name = "nautobot_techmgmt/skills_matrix.html"
    filter_panel = _panel("Filter", "skills_matrix_filter.html", 100)
    matrix_panel = _panel("Skills matrix", "skills_matrix_table.html", 200)

    def get(self, request):
        """The matrix page, or the same rows and columns as CSV with `?export=csv`."""
        form = SkillsMatrixFilterForm(request.GET or None)
        teams, categories = [], []
        if form.is_bound and form.is_valid():
            teams, categories = list(form.cleaned_data["team"]), form.cleaned_data["category"]
        technologies = self.queryset
        if categories:
            technologies = technologies.filter(category__in=categories)
        experts = Expert.objects.restrict(request.user, "view") if self.can_view_experts() else Expert.objects.all()
        if teams:
            experts = experts.filter(Q(home_team__in=teams) | Q(contact__teams__in=teams))
        skills = Skill.objects.restrict(request.user, "view").filter(
            expert__in=experts.values("pk"), technology__in=technologies.values("pk")
        )
        # Columns and rows are the technologies and experts that have at least one skill in the selection.
        technologies = list(technologies.filter(pk__in=skills.values("technology_id")).order_by("name"))
        truncated = len(technologies) > MAX_MATRIX_COLUMNS
        technologies = technologies[:MAX_MATRIX_COLUMNS]
        experts = (
            Expert.objects.filter(pk__in=skills.filter(technology__in=technologies).values("expert_id"))
            .select_related("contact", "home_team", "status")
            .order_by("contact__name")
        )
        if request.GET.get("export") == "csv":
            return self.export_csv(experts, technologies, skills)
        paginator = EnhancedPaginator(experts, get_paginate_count(request))
        page = paginator.get_page(request.GET.get("page"))
        return self.render_page(
            request,
            ((self.filter_panel,), (self.matrix_panel,)),
            filter_form=form,
            technologies=technologies,
            columns_truncated=truncated,
            max_columns=MAX_MATRIX_COLUMNS,
            matrix_rows=self.matrix_rows(page, technologies, skills, offset=page.start_index()),
            paginator=paginator,
            page=page,
            export_url=f"?{urlencode([*self.filter_params(request), ('export', 'csv')])}",
            filtered=bool(self.filter_params(request)),
        )

    @staticmethod
    def filter_params(request):
        """The filter's query parameters, to carry into the export link."""
        return [(key, value) for key in ("team", "category") for value in request.GET.getlist(key)]

    def levels(self, experts, technologies, skills):
        """{(expert_id, technology_id): level} for the given experts and technologies, in one query."""
        return {
            (expert_id, technology_id): level
            for expert_id, technology_id, level in skills.filter(
                expert__in=experts, technology__in=technologies
            ).values_list("expert_id", "technology_id", "level")
        }

    def row_label(self, expert, number):
        """The expert's name, or a numbered stand-in for users who may not view experts."""
        return str(expert) if self.can_view_experts() else f"Expert {number}"

    def matrix_rows(self, page, technologies, skills, offset):
        """One row per expert on the page: label, link, status and one cell per technology."""
        experts = list(page.object_list)
        levels = self.levels(experts, technologies, skills)
        qualified = self.answers.knowledge.qualified
        show_experts = self.can_view_experts()
        return [
            {
                "label": self.row_label(expert, number),
                "url": expert.get_absolute_url() if show_experts else None,
                "home_team": expert.home_team if show_experts else None,
                "status": expert.status,
                "cells": [
                    {
                        "technology": technology,
                        "level": levels.get((expert.pk, technology.pk)),
                        "qualified": (expert.pk, technology.pk) in levels
                        and expert.pk in qualified.get(technology.pk, ()),
                    }
                    for technology in technologies
                ],
            }
            for number, expert in enumerate(experts, start=offset)
        ]

    def export_csv(self, experts, technologies, skills):
        """The matrix as CSV: one row per expert, one column per technology, the level or blank."""
        experts = list(experts)
        levels = self.levels(experts, technologies, skills)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="skills-matrix.csv"'
        writer = csv.writer(response)
        writer.writerow(["Expert", "Home team", *(technology.name for technology in technologies)])
        show_experts = self.can_view_experts()
        for number, expert in enumerate(experts, start=1):
            home_team = expert.home_team.name if show_experts and expert.home_team else ""
            cells = [levels.get((expert.pk, technology.pk), "") for technology in technologies]
            writer.writerow([self.row_label(expert, number), home_team, *cells])
        return response


#
# What-if
#


class WhatIfView(CoverageView):
    """The gaps that would open if some experts left; the query string makes the scenario a shareable link."""

    additional_permissions = ["nautobot_techmgmt.view_expert"]
    view_titles = Titles(titles={"*": "What If Experts Leave"})
    form_panel = _panel("Scenario", "what_if_form.html", 100)
    leavers_panel = _panel("Leaving", "what_if_leavers.html", 200)
    bus_factor_panel = _panel("Bus factor changes", "what_if_bus_factor.html", 300, table=True)
    new_gaps_panel = _panel("New gaps", "gap_table.html", 400, table=True)
    next_steps_panel = _panel("What to do next", "what_if_next_steps.html", 450, table=True, body_id="next-steps")
    resolved_panel = _panel("Gaps that disappear", "what_if_resolved.html", 500, table=True)

    def get(self, request):
        """The form; with experts in the query string, also the scenario's outcome."""
        form = WhatIfForm(request.GET if "experts" in request.GET else None, user=request.user)
        if not (form.is_bound and form.is_valid()):
            has_experts = form.fields["experts"].queryset.exists()
            return self.render_page(request, ((self.form_panel,),), what_if_form=form, has_experts=has_experts)
        answers = Answers(request.user, as_of=form.cleaned_data["as_of"])
        result = answers.what_if([expert.pk for expert in form.cleaned_data["experts"]])
        new_gaps = sorted(result.new_gaps, key=worst_first)
        counts = Counter(gap.severity for gap in new_gaps)
        return self.render_page(
            request,
            (
                (self.form_panel, self.leavers_panel),
                (self.bus_factor_panel,),
                (self.new_gaps_panel,),
                *(((self.next_steps_panel,),) if result.cover_options else ()),
                (self.resolved_panel,),
            ),
            what_if_form=form,
            as_of=form.cleaned_data["as_of"] or date.today(),
            removed_experts=result.removed_experts,
            new_gap_counts=severity_tiles(counts),
            gap_rows=with_links(new_gaps),
            risk_help=RISK_HELP,
            gaps_empty_message="No new gap: the remaining experts cover everything these experts covered.",
            resolved_rows=with_links(result.resolved_gaps),
            bus_factor_changes=[{**change, "orphaned": change["after"] == 0} for change in result.bus_factor_changes],
            cover_options=result.cover_options,
        )
