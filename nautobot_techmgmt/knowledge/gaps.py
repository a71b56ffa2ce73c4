"""Knowledge-gap kinds, their severities and how risk is weighed."""

from dataclasses import dataclass, field

from nautobot_techmgmt.choices import GapKindChoices as Kinds
from nautobot_techmgmt.choices import GapSeverityChoices as Severities

NO_EXPERT, SINGLE_EXPERT, BELOW_TARGET = Kinds.NO_EXPERT, Kinds.SINGLE_EXPERT, Kinds.BELOW_TARGET
CUSTODIAN_LACKS_SKILL, NO_CUSTODIAN = Kinds.CUSTODIAN_LACKS_SKILL, Kinds.NO_CUSTODIAN
CERTIFICATION_EXPIRING, NO_CAPACITY = Kinds.CERTIFICATION_EXPIRING, Kinds.NO_CAPACITY
VENDOR_ONLY, EXTERNAL_ONLY = Kinds.VENDOR_ONLY, Kinds.EXTERNAL_ONLY

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
}
GAP_KINDS = tuple(SEVERITY)
SEVERITIES = (CRITICAL, HIGH, MEDIUM, LOW)
# Risk = sum over a technology's gaps of weight(severity) x objects affected.
SEVERITY_WEIGHT = {CRITICAL: 10, HIGH: 5, MEDIUM: 2, LOW: 1}


def worst_severity(kinds):
    """The worst severity among gap kinds, or "" when there is no gap."""
    severities = {SEVERITY[kind] for kind in kinds}
    return next((severity for severity in SEVERITIES if severity in severities), "")


def object_risk(kinds):
    """Risk of one object for one technology: the sum of its gaps' severity weights."""
    return sum(SEVERITY_WEIGHT[SEVERITY[kind]] for kind in kinds)


@dataclass
class Gap:
    """One knowledge gap of one technology."""

    kind: str
    technology: object
    detail: str
    affected: dict = field(default_factory=dict)  # object type key -> number of objects
    affected_ids: dict = None  # object type key -> set of object ids, where known
    experts: list = field(default_factory=list)  # experts the gap names; kept out of `detail` for permissions

    @property
    def label(self):
        """Readable name of the kind: "Single expert"."""
        return self.kind.replace("_", " ").capitalize()

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
