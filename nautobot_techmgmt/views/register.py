"""UI views of the gap register: list, detail, edit and bulk edit; the engine opens and closes the records."""

from django.http import Http404
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from nautobot.apps.templatetags import placeholder
from nautobot.apps.ui import ObjectDetailContent, ObjectFieldsPanel, Panel, SectionChoices
from nautobot.apps.views import (
    ObjectBulkUpdateViewMixin,
    ObjectChangeLogViewMixin,
    ObjectDetailViewMixin,
    ObjectEditViewMixin,
    ObjectListViewMixin,
    ObjectNotesViewMixin,
)

from nautobot_techmgmt import filters, forms, tables
from nautobot_techmgmt.api import serializers
from nautobot_techmgmt.gap_display import affected_text
from nautobot_techmgmt.models import KnowledgeGap, SupportContract, TrainingPlan


def linked_training_plans(plans):
    """The gap's training plans as links, one a line (each plan's label names its expert and technology)."""
    plans = plans.select_related("expert__contact", "technology")
    return format_html_join(
        format_html("<br>"), '<a href="{}">{}</a>', ((plan.get_absolute_url(), plan) for plan in plans)
    )


class GapRemediationPanel(Panel):
    """What already exists in the data to close the gap, whether or not anyone has linked it to the record.

    Training plans planned or under way that bring someone to the technology's qualified level, and the support
    contracts that cover the technology, each in force today or not; only those the user may view.
    """

    def __init__(self, **kwargs):
        """A full-width panel with the app's template."""
        super().__init__(
            body_content_template_path="nautobot_techmgmt/inc/gap_remediation.html",
            section=SectionChoices.FULL_WIDTH,
            **kwargs,
        )

    def get_extra_context(self, context):
        """Ask the models for the technology's plans and contracts."""
        technology = context["object"].technology
        user = context["request"].user
        today = timezone.localdate()
        plans = (
            TrainingPlan.objects.restrict(user, "view")
            .closing_gap_of(technology)
            .select_related("expert__contact", "technology", "status")
            .order_by("due_date", "expert__contact__name")
        )
        contracts = (
            SupportContract.objects.restrict(user, "view")
            .covering(technology)
            .select_related("supplier")
            .order_by("-end_date", "supplier__name", "reference")
        )
        in_force = set(contracts.active_on(today).values_list("pk", flat=True))
        return {
            **super().get_extra_context(context),
            "remediation_technology": technology,
            "remediation_plans": list(plans),
            "remediation_contracts": [
                {
                    "contract": contract,
                    "in_force": contract.pk in in_force,
                    "starts_later": contract.start_date > today,
                }
                for contract in contracts
            ],
        }


# No create or delete mixins: the engine opens and closes gap records, so the form handlers of those are never reached.
class KnowledgeGapUIViewSet(  # pylint: disable=abstract-method
    ObjectListViewMixin,
    ObjectDetailViewMixin,
    ObjectEditViewMixin,
    ObjectBulkUpdateViewMixin,
    ObjectChangeLogViewMixin,
    ObjectNotesViewMixin,
):
    """List, detail, edit and bulk edit of gap records; nobody adds, imports or deletes them by hand."""

    action_buttons = ("export",)
    bulk_update_form_class = forms.KnowledgeGapBulkEditForm
    filterset_class = filters.KnowledgeGapFilterSet
    filterset_form_class = forms.KnowledgeGapFilterForm
    form_class = forms.KnowledgeGapForm
    object_detail_content = ObjectDetailContent(
        panels=(
            ObjectFieldsPanel(
                section=SectionChoices.LEFT_HALF,
                weight=100,
                fields=[
                    "kind",
                    "technology",
                    "severity",
                    "status",
                    "risk_accepted_until",
                    "opened",
                    "closed",
                    "days_open",
                    "affected",
                    "affected_objects",
                    "risk",
                    "detail",
                ],
                value_transforms={"affected": [affected_text]},
                key_transforms={"affected": "Objects affected, by type", "affected_objects": "Objects affected"},
            ),
            ObjectFieldsPanel(
                label="Owner and remediation",
                section=SectionChoices.RIGHT_HALF,
                weight=100,
                fields=["owner_contact", "owner_team", "training_plans", "support_contract", "responsibility"],
                value_transforms={"training_plans": [linked_training_plans, placeholder]},
            ),
            GapRemediationPanel(label="Remediation in the data", weight=200),
        )
    )
    queryset = KnowledgeGap.objects.select_related(
        "technology", "owner_contact", "owner_team", "support_contract__supplier", "responsibility"
    )
    serializer_class = serializers.KnowledgeGapSerializer
    table_class = tables.KnowledgeGapTable

    def create(self, request, *args, **kwargs):
        """Gap records are opened by the knowledge engine, never by hand."""
        raise Http404
