"""Expert hours: the capacity page (per technology, expert, team and line manager) and a technology's make-or-buy page.

Both lay out what `capacity.CapacityAnswers` returns for the request's user, asked once per request: the figures, the
rules and what the user may see are decided there and in the engine (`knowledge/capacity.py`), never here.
"""

from django.shortcuts import get_object_or_404
from nautobot.apps.ui import Breadcrumbs, InstanceBreadcrumbItem, Titles, ViewNameBreadcrumbItem
from nautobot.apps.views import EnhancedPaginator, get_paginate_count

from nautobot_techmgmt.capacity import assumptions
from nautobot_techmgmt.forms.knowledge import CapacityFilterForm
from nautobot_techmgmt.knowledge.state import state_status
from nautobot_techmgmt.panels import CAPACITY_BADGES, capacity_of
from nautobot_techmgmt.views.knowledge import CoverageView, _panel

TECHNOLOGIES, EXPERTS, TEAMS, LINE_MANAGERS = "technologies", "experts", "teams", "line-managers"
TABS = {TECHNOLOGIES: "Technologies", EXPERTS: "Experts", TEAMS: "Teams", LINE_MANAGERS: "Line managers"}
# Experts and contracts named in a technology's row; its make-or-buy page names every one the user may view.
NAMED_CONTRIBUTORS = 5
CAPACITY_BREADCRUMB = ViewNameBreadcrumbItem(view_name="plugins:nautobot_techmgmt:capacity", label="Capacity")


class CapacityPageView(CoverageView):
    """Base of the expert-hour pages: the permission to view technologies, the user's capacity answers, the state."""

    breadcrumbs = Breadcrumbs(items={"*": [CAPACITY_BREADCRUMB]})
    template_name = "nautobot_techmgmt/capacity_page.html"
    computing_panel = _panel("Expert hours", "capacity_computing.html", 100)
    how_panel = _panel("How these figures are made", "capacity_how.html", 900)

    @property
    def capacity(self):
        """The capacity figures as this request's user may see them, shared with the page's panels."""
        return capacity_of(self.request)

    def render_capacity(self, request, figures, **context):
        """The panels `figures()` returns (rows, context) and how the figures are made, or a note while computing.

        While the knowledge state is first computed the figures would be partial, so only the note is shown and
        `figures` is not called; changes still being taken in are said above the figures.
        """
        status = state_status()
        if not status.ready:
            return self.render_page(request, ((self.computing_panel,),), computing_message=status.message, **context)
        rows, found = figures()
        return self.render_page(
            request,
            (*rows, (self.how_panel,)),
            state_message=status.message,
            may_view_costs=self.capacity.may_view_costs,
            assumptions=assumptions(),
            **CAPACITY_BADGES,
            **context,
            **found,
        )


class CapacityView(CapacityPageView):
    """Demand and supply of expert hours per technology, and agreed hours per expert, team and line manager."""

    view_titles = Titles(titles={"*": "Expert Hours"})
    filter_panel = _panel("Filter", "capacity_filter.html", 100)
    technologies_panel = _panel("Technologies, worst first", "capacity_technologies.html", 200, table=True)
    experts_panel = _panel("Experts", "capacity_experts.html", 200, table=True)
    teams_panel = _panel("Teams", "capacity_groups.html", 200, table=True)
    line_managers_panel = _panel("Line managers", "capacity_groups.html", 200, table=True)

    def get(self, request):
        """The tab asked for (`?tab=`), the technologies by default."""
        tab = request.GET.get("tab") if request.GET.get("tab") in TABS else TECHNOLOGIES
        shown = {TECHNOLOGIES: self.technologies, EXPERTS: self.experts, TEAMS: self.teams}
        figures = shown.get(tab, self.line_managers)
        tabs = [{"id": key, "label": label, "active": key == tab} for key, label in TABS.items()]
        return self.render_capacity(request, lambda: figures(request), tabs=tabs)

    @staticmethod
    def paginated(request, rows):
        """The page of `rows` asked for, as Nautobot's lists paginate (`per_page`, `page`)."""
        paginator = EnhancedPaginator(rows, get_paginate_count(request))
        page = paginator.get_page(request.GET.get("page"))
        return {"paginator": paginator, "page": page, "page_rows": page.object_list}

    def technologies(self, request):
        """Each technology in use the filter selects: demand, supply, the balance and who gives the hours."""
        form = CapacityFilterForm(request.GET, user=request.user)
        chosen = form.technologies(self.queryset)
        shortfall_only = form.is_valid() and form.cleaned_data["shortfall"]
        rows = self.capacity.technologies(chosen, shortfall=True if shortfall_only else None)
        pagination = self.paginated(request, rows)
        named = [
            {
                "row": row,
                "named": row.contributors[:NAMED_CONTRIBUTORS],
                "more": len(row.contributors[NAMED_CONTRIBUTORS:]) + row.hidden_contributors,
            }
            for row in pagination["page_rows"]
        ]
        return ((self.filter_panel,), (self.technologies_panel,)), {
            **pagination,
            "filter_form": form,
            "filtered": chosen is not None or shortfall_only,
            "technology_rows": named,
        }

    def experts(self, request):
        """Each expert the user may view with agreed hours or a qualified skill."""
        return ((self.experts_panel,),), self.paginated(request, self.capacity.experts())

    def teams(self, request):
        """Each team with hours agreed for it, or custodian of a technology in use."""
        return ((self.teams_panel,),), {**self.paginated(request, self.capacity.teams()), "group_kind": TEAMS}

    def line_managers(self, request):
        """Each line manager who agreed hours in force."""
        pagination = self.paginated(request, self.capacity.line_managers())
        return ((self.line_managers_panel,),), {**pagination, "group_kind": LINE_MANAGERS}


class MakeOrBuyView(CapacityPageView):
    """One technology's figures, the seed's recommendation and the options priced from the data; nothing is decided."""

    breadcrumbs = Breadcrumbs(items={"*": [CAPACITY_BREADCRUMB, InstanceBreadcrumbItem(instance_key="technology")]})
    view_titles = Titles(titles={"*": "Make or Buy: {{ technology.name }}"})
    figures_panel = _panel("Demand and supply", "make_or_buy_figures.html", 100)
    recommendation_panel = _panel("Recommendation", "make_or_buy_recommendation.html", 200)
    options_panel = _panel("Options", "make_or_buy_options.html", 300, table=True)
    contributors_panel = _panel("Who gives hours now", "make_or_buy_contributors.html", 400, table=True)

    def get(self, request, pk):
        """The page of a technology the user may view; 404 for any other."""
        technology = get_object_or_404(self.queryset.restrict(request.user, "view"), pk=pk)
        return self.render_capacity(request, lambda: self.figures(technology), technology=technology)

    def figures(self, technology):
        """The technology's figures and recommendation; its options with a shortfall or surplus; who gives hours."""
        answer = self.capacity.make_or_buy(technology)
        row = answer.row if answer else self.capacity.technology(technology)
        rows = [(self.figures_panel, self.recommendation_panel)]
        if answer:
            rows.append((self.options_panel,))
        if row is not None:
            rows.append((self.contributors_panel,))
        return rows, {"technology_row": row, "answer": answer}
