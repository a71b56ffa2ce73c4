"""The app's panels on the pages of the object types (object_types.py), and a note on their lists.

The panels are "Technical management" and "Escalation path and change assessors". The note shows while the
knowledge the list shows (columns, filters) is still taking in a change. Core contact pages get the change-log
evidence of the person ("Evidence from the change log").
"""

from django.urls import reverse
from django.utils.html import format_html
from nautobot.apps.ui import TemplateExtension

from nautobot_techmgmt.gap_display import INFO_BADGE
from nautobot_techmgmt.knowledge.state import state_status
from nautobot_techmgmt.object_types import OBJECT_TYPES
from nautobot_techmgmt.panels import EscalationPathPanel, TechnicalManagementPanel
from nautobot_techmgmt.views.candidates import PersonEvidencePanel


class KnowledgeFreshnessMixin:
    """A note beside the list's buttons when the knowledge state is being computed or still taking in changes."""

    def list_buttons(self):
        """The note and the "Change assessors" button, for users who may view technologies; else nothing."""
        request = self.context.get("request")
        if request is None or not request.user.has_perm("nautobot_techmgmt.view_technology"):
            return ""
        note = ""
        if message := state_status().message:
            note = format_html(
                '<span class="badge {} align-middle me-2" role="status" title="{}">'
                '<span class="mdi mdi-progress-clock" aria-hidden="true"></span> Knowledge updating</span>',
                INFO_BADGE,
                message,
            )
        return note + self.assessors_button(request)

    def assessors_button(self, request):
        """A button that sends the list's selection (it submits the list's form) to the Change assessors Job."""
        query = request.GET.copy()
        query["object_type"] = self.model
        return format_html(
            '<button type="submit" form="object_list_form" formaction="{}?{}" class="btn btn-secondary" '
            'title="Who must assess a change to the selected objects (runs the Change assessors Job)">'
            '<span class="mdi mdi-account-check-outline" aria-hidden="true"></span> Change assessors</button>',
            reverse("plugins:nautobot_techmgmt:change_assessors"),
            query.urlencode(),
        )


def _extension(model_label):
    return type(
        f"{model_label.split('.')[1].title()}TechnicalManagement",
        (KnowledgeFreshnessMixin, TemplateExtension),
        {"model": model_label, "object_detail_panels": (TechnicalManagementPanel(), EscalationPathPanel())},
    )


# The other TemplateExtension methods are optional hooks (they raise NotImplementedError when not given).
class ContactEvidence(TemplateExtension):  # pylint: disable=abstract-method
    """What the change log says of the contact, per technology, on the core contact page."""

    model = "extras.contact"
    object_detail_panels = (PersonEvidencePanel(weight=1100),)


template_extensions = [_extension(object_type.label_lower) for object_type in OBJECT_TYPES] + [ContactEvidence]
