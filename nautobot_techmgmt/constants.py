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
    ("Declined", "f44336", "Hours the line manager declined (an approval workflow was denied)."),
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
STATUS_DECLINED = "Declined"
STATUS_IN_PROGRESS = "In Progress"
STATUS_PLANNED = "Planned"
STATUS_PROPOSED = "Proposed"

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
    # Expert hours a technology needs where no effort model of the technology or its category says otherwise
    # (docs/user/capacity.md): base hours per week, hours per object in use per month by object type key, and the
    # percentage a critical gap of the technology adds to its demand (a high gap adds half of it).
    "default_effort": {
        "base_hours_per_week": 1,
        "hours_per_object": {
            "devices": 0.25,
            "circuits": 0.1,
            "virtual_machines": 0.25,
            "clusters": 1,
            "cloud_services": 0.5,
        },
        "gap_uplift_percent": 25,
    },
    # The make-or-buy rule: a technology needing fewer hours per week than this is better bought (a contract, a
    # contractor by the hour) ...
    "buy_below_hours_per_week": 8,
    # ... and one needing at least this many, steadily, is better built inside (train, agree hours).
    "build_from_hours_per_week": 20,
}
