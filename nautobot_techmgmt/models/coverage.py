"""Materialised knowledge: per-object answers for lists, filters and GraphQL, and daily coverage snapshots."""

from django.db import models, transaction
from django.db.models.functions import Coalesce
from nautobot.apps.constants import CHARFIELD_MAX_LENGTH
from nautobot.apps.models import BaseManager, BaseModel, RestrictedQuerySet, extras_features

from nautobot_techmgmt.choices import SUPPORT_ROLES
from nautobot_techmgmt.models.technology import Technology
from nautobot_techmgmt.object_types import OBJECT_TARGET_FIELDS, OBJECT_TYPES

# The values `with_answers` joins in for each row, as `state_<name>`.
JOINED = ("bus_factor", "gaps", "custodian_qualified", "has_primary_support", "support_qualified", "computed")
# The ObjectKnowledge foreign key of each kind of inventory object.
OBJECT_FIELD_OF_MODEL = {object_type.label_lower: object_type.field for object_type in OBJECT_TYPES}


class ObjectKnowledgeQuerySet(RestrictedQuerySet):
    """Queries over object knowledge."""

    def restrict(self, user, action="view"):
        """The rows the user's object knowledge permission allows, and only those of technologies the user may view."""
        queryset = super().restrict(user, action)
        if action == "view":
            queryset = queryset.filter(technology__in=Technology.objects.restrict(user, "view"))
        return queryset

    def with_answers(self):
        """Each row with the people side of its technology joined in: bus factor, own gaps, custodian qualified.

        The row itself holds only what depends on inventory and custodianship; these come from the technology's
        state, so a change of skills never rewrites object rows.
        """
        return self.annotate(
            state_bus_factor=models.F("technology__knowledge_state__bus_factor"),
            state_gaps=models.F("technology__knowledge_state__gaps"),
            state_custodian_qualified=custodian_qualified_expression(),
            state_has_primary_support=Coalesce(models.F("roles__has_primary_support"), False),
            state_support_qualified=support_qualified_expression(),
            state_computed=models.F("technology__knowledge_state__computed"),
        )

    def with_gap(self):
        """Rows with a gap: of their technology, of their custodian, or of their support path.

        The technology has a gap of its own; the custodian is missing or lacks the skill; the support path has no
        primary support (where required) or a tier with no qualified assignee.
        """
        from nautobot_techmgmt.knowledge.config import app_setting  # pylint: disable=import-outside-toplevel

        gaps = (
            models.Q(technology__knowledge_state__has_gap=True)
            | models.Q(has_custodian=False)
            | ~custodian_qualified_expression()
            | ~support_qualified_expression()
        )
        if app_setting("primary_support_required"):
            gaps |= models.Q(roles__isnull=True) | models.Q(roles__has_primary_support=False)
        return self.filter(gaps)


def custodian_qualified_expression():
    """SQL truth of "the row's custodian is qualified": the custodian expert, or a member of the custodian team."""
    from nautobot_techmgmt.models.state import QualifiedExpert  # pylint: disable=import-outside-toplevel

    rows = QualifiedExpert.objects.filter(technology_id=models.OuterRef("technology_id"))
    return models.Exists(rows.filter(expert_id=models.OuterRef("custodian_expert_id"))) | models.Exists(
        rows.filter(expert__contact__teams=models.OuterRef("custodian_team_id"))
    )


def support_qualified_expression():
    """SQL truth of "every tier of the row's support path has a qualified assignee" (true without a path)."""
    from nautobot_techmgmt.models.state import QualifiedExpert, RoleSetEntry  # pylint: disable=import-outside-toplevel

    qualified = QualifiedExpert.objects.filter(technology_id=models.OuterRef(models.OuterRef("technology_id")))
    unqualified = RoleSetEntry.objects.filter(role_set_id=models.OuterRef("roles_id"), role__in=SUPPORT_ROLES).exclude(
        models.Exists(qualified.filter(expert_id=models.OuterRef("expert_id")))
        | models.Exists(qualified.filter(expert__contact__teams=models.OuterRef("team_id")))
    )
    return ~models.Exists(unqualified)


# Not @extras_features("graphql"): its GraphQL type (graphql/types.py) hides rows of technologies the user may not view.
def _object_fields():
    """An abstract base with one foreign key per object type of the registry (object_types.py)."""
    fields = {
        object_type.field: models.ForeignKey(
            to=object_type.model_label,
            on_delete=models.CASCADE,
            related_name="techmgmt_knowledge",
            null=True,
            blank=True,
            verbose_name=object_type.verbose_name,
        )
        for object_type in OBJECT_TYPES
    }
    return type(
        "ObjectKnowledgeTargets",
        (models.Model,),
        {"__module__": __name__, "Meta": type("Meta", (), {"abstract": True}), **fields},
    )


class ObjectKnowledge(_object_fields(), BaseModel):
    """One technology in use on one object, with its effective custodian and why (maintained, not edited by people).

    Lists, filters, GraphQL and panels read these rows; the people side (bus factor, gaps) is joined in from the
    technology's state when read (`with_answers`).
    """

    technology = models.ForeignKey(
        to="nautobot_techmgmt.Technology", on_delete=models.CASCADE, related_name="object_knowledge"
    )
    has_custodian = models.BooleanField(default=False)
    custodian_team = models.ForeignKey(
        to="extras.Team", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    custodian_expert = models.ForeignKey(
        to="nautobot_techmgmt.Expert", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    custodian_contact = models.ForeignKey(
        to="extras.Contact",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text="A core contact custodian without an expert record.",
    )
    custodian_source = models.CharField(max_length=CHARFIELD_MAX_LENGTH, blank=True)
    custodian_step = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Step of the resolution order the custodian comes from (1 = the object)."
    )
    custodian_source_type = models.ForeignKey(
        to="contenttypes.ContentType", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    custodian_source_id = models.UUIDField(null=True, blank=True, help_text="The object the custodian comes from.")
    roles = models.ForeignKey(
        to="nautobot_techmgmt.RoleSet",
        on_delete=models.PROTECT,
        related_name="object_rows",
        null=True,
        blank=True,
        help_text="Support, escalation, design authority and change assessors resolved here; none: no such role.",
    )
    refreshed = models.DateTimeField(auto_now=True)

    objects = BaseManager.from_queryset(ObjectKnowledgeQuerySet)()

    natural_key_field_names = ["id"]
    is_data_compliance_model = False
    is_dynamic_group_associable_model = False
    is_saved_view_model = False

    class Meta:
        ordering = ["technology__name"]
        verbose_name = "object knowledge"
        verbose_name_plural = "object knowledge"
        indexes = [models.Index(fields=[name, "technology"]) for name in OBJECT_TARGET_FIELDS] + [
            models.Index(fields=["technology", "custodian_team"])
        ]

    def __str__(self):
        target = next((getattr(self, name) for name in OBJECT_TARGET_FIELDS if getattr(self, f"{name}_id")), None)
        return f"{self.technology} on {target}"

    def _joined(self, name):
        """An annotation of `with_answers`, or the same value read now for a row loaded without it."""
        if not hasattr(self, f"state_{name}"):
            row = type(self).objects.filter(pk=self.pk).with_answers().values(*(f"state_{name}" for name in JOINED))
            for key, value in (row.first() or {}).items():
                setattr(self, key, value)
        return getattr(self, f"state_{name}", None)

    # The keyword arguments are the row's joined answers, named as `with_answers` names them.
    @staticmethod
    def gap_kinds(technology_gaps, has_custodian, custodian_qualified, has_primary_support, support_qualified):
        """The gap kinds of one row: its technology's own, the custodian gap, then the support-path gaps.

        The custodian gap: none assigned, or one lacking the skill; the support-path gaps: no primary support, a tier
        with no qualified assignee.
        """
        from nautobot_techmgmt.knowledge import gaps as g  # pylint: disable=import-outside-toplevel

        kinds = list(technology_gaps or [])
        if custodian_kind := g.custodian_gap_kind(has_custodian, custodian_qualified):
            kinds.append(custodian_kind)
        return kinds + g.support_gap_kinds(has_primary_support, support_qualified)

    @property
    def bus_factor(self):
        """Qualified experts of the technology today."""
        return self._joined("bus_factor") or 0

    @property
    def gaps(self):
        """Kinds of the knowledge gaps on this object: the technology's own, then the custodian gap."""
        return self.gap_kinds(
            self._joined("gaps"),
            self.has_custodian,
            self._joined("custodian_qualified"),
            self._joined("has_primary_support"),
            self._joined("support_qualified"),
        )

    @property
    def knowledge_as_of(self):
        """When this answer was last computed: the later of the row's and its technology's people side."""
        computed = self._joined("computed")
        return max(self.refreshed, computed) if computed else self.refreshed

    @property
    def severity(self):
        """Worst severity among the gaps, or "" when there is none."""
        from nautobot_techmgmt.knowledge.gaps import worst_severity  # pylint: disable=import-outside-toplevel

        return worst_severity(self.gaps)

    @property
    def risk(self):
        """Sum of the gaps' severity weights."""
        from nautobot_techmgmt.knowledge.gaps import object_risk  # pylint: disable=import-outside-toplevel

        return object_risk(self.gaps)


class CustodianCoverage(BaseModel):
    """How many objects of one type use a technology under one effective custodian and role set, as of now.

    The inventory side of coverage (which objects use which technology, and whose custody they are in) is
    materialised here, a few rows per technology; the people side (who is qualified today) stays live, so
    coverage and gaps of the whole estate cost a fixed handful of small queries.
    """

    technology = models.ForeignKey(
        to="nautobot_techmgmt.Technology", on_delete=models.CASCADE, related_name="custodian_coverage"
    )
    object_type = models.CharField(max_length=20, help_text='Plural key of the object type: "devices", ...')
    custodian_team = models.ForeignKey(
        to="extras.Team", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    custodian_expert = models.ForeignKey(
        to="nautobot_techmgmt.Expert", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    has_custodian = models.BooleanField(
        default=False, help_text="False: no effective custodian. True with no team or expert: a contact only."
    )
    roles = models.ForeignKey(
        to="nautobot_techmgmt.RoleSet", on_delete=models.PROTECT, related_name="coverage_rows", null=True, blank=True
    )
    objects_count = models.PositiveIntegerField(default=0)
    # (technology, object type, team, expert, has_custodian, roles) in one non-null unique column: NULLs never clash in
    # a unique index, and concurrent updates of the counts rely on finding the one row of a group.
    group_key = models.CharField(max_length=200, unique=True)

    natural_key_field_names = ["id"]
    is_data_compliance_model = False
    is_dynamic_group_associable_model = False
    is_saved_view_model = False

    class Meta:
        verbose_name = "custodian coverage"
        verbose_name_plural = "custodian coverage"

    def __str__(self):
        return f"{self.technology}: {self.objects_count} {self.object_type}"


class KnowledgeRefreshQuerySet(RestrictedQuerySet):
    """Queries over rebuilds of the knowledge state."""

    def unfinished(self):
        """Rebuilds asked for or running: until they complete, whole-estate answers are "being computed"."""
        return self.filter(status__in=[KnowledgeRefresh.STATUS_PENDING, KnowledgeRefresh.STATUS_RUNNING])


class KnowledgeRefresh(BaseModel):
    """One full rebuild of the knowledge state (install, upgrade, repair): asked for, running or done."""

    STATUS_PENDING, STATUS_RUNNING, STATUS_COMPLETED, STATUS_FAILED = "pending", "running", "completed", "failed"

    requested = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, default=STATUS_COMPLETED)
    reason = models.CharField(max_length=100, blank=True, help_text="Why the rebuild was asked for.")
    started = models.DateTimeField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    completed = models.DateTimeField(null=True, blank=True)
    duration_s = models.FloatField(default=0)
    object_rows = models.PositiveIntegerField(default=0)
    coverage_rows = models.PositiveIntegerField(default=0)

    objects = BaseManager.from_queryset(KnowledgeRefreshQuerySet)()

    natural_key_field_names = ["id"]
    is_data_compliance_model = False
    is_dynamic_group_associable_model = False
    is_saved_view_model = False

    class Meta:
        ordering = ["-requested"]
        get_latest_by = "requested"
        verbose_name = "knowledge refresh"

    def __str__(self):
        return f"Knowledge rebuild ({self.status}) of {self.requested:%Y-%m-%d %H:%M:%S}"


class CoverageSnapshotQuerySet(RestrictedQuerySet):
    """Queries over daily coverage snapshots."""

    @staticmethod
    def figures(knowledge, technology):
        """What a snapshot records of a technology in use, from the engine `knowledge`."""
        technology_id = technology.pk
        return {
            "objects_in_use": sum(knowledge.in_use[technology_id].values()),
            "bus_factor": knowledge.bus_factor(technology_id),
            "required_experts": technology.required_experts,
            "gaps": list(dict.fromkeys(gap.kind for gap in knowledge.gaps_of(technology_id))),
            "risk": knowledge.risk.get(technology_id, 0),
        }

    def record(self, knowledge):
        """Write the day's snapshot (`knowledge.as_of`) of each technology in use; drop the day's rows of unused ones.

        Returns (snapshots written, how many were new, how many stale rows were removed).
        """
        day = knowledge.as_of
        written = []
        created_count = 0
        with transaction.atomic():
            for technology_id, technology in sorted(knowledge.technologies.items(), key=lambda item: item[1].name):
                if not knowledge.is_in_use(technology_id):
                    continue
                snapshot, created = self.update_or_create(
                    date=day, technology=technology, defaults=self.figures(knowledge, technology)
                )
                created_count += created
                written.append(snapshot)
            # A re-run on the same day replaces the day: a technology no longer in use keeps no row for it.
            removed, _ = self.filter(date=day).exclude(pk__in=[s.pk for s in written]).delete()
        return written, created_count, removed


@extras_features("graphql")
class CoverageSnapshot(BaseModel):
    """Coverage figures of one technology on one day; the coverage snapshot Job writes them for the trend."""

    date = models.DateField()
    technology = models.ForeignKey(
        to="nautobot_techmgmt.Technology", on_delete=models.CASCADE, related_name="coverage_snapshots"
    )
    objects_in_use = models.PositiveIntegerField(default=0)
    bus_factor = models.PositiveIntegerField(default=0)
    required_experts = models.PositiveIntegerField(default=0)
    gaps = models.JSONField(default=list, blank=True, help_text="Kinds of the technology's gaps that day.")
    risk = models.PositiveIntegerField(default=0)

    objects = BaseManager.from_queryset(CoverageSnapshotQuerySet)()

    is_data_compliance_model = False
    is_dynamic_group_associable_model = False
    is_saved_view_model = False

    class Meta:
        ordering = ["-date", "technology__name"]
        constraints = [
            models.UniqueConstraint(fields=["date", "technology"], name="techmgmt_coveragesnapshot_unique_day")
        ]

    def __str__(self):
        return f"{self.technology} on {self.date}"
