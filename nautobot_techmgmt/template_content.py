"""The app's panels on the pages of the object types (object_types.py), and a note on their lists.

The panels are "Technical management" and "Escalation path and change assessors". The note shows while the
knowledge the list shows (columns, filters) is still taking in a change.
"""

from django.utils.html import format_html
from nautobot.apps.ui import TemplateExtension

from nautobot_techmgmt.gap_display import INFO_BADGE
from nautobot_techmgmt.knowledge.state import state_status
from nautobot_techmgmt.object_types import OBJECT_TYPES
from nautobot_techmgmt.panels import EscalationPathPanel, TechnicalManagementPanel


class KnowledgeFreshnessMixin:
    """A note beside the list's buttons when the knowledge state is being computed or still taking in changes."""

    def list_buttons(self):
        """The note, for users who may view technologies, or nothing."""
        request = self.context.get("request")
        if request is None or not request.user.has_perm("nautobot_techmgmt.view_technology"):
            return ""
        message = state_status().message
        if not message:
            return ""
        return format_html(
            '<span class="badge {} align-middle me-2" role="status" title="{}">'
            '<span class="mdi mdi-progress-clock" aria-hidden="true"></span> Knowledge updating</span>',
            INFO_BADGE,
            message,
        )


def _extension(model_label):
    return type(
        f"{model_label.split('.')[1].title()}TechnicalManagement",
        (KnowledgeFreshnessMixin, TemplateExtension),
        {"model": model_label, "object_detail_panels": (TechnicalManagementPanel(), EscalationPathPanel())},
    )


template_extensions = [_extension(object_type.label_lower) for object_type in OBJECT_TYPES]
