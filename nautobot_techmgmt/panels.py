"""Detail-page panels that show what the knowledge engine says: on core objects, technologies and experts."""

from nautobot.apps.ui import KeyValueTablePanel, Panel, SectionChoices

from nautobot_techmgmt.knowledge import Knowledge, expert_capacity
from nautobot_techmgmt.knowledge.state import state_status
from nautobot_techmgmt.object_types import object_type_names
from nautobot_techmgmt.permissions import Visibility


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
        knowledge = Knowledge(technology_ids=[technology.pk])
        counts = knowledge.in_use.get(technology.pk, {})
        in_use = ", ".join(f"{number} {key.replace('_', ' ')}" for key, number in counts.items() if number)
        experts = knowledge.qualified_experts(technology.pk)
        experts_text = expert_names(Visibility(context["request"].user), experts)
        gaps = knowledge.gaps_of(technology.pk)
        return {
            "in_use_on": in_use or f"not in use: no scope matches a {object_type_names()}",
            "bus_factor": f"{len(experts)} of {technology.required_experts} required",
            "qualified_experts": experts_text,
            "knowledge_gaps": "; ".join(
                f"{gap.label} ({gap.severity}, {gap.affected_objects} object(s))" for gap in gaps
            )
            or "none",
            "knowledge_state": status.message or "up to date",
        }


def expert_names(visibility, experts):
    """The names of the experts the user may view, and how many others there are: "Ada, Bob and 2 more"."""
    shown = visibility.experts(experts)
    names = ", ".join(str(expert) for expert in shown)
    hidden = len(experts) - len(shown)
    if not hidden:
        return names or "none"
    return f"{names} and {hidden} more" if names else str(hidden)


class ExpertCapacityPanel(KeyValueTablePanel):
    """Hours agreed with line managers against hours committed through responsibilities."""

    def get_data(self, context):
        """Agreed, committed and spare hours per week today."""
        capacity = _once_per_request(context, "techmgmt_expert_capacity", lambda ctx: expert_capacity(ctx["object"]))
        return {
            "agreed_hours_per_week": capacity.agreed or "0 (no agreed availability agreement in force)",
            "committed_hours_per_week": capacity.committed,
            "spare_hours_per_week": (
                f"{capacity.spare} (committed beyond the agreed hours)" if capacity.spare < 0 else capacity.spare
            ),
        }


class TechnicalManagementPanel(Panel):
    """Technologies in use on the object, their effective custodian and why, qualified experts and gaps."""

    def __init__(self, **kwargs):
        """A full-width panel, guarded by the permission to view technologies."""
        super().__init__(
            label="Technical management",
            section=SectionChoices.FULL_WIDTH,
            weight=1100,
            body_content_template_path="nautobot_techmgmt/inc/technical_management_panel.html",
            body_wrapper_template_path="components/panel/body_wrapper_table.html",
            required_permissions=["nautobot_techmgmt.view_technology"],
            **kwargs,
        )

    def get_extra_context(self, context):
        """Ask the engine about this object; keep the technologies, experts and contacts the user may view."""
        visibility = Visibility(context["request"].user)
        status = state_status()
        rows = []
        for row in Knowledge().for_object(context["object"]) if status.ready else ():
            if row["technology"].pk not in visibility.technology_ids:
                continue
            experts = visibility.experts(row["qualified_experts"])
            rows.append(
                {
                    **row,
                    "custodian_name": visibility.custodian_name(row["custodian"]),
                    "experts": experts,
                    "hidden_experts": len(row["qualified_experts"]) - len(experts),
                }
            )
        return {**super().get_extra_context(context), "techmgmt_rows": rows, "techmgmt_status": status}


def _once_per_request(context, key, compute):
    """Compute a panel's data once per request and object, however often the panel asks for it."""
    request = context["request"]
    cache = request.__dict__.setdefault("_techmgmt_panel_data", {})
    cache_key = (key, context["object"].pk)
    if cache_key not in cache:
        cache[cache_key] = compute(context)
    return cache[cache_key]
