"""Choice sets of the technical-management models."""

from nautobot.apps.choices import ChoiceSet


class TechnologyCategoryChoices(ChoiceSet):
    """Broad area a technology belongs to."""

    DATABASE = "database"
    DESKTOP = "desktop"
    NETWORK = "network"
    SERVER = "server"
    STORAGE = "storage"
    SECURITY = "security"
    CLOUD = "cloud"
    APPLICATION = "application"
    OTHER = "other"

    CHOICES = (
        (DATABASE, "Database"),
        (DESKTOP, "Desktop"),
        (NETWORK, "Network"),
        (SERVER, "Server"),
        (STORAGE, "Storage"),
        (SECURITY, "Security"),
        (CLOUD, "Cloud"),
        (APPLICATION, "Application"),
        (OTHER, "Other"),
    )


class SkillLevelChoices(ChoiceSet):
    """Proficiency on the 1-5 scale."""

    AWARENESS = 1
    WORKING_KNOWLEDGE = 2
    PRACTITIONER = 3
    EXPERT = 4
    AUTHORITY = 5

    CHOICES = (
        (AWARENESS, "1 - Awareness"),
        (WORKING_KNOWLEDGE, "2 - Working knowledge"),
        (PRACTITIONER, "3 - Practitioner"),
        (EXPERT, "4 - Expert"),
        (AUTHORITY, "5 - Authority"),
    )


class EmploymentTypeChoices(ChoiceSet):
    """How an expert is engaged."""

    EMPLOYEE = "employee"
    CONTRACTOR = "contractor"
    SUPPLIER_STAFF = "supplier-staff"

    CHOICES = (
        (EMPLOYEE, "Employee"),
        (CONTRACTOR, "Contractor"),
        (SUPPLIER_STAFF, "Supplier staff"),
    )


class ResponsibilityRoleChoices(ChoiceSet):
    """Role an assignee plays for a target."""

    CUSTODIAN = "custodian"
    PRIMARY_SUPPORT = "primary-support"
    BACKUP_SUPPORT = "backup-support"
    ESCALATION = "escalation"
    DESIGN_AUTHORITY = "design-authority"
    CHANGE_ASSESSOR = "change-assessor"

    CHOICES = (
        (CUSTODIAN, "Custodian"),
        (PRIMARY_SUPPORT, "Primary support"),
        (BACKUP_SUPPORT, "Backup support"),
        (ESCALATION, "Escalation"),
        (DESIGN_AUTHORITY, "Design authority"),
        (CHANGE_ASSESSOR, "Change assessor"),
    )


# The roles whose assignees make up an object's support (escalation) path, in the order it is followed.
SUPPORT_ROLES = (
    ResponsibilityRoleChoices.PRIMARY_SUPPORT,
    ResponsibilityRoleChoices.BACKUP_SUPPORT,
    ResponsibilityRoleChoices.ESCALATION,
)
# The roles that must assess a change to an object.
ASSESSOR_ROLES = (ResponsibilityRoleChoices.CHANGE_ASSESSOR, ResponsibilityRoleChoices.DESIGN_AUTHORITY)


class SupportLevelChoices(ChoiceSet):
    """Hours a support contract covers."""

    TWENTY_FOUR_SEVEN = "24x7"
    BUSINESS_HOURS = "business-hours"
    BEST_EFFORT = "best-effort"

    CHOICES = (
        (TWENTY_FOUR_SEVEN, "24x7"),
        (BUSINESS_HOURS, "Business hours"),
        (BEST_EFFORT, "Best effort"),
    )


class GapKindChoices(ChoiceSet):
    """Kinds of knowledge gap the engine finds (see the engine's rules in the docs)."""

    NO_EXPERT = "no_expert"
    SINGLE_EXPERT = "single_expert"
    BELOW_TARGET = "below_target"
    CUSTODIAN_LACKS_SKILL = "custodian_lacks_skill"
    NO_CUSTODIAN = "no_custodian"
    CERTIFICATION_EXPIRING = "certification_expiring"
    NO_CAPACITY = "no_capacity"
    VENDOR_ONLY = "vendor_only"
    EXTERNAL_ONLY = "external_only"
    NO_PRIMARY_SUPPORT = "no_primary_support"
    UNQUALIFIED_ESCALATION = "unqualified_escalation"

    CHOICES = (
        (NO_EXPERT, "No expert"),
        (SINGLE_EXPERT, "Single expert"),
        (BELOW_TARGET, "Below target"),
        (CUSTODIAN_LACKS_SKILL, "Custodian lacks skill"),
        (NO_CUSTODIAN, "No custodian"),
        (CERTIFICATION_EXPIRING, "Certification expiring"),
        (NO_CAPACITY, "No capacity"),
        (VENDOR_ONLY, "Vendor only"),
        (EXTERNAL_ONLY, "External only"),
        (NO_PRIMARY_SUPPORT, "No primary support"),
        (UNQUALIFIED_ESCALATION, "Unqualified escalation tier"),
    )


class GapSeverityChoices(ChoiceSet):
    """How bad a knowledge gap is, worst first."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    CHOICES = (
        (CRITICAL, "Critical"),
        (HIGH, "High"),
        (MEDIUM, "Medium"),
        (LOW, "Low"),
    )


class GapStatusChoices(ChoiceSet):
    """Where a gap of the register stands."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RISK_ACCEPTED = "risk_accepted"
    CLOSED = "closed"

    CHOICES = (
        (OPEN, "Open"),
        (ACKNOWLEDGED, "Acknowledged"),
        (RISK_ACCEPTED, "Risk accepted"),
        (CLOSED, "Closed"),
    )
