"""UI views of technologies and technology scopes."""

from nautobot.apps.ui import ObjectDetailContent, ObjectFieldsPanel, ObjectsTablePanel, SectionChoices, Tab
from nautobot.apps.views import NautobotUIViewSet

from nautobot_techmgmt import filters, forms, tables
from nautobot_techmgmt.api import serializers
from nautobot_techmgmt.models import Technology, TechnologyScope
from nautobot_techmgmt.panels import TechnologyCapacityPanel, TechnologyKnowledgePanel
from nautobot_techmgmt.tables.targets import TARGET_SELECT_RELATED, target_type_display
from nautobot_techmgmt.views.candidates import TechnologyCandidatesPanel, TechnologyFadingSkillsPanel


class TechnologyUIViewSet(NautobotUIViewSet):
    """List, detail, edit, bulk, import and export of technologies."""

    bulk_update_form_class = forms.TechnologyBulkEditForm
    filterset_class = filters.TechnologyFilterSet
    filterset_form_class = forms.TechnologyFilterForm
    form_class = forms.TechnologyForm
    object_detail_content = ObjectDetailContent(
        panels=(
            ObjectFieldsPanel(
                section=SectionChoices.LEFT_HALF,
                weight=100,
                fields="__all__",
                # Reverse one-to-ones, not fields a person sets: the knowledge state row and the effort model.
                exclude_fields=["knowledge_state", "effort_model"],
            ),
            TechnologyKnowledgePanel(section=SectionChoices.RIGHT_HALF, weight=50, label="Knowledge"),
            TechnologyCapacityPanel(section=SectionChoices.RIGHT_HALF, weight=60, label="Expert hours"),
            ObjectsTablePanel(
                section=SectionChoices.RIGHT_HALF,
                weight=100,
                table_class=tables.TechnologyTable,
                table_filter="parent",
                table_title="Child technologies",
                exclude_columns=["parent"],
                hide_hierarchy_ui=True,
            ),
            ObjectsTablePanel(
                section=SectionChoices.FULL_WIDTH,
                weight=100,
                table_class=tables.TechnologyScopeTable,
                table_filter="technology",
                table_title="Where it is in use",
                select_related_fields=TARGET_SELECT_RELATED,
                exclude_columns=["technology"],
            ),
            TechnologyCandidatesPanel(weight=150),
            TechnologyFadingSkillsPanel(weight=160),
            ObjectsTablePanel(
                section=SectionChoices.FULL_WIDTH,
                weight=200,
                table_class=tables.ResponsibilityTable,
                table_filter="technology",
                select_related_fields=["team", "expert__contact", *TARGET_SELECT_RELATED],
                exclude_columns=["technology"],
            ),
        ),
        extra_tabs=(
            Tab(
                tab_id="expertise",
                label="Expertise",
                weight=Tab.WEIGHT_MAIN_TAB + 50,
                panels=(
                    ObjectsTablePanel(
                        section=SectionChoices.FULL_WIDTH,
                        weight=100,
                        table_class=tables.SkillTable,
                        table_filter="technology",
                        select_related_fields=["expert__contact", "expert__status", "technology"],
                        order_by_fields=["-level", "expert__contact__name"],
                        exclude_columns=["technology"],
                        tab_id="expertise",
                    ),
                    ObjectsTablePanel(
                        section=SectionChoices.FULL_WIDTH,
                        weight=200,
                        table_class=tables.CertificationTable,
                        table_filter="technologies",
                        exclude_columns=["technologies", "holder_count"],
                        tab_id="expertise",
                    ),
                    ObjectsTablePanel(
                        section=SectionChoices.FULL_WIDTH,
                        weight=300,
                        table_class=tables.TrainingPlanTable,
                        table_filter="technology",
                        select_related_fields=["expert__contact", "status", "supplier"],
                        exclude_columns=["technology"],
                        tab_id="expertise",
                    ),
                    ObjectsTablePanel(
                        section=SectionChoices.FULL_WIDTH,
                        weight=400,
                        table_class=tables.SupportContractTable,
                        table_filter="technologies",
                        select_related_fields=["supplier"],
                        exclude_columns=["technologies"],
                        tab_id="expertise",
                    ),
                ),
            ),
        ),
    )
    queryset = Technology.objects.select_related("parent", "status", "custodian_team", "technical_manager")
    serializer_class = serializers.TechnologySerializer
    table_class = tables.TechnologyTable


class TechnologyScopeUIViewSet(NautobotUIViewSet):
    """List, detail, edit, bulk, import and export of technology scopes."""

    bulk_update_form_class = forms.TechnologyScopeBulkEditForm
    filterset_class = filters.TechnologyScopeFilterSet
    filterset_form_class = forms.TechnologyScopeFilterForm
    form_class = forms.TechnologyScopeForm
    object_detail_content = ObjectDetailContent(
        panels=(
            ObjectFieldsPanel(
                section=SectionChoices.LEFT_HALF,
                weight=100,
                fields=["technology", "target_type", "target", "description"],
                value_transforms={"target_type": [target_type_display]},
            ),
        )
    )
    queryset = TechnologyScope.objects.select_related("technology", *TARGET_SELECT_RELATED)
    serializer_class = serializers.TechnologyScopeSerializer
    table_class = tables.TechnologyScopeTable
