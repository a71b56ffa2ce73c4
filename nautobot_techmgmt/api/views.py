"""REST API viewsets: CRUD for every model."""

from contextlib import contextmanager

from django.db import IntegrityError
from django.db.models import UniqueConstraint
from drf_spectacular.utils import extend_schema
from nautobot.apps.api import NautobotModelViewSet as CoreModelViewSet
from nautobot.apps.api import NotesViewSetMixin, ReadOnlyModelViewSet
from nautobot.apps.utils import is_uuid
from nautobot.extras.api.serializers import NoteInputSerializer, NoteSerializer
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.settings import api_settings

from nautobot_techmgmt import filters, models
from nautobot_techmgmt.api import serializers
from nautobot_techmgmt.api.guards import ClientMistakesMixin
from nautobot_techmgmt.knowledge import activity


def duplicate_message(model, error):
    """What a unique constraint the database enforced says about a duplicate, in the model's own words."""
    for constraint in model._meta.constraints:
        if isinstance(constraint, UniqueConstraint) and constraint.name in str(error):
            if constraint.violation_error_message != constraint.default_violation_error_message:
                return constraint.violation_error_message
            labels = " and ".join(str(model._meta.get_field(name).verbose_name) for name in constraint.fields)
            return f"A {model._meta.verbose_name} with this {labels} already exists."
    return f"A {model._meta.verbose_name} with these values already exists."


@contextmanager
def duplicates_refused(model):
    """Turn the database's refusal of a duplicate into a 400 answer that says what is duplicated."""
    try:
        yield
    except IntegrityError as error:
        raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [duplicate_message(model, error)]}) from error


class UnusableIdNotFoundMixin:  # pylint: disable=too-few-public-methods
    """A viewset mixin: an id in the URL that cannot name an object of the model is a 404, not a 500."""

    def initial(self, request, *args, **kwargs):
        """Answer 404, not 500, to an id in the URL that cannot name an object of this model.

        Nautobot looks an object up by UUID, else by natural key; where the natural key is the id itself, and for
        the notes of an object, any other value reached the database as an invalid UUID: a server error.
        """
        super().initial(request, *args, **kwargs)
        lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        if lookup is None or is_uuid(lookup):
            return
        model = self.queryset.model
        if self.action == "notes" or list(model.natural_key_field_lookups) == ["id"]:
            raise NotFound(f"No {model._meta.verbose_name} matches the given query.")


class NautobotModelViewSet(ClientMistakesMixin, UnusableIdNotFoundMixin, CoreModelViewSet):
    """Nautobot's model viewset, answering client mistakes with 4xx where core's would answer 500.

    A duplicate the database refuses is a 400: validation finds duplicates first; only two requests that pass it
    at the same moment reach the database's unique constraints, and the second one is answered like a validation
    error. So are unusable query parameters and filter values; an id that can name nothing is a 404.
    """

    def perform_create(self, serializer):
        """Create, answering 400 if the database refuses a duplicate."""
        with duplicates_refused(self.queryset.model):
            super().perform_create(serializer)

    def perform_update(self, serializer):
        """Update, answering 400 if the database refuses a duplicate."""
        with duplicates_refused(self.queryset.model):
            super().perform_update(serializer)

    def filter_queryset(self, queryset):
        """Filter; a value a lookup cannot take (core turns `name__ic=null` into None) is a 400, not a 500."""
        try:
            return super().filter_queryset(queryset)
        except ValueError as error:
            raise ValidationError(str(error)) from error


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


class EffortModelViewSet(NautobotModelViewSet):
    """CRUD for effort models."""

    queryset = models.EffortModel.objects.select_related("technology")
    serializer_class = serializers.EffortModelSerializer
    filterset_class = filters.EffortModelFilterSet


class KnowledgeGapViewSet(NautobotModelViewSet):
    """Read and work on gap records: GET, PUT and PATCH; the engine creates and closes them, nobody deletes them."""

    queryset = models.KnowledgeGap.objects.select_related(
        "technology", "owner_contact", "owner_team", "support_contract", "responsibility"
    )
    serializer_class = serializers.KnowledgeGapSerializer
    filterset_class = filters.KnowledgeGapFilterSet
    http_method_names = ["get", "put", "patch", "head", "options"]

    @extend_schema(methods=["get"], filters=False, responses={200: NoteSerializer(many=True)})
    @extend_schema(methods=["post"], request=NoteInputSerializer, responses={201: NoteSerializer(many=False)})
    @action(
        detail=True,
        url_path="notes",
        methods=["get", "post"],
        permission_classes=[NotesViewSetMixin.CreateNotePermissions],
        # Adding a note to a gap is working on it, not creating a gap: POST stays open here.
        http_method_names=["get", "post", "head", "options"],
    )
    def notes(self, request, *args, **kwargs):
        """List or add the notes of a gap."""
        return super().notes(request, *args, **kwargs)


class UserContactViewSet(NautobotModelViewSet):
    """CRUD for user mappings."""

    queryset = models.UserContact.objects.select_related("user", "contact")
    serializer_class = serializers.UserContactSerializer
    filterset_class = filters.UserContactFilterSet


class CandidateDismissalViewSet(NautobotModelViewSet):
    """CRUD for dismissed candidates; `dismissed_by` is the requesting user."""

    queryset = models.CandidateDismissal.objects.select_related("contact", "technology")
    serializer_class = serializers.CandidateDismissalSerializer
    filterset_class = filters.CandidateDismissalFilterSet


class TechnologyActivityViewSet(ClientMistakesMixin, UnusableIdNotFoundMixin, ReadOnlyModelViewSet):
    """Read the activity per person and technology the activity Job computed; 404 while the feature is off."""

    queryset = models.TechnologyActivity.objects.select_related("contact", "technology")
    serializer_class = serializers.TechnologyActivitySerializer
    filterset_class = filters.TechnologyActivityFilterSet

    def initial(self, request, *args, **kwargs):
        """Say nothing of the activity while the feature is off."""
        super().initial(request, *args, **kwargs)
        if not activity.enabled():
            raise NotFound("Candidate experts are turned off (setting `candidate_experts_enabled`).")
