"""The knowledge state: what the engine knows, kept up to date change by change.

Two halves, joined when read:

* per technology (`TechnologyKnowledge`, `QualifiedExpert`): who is qualified today, bus factor, the technology's
  own gap kinds and the next day they change by themselves — what depends on people;
* per object (`ObjectKnowledge`, in `coverage.py`) and per technology x object type x custodian
  (`CustodianCoverage`): which technologies an object uses and its effective custodian — what depends on inventory
  and custodianship.

`PendingChange` rows are the durable queue between a change and the state: written in the transaction of the change,
removed in the transaction that brings the state up to date, so a change is never lost and a worker that dies
leaves its rows for the next one. `KnowledgeLock` rows serialise updates of the same objects (by bucket), never of
unrelated ones.
"""

from django.db import models


class TechnologyKnowledge(models.Model):
    """The people side of one technology's knowledge on `as_of`: bus factor, own gap kinds, next change."""

    technology = models.OneToOneField(
        to="nautobot_techmgmt.Technology", on_delete=models.CASCADE, primary_key=True, related_name="knowledge_state"
    )
    as_of = models.DateField(help_text="The day the figures hold for.")
    bus_factor = models.PositiveIntegerField(default=0)
    vendor_covered = models.BooleanField(default=False, help_text="A support contract in force covers it.")
    gaps = models.JSONField(
        default=list, blank=True, help_text="The technology's own gap kinds (custodian gaps are per object)."
    )
    has_gap = models.BooleanField(default=False, help_text="Whether `gaps` is not empty (for filters).")
    next_change = models.DateField(
        null=True, blank=True, help_text="The next day a certification, agreement or contract changes the figures."
    )
    computed = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "technology knowledge"
        verbose_name_plural = "technology knowledge"

    def __str__(self):
        return f"Knowledge of {self.technology_id} on {self.as_of}"


class QualifiedExpert(models.Model):
    """An expert qualified for a technology on the state's day, with what the gaps need to know of them."""

    technology = models.ForeignKey(
        to="nautobot_techmgmt.Technology", on_delete=models.CASCADE, related_name="qualified_expert_rows"
    )
    expert = models.ForeignKey(to="nautobot_techmgmt.Expert", on_delete=models.CASCADE, related_name="+")
    internal = models.BooleanField(default=True, help_text="Employee or contractor rather than supplier staff.")
    has_capacity = models.BooleanField(default=False, help_text="An agreed availability agreement is in force.")
    lapsing = models.BooleanField(default=False, help_text="No longer qualified when the warning window ends.")

    class Meta:
        verbose_name = "qualified expert"
        constraints = [
            models.UniqueConstraint(fields=["technology", "expert"], name="techmgmt_qualifiedexpert_unique"),
        ]

    def __str__(self):
        return f"{self.expert_id} qualified for {self.technology_id}"


class PendingChange(models.Model):
    """A change the knowledge state has not taken in yet: an object, a rule target or technologies to recompute."""

    KIND_OBJECT = "object"  # one inventory object: object_type + object_id
    KIND_RULE = "rule"  # every object a rule target matches: target_field + object_id
    KIND_TECHNOLOGY = "technology"  # the people side of technologies: technology_ids
    KIND_RECOUNT = "recount"  # recount the custodian coverage of technologies (objects were deleted): technology_ids
    KINDS = (KIND_OBJECT, KIND_RULE, KIND_TECHNOLOGY, KIND_RECOUNT)

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=20, choices=[(kind, kind) for kind in KINDS])
    object_type = models.CharField(max_length=30, blank=True, help_text="Key of the object type, for objects.")
    target_field = models.CharField(max_length=30, blank=True, help_text="Scope target field, for rules.")
    object_id = models.UUIDField(null=True, blank=True)
    technology_ids = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "pending knowledge change"

    def __str__(self):
        return f"{self.kind} {self.object_type or self.target_field} {self.object_id or self.technology_ids}"


class KnowledgeLock(models.Model):
    """One of a fixed number of lock buckets: updates of objects in the same bucket wait for each other."""

    bucket = models.PositiveSmallIntegerField(primary_key=True)

    class Meta:
        verbose_name = "knowledge lock"

    def __str__(self):
        return f"Knowledge lock {self.bucket}"


class RoleSet(models.Model):
    """The responsibilities other than custodian resolved for an object and technology, in every role and tier.

    Content-addressed: objects whose rules give the same answer share one set (`key` is a digest of its entries), so
    a path defined on a location is stored once, however many objects it covers. `ObjectKnowledge.roles` and the
    counts (`CustodianCoverage.roles`) point here; who is qualified is joined in when read, never stored here.
    """

    key = models.CharField(max_length=64, unique=True, help_text="Digest of the entries.")
    has_primary_support = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "resolved role set"

    def __str__(self):
        return f"Role set {self.key[:12]}"


class RoleSetEntry(models.Model):
    """One assignee of one role and tier in a RoleSet, with the rule it comes from."""

    role_set = models.ForeignKey(to=RoleSet, on_delete=models.CASCADE, related_name="entries")
    role = models.CharField(max_length=50)
    tier = models.PositiveSmallIntegerField(default=1)
    team = models.ForeignKey(to="extras.Team", on_delete=models.CASCADE, related_name="+", null=True, blank=True)
    expert = models.ForeignKey(
        to="nautobot_techmgmt.Expert", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    contact = models.ForeignKey(to="extras.Contact", on_delete=models.CASCADE, related_name="+", null=True, blank=True)
    step = models.PositiveSmallIntegerField(help_text="Step of the resolution order it comes from (1 = the object).")
    source = models.CharField(max_length=255, blank=True)
    source_type = models.ForeignKey(
        to="contenttypes.ContentType", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    source_id = models.UUIDField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within the set.")

    class Meta:
        ordering = ["role_set", "position"]
        verbose_name = "resolved role"
        verbose_name_plural = "resolved roles"

    def __str__(self):
        return f"{self.role} tier {self.tier}"
