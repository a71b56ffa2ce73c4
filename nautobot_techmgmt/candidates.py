"""What one user may see of the change-log evidence: activity, candidate experts and fading skills.

Built on `Answers` (which technologies, experts and contacts the user may view) and the activity state
(`TechnologyActivity`, written by the activity Job). Candidates and fading skills are worked out when read, from the
activity and today's skills, so a recorded skill or a dismissal answers a candidate at once.

Privacy: nothing is shown without the feature on (setting `candidate_experts_enabled`) and the permission to view
technology activity; a contact is named only to users who may view that contact; a user mapped to no contact is
named (by username) only to users who may view users, and is "an unmapped user" to everyone else.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Greatest, Least
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from nautobot.apps.utils import is_uuid
from nautobot.extras.models import Contact, Team

from nautobot_techmgmt.constants import STATUS_ACTIVE
from nautobot_techmgmt.knowledge import activity
from nautobot_techmgmt.knowledge.config import app_setting
from nautobot_techmgmt.models import CandidateDismissal, Expert, Skill, Technology, TechnologyActivity
from nautobot_techmgmt.object_types import OBJECT_TYPES_BY_KEY

VIEW_ACTIVITY = "nautobot_techmgmt.view_technologyactivity"
VIEW_USERS = "users.view_user"
ADD_SKILL, CHANGE_SKILL = "nautobot_techmgmt.add_skill", "nautobot_techmgmt.change_skill"
UNMAPPED = "an unmapped user"
EVIDENCE_ORDER = ("technology__name", "-score", "-own_changes", "pk")


@dataclass
class Evidence:  # pylint: disable=too-many-instance-attributes
    """What the change log says of one person and one technology, as one user may see it."""

    person_name: str
    contact: Contact | None  # None for an unmapped user or a contact the user may not view
    expert: Expert | None  # the person's Expert record the user may view, or None
    user_ids: list  # the person's users, for change-log links; empty when the user may not see who they are
    technology: Technology
    activity: TechnologyActivity
    skill_level: int | None  # the recorded level, None without a skill
    candidate: bool  # strong activity and no skill, or a skill below the technology's qualified level
    dismissal: object = None  # the CandidateDismissal still in force, if any
    skill_id: object = None  # the recorded skill, if any
    may_record: bool = False  # whether the user may add the skill (or change the recorded one)
    unmapped_user: object = None  # the user mapped to no contact, to users who may view users only
    top_objects: list = field(default_factory=list)  # (object type, object id, changes); resolved by `with_objects`

    @property
    def suggested_level(self):
        """The level the activity suggests: the technology's qualified level, for a candidate."""
        return self.technology.qualified_level if self.candidate else None

    @property
    def changelog_url(self):
        """The core change log of the person's users from the start of the window (None for a hidden person)."""
        if not self.user_ids:
            return None
        query = [("user", user_id) for user_id in self.user_ids]
        query.append(("time__gte", self.activity.window_start.isoformat()))
        return f"{reverse('extras:objectchange_list')}?{urlencode(query)}"

    @property
    def record_skill_url(self):
        """For a candidate, the skill form filled in with the person, the technology and the suggested level.

        A new skill for a person without one; the recorded skill's edit form, at the suggested level, for a person
        recorded below it (its comments are kept). None for a non-candidate or a person with no expert record the
        user may view, or when the user may not add (or change) the skill. A person confirms the level with one more
        click.
        """
        level = self.suggested_level
        if self.expert is None or level is None or not self.may_record:
            return None
        if self.skill_id is not None:
            return f"{reverse('plugins:nautobot_techmgmt:skill_edit', kwargs={'pk': self.skill_id})}?level={level}"
        query = {"expert": self.expert.pk, "technology": self.technology.pk, "level": level}
        query["comments"] = (
            f"Candidate from the change log: {self.activity.own_changes} changes on "
            f"{self.activity.objects_touched} objects, last on {self.activity.last_activity:%Y-%m-%d}."
        )
        return f"{reverse('plugins:nautobot_techmgmt:skill_add')}?{urlencode(query)}"


@dataclass(frozen=True)
class FadingSkill:
    """A qualified skill with no activity on its technology for `fading_after_days` while others work on it."""

    skill: Skill
    last_activity: datetime | None  # the expert's last activity on the technology in the window, if any
    technology_last_activity: datetime  # the technology's last activity by anyone


class History:
    """The change-log evidence one user may see (see the module docstring)."""

    def __init__(self, answers, now=None):
        self.answers = answers
        self.user = answers.user
        self.now = now or timezone.now()

    @cached_property
    def visible(self):
        """Whether the user sees anything of the feature: it is on and the user may view technology activity."""
        return activity.enabled() and self.user.has_perm(VIEW_ACTIVITY)

    @cached_property
    def may_name_users(self):
        """Whether the user may see the usernames of unmapped users."""
        return self.user.has_perm(VIEW_USERS)

    def _viewable(self, model):
        """The objects of `model` the user may view, as a subquery (no query of its own)."""
        return model.objects.restrict(self.user, "view")

    def username(self, user, hidden=UNMAPPED):
        """Another user's username as this user may see it: `hidden` to users who may not view users."""
        if user is None:
            return None
        return user.username if self.may_name_users else hidden

    def teams_named(self, names):
        """The teams the user may view among those named or identified in `names` (for `candidates(teams=...)`)."""
        ids = [name for name in names if is_uuid(name)]
        return Team.objects.restrict(self.user, "view").filter(Q(name__in=names) | Q(pk__in=ids))

    def _activity(self, **filters):
        """The activity rows the user may see, with the person's skill and dismissal joined in (one query).

        Which technologies, contacts and experts the user may view is asked in the same query (subqueries), so a
        page pays one query for its evidence whatever else it shows.
        """
        # No ordering in the subqueries: the models' default orderings would join and sort for every row.
        skills = Skill.objects.filter(
            expert__contact_id=OuterRef("contact_id"), technology_id=OuterRef("technology_id")
        ).order_by()
        dismissals = (
            CandidateDismissal.objects.filter(technology_id=OuterRef("technology_id"))
            .filter(
                Q(contact_id=OuterRef("contact_id"), contact__isnull=False)
                | Q(user_id=OuterRef("user_id"), user__isnull=False)
            )
            .order_by()
        )
        rows = (
            TechnologyActivity.objects.restrict(self.user, "view")
            .filter(technology__in=self.answers.technologies())
            .filter(**filters)
            .select_related("technology", "contact", "user", "contact__techmgmt_expert__status")
            .annotate(
                skill_id=Subquery(skills.values("pk")[:1]),
                skill_level=Subquery(skills.values("level")[:1]),
                dismissal_id=Subquery(
                    dismissals.filter(activity_until__gte=OuterRef("last_activity")).values("pk")[:1]
                ),
                contact_viewable=Exists(self._viewable(Contact).filter(pk=OuterRef("contact_id"))),
                expert_viewable=Exists(self._viewable(Expert).filter(contact_id=OuterRef("contact_id"))),
            )
            .annotate(is_candidate=ExpressionWrapper(self._candidate_rule(), output_field=BooleanField()))
        )
        return rows if self.visible else rows.none()

    @staticmethod
    def _candidate_rule():
        """SQL truth of "a candidate" over the annotated activity rows of `_activity` (the one definition).

        Strong activity — at least `candidate_min_objects` objects authored (or all the technology has with activity)
        and `candidate_min_changes` changes — and no skill at the technology's qualified level; an expert who is not
        active is no candidate.
        """
        least_authored = Greatest(Value(1), Least(Value(app_setting("candidate_min_objects")), "technology_objects"))
        strong = Q(authored_objects__gte=least_authored, own_changes__gte=app_setting("candidate_min_changes"))
        below = Q(skill_level__isnull=True) | Q(skill_level__lt=F("technology__qualified_level"))
        active = Q(contact__techmgmt_expert__isnull=True) | Q(contact__techmgmt_expert__status__name=STATUS_ACTIVE)
        return strong & below & active

    def _evidence(self, row):
        contact = row.contact if row.contact_id and row.contact_viewable else None
        expert = getattr(contact, "techmgmt_expert", None) if contact and row.expert_viewable else None
        unmapped_user = row.user if row.user_id and self.may_name_users else None
        if contact is not None:
            name = contact.name
        elif unmapped_user is not None:
            name = f"{unmapped_user.username} (unmapped user)"
        else:
            name = UNMAPPED if row.user_id else "a contact you may not view"
        return Evidence(
            person_name=name,
            contact=contact,
            expert=expert,
            # A change-log link would show the usernames: none for a person the user may not see.
            user_ids=row.user_ids if contact is not None or unmapped_user is not None else [],
            technology=row.technology,
            activity=row,
            skill_level=row.skill_level,
            candidate=row.is_candidate,
            dismissal=row.dismissal_id,
            skill_id=row.skill_id,
            may_record=self.user.has_perm(CHANGE_SKILL if row.skill_id else ADD_SKILL),
            unmapped_user=unmapped_user,
            top_objects=row.top_objects,
        )

    def evidence(self, **filters):
        """Every activity row the user may see (filters on TechnologyActivity), strongest first per technology."""
        return self.as_evidence(self._activity().filter(**filters).order_by(*EVIDENCE_ORDER))

    def candidate_rows(self, technologies=None, teams=None, categories=(), include_dismissed=False):
        """Activity rows of candidates, per technology strongest first; dismissed ones only with `include_dismissed`.

        A queryset: slice or paginate it, then `as_evidence`.
        `technologies` is a queryset or ids, `teams` Teams whose members (contacts) to keep, `categories` technology
        categories.
        """
        rows = self._activity().filter(is_candidate=True)
        if technologies is not None:
            rows = rows.filter(technology__in=technologies)
        if categories:
            rows = rows.filter(technology__category__in=list(categories))
        if teams is not None:
            # A subquery, not a join: a member of two of the teams is still one candidate.
            rows = rows.filter(contact__in=Contact.objects.filter(teams__in=teams).values("pk"))
        if not include_dismissed:
            rows = rows.filter(dismissal_id__isnull=True)
        return rows.order_by(*EVIDENCE_ORDER)

    def as_evidence(self, rows):
        """Evidence of activity rows of `_activity` (a page of `candidate_rows`, say)."""
        return [self._evidence(row) for row in rows]

    def candidates(self, limit=None, **selection):
        """Candidate experts (Evidence), at most `limit`; `selection` as for `candidate_rows`."""
        return self.as_evidence(self.candidate_rows(**selection)[:limit])

    def of_person(self, contact):
        """The evidence for one contact (expert or contact page), per technology; none if the user may not view it."""
        return self.evidence(contact__in=self._viewable(Contact).filter(pk=contact.pk))

    def fading_skills(self, technologies=None, experts=None, teams=None, categories=()):
        """Fading skills: qualified, of active experts, untouched for `fading_after_days` while others worked on it.

        A skill assessed within those days is not fading; nor is one of a technology nobody worked on in them (the
        change log says nothing of it). The filters are those of `candidates`, and `experts` (a queryset or ids).
        One query.
        """
        if not self.visible:
            return []
        cutoff = self.now - timedelta(days=app_setting("fading_after_days"))
        on_technology = TechnologyActivity.objects.filter(technology_id=OuterRef("technology_id")).order_by()
        skills = (
            Skill.objects.filter(
                technology__in=self.answers.technologies(),
                expert__in=self._viewable(Expert),
                expert__status__name=STATUS_ACTIVE,
                level__gte=F("technology__qualified_level"),
            )
            .filter(Q(last_assessed__isnull=True) | Q(last_assessed__lt=cutoff.date()))
            .annotate(
                technology_last=Subquery(on_technology.order_by("-last_activity").values("last_activity")[:1]),
                expert_last=Subquery(
                    on_technology.filter(contact_id=OuterRef("expert__contact_id")).values("last_activity")[:1]
                ),
            )
            .filter(technology_last__gte=cutoff)
            .filter(Q(expert_last__isnull=True) | Q(expert_last__lt=cutoff))
        )
        if technologies is not None:
            skills = skills.filter(technology__in=technologies)
        if experts is not None:
            skills = skills.filter(expert__in=experts)
        if teams is not None:
            skills = skills.filter(expert__contact__in=Contact.objects.filter(teams__in=teams))
        if categories:
            skills = skills.filter(technology__category__in=list(categories))
        skills = skills.select_related("expert__contact", "technology").order_by(
            "technology__name", "expert__contact__name"
        )
        return [FadingSkill(skill, skill.expert_last, skill.technology_last) for skill in skills]


def resolve_objects(user, evidence_items):
    """Fill each item's `top_objects` with (object or None, id, changes): one query per object type.

    Objects deleted since, or that the user may not view, stay None (the page shows the id only).
    """
    wanted = {}
    for item in evidence_items:
        for type_key, object_id, _ in item.activity.top_objects:
            wanted.setdefault(type_key, set()).add(object_id)
    found = {}
    for type_key, ids in wanted.items():
        model = OBJECT_TYPES_BY_KEY[type_key].model
        found.update({str(obj.pk): obj for obj in model.objects.restrict(user, "view").filter(pk__in=ids)})
    for item in evidence_items:
        item.top_objects = [
            (found.get(object_id), object_id, changes) for _, object_id, changes in item.activity.top_objects
        ]
    return evidence_items
