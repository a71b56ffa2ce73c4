"""The "Technical management" panel on Device, Circuit, VirtualMachine and Cluster detail pages."""

from nautobot.apps.ui import TemplateExtension

from nautobot_techmgmt.panels import TechnicalManagementPanel


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
