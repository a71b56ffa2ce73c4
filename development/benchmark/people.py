"""People of the benchmark estate: core contacts and teams, experts, skills, certifications, agreed hours."""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from nautobot.extras.models import Contact, Team

from nautobot_techmgmt.choices import EmploymentTypeChoices
from nautobot_techmgmt.models import (
    AvailabilityAgreement,
    Certification,
    Expert,
    ExpertCertification,
    Skill,
    TrainingPlan,
)

# Technology category -> the line teams that look after it ("Network Engineering 3").
DOMAINS = {
    "network": "Network Engineering",
    "security": "Security Operations",
    "server": "Server & Virtualisation",
    "storage": "Storage & Backup",
    "database": "Database Services",
    "cloud": "Cloud Platforms",
    "application": "Application Platforms",
    "desktop": "Workplace Services",
}
EXPERTS_PER_TEAM = 25

FIRST_NAMES = (
    "Anna", "Ben", "Carla", "Dev", "Emma", "Farid", "Grace", "Hiro", "Isabel", "Jonas", "Kemal", "Laura", "Mateo",
    "Nadia", "Oliver", "Priya", "Quentin", "Rosa", "Sven", "Tomasz", "Uma", "Victor", "Wendy", "Xavier", "Yasmin",
    "Zoltan", "Aisha", "Bruno", "Chloe", "Daniel", "Elif", "Felix", "Greta", "Hamid", "Ines", "Jamal", "Kira",
    "Luca", "Mira", "Noah", "Olga", "Pedro", "Rina", "Sami", "Tara", "Ugo", "Vera", "Wim", "Yuki", "Zara",
)  # fmt: skip
LAST_NAMES = (
    "Kowalski", "Okafor", "Mendes", "Patel", "Lindqvist", "Haddad", "O'Neill", "Tanaka", "Romero", "Weber",
    "Aydin", "Bianchi", "Silva", "Petrova", "Grant", "Sharma", "Dubois", "Jimenez", "Larsen", "Nowak", "Reddy",
    "Huang", "Clarke", "Moreau", "Farouk", "Kiss", "Bello", "Costa", "Martin", "Fischer", "Yilmaz", "Novak",
    "Berg", "Rahman", "Ortega", "Keller", "Ivanova", "Rossi", "Schmidt", "Tan", "Nguyen", "Kim", "Sato", "Lopez",
    "Murphy", "Jansen", "Horvat", "Popescu", "Andersen", "Mbeki",
)  # fmt: skip

EXPERT_STATUSES = {"Active": 90, "On Leave": 5, "Departed": 5}
EMPLOYMENT = {
    EmploymentTypeChoices.EMPLOYEE: 80,
    EmploymentTypeChoices.CONTRACTOR: 12,
    EmploymentTypeChoices.SUPPLIER_STAFF: 8,
}
SKILL_LEVELS = {1: 15, 2: 25, 3: 30, 4: 20, 5: 10}
# When a held certification lapses, in days from today: (low, high) per kind, and how often.
EXPIRY = {"soon": (1, 89), "expired": (-200, -1), "later": (91, 1000)}
EXPIRY_WEIGHTS = {"soon": 12, "expired": 8, "later": 80}
VALIDITY_MONTHS = {12: 25, 24: 35, 36: 30, None: 10}  # None: the certification never expires
AGREEMENT_KINDS = {"agreed": 69, "agreed but lapsed": 6, "proposed": 15, "expired": 10}
TRAINING_STATUSES = {"Planned": 40, "In Progress": 30, "Completed": 20, "Cancelled": 10}


def person_name(index):
    """A distinct person name for every index."""
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = LAST_NAMES[(index // len(FIRST_NAMES)) % len(LAST_NAMES)]
    round_ = index // (len(FIRST_NAMES) * len(LAST_NAMES))
    return f"{first} {last}" + (f" {round_ + 1}" if round_ else "")


# One estate table built step by step, each count named.
def build_staff(builder):  # pylint: disable=too-many-locals
    """Contacts, teams (with members) and experts; return them as a namespace."""
    staff = SimpleNamespace()
    expert_count = builder.counts["experts"]
    team_count = max(3, expert_count // EXPERTS_PER_TEAM)
    domains = list(DOMAINS)
    teams = [
        Team(
            id=builder.new_id(),
            name=f"{DOMAINS[domains[i % len(domains)]]} {i // len(domains) + 1}",
            email=f"team{i + 1:03d}@techmgmt-bench.example",
        )
        for i in range(team_count)
    ]
    staff.teams = builder.insert(Team, teams)
    staff.team_domain = {team.pk: domains[i % len(domains)] for i, team in enumerate(staff.teams)}
    staff.teams_by_domain = {}
    for team in staff.teams:
        staff.teams_by_domain.setdefault(staff.team_domain[team.pk], []).append(team)
    head = Contact(id=builder.new_id(), name="Head of Infrastructure", email="head@techmgmt-bench.example")
    contacts = [head] + [
        Contact(
            id=builder.new_id(),
            name=person_name(i),
            email=f"{person_name(i).lower().replace(' ', '.').replace(chr(39), '')}@techmgmt-bench.example",
        )
        for i in range(expert_count)
    ]
    builder.insert(Contact, contacts)
    staff.contacts = contacts[1:]
    # The first expert of each team leads it and is the line manager of the others; leads report to the head.
    staff.leads = {team.pk: staff.contacts[i] for i, team in enumerate(staff.teams) if i < expert_count}
    experts, memberships = [], []
    for i, contact in enumerate(staff.contacts):
        team = staff.teams[i % team_count]
        is_lead = staff.leads.get(team.pk) is contact
        status = "Active" if is_lead else builder.pick(EXPERT_STATUSES)
        experts.append(
            Expert(
                id=builder.new_id(),
                contact=contact,
                status=builder.status(status),
                employment_type=EmploymentTypeChoices.EMPLOYEE if is_lead else builder.pick(EMPLOYMENT),
                home_team=team,
                line_manager=head if is_lead else staff.leads[team.pk],
                hourly_cost=Decimal(builder.rng.randint(50, 150)),
            )
        )
        if status != "Departed":  # departed experts have left their teams
            memberships.append(Team.contacts.through(team_id=team.pk, contact_id=contact.pk))
            if builder.rng.random() < 0.1:
                other = builder.rng.choice(staff.teams)
                if other.pk != team.pk:
                    memberships.append(Team.contacts.through(team_id=other.pk, contact_id=contact.pk))
    staff.experts = builder.insert(Expert, experts)
    builder.insert(Team.contacts.through, memberships)
    return staff


def build_skills(builder, staff, tree):
    """Skills: each expert mostly in the technologies of the home team's domain."""
    wanted = builder.counts["skills"]
    if wanted > len(staff.experts) * len(tree.all):
        raise ValueError(f"{wanted} skills cannot be distinct with {len(staff.experts)} experts.")
    pairs = set()
    skills = []
    index = 0
    while len(skills) < wanted:
        expert = staff.experts[index % len(staff.experts)]
        index += 1
        own = tree.by_category.get(staff.team_domain[expert.home_team_id])
        technology = builder.rng.choice(own if own and builder.rng.random() < 0.8 else tree.all)
        if (expert.pk, technology.pk) in pairs:
            continue
        pairs.add((expert.pk, technology.pk))
        skills.append(
            Skill(
                id=builder.new_id(),
                expert=expert,
                technology=technology,
                level=builder.pick(SKILL_LEVELS),
                last_assessed=builder.days(-builder.rng.randint(0, 730)),
                assessed_by_id=expert.line_manager_id,
            )
        )
    staff.skills = builder.insert(Skill, skills)


def build_certifications(builder, staff, tree):
    """A certification catalogue evidencing technologies, and the certifications experts hold."""
    required = [t for t in tree.leaves if t.certification_required] or tree.leaves
    catalogue, evidence = [], []
    for i in range(max(2, len(tree.all) // 5)):
        main = required[i % len(required)]
        grade = ("Specialist", "Professional", "Expert")[(i // len(required)) % 3]
        name = f"{main.name} Certified {grade}" + (f" {i}" if i >= 3 * len(required) else "")
        certification = Certification(
            id=builder.new_id(),
            name=name,
            issuer=f"{main.category.capitalize()} Academy",
            validity_months=builder.pick(VALIDITY_MONTHS),
        )
        catalogue.append(certification)
        same_category = tree.by_category[main.category]
        covered = {main.pk, *(t.pk for t in builder.rng.sample(same_category, min(2, len(same_category))))}
        evidence += [
            Certification.technologies.through(certification_id=certification.pk, technology_id=pk) for pk in covered
        ]
    builder.insert(Certification, catalogue)
    builder.insert(Certification.technologies.through, evidence)
    _held_certifications(builder, staff, catalogue, evidence)


# One estate table built step by step, each count named.
def _held_certifications(builder, staff, catalogue, evidence):  # pylint: disable=too-many-locals
    wanted = builder.counts["certifications_held"]
    if wanted > len(staff.experts) * len(catalogue):
        raise ValueError(f"{wanted} held certifications cannot be distinct with {len(catalogue)} certifications.")
    certifications_of = {}
    for row in evidence:
        certifications_of.setdefault(row.technology_id, []).append(row.certification_id)
    # Certifications that back a skill come first, so that certification-required technologies have experts.
    candidates = sorted(
        {
            (skill.expert_id, certification_id)
            for skill in staff.skills
            if skill.level >= 3
            for certification_id in certifications_of.get(skill.technology_id, ())
        }
    )
    builder.rng.shuffle(candidates)
    chosen = candidates[:wanted]
    taken = set(chosen)
    while len(chosen) < wanted:
        pair = (builder.rng.choice(staff.experts).pk, builder.rng.choice(catalogue).pk)
        if pair not in taken:
            taken.add(pair)
            chosen.append(pair)
    lasts = {certification.pk: certification.validity_months for certification in catalogue}
    held = []
    for expert_id, certification_id in chosen:
        obtained = builder.days(-builder.rng.randint(30, 1000))
        expires = None
        if lasts[certification_id]:
            expires = builder.days(builder.rng.randint(*EXPIRY[builder.pick(EXPIRY_WEIGHTS)]))
            obtained = min(obtained, expires - timedelta(days=90))
        held.append(
            ExpertCertification(
                id=builder.new_id(),
                expert_id=expert_id,
                certification_id=certification_id,
                obtained_on=obtained,
                expires_on=expires,
                credential_id=f"CRED-{builder.rng.getrandbits(32):08X}",
            )
        )
    builder.insert(ExpertCertification, held)


def build_agreements(builder, staff):
    """About one availability agreement per expert, with the home team; some proposed, expired or lapsed."""
    agreements = []
    for expert in staff.experts:
        if builder.rng.random() < 0.1:
            continue
        kind = builder.pick(AGREEMENT_KINDS)
        start = -builder.rng.randint(30, 400)
        end = builder.rng.choice((None, builder.rng.randint(30, 400)))
        status = "Agreed"
        if kind == "agreed but lapsed":
            end = -builder.rng.randint(1, 29)
        elif kind == "proposed":
            start, end, status = builder.rng.randint(0, 60), builder.rng.randint(90, 400), "Proposed"
        elif kind == "expired":
            start, end, status = -builder.rng.randint(400, 800), -builder.rng.randint(30, 399), "Expired"
        agreements.append(
            AvailabilityAgreement(
                id=builder.new_id(),
                expert=expert,
                team_id=expert.home_team_id,
                line_manager_id=expert.line_manager_id,
                hours_per_week=Decimal(builder.rng.randint(2, 16)),
                valid_from=builder.days(start),
                valid_until=builder.days(end) if end is not None else None,
                status=builder.status(status),
            )
        )
    builder.insert(AvailabilityAgreement, agreements)


def build_training(builder, staff, suppliers):
    """Training plans raising some skills by one level."""
    candidates = [skill for skill in staff.skills if skill.level <= 3]
    plans, raised = [], []
    for skill in builder.rng.sample(candidates, min(len(candidates), max(1, len(staff.experts) // 10))):
        status = builder.pick(TRAINING_STATUSES)
        plans.append(
            TrainingPlan(
                id=builder.new_id(),
                expert_id=skill.expert_id,
                technology_id=skill.technology_id,
                target_level=skill.level + 1,
                due_date=builder.days(builder.rng.randint(-60, 240)),
                status=builder.status(status),
                supplier=builder.rng.choice(suppliers) if builder.rng.random() < 0.5 else None,
                cost=Decimal(builder.rng.randint(5, 40) * 100),
            )
        )
        if status == "Completed":  # what save() does for a completed plan: raise the skill to the target
            skill.level += 1
            raised.append(skill)
    builder.insert(TrainingPlan, plans)
    Skill.objects.bulk_update(raised, ["level"])
