"""Status names the app seeds and the knowledge engine relies on, and the app's default settings."""

# (name, color, description) per model; seeded by signals.seed_statuses.
TECHNOLOGY_STATUSES = (
    ("Active", "4caf50", "In use and supported."),
    ("Planned", "00bcd4", "Being introduced."),
    ("Retiring", "ff9800", "Being phased out."),
    ("Retired", "9e9e9e", "No longer supported."),
)
EXPERT_STATUSES = (
    ("Active", "4caf50", "Available for technical work; counts towards bus factor."),
    ("On Leave", "ff9800", "Temporarily unavailable; does not count."),
    ("Departed", "9e9e9e", "Left the organisation; does not count."),
)
AGREEMENT_STATUSES = (
    ("Proposed", "00bcd4", "Hours proposed, not yet agreed with the line manager."),
    ("Agreed", "4caf50", "Hours agreed with the line manager."),
    ("Expired", "9e9e9e", "No longer in force."),
)
TRAINING_STATUSES = (
    ("Planned", "00bcd4", "Training planned."),
    ("In Progress", "2196f3", "Training under way."),
    ("Completed", "4caf50", "Training completed; the skill is raised to the target level."),
    ("Cancelled", "9e9e9e", "Training will not take place."),
)

STATUS_ACTIVE = "Active"
STATUS_AGREED = "Agreed"
STATUS_COMPLETED = "Completed"
STATUS_IN_PROGRESS = "In Progress"
STATUS_PLANNED = "Planned"

# The app's settings when PLUGINS_CONFIG does not set them: TechMgmtConfig.default_settings and
# knowledge.config.app_setting both read this dict. Kept here, free of model imports, so the engine can read it
# without importing the app package (which would import the engine again through its signal handlers).
DEFAULT_SETTINGS = {
    # Days before a certification lapses that it is reported as expiring.
    "certification_warning_days": 90,
    # Core ContactAssociation roles that count as a custodian responsibility.
    "custodian_roles": ["Custodian"],
    # Core ContactAssociation roles that count as a responsibility in another role: {role: [core role names]}, e.g.
    # {"primary-support": ["Support"], "escalation": ["Escalation"]}; the roles are ResponsibilityRoleChoices values.
    # An association counts as tier 1 of its role.
    "contact_roles": {},
    # Whether objects without a primary support assignee are a gap (no_primary_support). False for organisations
    # whose custodians take every first call.
    "primary_support_required": True,
    # A committing process brings the knowledge state up to date itself when its transaction recorded at most
    # this many object or technology changes and no rule change; more go to a Celery worker. 0: always a worker.
    "inline_propagation_limit": 50,
    # Candidate experts from the change log (docs/user/candidate_experts.md). False turns the feature off everywhere.
    "candidate_experts_enabled": True,
    # Days of change log and notes the activity covers.
    "activity_window_days": 365,
    # A qualified skill with no activity on its technology for this many days (and not assessed in them) is fading.
    "fading_after_days": 180,
    # A candidate is the author of at least this many objects of the technology (or of all it has with activity) ...
    "candidate_min_objects": 3,
    # ... and made at least this many changes and notes to them in the window.
    "candidate_min_changes": 10,
}
