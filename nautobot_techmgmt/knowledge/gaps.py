"""The gap rules: kinds, their severities, how risk is weighed, and when each kind of gap exists."""

from dataclasses import dataclass, field
from typing import Any

from nautobot_techmgmt.choices import GapKindChoices as Kinds
from nautobot_techmgmt.choices import GapSeverityChoices as Severities
from nautobot_techmgmt.knowledge.config import app_setting

NO_EXPERT, SINGLE_EXPERT, BELOW_TARGET = Kinds.NO_EXPERT, Kinds.SINGLE_EXPERT, Kinds.BELOW_TARGET
CUSTODIAN_LACKS_SKILL, NO_CUSTODIAN = Kinds.CUSTODIAN_LACKS_SKILL, Kinds.NO_CUSTODIAN
CERTIFICATION_EXPIRING, NO_CAPACITY = Kinds.CERTIFICATION_EXPIRING, Kinds.NO_CAPACITY
VENDOR_ONLY, EXTERNAL_ONLY = Kinds.VENDOR_ONLY, Kinds.EXTERNAL_ONLY
NO_PRIMARY_SUPPORT, UNQUALIFIED_ESCALATION = Kinds.NO_PRIMARY_SUPPORT, Kinds.UNQUALIFIED_ESCALATION

CRITICAL, HIGH, MEDIUM, LOW = Severities.CRITICAL, Severities.HIGH, Severities.MEDIUM, Severities.LOW

SEVERITY = {
    NO_EXPERT: CRITICAL,
    SINGLE_EXPERT: HIGH,
    BELOW_TARGET: MEDIUM,
    CUSTODIAN_LACKS_SKILL: HIGH,
    NO_CUSTODIAN: MEDIUM,
    CERTIFICATION_EXPIRING: MEDIUM,
    NO_CAPACITY: MEDIUM,
    VENDOR_ONLY: LOW,
    EXTERNAL_ONLY: HIGH,
    NO_PRIMARY_SUPPORT: MEDIUM,
    UNQUALIFIED_ESCALATION: MEDIUM,
}
GAP_KINDS = tuple(SEVERITY)
SEVERITIES = (CRITICAL, HIGH, MEDIUM, LOW)
# Risk = sum over a technology's gaps of weight(severity) x objects affected.
SEVERITY_WEIGHT = {CRITICAL: 10, HIGH: 5, MEDIUM: 2, LOW: 1}


def worst_of(severities):
    """The worst of some severities ("" ones are no gap), or "" when there is none."""
    severities = set(severities)
    return next((severity for severity in SEVERITIES if severity in severities), "")


def worst_severity(kinds):
    """The worst severity among gap kinds, or "" when there is no gap."""
    return worst_of(SEVERITY[kind] for kind in kinds)


def object_risk(kinds):
    """Risk of one object for one technology: the sum of its gaps' severity weights."""
    return sum(SEVERITY_WEIGHT[SEVERITY[kind]] for kind in kinds)


@dataclass
class Gap:
    """One knowledge gap of one technology."""

    kind: str
    technology: Any  # a Technology (not imported: models/coverage.py imports this module)
    detail: str
    affected: dict = field(default_factory=dict)  # object type key -> number of objects
    affected_ids: dict = None  # object type key -> set of object ids, where known
    experts: list = field(default_factory=list)  # experts the gap names; kept out of `detail` for permissions

    @property
    def severity(self):
        """Severity of this kind of gap."""
        return SEVERITY[self.kind]

    @property
    def affected_objects(self):
        """Number of objects the gap affects."""
        return sum(self.affected.values())

    @property
    def risk(self):
        """Severity weighted by the objects affected."""
        return SEVERITY_WEIGHT[self.severity] * self.affected_objects

    @property
    def key(self):
        """Identity of the gap across scenarios: (kind, technology id)."""
        return (self.kind, self.technology.pk)


def custodian_gap_kind(has_custodian, custodian_qualified):
    """The custodian gap of objects: none assigned, or one without a qualified member; None when covered."""
    if not has_custodian:
        return NO_CUSTODIAN
    if not custodian_qualified:
        return CUSTODIAN_LACKS_SKILL
    return None


def technology_gaps(knowledge, technology_id, counts=None):
    """Gaps of a technology that do not depend on the object: bus factor, expiry, capacity, vendor.

    `knowledge` is the engine (`Knowledge`) whose answers the rules read; `counts` ({object type key: n}) are the
    objects the gaps affect; default: every object using the technology.
    """
    technology = knowledge.technologies[technology_id]
    counts = knowledge.in_use.get(technology_id, {}) if counts is None else counts
    qualified = knowledge.qualified.get(technology_id, set())
    bus = len(qualified)
    found = []
    internal = qualified & knowledge.internal_experts
    vendor_covered = technology_id in knowledge.vendor_covered
    if qualified and not internal and not vendor_covered:
        found.append(
            Gap(
                EXTERNAL_ONLY,
                technology,
                f"Only supplier staff are qualified for {technology}, and no support contract covers it.",
                counts,
                experts=knowledge.qualified_experts(technology_id),
            )
        )
    if not internal and vendor_covered:
        detail = f"No qualified internal expert for {technology}; only a supplier's support contract covers it."
        found.append(Gap(VENDOR_ONLY, technology, detail, counts))
    elif bus == 0:
        found.append(Gap(NO_EXPERT, technology, f"{technology} is in use and nobody is qualified for it.", counts))
    if bus == 1 and technology.required_experts >= 2:
        found.append(
            Gap(
                SINGLE_EXPERT,
                technology,
                f"Only one expert is qualified for {technology}; {technology.required_experts} needed.",
                counts,
                experts=knowledge.qualified_experts(technology_id),
            )
        )
    elif 1 < bus < technology.required_experts:
        detail = f"{bus} of {technology.required_experts} required experts are qualified for {technology}."
        found.append(Gap(BELOW_TARGET, technology, detail, counts))
    if lapsing := knowledge.lapsing.get(technology_id):
        found.append(
            Gap(
                CERTIFICATION_EXPIRING,
                technology,
                f"{len(lapsing)} qualified expert(s) of {technology} stop being qualified within "
                f"{knowledge.warning_days} days as a certification lapses.",
                counts,
                experts=sorted((knowledge.experts[pk] for pk in lapsing), key=str),
            )
        )
    if qualified and not qualified & knowledge.experts_with_capacity:
        detail = f"No qualified expert for {technology} has agreed hours in force."
        found.append(Gap(NO_CAPACITY, technology, detail, counts))
    return found


def custodian_gaps(technology, unassigned, unskilled):
    """Gaps about custodianship of a technology.

    `unassigned` and `unskilled` count ({object type key: n}) the objects without a custodian and those whose
    custodian lacks the skill.
    """
    return _counted(
        technology,
        (CUSTODIAN_LACKS_SKILL, f"The custodian of {technology} on some objects has no qualified member.", unskilled),
        (NO_CUSTODIAN, f"{technology} is in use on objects that have no custodian.", unassigned),
    )


def support_gap_kinds(has_primary_support, support_qualified):
    """The support-path gaps of objects: no primary support (unless not required), a tier held by the unqualified."""
    kinds = []
    if not has_primary_support and app_setting("primary_support_required"):
        kinds.append(NO_PRIMARY_SUPPORT)
    if not support_qualified:
        kinds.append(UNQUALIFIED_ESCALATION)
    return kinds


def support_gaps(technology, unsupported, unqualified):
    """Gaps about the support path of a technology.

    `unsupported` and `unqualified` count ({object type key: n}) the objects without primary support and those whose
    path (primary, backup support, escalation) has a tier held by an expert who is not qualified, a team with no
    qualified member or a contact without an expert record.
    """
    return _counted(
        technology,
        (NO_PRIMARY_SUPPORT, f"{technology} is in use on objects that have no primary support.", unsupported),
        (
            UNQUALIFIED_ESCALATION,
            f"The escalation path of {technology} on some objects has a tier with no qualified assignee.",
            unqualified,
        ),
    )


def _counted(technology, *candidates):
    """The gaps of (kind, detail, {object type key: n}) candidates that affect some object, in the given order."""
    return [Gap(kind, technology, detail, dict(counts)) for kind, detail, counts in candidates if any(counts.values())]
