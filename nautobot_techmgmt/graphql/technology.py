"""GraphQL type of technologies, with their candidate experts and fading skills from the change log, and capacity.

Nautobot 3 gives apps no way to add a query field of their own at the root, so the change-log evidence hangs off
the technologies: `technologies(category: ["network"]) { name candidates(team: ["NetOps"]) { ... } fading_skills
{ ... } }`. Everything comes from `candidates.History`, asked once per request for all the technologies listed; a
user without the activity permission, or with the feature off, gets empty lists. So do the expert hours
(`capacity { ... } make_or_buy { ... }`, from `capacity.CapacityAnswers`, asked once per request).
"""

from collections import defaultdict

import graphene
from nautobot.apps.graphql import OptimizedNautobotObjectType

from nautobot_techmgmt.answers import per_request
from nautobot_techmgmt.filters import TechnologyFilterSet
from nautobot_techmgmt.graphql.capacity import MakeOrBuyType, TechnologyCapacityType
from nautobot_techmgmt.graphql.context import capacity_of, history_of
from nautobot_techmgmt.models import Technology


def _absolute(info, path):
    return None if path is None else info.context.build_absolute_uri(path)


class CandidateType(graphene.ObjectType):
    """A candidate expert and the change-log evidence for them (`candidates.Evidence`)."""

    person_name = graphene.String(description='The contact\'s name, or "an unmapped user".')
    contact_id = graphene.ID(description="Null for an unmapped user or a contact you may not view.")
    expert_id = graphene.ID(description="The person's expert record, if any and if you may view it.")
    unmapped_user_id = graphene.ID(description="Null unless you may view users.")
    skill_level = graphene.Int(description="The level recorded; null without a skill.")
    suggested_level = graphene.Int()
    objects_touched = graphene.Int()
    authored_objects = graphene.Int()
    first_authorships = graphene.Int()
    own_changes = graphene.Int()
    others_changes = graphene.Int()
    last_activity = graphene.DateTime()
    score = graphene.Float()
    dismissed = graphene.Boolean()
    changelog_url = graphene.String()
    record_skill_url = graphene.String()

    @staticmethod
    def resolve_contact_id(root, info):  # pylint: disable=unused-argument
        """The contact's id, or null."""
        return None if root.contact is None else root.contact.pk

    @staticmethod
    def resolve_expert_id(root, info):  # pylint: disable=unused-argument
        """The expert's id, or null."""
        return None if root.expert is None else root.expert.pk

    @staticmethod
    def resolve_unmapped_user_id(root, info):  # pylint: disable=unused-argument
        """The unmapped user's id, or null."""
        return None if root.unmapped_user is None else root.unmapped_user.pk

    @staticmethod
    def resolve_dismissed(root, info):  # pylint: disable=unused-argument
        """Whether a dismissal still holds."""
        return root.dismissal is not None

    @staticmethod
    def resolve_changelog_url(root, info):
        """The change log of the person's users in the window."""
        return _absolute(info, root.changelog_url)

    @staticmethod
    def resolve_record_skill_url(root, info):
        """The skill form filled in; null without an expert record."""
        return _absolute(info, root.record_skill_url)


def _activity_figure(name):
    def resolve(root, info):  # pylint: disable=unused-argument
        return getattr(root.activity, name)

    resolve.__name__ = f"resolve_{name}"
    return staticmethod(resolve)


for _figure in (
    "objects_touched",
    "authored_objects",
    "first_authorships",
    "own_changes",
    "others_changes",
    "last_activity",
    "score",
):
    setattr(CandidateType, f"resolve_{_figure}", _activity_figure(_figure))


class FadingSkillType(graphene.ObjectType):
    """A qualified skill with no activity on its technology for a long time while others work on it."""

    skill_id = graphene.ID()
    expert = graphene.String(description="The expert's name.")
    expert_id = graphene.ID()
    level = graphene.Int()
    last_assessed = graphene.Date()
    last_activity = graphene.DateTime(description="The expert's last activity on the technology; null if none.")
    technology_last_activity = graphene.DateTime(description="The technology's last activity by anyone.")

    @staticmethod
    def resolve_skill_id(root, info):  # pylint: disable=unused-argument
        """The skill's id."""
        return root.skill.pk

    @staticmethod
    def resolve_expert(root, info):  # pylint: disable=unused-argument
        """The expert's name."""
        return str(root.skill.expert)

    @staticmethod
    def resolve_expert_id(root, info):  # pylint: disable=unused-argument
        """The expert's id."""
        return root.skill.expert_id

    @staticmethod
    def resolve_level(root, info):  # pylint: disable=unused-argument
        """The level recorded."""
        return root.skill.level

    @staticmethod
    def resolve_last_assessed(root, info):  # pylint: disable=unused-argument
        """When the level was last assessed."""
        return root.skill.last_assessed


def candidates_by_technology(info, team, include_dismissed):
    """{technology id: candidates} for the whole request, asked of History once per set of arguments."""

    def group():
        history = history_of(info)
        grouped = defaultdict(list)
        teams = history.teams_named(team) if team else None
        for item in history.candidates(teams=teams, include_dismissed=include_dismissed):
            grouped[item.technology.pk].append(item)
        return grouped

    return per_request(info.context, ("candidates", tuple(team or ()), include_dismissed), group)


def fading_skills_by_technology(info):
    """{technology id: fading skills} for the whole request, asked of History once."""

    def group():
        grouped = defaultdict(list)
        for item in history_of(info).fading_skills():
            grouped[item.skill.technology_id].append(item)
        return grouped

    return per_request(info.context, "fading_skills", group)


class TechnologyType(OptimizedNautobotObjectType):
    """A technology, with its candidate experts and fading skills from the change log, and its expert hours."""

    candidates = graphene.List(
        CandidateType,
        team=graphene.List(graphene.String, description="Teams the person belongs to (name or ID)."),
        include_dismissed=graphene.Boolean(default_value=False),
        description="Candidate experts from the change log, strongest first.",
    )
    fading_skills = graphene.List(FadingSkillType, description="Qualified skills with no activity for a long time.")
    capacity = graphene.Field(
        TechnologyCapacityType, description="Demand and supply of expert hours per week; null when not in use."
    )
    make_or_buy = graphene.Field(
        MakeOrBuyType, description="The options and the rule's recommendation; null without a shortfall or a surplus."
    )

    class Meta:
        """All fields of the model, the technology filters as arguments."""

        model = Technology
        fields = "__all__"
        filterset_class = TechnologyFilterSet

    @staticmethod
    def resolve_candidates(root, info, team=None, include_dismissed=False):
        """The technology's candidates the user may see."""
        return candidates_by_technology(info, team, include_dismissed).get(root.pk, [])

    @staticmethod
    def resolve_fading_skills(root, info):
        """The technology's fading skills the user may see."""
        return fading_skills_by_technology(info).get(root.pk, [])

    @staticmethod
    def resolve_capacity(root, info):
        """The technology's demand and supply (the user's view of them)."""
        return capacity_of(info).technology(root)

    @staticmethod
    def resolve_make_or_buy(root, info):
        """The technology's make-or-buy options (the user's view of them)."""
        return capacity_of(info).make_or_buy(root)
