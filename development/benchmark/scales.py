"""Sizes of the generated estates: `large` is the design's scale, `small` a tenth of it, `tiny` for the test."""

# The counts a scale asks for; the generator creates exactly these (dataset keys of benchmark-results.json).
REQUESTED = (
    "devices",
    "circuits",
    "virtual_machines",
    "clusters",
    "experts",
    "technologies",
    "skills",
    "scopes",
    "responsibilities",
    "certifications_held",
    "users",
    "change_log",
    "notes",
)

SCALES = {
    "large": {
        "devices": 100_000,
        "circuits": 20_000,
        "virtual_machines": 10_000,
        "clusters": 200,
        "experts": 2_000,
        "technologies": 500,
        "skills": 20_000,
        "scopes": 1_000,
        "responsibilities": 5_000,
        "certifications_held": 2_000,
        "users": 2_000,
        "change_log": 1_000_000,
        "notes": 20_000,
    },
    "small": {
        "devices": 10_000,
        "circuits": 2_000,
        "virtual_machines": 1_000,
        "clusters": 20,
        "experts": 200,
        "technologies": 50,
        "skills": 2_000,
        "scopes": 100,
        "responsibilities": 500,
        "certifications_held": 200,
        "users": 200,
        "change_log": 100_000,
        "notes": 2_000,
    },
    # About a thousandth of large, rounded up so that every kind of scope and responsibility occurs.
    "tiny": {
        "devices": 100,
        "circuits": 20,
        "virtual_machines": 10,
        "clusters": 2,
        "experts": 12,
        "technologies": 20,
        "skills": 40,
        "scopes": 30,
        "responsibilities": 40,
        "certifications_held": 10,
        "users": 12,
        "change_log": 1_000,
        "notes": 20,
    },
}

DEFAULT_SEED = 20260601
