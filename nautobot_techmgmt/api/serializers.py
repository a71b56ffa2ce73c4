"""REST API serializers: every model, all fields, nested display of related objects."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import EmailField, URLField
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from nautobot.apps.api import (
    BaseModelSerializer,
    NautobotModelSerializer,
    TaggedModelSerializerMixin,
    TreeModelSerializerMixin,
)
from rest_framework import serializers

from nautobot_techmgmt import models
from nautobot_techmgmt.knowledge import activity
from nautobot_techmgmt.models.capacity import MAX_HOURS_PER_OBJECT, clean_hours_per_object
from nautobot_techmgmt.object_types import OBJECT_TYPES


class BlankAllowedMixin:
    """A formatted string field (e-mail, URL) that may also be empty: "" means none."""


class OptionalEmailField(BlankAllowedMixin, serializers.EmailField):
    """An e-mail address, or "" for none."""


class OptionalURLField(BlankAllowedMixin, serializers.URLField):
    """A URL, or "" for none."""


class BlankAllowedFieldSchema(OpenApiSerializerFieldExtension):
    """OpenAPI schema of a BlankAllowedMixin field: its format, or the empty string (a format alone rejects "")."""

    target_class = BlankAllowedMixin
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        """The field's usual schema, or an empty string."""
        # drf-spectacular's own extensions reuse the default mapping through these two methods; there is no public one.
        formatted = auto_schema._map_serializer_field(  # pylint: disable=protected-access
            self.target, direction, bypass_extensions=True
        )
        auto_schema._insert_field_validators(self.target, formatted)  # pylint: disable=protected-access
        return {"anyOf": [formatted, {"type": "string", "maxLength": 0}]}


class TechnologySerializer(TreeModelSerializerMixin, TaggedModelSerializerMixin, NautobotModelSerializer):
    """Technology, as a node of the technology tree."""

    class Meta:
        model = models.Technology
        fields = "__all__"


class TechnologyScopeSerializer(TaggedModelSerializerMixin, NautobotModelSerializer):
    """Where a technology is in use."""

    class Meta:
        model = models.TechnologyScope
        fields = "__all__"
        # One unique constraint per target field: DRF would check all of them and report each one.
        # The model's clean() names the one duplicate that matters, and the constraints back it.
        validators = []


class ExpertSerializer(TaggedModelSerializerMixin, NautobotModelSerializer):
    """A core Contact acting as technical expert."""

    class Meta:
        model = models.Expert
        fields = "__all__"


class SkillSerializer(TaggedModelSerializerMixin, NautobotModelSerializer):
    """An expert's level in a technology."""

    class Meta:
        model = models.Skill
        fields = "__all__"


class CertificationSerializer(TaggedModelSerializerMixin, NautobotModelSerializer):
    """A certification in the catalogue."""

    class Meta:
        model = models.Certification
        fields = "__all__"


class ExpertCertificationSerializer(TaggedModelSerializerMixin, NautobotModelSerializer):
    """A certification an expert holds."""

    class Meta:
        model = models.ExpertCertification
        fields = "__all__"


class ResponsibilitySerializer(TaggedModelSerializerMixin, NautobotModelSerializer):
    """A team's or an expert's responsibility for a technology or target."""

    class Meta:
        model = models.Responsibility
        fields = "__all__"


class AvailabilityAgreementSerializer(TaggedModelSerializerMixin, NautobotModelSerializer):
    """Hours agreed with a line manager."""

    class Meta:
        model = models.AvailabilityAgreement
        fields = "__all__"


class TrainingPlanSerializer(TaggedModelSerializerMixin, NautobotModelSerializer):
    """A plan to raise an expert's skill."""

    class Meta:
        model = models.TrainingPlan
        fields = "__all__"


class SupplierSerializer(TaggedModelSerializerMixin, NautobotModelSerializer):
    """A supplier of external expertise."""

    serializer_field_mapping = {
        **NautobotModelSerializer.serializer_field_mapping,
        EmailField: OptionalEmailField,
        URLField: OptionalURLField,
    }

    class Meta:
        model = models.Supplier
        fields = "__all__"


class SupportContractSerializer(TaggedModelSerializerMixin, NautobotModelSerializer):
    """A support contract with a supplier."""

    class Meta:
        model = models.SupportContract
        fields = "__all__"


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            object_type.key: {"type": "number", "minimum": 0, "maximum": int(MAX_HOURS_PER_OBJECT)}
            for object_type in OBJECT_TYPES
        },
        "additionalProperties": False,
    }
)
class HoursPerObjectField(serializers.JSONField):
    """Hours per object in use per month, by object type of the registry: {"devices": 0.5}; a type left out inherits.

    Checked as the model checks it, and stored as numbers whatever form they came in (a CSV cell, a string).
    """

    def to_internal_value(self, data):
        """{object type key: hours} as numbers; a 400 that says what is wrong."""
        try:
            cleaned = clean_hours_per_object(super().to_internal_value(data))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return {key: float(hours) for key, hours in cleaned.items()}


class EffortModelSerializer(TaggedModelSerializerMixin, NautobotModelSerializer):
    """Expert hours a technology (or a category's technologies) needs; blank values are inherited."""

    hours_per_object = HoursPerObjectField(
        required=False,
        help_text='Hours per object in use per month, by object type: {"devices": 0.5}. A type left out is inherited.',
    )

    class Meta:
        model = models.EffortModel
        fields = "__all__"
        # The model's clean() says which technology or category has a model already; DRF's checks would not.
        extra_kwargs = {"technology": {"validators": []}, "category": {"validators": []}}


class KnowledgeGapSerializer(TaggedModelSerializerMixin, NautobotModelSerializer):
    """A gap of the register; what the gap is and when it opened and closed belong to the knowledge engine."""

    class Meta:
        model = models.KnowledgeGap
        fields = "__all__"
        read_only_fields = [
            "kind",
            "technology",
            "severity",
            "opened",
            "closed",
            "affected",
            "affected_objects",
            "risk",
            "detail",
        ]


class ObjectKnowledgeSerializer(BaseModelSerializer):
    """The engine's materialised answer for one technology on one object (read-only)."""

    class Meta:
        model = models.ObjectKnowledge
        fields = "__all__"
        read_only_fields = [field.name for field in models.ObjectKnowledge._meta.fields]


class CoverageSnapshotSerializer(BaseModelSerializer):
    """Coverage figures of one technology on one day (read-only)."""

    class Meta:
        model = models.CoverageSnapshot
        fields = "__all__"
        read_only_fields = [field.name for field in models.CoverageSnapshot._meta.fields]


class UserContactSerializer(TaggedModelSerializerMixin, NautobotModelSerializer):
    """A user mapped explicitly to the contact they are."""

    class Meta:
        model = models.UserContact
        fields = "__all__"


class CandidateDismissalSerializer(TaggedModelSerializerMixin, NautobotModelSerializer):
    """A candidate set aside until the person's next activity on the technology.

    Users are given by ID only, for clients that may not view users; `dismissed_by` is the requesting user (blank for a
    CSV import); a blank `activity_until` becomes the person's last activity on the technology.
    """

    user = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(),
        required=False,
        allow_null=True,
        help_text="ID of a user mapped to no contact (give either this or `contact`).",
    )
    dismissed_by = serializers.PrimaryKeyRelatedField(read_only=True, help_text="ID of the user who dismissed it.")

    class Meta:
        model = models.CandidateDismissal
        fields = "__all__"
        # The model's clean() names the field of a duplicate; DRF's check of the unique constraints would not.
        validators = []

    @staticmethod
    def validate_user(user):
        """A user mapped to no contact: a contact's user is dismissed as the contact."""
        if user is not None and user.pk in activity.contacts_of_users():
            raise serializers.ValidationError(activity.IS_A_CONTACT)
        return user

    def create(self, validated_data):
        """Create, dismissed by the requesting user."""
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            validated_data["dismissed_by"] = request.user
        return super().create(validated_data)


class TechnologyActivitySerializer(BaseModelSerializer):
    """What one person did to the objects of one technology in the window (read-only; the activity Job writes it).

    `user` (a user mapped to no contact) is given by ID only: usernames are for those who may view users.
    """

    user = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="ID of a user mapped to no contact; null for a contact's activity."
    )

    class Meta:
        model = models.TechnologyActivity
        fields = "__all__"
        read_only_fields = [field.name for field in models.TechnologyActivity._meta.fields]
