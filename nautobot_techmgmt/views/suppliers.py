"""UI views of suppliers and support contracts."""

from nautobot.apps.ui import ObjectDetailContent, ObjectFieldsPanel, ObjectsTablePanel, SectionChoices
from nautobot.apps.views import NautobotUIViewSet

from nautobot_techmgmt import filters, forms, tables
from nautobot_techmgmt.api import serializers
from nautobot_techmgmt.models import Supplier, SupportContract


class SupplierUIViewSet(NautobotUIViewSet):
    """List, detail, edit, bulk, import and export of suppliers."""

    bulk_update_form_class = forms.SupplierBulkEditForm
    filterset_class = filters.SupplierFilterSet
    filterset_form_class = forms.SupplierFilterForm
    form_class = forms.SupplierForm
    object_detail_content = ObjectDetailContent(
        panels=(
            ObjectFieldsPanel(section=SectionChoices.LEFT_HALF, weight=100, fields="__all__"),
            ObjectsTablePanel(
                section=SectionChoices.FULL_WIDTH,
                weight=100,
                table_class=tables.SupportContractTable,
                table_filter="supplier",
                exclude_columns=["supplier"],
            ),
            ObjectsTablePanel(
                section=SectionChoices.FULL_WIDTH,
                weight=200,
                table_class=tables.TrainingPlanTable,
                table_filter="supplier",
                exclude_columns=["supplier"],
            ),
        )
    )
    queryset = Supplier.objects.all()
    serializer_class = serializers.SupplierSerializer
    table_class = tables.SupplierTable


class SupportContractUIViewSet(NautobotUIViewSet):
    """List, detail, edit, bulk, import and export of support contracts."""

    bulk_update_form_class = forms.SupportContractBulkEditForm
    filterset_class = filters.SupportContractFilterSet
    filterset_form_class = forms.SupportContractFilterForm
    form_class = forms.SupportContractForm
    object_detail_content = ObjectDetailContent(
        panels=(
            ObjectFieldsPanel(section=SectionChoices.LEFT_HALF, weight=100, fields="__all__"),
            ObjectsTablePanel(
                section=SectionChoices.RIGHT_HALF,
                weight=100,
                table_class=tables.TechnologyTable,
                table_filter="support_contracts",
                related_field_name="support_contracts",
                table_title="Technologies covered",
            ),
        )
    )
    queryset = SupportContract.objects.select_related("supplier").prefetch_related("technologies")
    serializer_class = serializers.SupportContractSerializer
    table_class = tables.SupportContractTable
