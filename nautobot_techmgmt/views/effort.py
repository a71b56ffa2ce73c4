"""UI viewset of effort models, with the values that hold once inheritance is applied."""

from nautobot.apps.templatetags import placeholder
from nautobot.apps.ui import KeyValueTablePanel, ObjectDetailContent, ObjectFieldsPanel, SectionChoices
from nautobot.apps.views import NautobotUIViewSet

from nautobot_techmgmt import filters, forms, tables
from nautobot_techmgmt.api import serializers
from nautobot_techmgmt.knowledge import CapacityPlan
from nautobot_techmgmt.models import EffortModel, Technology
from nautobot_techmgmt.object_types import OBJECT_TYPES
from nautobot_techmgmt.tables.capacity import hours_per_object_text


class EffectiveEffortPanel(KeyValueTablePanel):
    """Each value of the effort model as the capacity rules apply it: set here, or inherited and from where.

    For a category's model, the values a technology of the category with no model of its own gets.
    """

    def get_data(self, context):
        """{label: "value (where it comes from)"} of the base, each object type and the uplift."""
        model = context["object"]
        # The engine's inheritance, asked for the technology, or for any technology of the category without its own.
        effort = CapacityPlan().effort(model.technology or Technology(category=model.category))
        level = "technology" if model.technology_id else "category"

        def shown(value, source):
            number = f"{value.normalize():f}"
            if source == level:
                return f"{number} (set here)"
            if source == "category":
                return f"{number} (inherited from the {model.technology.get_category_display()} category's model)"
            return f"{number} (inherited from the app's default, setting default_effort)"

        data = {"Base hours per week": shown(effort.base_hours_per_week, effort.sources["base_hours_per_week"])}
        for object_type in OBJECT_TYPES:
            label = f"Hours per {object_type.verbose_name} per month"
            hours = effort.hours_per_object.get(object_type.key)
            data[label] = "0 (none set)" if hours is None else shown(hours, effort.sources[object_type.key])
        data["Gap uplift (%)"] = shown(effort.gap_uplift_percent, effort.sources["gap_uplift_percent"])
        return data

    def render_key(self, key, value, context):
        """The label as written."""
        return key


class EffortModelUIViewSet(NautobotUIViewSet):
    """Effort models: list, detail with the values that apply, add/edit, bulk, import and export."""

    bulk_update_form_class = forms.EffortModelBulkEditForm
    filterset_class = filters.EffortModelFilterSet
    filterset_form_class = forms.EffortModelFilterForm
    form_class = forms.EffortModelForm
    object_detail_content = ObjectDetailContent(
        panels=(
            ObjectFieldsPanel(
                section=SectionChoices.LEFT_HALF,
                weight=100,
                fields=[
                    "technology",
                    "category",
                    "base_hours_per_week",
                    "hours_per_object",
                    "gap_uplift_percent",
                    "description",
                ],
                key_transforms={"hours_per_object": "Hours per object per month"},
                value_transforms={"hours_per_object": [hours_per_object_text, placeholder]},
            ),
            EffectiveEffortPanel(section=SectionChoices.RIGHT_HALF, weight=100, label="Effective effort"),
        )
    )
    queryset = EffortModel.objects.select_related("technology")
    serializer_class = serializers.EffortModelSerializer
    table_class = tables.EffortModelTable
