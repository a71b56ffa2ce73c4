"""Who is qualified for which technology, and so the bus factor."""

from django.db.models import Exists, F, OuterRef, Q

from nautobot_techmgmt.choices import EmploymentTypeChoices
from nautobot_techmgmt.constants import STATUS_ACTIVE
from nautobot_techmgmt.models import Expert, ExpertCertification, Skill


def qualified_pairs(as_of, excluded_expert_ids=()):
    """Set of (technology_id, expert_id) where the expert is qualified for the technology on `as_of`.

    Qualified: the expert is active, holds a skill of at least the technology's qualified level and,
    where the technology requires certification, holds a certification valid on `as_of` that
    evidences the technology. One query.
    """
    valid_certification = ExpertCertification.objects.valid_on(as_of).filter(
        expert_id=OuterRef("expert_id"), certification__technologies=OuterRef("technology_id")
    )
    skills = (
        Skill.objects.filter(expert__status__name=STATUS_ACTIVE, level__gte=F("technology__qualified_level"))
        .filter(Q(technology__certification_required=False) | Exists(valid_certification))
        .exclude(expert_id__in=list(excluded_expert_ids))
    )
    return set(skills.values_list("technology_id", "expert_id"))


def internal_expert_ids(expert_ids):
    """The subset of experts who are staff or contractors rather than supplier staff."""
    return set(
        Expert.objects.filter(pk__in=list(expert_ids))
        .exclude(employment_type=EmploymentTypeChoices.SUPPLIER_STAFF)
        .values_list("pk", flat=True)
    )


def by_technology(pairs):
    """{technology_id: set(expert_id)} from (technology_id, expert_id) pairs."""
    result = {}
    for technology_id, expert_id in pairs:
        result.setdefault(technology_id, set()).add(expert_id)
    return result
