"""UI views of responsibilities."""

from nautobot.apps.ui import ObjectDetailContent, ObjectFieldsPanel, SectionChoices
from nautobot.apps.views import NautobotUIViewSet

from nautobot_techmgmt import filters, forms, tables
from nautobot_techmgmt.api import serializers
from nautobot_techmgmt.models import Responsibility
from nautobot_techmgmt.tables.targets import TARGET_SELECT_RELATED, target_type_display


class ResponsibilityUIViewSet(NautobotUIViewSet):
    """List, detail, edit, bulk, import and export of responsibilities."""

    bulk_update_form_class = forms.ResponsibilityBulkEditForm
    filterset_class = filters.ResponsibilityFilterSet
    filterset_form_class = forms.ResponsibilityFilterForm
    form_class = forms.ResponsibilityForm
    object_detail_content = ObjectDetailContent(
        panels=(
            ObjectFieldsPanel(
                section=SectionChoices.LEFT_HALF,
                weight=100,
                fields=[
                    "team",
                    "expert",
                    "role",
                    "technology",
                    "target_type",
                    "target",
                    "escalation_tier",
                    "hours_per_week",
                    "comments",
                ],
                hide_if_unset=["team", "expert"],
                value_transforms={"target_type": [target_type_display]},
            ),
        )
    )
    queryset = Responsibility.objects.select_related("team", "expert__contact", "technology", *TARGET_SELECT_RELATED)
    serializer_class = serializers.ResponsibilitySerializer
    table_class = tables.ResponsibilityTable
