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
