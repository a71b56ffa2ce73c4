"""The "Technical management" panel on Device, Circuit, VirtualMachine and Cluster detail pages."""

from nautobot.apps.ui import Panel, SectionChoices, TemplateExtension

from nautobot_techmgmt.knowledge import Knowledge
from nautobot_techmgmt.models import Technology


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


def _extension(model_label):
    return type(
        f"{model_label.split('.')[1].title()}TechnicalManagement",
        (TemplateExtension,),
        {"model": model_label, "object_detail_panels": (TechnicalManagementPanel(),)},
    )


template_extensions = [
    _extension(label)
    for label in ("dcim.device", "circuits.circuit", "virtualization.virtualmachine", "virtualization.cluster")
]
