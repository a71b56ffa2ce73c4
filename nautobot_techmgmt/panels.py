"""Detail-page panels that show what the knowledge engine says: on core objects, technologies and experts."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from nautobot.apps.ui import KeyValueTablePanel, Panel, SectionChoices

from nautobot_techmgmt.answers import Answers, per_request
from nautobot_techmgmt.capacity import CapacityAnswers
from nautobot_techmgmt.gap_display import INFO_BADGE, NO_GAP_BADGE, SEVERITY_BADGES, badge_class
from nautobot_techmgmt.knowledge.gaps import CRITICAL, HIGH, NO_CUSTODIAN, SEVERITY, UNQUALIFIED_ESCALATION
from nautobot_techmgmt.knowledge.state import state_status
from nautobot_techmgmt.object_types import object_type_names


class TechnologyKnowledgePanel(KeyValueTablePanel):
    """Where a technology is in use, its bus factor, qualified experts and gaps, from the knowledge engine."""

    def get_data(self, context):
        """The panel's rows, computed once per request (the panel asks for its data more than once)."""
        return _once_per_request(context, "techmgmt_technology_knowledge", self.compute)

    @staticmethod
    def compute(context):
        """Ask the engine about this technology; name experts only to users who may view them."""
        technology = context["object"]
        status = state_status()
        coverage = Answers(context["request"].user, technology_ids=[technology.pk]).coverage(technology)
        in_use = ", ".join(f"{number} {key.replace('_', ' ')}" for key, number in coverage.in_use.items() if number)
        return {
            "in_use_on": in_use or f"not in use: no scope matches a {object_type_names()}",
            "bus_factor": f"{coverage.bus_factor} of {technology.required_experts} required",
            "qualified_experts": expert_names(coverage.qualified_experts, coverage.hidden_experts),
            "knowledge_gaps": "; ".join(
                f"{gap.label} ({gap.severity}, {gap.affected_objects} object(s))" for gap in coverage.gaps
            )
            or "none",
            "knowledge_state": status.message or "up to date",
        }


def expert_names(shown, hidden):
    """The names of the experts the user may view, and how many others there are: "Ada, Bob and 2 more"."""
    names = ", ".join(str(expert) for expert in shown)
    if not hidden:
        return names or "none"
    return f"{names} and {hidden} more" if names else str(hidden)


def capacity_of(request):
    """The request user's CapacityAnswers, made once per request for every panel and page that shows expert hours."""
    return per_request(request, "capacity", lambda: CapacityAnswers(Answers(request.user)))


# How a technology's balance of hours and its recommendation look, in the app's palette (gap_display.py), so their
# contrast is the one tests/test_gap_display.py checks: short of hours as a critical gap, a surplus as a high one.
CAPACITY_BADGES = {
    "shortfall_badge": SEVERITY_BADGES[CRITICAL],
    "surplus_badge": SEVERITY_BADGES[HIGH],
    "balanced_badge": NO_GAP_BADGE,
    "overcommitted_badge": SEVERITY_BADGES[CRITICAL],
    "recommendation_badge": INFO_BADGE,
}


def capacity_fragment(template, **context):
    """One of the capacity includes (inc/capacity_*.html) as HTML, with the badges: how a figure looks everywhere."""
    return render_to_string(f"nautobot_techmgmt/inc/{template}", {**CAPACITY_BADGES, **context})


class TechnologyCapacityPanel(KeyValueTablePanel):
    """Expert hours of a technology: demand, supply, utilisation, shortfall or surplus, and the recommendation."""

    def get_data(self, context):
        """The panel's rows, from the capacity answers the request shares."""
        return _once_per_request(context, "techmgmt_technology_capacity", self.compute)

    @staticmethod
    def compute(context):
        """Ask the layer about this technology; link its make-or-buy page and the capacity page."""
        technology = context["object"]
        row = capacity_of(context["request"]).technology(technology)
        every_technology = format_html(
            '<a href="{}">Expert hours of every technology</a>', reverse("plugins:nautobot_techmgmt:capacity")
        )
        if row is None:
            return {"demand": "none: not in use", "capacity_page": every_technology}
        data = {
            "demand": capacity_fragment("capacity_demand.html", row=row, unit=" h/week"),
            "supply": capacity_fragment("capacity_supply.html", row=row, unit=" h/week"),
            "utilisation": capacity_fragment("capacity_utilisation.html", row=row),
            "shortfall_or_surplus": capacity_fragment("capacity_balance.html", row=row),
            "recommendation": capacity_fragment("capacity_recommendation.html", row=row),
        }
        if row.recommendation:
            data["make_or_buy"] = format_html(
                '<a href="{}">The options and what they cost</a>',
                reverse("plugins:nautobot_techmgmt:make_or_buy", kwargs={"pk": technology.pk}),
            )
        return {**data, "capacity_page": every_technology}


class ExpertCapacityPanel(KeyValueTablePanel):
    """Hours agreed with line managers, committed through responsibilities, and where they go (capacity rules)."""

    def get_data(self, context):
        """Agreed, committed, allocated, spare and uncommitted hours per week today."""
        row = _once_per_request(
            context, "techmgmt_expert_capacity", lambda ctx: capacity_of(ctx["request"]).expert(ctx["object"])
        )
        if row is None:
            return {"agreed_hours_per_week": "0 (no agreed availability agreement in force)"}
        return {
            "agreed_hours_per_week": row.agreed or "0 (no agreed availability agreement in force)",
            "committed_hours_per_week": row.committed,
            "uncommitted_hours_per_week": capacity_fragment("capacity_uncommitted.html", row=row),
            "allocated_to": capacity_fragment("capacity_allocations.html", row=row),
            "spare_hours_per_week": f"{row.spare:.1f}",
            "capacity_page": format_html(
                '<a href="{}?tab=experts">Expert hours of every expert</a>',
                reverse("plugins:nautobot_techmgmt:capacity"),
            ),
        }


class ObjectPagePanel(Panel):
    """A full-width table panel of the app on an inventory object's page, for users who may view technologies.

    Subclasses give its label, weight and body template.
    """

    label = weight = template = None

    def __init__(self, **kwargs):
        """The panel with the subclass's label, weight and body template."""
        super().__init__(
            label=self.label,
            section=SectionChoices.FULL_WIDTH,
            weight=self.weight,
            body_content_template_path=f"nautobot_techmgmt/inc/{self.template}",
            body_wrapper_template_path="components/panel/body_wrapper_table.html",
            required_permissions=["nautobot_techmgmt.view_technology"],
            **kwargs,
        )


class TechnicalManagementPanel(ObjectPagePanel):
    """Technologies in use on the object, their effective custodian and why, qualified experts and gaps."""

    label, weight, template = "Technical management", 1100, "technical_management_panel.html"

    def get_extra_context(self, context):
        """Ask the engine about this object; keep the technologies, experts and contacts the user may view."""
        status, _, rows = object_answers(context)
        return {
            **super().get_extra_context(context),
            "techmgmt_rows": rows,
            "techmgmt_status": status,
            "techmgmt_no_custodian_badge": badge_class(SEVERITY[NO_CUSTODIAN]),
        }


class EscalationPathPanel(ObjectPagePanel):
    """Whom to call for each technology of the object, in order, and who must assess a change to it."""

    label, weight, template = "Escalation path and change assessors", 1110, "escalation_path_panel.html"

    def get_extra_context(self, context):
        """The paths of the technologies the user may view, from the answers the panel above read."""
        status, answers, rows = object_answers(context)
        return {
            **super().get_extra_context(context),
            "techmgmt_paths": answers.escalation_paths(rows) if rows else [],
            "techmgmt_status": status,
            "techmgmt_qualified_badge": NO_GAP_BADGE,
            "techmgmt_unqualified_badge": badge_class(SEVERITY[UNQUALIFIED_ESCALATION]),
        }


def object_answers(context):
    """(state status, Answers, the object's ObjectTechnology rows), read once per request for both panels."""

    def compute(context):
        status = state_status()
        answers = Answers(context["request"].user)
        return status, answers, answers.object_knowledge(context["object"]) if status.ready else []

    return _once_per_request(context, "techmgmt_object_answers", compute)


def _once_per_request(context, key, compute):
    """Compute a panel's data once per request and object, however often the panel asks for it."""
    return per_request(context["request"], (key, context["object"].pk), lambda: compute(context))
