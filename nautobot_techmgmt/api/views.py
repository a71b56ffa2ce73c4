"""REST API viewsets: CRUD for every model."""

from nautobot.apps.api import NautobotModelViewSet

from nautobot_techmgmt import filters, models
from nautobot_techmgmt.api import serializers


class TechnologyViewSet(NautobotModelViewSet):
    """CRUD for technologies."""

    queryset = models.Technology.objects.select_related("parent", "status", "custodian_team", "technical_manager")
    serializer_class = serializers.TechnologySerializer
    filterset_class = filters.TechnologyFilterSet


class TechnologyScopeViewSet(NautobotModelViewSet):
    """CRUD for technology scopes."""

    queryset = models.TechnologyScope.objects.select_related("technology")
    serializer_class = serializers.TechnologyScopeSerializer
    filterset_class = filters.TechnologyScopeFilterSet


class ExpertViewSet(NautobotModelViewSet):
    """CRUD for experts."""

    queryset = models.Expert.objects.select_related("contact", "status", "home_team", "line_manager")
    serializer_class = serializers.ExpertSerializer
    filterset_class = filters.ExpertFilterSet


class SkillViewSet(NautobotModelViewSet):
    """CRUD for skills."""

    queryset = models.Skill.objects.select_related("expert__contact", "technology", "assessed_by")
    serializer_class = serializers.SkillSerializer
    filterset_class = filters.SkillFilterSet


class CertificationViewSet(NautobotModelViewSet):
    """CRUD for the certification catalogue."""

    queryset = models.Certification.objects.all()
    serializer_class = serializers.CertificationSerializer
    filterset_class = filters.CertificationFilterSet


class ExpertCertificationViewSet(NautobotModelViewSet):
    """CRUD for certifications held by experts."""

    queryset = models.ExpertCertification.objects.select_related("expert__contact", "certification")
    serializer_class = serializers.ExpertCertificationSerializer
    filterset_class = filters.ExpertCertificationFilterSet


class ResponsibilityViewSet(NautobotModelViewSet):
    """CRUD for responsibilities."""

    queryset = models.Responsibility.objects.select_related("team", "expert__contact", "technology")
    serializer_class = serializers.ResponsibilitySerializer
    filterset_class = filters.ResponsibilityFilterSet


class AvailabilityAgreementViewSet(NautobotModelViewSet):
    """CRUD for availability agreements."""

    queryset = models.AvailabilityAgreement.objects.select_related("expert__contact", "team", "line_manager", "status")
    serializer_class = serializers.AvailabilityAgreementSerializer
    filterset_class = filters.AvailabilityAgreementFilterSet


class TrainingPlanViewSet(NautobotModelViewSet):
    """CRUD for training plans."""

    queryset = models.TrainingPlan.objects.select_related("expert__contact", "technology", "status", "supplier")
    serializer_class = serializers.TrainingPlanSerializer
    filterset_class = filters.TrainingPlanFilterSet


class SupplierViewSet(NautobotModelViewSet):
    """CRUD for suppliers."""

    queryset = models.Supplier.objects.all()
    serializer_class = serializers.SupplierSerializer
    filterset_class = filters.SupplierFilterSet


class SupportContractViewSet(NautobotModelViewSet):
    """CRUD for support contracts."""

    queryset = models.SupportContract.objects.select_related("supplier")
    serializer_class = serializers.SupportContractSerializer
    filterset_class = filters.SupportContractFilterSet
