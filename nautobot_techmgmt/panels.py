"""Detail-page panels that show what the knowledge engine says: on core objects, technologies and experts."""

from nautobot.apps.ui import KeyValueTablePanel, Panel, SectionChoices

from nautobot_techmgmt.answers import Answers, per_request
from nautobot_techmgmt.capacity import CapacityAnswers
from nautobot_techmgmt.gap_display import NO_GAP_BADGE, badge_class
from nautobot_techmgmt.knowledge.gaps import NO_CUSTODIAN, SEVERITY, UNQUALIFIED_ESCALATION
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


class ExpertCapacityPanel(KeyValueTablePanel):
    """Hours agreed with line managers, committed through responsibilities, and where they go (capacity rules)."""

    def get_data(self, context):
        """Agreed, committed, allocated and spare hours per week today."""

        def compute(ctx):
            return CapacityAnswers(Answers(ctx["request"].user)).expert(ctx["object"])

        row = _once_per_request(context, "techmgmt_expert_capacity", compute)
        if row is None:
            return {"agreed_hours_per_week": "0 (no agreed availability agreement in force)"}
        return {
            "agreed_hours_per_week": row.agreed or "0 (no agreed availability agreement in force)",
            "committed_hours_per_week": (
                f"{row.committed} ({-row.uncommitted} beyond the agreed hours)"
                if row.uncommitted < 0
                else row.committed
            ),
            "allocated_to": ", ".join(f"{technology} {hours:.1f} h" for technology, hours in row.allocations) or "none",
            "spare_hours_per_week": f"{row.spare:.1f}",
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
