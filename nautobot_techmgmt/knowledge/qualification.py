"""Who is qualified for which technology, and so the bus factor."""

from functools import reduce
from operator import or_

from django.db.models import Exists, F, OuterRef, Q

from nautobot_techmgmt.choices import EmploymentTypeChoices
from nautobot_techmgmt.constants import STATUS_ACTIVE
from nautobot_techmgmt.models import Expert, ExpertCertification, Skill


def qualified_pairs(days, excluded_expert_ids=(), technology_ids=None):
    """{day: set of (technology_id, expert_id)} where the expert is qualified for the technology on that day.

    Qualified: the expert is active, holds a skill of at least the technology's qualified level and,
    where the technology requires certification, holds a certification valid on the day that evidences
    the technology. Only the given technologies when `technology_ids` is not None. One query, whatever the
    number of days.
    """
    days = list(days)
    certified = {
        f"certified_{index}": Exists(
            ExpertCertification.objects.valid_on(day).filter(
                expert_id=OuterRef("expert_id"), certification__technologies=OuterRef("technology_id")
            )
        )
        for index, day in enumerate(days)
    }
    skills = (
        Skill.objects.filter(expert__status__name=STATUS_ACTIVE, level__gte=F("technology__qualified_level"))
        .exclude(expert_id__in=list(excluded_expert_ids))
        .annotate(**certified)
        .filter(reduce(or_, (Q(**{name: True}) for name in certified), Q(technology__certification_required=False)))
    )
    if technology_ids is not None:
        skills = skills.filter(technology_id__in=list(technology_ids))
    result = {day: set() for day in days}
    rows = skills.values_list("technology_id", "expert_id", "technology__certification_required", *certified)
    for technology_id, expert_id, required, *valid in rows:
        for day, has_certificate in zip(days, valid, strict=True):
            if has_certificate or not required:
                result[day].add((technology_id, expert_id))
    return result


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
