"""REST API serializers: every model, all fields, nested display of related objects."""

from nautobot.apps.api import (
    BaseModelSerializer,
    NautobotModelSerializer,
    TaggedModelSerializerMixin,
    TreeModelSerializerMixin,
)

from nautobot_techmgmt import models


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

    class Meta:
        model = models.Supplier
        fields = "__all__"


class SupportContractSerializer(TaggedModelSerializerMixin, NautobotModelSerializer):
    """A support contract with a supplier."""

    class Meta:
        model = models.SupportContract
        fields = "__all__"


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
