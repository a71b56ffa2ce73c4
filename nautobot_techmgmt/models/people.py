"""Experts, what they know, what they hold and the time they can give."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from nautobot.apps.choices import ApprovalWorkflowStateChoices
from nautobot.apps.constants import CHARFIELD_MAX_LENGTH
from nautobot.apps.models import (
    ApprovableModelMixin,
    BaseManager,
    PrimaryModel,
    RestrictedQuerySet,
    StatusField,
    extras_features,
)
from nautobot.extras.models import Status
from nautobot.extras.signals import change_context_state

from nautobot_techmgmt.choices import EmploymentTypeChoices, SkillLevelChoices
from nautobot_techmgmt.constants import (
    STATUS_ACTIVE,
    STATUS_AGREED,
    STATUS_COMPLETED,
    STATUS_DECLINED,
    STATUS_IN_PROGRESS,
    STATUS_PLANNED,
    STATUS_PROPOSED,
)

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
# What a line manager's approval of an availability agreement fixes (attribute names).
APPROVED_FIELDS = ("expert_id", "team_id", "hours_per_week", "valid_from")


@extras_features("custom_links", "custom_validators", "export_templates", "graphql", "statuses", "webhooks")
class Expert(PrimaryModel):
    """A person (a core Contact) acting as technical expert."""

    contact = models.OneToOneField(to="extras.Contact", on_delete=models.PROTECT, related_name="techmgmt_expert")
    status = StatusField(blank=False, null=False)
    employment_type = models.CharField(
        max_length=50, choices=EmploymentTypeChoices, default=EmploymentTypeChoices.EMPLOYEE
    )
    home_team = models.ForeignKey(
        to="extras.Team",
        on_delete=models.SET_NULL,
        related_name="techmgmt_home_experts",
        null=True,
        blank=True,
        help_text="The line team the expert belongs to.",
    )
    line_manager = models.ForeignKey(
        to="extras.Contact",
        on_delete=models.SET_NULL,
        related_name="techmgmt_managed_experts",
        null=True,
        blank=True,
    )
    hourly_cost = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    description = models.CharField(max_length=CHARFIELD_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["contact__name"]
        # An object permission with the action "view_costs" on experts: hourly costs and what capacity options cost.
        permissions = [("view_costs_expert", "Can view the costs of experts' hours and the make-or-buy figures")]

    def __str__(self):
        return self.contact.name

    def clean(self):
        """An expert cannot be their own line manager."""
        super().clean()
        if self.contact_id and self.contact_id == self.line_manager_id:
            raise ValidationError({"line_manager": "An expert cannot be their own line manager."})


class SkillQuerySet(RestrictedQuerySet):
    """Queries over skills."""

    def one_level_short(self):
        """Skills of active experts exactly one level below their technology's qualified level."""
        return self.filter(expert__status__name=STATUS_ACTIVE, level=F("technology__qualified_level") - 1)


@extras_features("custom_links", "custom_validators", "export_templates", "graphql", "webhooks")
class Skill(PrimaryModel):
    """What an expert knows of a technology, on the 1-5 scale."""

    expert = models.ForeignKey(to=Expert, on_delete=models.CASCADE, related_name="skills")
    technology = models.ForeignKey(to="nautobot_techmgmt.Technology", on_delete=models.PROTECT, related_name="skills")
    level = models.PositiveSmallIntegerField(choices=SkillLevelChoices, validators=LEVEL_VALIDATORS)
    last_assessed = models.DateField(null=True, blank=True)
    assessed_by = models.ForeignKey(
        to="extras.Contact",
        on_delete=models.SET_NULL,
        related_name="techmgmt_assessed_skills",
        null=True,
        blank=True,
    )
    comments = models.TextField(blank=True)

    objects = BaseManager.from_queryset(SkillQuerySet)()

    class Meta:
        ordering = ["expert__contact__name", "technology__name"]
        constraints = [
            models.UniqueConstraint(fields=["expert", "technology"], name="techmgmt_skill_unique_expert_technology")
        ]

    def __str__(self):
        return f"{self.expert} - {self.technology} ({self.level})"

    def clean(self):
        """An assessment cannot lie in the future."""
        super().clean()
        if self.last_assessed and self.last_assessed > date.today():
            raise ValidationError({"last_assessed": "The assessment date cannot be in the future."})


@extras_features("custom_links", "custom_validators", "export_templates", "graphql", "webhooks")
class Certification(PrimaryModel):
    """A certification in the catalogue and the technologies it evidences."""

    name = models.CharField(max_length=CHARFIELD_MAX_LENGTH, unique=True)
    issuer = models.CharField(max_length=CHARFIELD_MAX_LENGTH, blank=True)
    technologies = models.ManyToManyField(to="nautobot_techmgmt.Technology", related_name="certifications", blank=True)
    validity_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="How long the certification stays valid; blank if it never expires.",
    )
    description = models.CharField(max_length=CHARFIELD_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ExpertCertificationQuerySet(RestrictedQuerySet):
    """Queries over held certifications."""

    def valid_on(self, day):
        """Certifications obtained by `day` and not expired on it."""
        return self.filter(obtained_on__lte=day).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=day)
        )


@extras_features("custom_links", "custom_validators", "export_templates", "graphql", "webhooks")
class ExpertCertification(PrimaryModel):
    """A certification an expert holds."""

    expert = models.ForeignKey(to=Expert, on_delete=models.CASCADE, related_name="certifications")
    certification = models.ForeignKey(to=Certification, on_delete=models.PROTECT, related_name="holders")
    obtained_on = models.DateField()
    expires_on = models.DateField(
        null=True, blank=True, help_text="Left blank, it is worked out from the certification's validity."
    )
    credential_id = models.CharField(max_length=CHARFIELD_MAX_LENGTH, blank=True, verbose_name="Credential ID")

    objects = BaseManager.from_queryset(ExpertCertificationQuerySet)()

    class Meta:
        ordering = ["expert__contact__name", "certification__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "certification"], name="techmgmt_expertcertification_unique_expert_certification"
            )
        ]

    def __str__(self):
        return f"{self.expert} - {self.certification}"

    def clean(self):
        """Fill in the expiry from the catalogue and keep the dates in order."""
        super().clean()
        self.fill_in_expiry()
        if self.obtained_on and self.expires_on and self.expires_on < self.obtained_on:
            raise ValidationError({"expires_on": "The expiry date cannot be before the date it was obtained."})

    def save(self, *args, **kwargs):
        """Save with the expiry filled in, however the record was made (form, REST, CSV)."""
        self.fill_in_expiry()
        super().save(*args, **kwargs)

    def fill_in_expiry(self):
        """Set a blank expiry to the obtained date plus the certification's validity, if it has one."""
        if self.expires_on is None and self.obtained_on and self.certification_id:
            months = self.certification.validity_months
            if months:
                self.expires_on = self.obtained_on + relativedelta(months=months)


# Approval workflows need no feature name: ApprovableModelMixin's flag registers the model for them.
@extras_features("custom_links", "custom_validators", "export_templates", "graphql", "statuses", "webhooks")
class AvailabilityAgreement(ApprovableModelMixin, PrimaryModel):
    """Hours a line manager agrees an expert gives to technical work for a team.

    Where an approval workflow definition applies to an agreement, it is agreed through the workflow: a new agreement
    starts the workflow and stays Proposed until it is approved (Agreed) or denied (Declined).
    """

    expert = models.ForeignKey(to=Expert, on_delete=models.CASCADE, related_name="availability_agreements")
    team = models.ForeignKey(
        to="extras.Team",
        on_delete=models.PROTECT,
        related_name="techmgmt_availability_agreements",
        help_text="The team the expert's hours are agreed for.",
    )
    line_manager = models.ForeignKey(
        to="extras.Contact",
        on_delete=models.SET_NULL,
        related_name="techmgmt_approved_agreements",
        null=True,
        blank=True,
    )
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    status = StatusField(blank=False, null=False)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["expert__contact__name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "team", "valid_from"], name="techmgmt_availabilityagreement_unique_start"
            )
        ]

    def __str__(self):
        return f"{self.expert} for {self.team}: {self.hours_per_week} h/week"

    def clean(self):
        """Hours in (0, 60]; the period does not end before it starts; what only an approval workflow may decide."""
        super().clean()
        errors = {}
        if self.hours_per_week is not None and not 0 < self.hours_per_week <= 60:
            errors["hours_per_week"] = "Hours per week must be more than 0 and at most 60."
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = "The end date cannot be before the start date."
        errors = {**self._approval_errors(), **errors}
        if errors:
            raise ValidationError(errors)

    def _approval_errors(self):
        """Field errors of a change to a stored agreement that only its approval workflow may make.

        While a workflow definition applies, only an approved workflow makes an agreement Agreed. Once a workflow
        agreed it, what was approved (expert, team, hours, start) stays; ending it (end date, Expired) is allowed. A
        new agreement (nothing stored) is not checked: saving it starts the workflow, which makes it Proposed.
        """
        stored = type(self).objects.filter(pk=self.pk).values("status__name", *APPROVED_FIELDS).first()
        if stored is None:
            return {}
        errors = {}
        status_name = self.status.name if self.status_id else None
        if (
            status_name == STATUS_AGREED
            and stored["status__name"] != STATUS_AGREED
            and self.has_approval_workflow_definition()
        ):
            pending = self.associated_approval_workflows.filter(current_state=ApprovalWorkflowStateChoices.PENDING)
            errors["status"] = (
                "An approval workflow applies to this agreement: only its approval by a line manager makes it Agreed. "
                + (
                    "Its workflow is awaiting approval."
                    if pending.exists()
                    else "It has no workflow under way; propose a new agreement, which starts one."
                )
            )
        changed = [name for name in APPROVED_FIELDS if getattr(self, name) != stored[name]]
        if (
            changed
            and self.associated_approval_workflows.filter(current_state=ApprovalWorkflowStateChoices.APPROVED).exists()
        ):
            for name in changed:
                field_name = name.removesuffix("_id")
                errors[field_name] = (
                    f"This agreement was agreed by a line manager through an approval workflow: its "
                    f"{self._meta.get_field(field_name).verbose_name} cannot change. Propose a new agreement instead."
                )
        return errors

    def save(self, *args, **kwargs):
        """Save; a new agreement starts the approval workflow that applies to it, if there is one."""
        is_new = not self.present_in_database
        super().save(*args, **kwargs)
        if is_new:
            self.begin_approval_workflow()

    def begin_approval_workflow(self):
        """Start the workflow that applies, recording who proposed the agreement (for core's cancel and requests).

        Core takes the submitter from a user field of the object; an agreement has none, so it comes from Nautobot's
        change context: the user of the request or the Job that saves the agreement.
        """
        workflow = super().begin_approval_workflow()
        context = change_context_state.get()
        if workflow is not None and workflow.user is None and context is not None:
            workflow.user = context.get_user(self)
            if workflow.user is not None:
                workflow.save()
        return workflow

    def on_workflow_initiated(self, approval_workflow):
        """Under approval, the agreement is Proposed."""
        self._set_status(STATUS_PROPOSED)

    def on_workflow_approved(self, approval_workflow):
        """The line manager's approval agrees the hours."""
        self._set_status(STATUS_AGREED)

    def on_workflow_denied(self, approval_workflow):
        """Denied hours are Declined."""
        self._set_status(STATUS_DECLINED)

    def on_workflow_canceled(self, approval_workflow):
        """A cancelled workflow leaves the agreement Proposed: nothing was agreed."""
        self._set_status(STATUS_PROPOSED)

    def _set_status(self, name):
        """Save the agreement with the status of that name."""
        self.status = Status.objects.get_for_model(AvailabilityAgreement).get(name=name)
        self.save()


class TrainingPlanQuerySet(RestrictedQuerySet):
    """Queries over training plans."""

    def closing_gap_of(self, technology):
        """Plans under way or planned that bring someone to at least the technology's qualified level."""
        return self.closing_gaps_of([technology.pk])

    def closing_gaps_of(self, technology_ids):
        """Plans under way or planned that bring someone to at least the qualified level of one of the technologies."""
        return self.filter(
            technology_id__in=list(technology_ids),
            status__name__in=[STATUS_PLANNED, STATUS_IN_PROGRESS],
            target_level__gte=F("technology__qualified_level"),
        )


@extras_features("custom_links", "custom_validators", "export_templates", "graphql", "statuses", "webhooks")
class TrainingPlan(PrimaryModel):
    """How a knowledge gap is being closed for one person."""

    expert = models.ForeignKey(to=Expert, on_delete=models.CASCADE, related_name="training_plans")
    technology = models.ForeignKey(
        to="nautobot_techmgmt.Technology", on_delete=models.PROTECT, related_name="training_plans"
    )
    target_level = models.PositiveSmallIntegerField(choices=SkillLevelChoices, validators=LEVEL_VALIDATORS)
    due_date = models.DateField(null=True, blank=True)
    status = StatusField(blank=False, null=False)
    supplier = models.ForeignKey(
        to="nautobot_techmgmt.Supplier",
        on_delete=models.SET_NULL,
        related_name="training_plans",
        null=True,
        blank=True,
        help_text="Who delivers the training, if external.",
    )
    cost = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    comments = models.TextField(blank=True)

    objects = BaseManager.from_queryset(TrainingPlanQuerySet)()

    class Meta:
        ordering = ["due_date", "expert__contact__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "technology", "target_level"], name="techmgmt_trainingplan_unique_target"
            )
        ]

    def __str__(self):
        return f"{self.expert}: {self.technology} to level {self.target_level}"

    def save(self, *args, **kwargs):
        """Save, and raise the expert's skill when the plan is completed."""
        super().save(*args, **kwargs)
        if self.status and self.status.name == STATUS_COMPLETED:
            self.raise_skill()

    def raise_skill(self):
        """Raise the expert's skill to the target level; never lower it."""
        skill = Skill.objects.filter(expert_id=self.expert_id, technology_id=self.technology_id).first()
        if skill is None:
            Skill.objects.create(
                expert_id=self.expert_id,
                technology_id=self.technology_id,
                level=self.target_level,
                last_assessed=date.today(),
                comments=f"Raised by completed training plan: {self}",
            )
        elif skill.level < self.target_level:
            skill.level = self.target_level
            skill.last_assessed = date.today()
            skill.validated_save()
