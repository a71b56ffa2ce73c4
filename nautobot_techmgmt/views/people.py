"""UI viewsets of experts, skills, certifications, availability agreements and training plans."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.html import format_html
from nautobot.apps.choices import ApprovalWorkflowStateChoices
from nautobot.apps.templatetags import hyperlinked_email, hyperlinked_phone_number, placeholder, render_markdown
from nautobot.apps.ui import ObjectDetailContent, ObjectFieldsPanel, ObjectsTablePanel, SectionChoices
from nautobot.apps.views import NautobotUIViewSet, ObjectApprovalWorkflowView

from nautobot_techmgmt import filters, forms, models, tables
from nautobot_techmgmt.api import serializers
from nautobot_techmgmt.choices import SkillLevelChoices
from nautobot_techmgmt.panels import ExpertCapacityPanel
from nautobot_techmgmt.views.candidates import PersonEvidencePanel

LEVEL_LABELS = dict(SkillLevelChoices.CHOICES)


def level_label(value):
    """The 1-5 level with its meaning, e.g. "4 - Expert"."""
    return LEVEL_LABELS.get(value, placeholder(value))


class ExpertUIViewSet(NautobotUIViewSet):
    """Experts: list, detail with everything they know, hold and give, add/edit, bulk, import and export."""

    bulk_update_form_class = forms.ExpertBulkEditForm
    filterset_class = filters.ExpertFilterSet
    filterset_form_class = forms.ExpertFilterForm
    form_class = forms.ExpertForm
    object_detail_content = ObjectDetailContent(
        panels=(
            ObjectFieldsPanel(
                section=SectionChoices.LEFT_HALF,
                weight=100,
                fields=[
                    "contact",
                    "contact__email",
                    "contact__phone",
                    "status",
                    "employment_type",
                    "home_team",
                    "line_manager",
                    "hourly_cost",
                    "description",
                ],
                key_transforms={"contact__email": "E-mail", "contact__phone": "Phone"},
                value_transforms={
                    "contact__email": [hyperlinked_email, placeholder],
                    "contact__phone": [hyperlinked_phone_number, placeholder],
                },
            ),
            ExpertCapacityPanel(section=SectionChoices.LEFT_HALF, weight=200, label="Capacity"),
            ObjectsTablePanel(
                section=SectionChoices.RIGHT_HALF,
                weight=100,
                table_class=tables.SkillTable,
                table_filter="expert",
                table_title="Skills",
                select_related_fields=["technology", "assessed_by"],
                exclude_columns=["expert", "tags"],
            ),
            ObjectsTablePanel(
                section=SectionChoices.RIGHT_HALF,
                weight=200,
                table_class=tables.ExpertCertificationTable,
                table_filter="expert",
                table_title="Certifications held",
                select_related_fields=["certification"],
                exclude_columns=["expert", "tags"],
                include_columns=["credential_id"],
            ),
            ObjectsTablePanel(
                section=SectionChoices.FULL_WIDTH,
                weight=100,
                table_class=tables.ResponsibilityTable,
                table_filter="expert",
                table_title="Responsibilities",
                exclude_columns=["expert"],
            ),
            ObjectsTablePanel(
                section=SectionChoices.FULL_WIDTH,
                weight=200,
                table_class=tables.AvailabilityAgreementTable,
                table_filter="expert",
                table_title="Availability agreements",
                select_related_fields=["team", "line_manager", "status"],
                exclude_columns=["expert", "tags"],
            ),
            ObjectsTablePanel(
                section=SectionChoices.FULL_WIDTH,
                weight=300,
                table_class=tables.TrainingPlanTable,
                table_filter="expert",
                table_title="Training plans",
                select_related_fields=["technology", "status", "supplier"],
                exclude_columns=["expert", "tags"],
            ),
            PersonEvidencePanel(weight=400),
        ),
    )
    queryset = models.Expert.objects.select_related("contact", "status", "home_team", "line_manager")
    serializer_class = serializers.ExpertSerializer
    table_class = tables.ExpertTable


class SkillUIViewSet(NautobotUIViewSet):
    """Skills of experts in technologies."""

    bulk_update_form_class = forms.SkillBulkEditForm
    filterset_class = filters.SkillFilterSet
    filterset_form_class = forms.SkillFilterForm
    form_class = forms.SkillForm
    object_detail_content = ObjectDetailContent(
        panels=(
            ObjectFieldsPanel(
                section=SectionChoices.LEFT_HALF,
                weight=100,
                fields=["expert", "technology", "level", "last_assessed", "assessed_by"],
                value_transforms={"level": [level_label]},
            ),
            ObjectFieldsPanel(
                section=SectionChoices.RIGHT_HALF,
                weight=100,
                label="Comments",
                fields=["comments"],
                value_transforms={"comments": [render_markdown, placeholder]},
            ),
        ),
    )
    queryset = models.Skill.objects.select_related("expert__contact", "expert__status", "technology", "assessed_by")
    serializer_class = serializers.SkillSerializer
    table_class = tables.SkillTable


class CertificationUIViewSet(NautobotUIViewSet):
    """The certification catalogue."""

    bulk_update_form_class = forms.CertificationBulkEditForm
    filterset_class = filters.CertificationFilterSet
    filterset_form_class = forms.CertificationFilterForm
    form_class = forms.CertificationForm
    object_detail_content = ObjectDetailContent(
        panels=(
            ObjectFieldsPanel(
                section=SectionChoices.LEFT_HALF,
                weight=100,
                fields=["name", "issuer", "validity_months", "description"],
            ),
            ObjectsTablePanel(
                section=SectionChoices.RIGHT_HALF,
                weight=100,
                table_class=tables.TechnologyTable,
                table_filter="certifications",
                table_title="Technologies evidenced",
                include_columns=["name", "category", "status"],
                add_button_route=None,
            ),
            ObjectsTablePanel(
                section=SectionChoices.FULL_WIDTH,
                weight=100,
                table_class=tables.ExpertCertificationTable,
                table_filter="certification",
                table_title="Holders",
                select_related_fields=["expert__contact"],
                exclude_columns=["certification", "tags"],
            ),
        ),
    )
    queryset = models.Certification.objects.all()
    serializer_class = serializers.CertificationSerializer
    table_class = tables.CertificationTable


class ExpertCertificationUIViewSet(NautobotUIViewSet):
    """Certifications held by experts."""

    bulk_update_form_class = forms.ExpertCertificationBulkEditForm
    filterset_class = filters.ExpertCertificationFilterSet
    filterset_form_class = forms.ExpertCertificationFilterForm
    form_class = forms.ExpertCertificationForm
    object_detail_content = ObjectDetailContent(
        panels=(
            ObjectFieldsPanel(
                section=SectionChoices.LEFT_HALF,
                weight=100,
                fields=["expert", "certification", "obtained_on", "expires_on", "credential_id"],
            ),
            ObjectsTablePanel(
                section=SectionChoices.RIGHT_HALF,
                weight=100,
                table_class=tables.TechnologyTable,
                table_filter="certifications__holders",
                related_field_name="certifications",
                table_title="Technologies evidenced",
                include_columns=["name", "category", "status"],
                add_button_route=None,
                enable_related_link=False,
            ),
        ),
    )
    queryset = models.ExpertCertification.objects.select_related("expert__contact", "certification")
    serializer_class = serializers.ExpertCertificationSerializer
    table_class = tables.ExpertCertificationTable


class AvailabilityAgreementUIViewSet(NautobotUIViewSet):
    """Hours agreed with line managers."""

    bulk_update_form_class = forms.AvailabilityAgreementBulkEditForm
    filterset_class = filters.AvailabilityAgreementFilterSet
    filterset_form_class = forms.AvailabilityAgreementFilterForm
    form_class = forms.AvailabilityAgreementForm
    object_detail_content = ObjectDetailContent(
        panels=(
            ObjectFieldsPanel(
                section=SectionChoices.LEFT_HALF,
                weight=100,
                fields=["expert", "team", "line_manager", "hours_per_week", "valid_from", "valid_until", "status"],
            ),
            ObjectFieldsPanel(
                section=SectionChoices.RIGHT_HALF,
                weight=100,
                label="Comments",
                fields=["comments"],
                value_transforms={"comments": [render_markdown, placeholder]},
            ),
        ),
    )
    queryset = models.AvailabilityAgreement.objects.select_related("expert__contact", "team", "line_manager", "status")
    serializer_class = serializers.AvailabilityAgreementSerializer
    table_class = tables.AvailabilityAgreementTable

    def extra_message_context(self, obj):
        """The saved agreement, for `extra_message`."""
        return {"agreement": obj}

    def extra_message(self, **kwargs):
        """Why a saved agreement is Proposed whatever status was chosen: its approval workflow awaits approval."""
        agreement = kwargs["agreement"]
        pending = agreement.associated_approval_workflows.filter(current_state=ApprovalWorkflowStateChoices.PENDING)
        if not pending.exists():
            return ""
        return format_html(
            '<br>It awaits <a href="{}">approval by a line manager</a>: it stays Proposed until its approval workflow '
            "is approved.",
            agreement.get_approval_workflow_url(),
        )


class AgreementApprovalWorkflowView(ObjectApprovalWorkflowView):
    """Core's approval-workflow tab of an availability agreement; an agreement no workflow reviews is a 404."""

    def get(self, request, model, **kwargs):
        """Core's page, once the agreement is known to be under a workflow (core's view fails with a 500 otherwise)."""
        agreement = get_object_or_404(model.objects.restrict(request.user, "view"), **kwargs)
        if not agreement.associated_approval_workflows.exists():
            raise Http404("No approval workflow reviews this availability agreement.")
        return super().get(request, model, **kwargs)


class TrainingPlanUIViewSet(NautobotUIViewSet):
    """Training plans that close knowledge gaps."""

    bulk_update_form_class = forms.TrainingPlanBulkEditForm
    filterset_class = filters.TrainingPlanFilterSet
    filterset_form_class = forms.TrainingPlanFilterForm
    form_class = forms.TrainingPlanForm
    object_detail_content = ObjectDetailContent(
        panels=(
            ObjectFieldsPanel(
                section=SectionChoices.LEFT_HALF,
                weight=100,
                fields=["expert", "technology", "target_level", "due_date", "status", "supplier", "cost"],
                value_transforms={"target_level": [level_label]},
            ),
            ObjectFieldsPanel(
                section=SectionChoices.RIGHT_HALF,
                weight=100,
                label="Comments",
                fields=["comments"],
                value_transforms={"comments": [render_markdown, placeholder]},
            ),
        ),
    )
    queryset = models.TrainingPlan.objects.select_related("expert__contact", "technology", "status", "supplier")
    serializer_class = serializers.TrainingPlanSerializer
    table_class = tables.TrainingPlanTable
