"""Detail-page panels that show what the knowledge engine says: on core objects, technologies and experts."""

from collections import Counter

from nautobot.apps.ui import KeyValueTablePanel, Panel, SectionChoices

from nautobot_techmgmt.knowledge import Knowledge, expert_capacity
from nautobot_techmgmt.knowledge.gaps import CUSTODIAN_LACKS_SKILL, NO_CUSTODIAN
from nautobot_techmgmt.models import ObjectKnowledge, Technology


class TechnologyKnowledgePanel(KeyValueTablePanel):
    """Where a technology is in use, its bus factor, qualified experts and gaps, from live inventory.

    Custodian gaps depend on every object's custodian; they are read from the materialised ObjectKnowledge
    rows so that the page does not resolve custodians for the whole estate.
    """

    def get_data(self, context):
        """The panel's rows, computed once per request (the panel asks for its data more than once)."""
        return _once_per_request(context, "techmgmt_technology_knowledge", self.compute)

    @staticmethod
    def compute(context):
        """Ask the engine about this technology; name experts only to users who may view them."""
        technology = context["object"]
        knowledge = Knowledge()
        counts = knowledge.in_use.get(technology.pk, {})
        in_use = ", ".join(f"{number} {key.replace('_', ' ')}" for key, number in counts.items() if number)
        experts = knowledge.qualified_experts(technology.pk)
        if context["request"].user.has_perm("nautobot_techmgmt.view_expert"):
            experts_text = ", ".join(str(expert) for expert in experts) or "none"
        else:
            experts_text = str(len(experts))
        gaps = knowledge.technology_gaps(technology.pk) if in_use else []
        materialised = list(ObjectKnowledge.objects.filter(technology=technology).values_list("gaps", flat=True))
        custodian_gaps = Counter(
            kind for kinds in materialised for kind in kinds if kind in (CUSTODIAN_LACKS_SKILL, NO_CUSTODIAN)
        )
        if custodian_gaps:
            custodian_text = "; ".join(
                f"{kind.replace('_', ' ').capitalize()} on {number} object(s)"
                for kind, number in custodian_gaps.items()
            )
        elif in_use and not materialised:
            custodian_text = "not computed yet: run the Refresh object knowledge job"
        else:
            custodian_text = "none at the last refresh"
        return {
            "in_use_on": in_use or "not in use",
            "bus_factor": f"{len(experts)} of {technology.required_experts} required",
            "qualified_experts": experts_text,
            "knowledge_gaps": "; ".join(f"{gap.label} ({gap.severity})" for gap in gaps) or "none",
            "custodian_gaps": custodian_text,
        }


class ExpertCapacityPanel(KeyValueTablePanel):
    """Hours agreed with line managers against hours committed through responsibilities."""

    def get_data(self, context):
        """Agreed, committed and spare hours per week today."""
        capacity = _once_per_request(context, "techmgmt_expert_capacity", lambda ctx: expert_capacity(ctx["object"]))
        return {
            "agreed_hours_per_week": capacity.agreed,
            "committed_hours_per_week": capacity.committed,
            "spare_hours_per_week": capacity.spare,
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
        """Ask the engine about this object; hide what the user may not view."""
        user = context["request"].user
        visible = set(Technology.objects.restrict(user, "view").values_list("pk", flat=True))
        rows = [row for row in Knowledge().for_object(context["object"]) if row["technology"].pk in visible]
        return {
            **super().get_extra_context(context),
            "techmgmt_rows": rows,
            "techmgmt_show_experts": user.has_perm("nautobot_techmgmt.view_expert"),
        }


def _once_per_request(context, key, compute):
    """Compute a panel's data once per request and object, however often the panel asks for it."""
    request = context["request"]
    cache = request.__dict__.setdefault("_techmgmt_panel_data", {})
    cache_key = (key, context["object"].pk)
    if cache_key not in cache:
        cache[cache_key] = compute(context)
    return cache[cache_key]
