"""Shared builders for tests: small estates made of real Nautobot objects."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.urls import reverse
from nautobot.apps.testing import TransactionTestCase
from nautobot.circuits.models import Circuit, CircuitType, Provider
from nautobot.cloud.models import CloudAccount, CloudResourceType, CloudService
from nautobot.dcim.models import Device, DeviceType, Location, LocationType, Manufacturer, Platform
from nautobot.extras.models import Contact, Role, Status, Team
from nautobot.virtualization.models import Cluster, ClusterType, VirtualMachine

from nautobot_techmgmt import models
from nautobot_techmgmt.choices import ResponsibilityRoleChoices
from nautobot_techmgmt.models.targets import TARGET_FIELDS

ROLES = [value for value, _ in ResponsibilityRoleChoices.CHOICES]


def seed_reference_data():
    """Restore what the data migrations seed: core statuses and roles, the app's statuses, the Job records.

    TransactionTestCase empties every table after each test; a database reused or cloned after such a test lacks them.
    Safe to run any number of times.
    """
    from django.apps import apps  # pylint: disable=import-outside-toplevel
    from nautobot.extras.management import (  # pylint: disable=import-outside-toplevel
        populate_role_choices,
        populate_status_choices,
    )
    from nautobot.extras.signals import refresh_job_models  # pylint: disable=import-outside-toplevel

    from nautobot_techmgmt.signals import seed_custodian_role, seed_statuses  # pylint: disable=import-outside-toplevel

    populate_status_choices(apps, None)
    populate_role_choices(apps, None)
    seed_statuses(sender=None)
    seed_custodian_role(sender=None)
    refresh_job_models(sender=None, apps=apps)


def status(name):
    """The status of that name (seeded by the app and by core)."""
    return Status.objects.get(name=name)


def contact(name, email=""):
    """A core Contact."""
    return Contact.objects.create(name=name, email=email or f"{name.lower().replace(' ', '.')}@example.com")


def team(name, members=()):
    """A core Team with the given contacts as members."""
    result = Team.objects.create(name=name)
    result.contacts.set(members)
    return result


def technology(name, parent=None, **fields):
    """An active technology."""
    fields.setdefault("status", status("Active"))
    return models.Technology.objects.create(name=name, parent=parent, **fields)


def expert(name, status_name="Active", **fields):
    """An expert backed by a new Contact."""
    return models.Expert.objects.create(contact=contact(name), status=status(status_name), **fields)


def skill(of_expert, of_technology, level, **fields):
    """A skill."""
    return models.Skill.objects.create(expert=of_expert, technology=of_technology, level=level, **fields)


def inventory():
    """A small estate: two locations, device types, platforms, three devices, a circuit, a cluster, a VM, and two
    cloud services (a managed database and a bucket) of one cloud provider's account.

    Returns a dict of the objects by short name.
    """
    active = status("Active")
    region_type = LocationType.objects.create(name="Region")
    site_type = LocationType.objects.create(name="Site", parent=region_type)
    site_type.content_types.add(ContentType.objects.get_for_model(Device), ContentType.objects.get_for_model(Cluster))
    region = Location.objects.create(name="Europe", location_type=region_type, status=active)
    site = Location.objects.create(name="Amsterdam", location_type=site_type, parent=region, status=active)
    other_site = Location.objects.create(name="Berlin", location_type=site_type, parent=region, status=active)
    juniper = Manufacturer.objects.create(name="Juniper")
    dell = Manufacturer.objects.create(name="Dell")
    mx = DeviceType.objects.create(manufacturer=juniper, model="MX204")
    r750 = DeviceType.objects.create(manufacturer=dell, model="R750")
    junos = Platform.objects.create(name="junos", manufacturer=juniper)
    linux = Platform.objects.create(name="linux")
    router_role = Role.objects.create(name="Router")
    server_role = Role.objects.create(name="Server")
    for role in (router_role, server_role):
        role.content_types.add(ContentType.objects.get_for_model(Device))
    router = Device.objects.create(
        name="ams-rtr-1", device_type=mx, platform=junos, role=router_role, location=site, status=active
    )
    other_router = Device.objects.create(
        name="ber-rtr-1", device_type=mx, platform=junos, role=router_role, location=other_site, status=active
    )
    server = Device.objects.create(
        name="ams-srv-1", device_type=r750, platform=linux, role=server_role, location=site, status=active
    )
    provider = Provider.objects.create(name="Transit Co")
    circuit_type = CircuitType.objects.create(name="Internet")
    circuit = Circuit.objects.create(cid="TC-1001", provider=provider, circuit_type=circuit_type, status=active)
    cluster_type = ClusterType.objects.create(name="VMware vSphere")
    cluster = Cluster.objects.create(name="ams-cl-1", cluster_type=cluster_type, location=site)
    vm = VirtualMachine.objects.create(name="ams-vm-1", cluster=cluster, status=active)
    aws = Manufacturer.objects.create(name="Amazon Web Services")
    cloud_account = CloudAccount.objects.create(name="prod-account", account_number="1111", provider=aws)
    rds = CloudResourceType.objects.create(name="RDS PostgreSQL", provider=aws)
    s3 = CloudResourceType.objects.create(name="S3 bucket", provider=aws)
    for resource_type in (rds, s3):
        resource_type.content_types.add(ContentType.objects.get_for_model(CloudService))
    database = CloudService.objects.create(name="orders-db", cloud_account=cloud_account, cloud_resource_type=rds)
    bucket = CloudService.objects.create(name="media-bucket", cloud_account=cloud_account, cloud_resource_type=s3)
    return {
        "region": region,
        "site": site,
        "other_site": other_site,
        "juniper": juniper,
        "dell": dell,
        "mx": mx,
        "r750": r750,
        "junos": junos,
        "linux": linux,
        "router_role": router_role,
        "server_role": server_role,
        "router": router,
        "other_router": other_router,
        "server": server,
        "provider": provider,
        "circuit_type": circuit_type,
        "circuit": circuit,
        "cluster_type": cluster_type,
        "cluster": cluster,
        "vm": vm,
        "aws": aws,
        "cloud_account": cloud_account,
        "rds": rds,
        "s3": s3,
        "database": database,
        "bucket": bucket,
    }


TODAY = date(2026, 6, 1)


def certification(name, technologies=(), **fields):
    """A certification in the catalogue evidencing the given technologies."""
    result = models.Certification.objects.create(name=name, **fields)
    result.technologies.set(technologies)
    return result


def held_certification(of_expert, of_certification, obtained_on, **fields):
    """A certification an expert holds; `expires_on` is filled from the catalogue unless given."""
    result = models.ExpertCertification(
        expert=of_expert, certification=of_certification, obtained_on=obtained_on, **fields
    )
    result.validated_save()
    return result


def agreement(of_expert, of_team, hours_per_week, valid_from, status_name="Agreed", **fields):
    """An availability agreement."""
    return models.AvailabilityAgreement.objects.create(
        expert=of_expert,
        team=of_team,
        hours_per_week=hours_per_week,
        valid_from=valid_from,
        status=status(status_name),
        **fields,
    )


def training_plan(of_expert, of_technology, target_level, status_name="Planned", **fields):
    """A training plan."""
    return models.TrainingPlan.objects.create(
        expert=of_expert, technology=of_technology, target_level=target_level, status=status(status_name), **fields
    )


def effort_model(of_technology=None, category="", **fields):
    """An effort model of a technology or of a category (hours per object per month under `hours_per_object`)."""
    return models.EffortModel.objects.create(technology=of_technology, category=category, **fields)


def supplier(name, **fields):
    """A supplier."""
    return models.Supplier.objects.create(name=name, **fields)


def support_contract(of_supplier, reference, technologies=(), start_date=TODAY, **fields):
    """A support contract covering the given technologies."""
    result = models.SupportContract.objects.create(
        supplier=of_supplier, reference=reference, start_date=start_date, **fields
    )
    result.technologies.set(technologies)
    return result


def knowledge_gap(of_technology, kind, severity, opened, closed=None, **fields):
    """A gap record as the engine writes it; closed (with its status) when `closed` is given.

    `opened` and `closed` are dates (midnight UTC) or aware datetimes.
    """

    def moment(value):
        if value is None or isinstance(value, datetime):
            return value
        return datetime(value.year, value.month, value.day, tzinfo=UTC)

    if closed is not None:
        fields.setdefault("status", "closed")
    return models.KnowledgeGap.objects.create(
        technology=of_technology, kind=kind, severity=severity, opened=moment(opened), closed=moment(closed), **fields
    )


def two_of_each_target():
    """Two objects of every kind a scope or a responsibility can point at, built on `inventory()`.

    Returns a dict of target field name -> [first, second], plus the `inventory()` dict under "inventory".
    """
    from nautobot.dcim.models import SoftwareVersion  # pylint: disable=import-outside-toplevel
    from nautobot.extras.models import DynamicGroup  # pylint: disable=import-outside-toplevel

    estate = inventory()
    active = status("Active")
    provider = Provider.objects.create(name="Metro Fibre")
    circuit_type = CircuitType.objects.create(name="MPLS")
    circuit = Circuit.objects.create(cid="MF-2002", provider=provider, circuit_type=circuit_type, status=active)
    cluster_type = ClusterType.objects.create(name="Proxmox")
    cluster = Cluster.objects.create(name="ber-cl-1", cluster_type=cluster_type, location=estate["other_site"])
    vm = VirtualMachine.objects.create(name="ber-vm-1", cluster=cluster, status=active)
    versions = [
        SoftwareVersion.objects.create(platform=estate["junos"], version="23.4R1", status=active),
        SoftwareVersion.objects.create(platform=estate["linux"], version="6.8", status=active),
    ]
    devices = ContentType.objects.get_for_model(Device)
    groups = [
        DynamicGroup.objects.create(name="Routers", content_type=devices, filter={"role": ["Router"]}),
        DynamicGroup.objects.create(name="Amsterdam devices", content_type=devices, filter={"location": ["Amsterdam"]}),
    ]
    other_account = CloudAccount.objects.create(name="data-account", account_number="2222", provider=estate["aws"])
    return {
        "inventory": estate,
        "device": [estate["router"], estate["server"]],
        "circuit": [estate["circuit"], circuit],
        "virtual_machine": [estate["vm"], vm],
        "cluster": [estate["cluster"], cluster],
        "cloud_service": [estate["database"], estate["bucket"]],
        "dynamic_group": groups,
        "device_type": [estate["mx"], estate["r750"]],
        "platform": [estate["junos"], estate["linux"]],
        "software_version": versions,
        "device_role": [estate["router_role"], estate["server_role"]],
        "circuit_type": [estate["circuit_type"], circuit_type],
        "provider": [estate["provider"], provider],
        "cluster_type": [estate["cluster_type"], cluster_type],
        "cloud_resource_type": [estate["rds"], estate["s3"]],
        "cloud_account": [estate["cloud_account"], other_account],
        "manufacturer": [estate["juniper"], estate["dell"]],
        "location": [estate["site"], estate["other_site"]],
    }


def people_estate():
    """Four technologies, three teams, two managers, three experts, a supplier and a certification catalogue.

    Returns a namespace with lists `technologies`, `teams`, `managers`, `experts`, `certifications` and `supplier`.
    """
    from types import SimpleNamespace  # pylint: disable=import-outside-toplevel

    technologies = [technology(name) for name in ("Junos", "Linux", "PostgreSQL", "Ansible")]
    teams = [team(name) for name in ("Network", "Servers", "Databases")]
    return SimpleNamespace(
        technologies=technologies,
        teams=teams,
        managers=[contact(name) for name in ("Mia Manager", "Max Manager")],
        experts=[
            expert("Alice Archer", employment_type="employee", home_team=teams[0]),
            expert("Bob Baker", employment_type="contractor", home_team=teams[1]),
            expert("Carol Cook", "On Leave", employment_type="employee", home_team=teams[2]),
        ],
        supplier=models.Supplier.objects.create(name="Trainers Ltd"),
        certifications=[
            certification("JNCIA-Junos", [technologies[0]], issuer="Juniper", validity_months=36),
            certification("LPIC-1", [technologies[1]], issuer="LPI", validity_months=60),
            certification("PostgreSQL Associate", [technologies[2]], issuer="EDB"),
        ],
    )


def knowledge_estate():
    """`inventory()` plus four technologies whose per-object answers differ; for materialised-knowledge tests.

    * Junos (routers, by platform): custodian team "Network Operations" (Ada is a member), Ada the only expert
      of two required: gaps single_expert + no_capacity.
    * Linux (the server, by platform): no custodian, no expert: gaps no_expert + no_custodian.
    * vSphere (cluster and VM, by cluster type): custodian expert Bob by responsibility, qualified, with agreed
      hours, one expert required: no gap but the one below.
    * Transit (the circuit, by provider): custodian a plain contact by core contact association, no expert:
      gaps no_expert + custodian_lacks_skill.
    * Nobody has primary support: every technology in use also has the gap no_primary_support on all its objects.

    Returns a namespace with `inv` (the `inventory()` dict), `ada`, `bob`, `team`, `owner_contact`,
    `junos`, `linux`, `vsphere`, `transit`.
    """
    from datetime import timedelta  # pylint: disable=import-outside-toplevel
    from types import SimpleNamespace  # pylint: disable=import-outside-toplevel

    from nautobot.extras.models import ContactAssociation  # pylint: disable=import-outside-toplevel

    inv = inventory()
    ada = expert("Ada Lovelace")
    bob = expert("Bob Baker")
    network_team = team("Network Operations", members=[ada.contact])
    junos = technology("Junos", custodian_team=network_team, required_experts=2, category="network")
    linux = technology("Linux", category="server")
    vsphere = technology("vSphere", required_experts=1, category="server")
    transit = technology("Transit", category="network")
    models.TechnologyScope.objects.create(technology=junos, platform=inv["junos"])
    models.TechnologyScope.objects.create(technology=linux, platform=inv["linux"])
    models.TechnologyScope.objects.create(technology=vsphere, cluster_type=inv["cluster_type"])
    models.TechnologyScope.objects.create(technology=transit, provider=inv["provider"])
    skill(ada, junos, 4)
    skill(bob, vsphere, 3)
    agreement(bob, network_team, 8, date.today() - timedelta(days=30))
    models.Responsibility.objects.create(expert=bob, role="custodian", cluster_type=inv["cluster_type"])
    custodian_role, _ = Role.objects.get_or_create(name="Custodian")
    custodian_role.content_types.add(ContentType.objects.get_for_model(ContactAssociation))
    owner_contact = contact("Olga Owner")
    ContactAssociation.objects.create(
        contact=owner_contact,
        associated_object_type=ContentType.objects.get_for_model(Circuit),
        associated_object_id=inv["circuit"].pk,
        role=custodian_role,
        status=status("Active"),
    )
    return SimpleNamespace(
        inv=inv,
        ada=ada,
        bob=bob,
        team=network_team,
        owner_contact=owner_contact,
        junos=junos,
        linux=linux,
        vsphere=vsphere,
        transit=transit,
    )


def what_if_estate():
    """`inventory()` plus two technologies that Ada and Bob's departure leaves with new gaps, and ways to close them.

    * Junos (routers, by platform): qualified level 3, one expert required; Ada (4) the only qualified expert. Who
      stays one level short, at 2: Cy (active); Bob is at 2 too but leaves, Dee is on leave, Eve is at 1. Training:
      Eve to 3, in progress, due in 90 days; Cy to 2 only (below the qualified level). Ada holds primary support
      (tier 1, the technology alone) and escalation (tier 2, on the location Amsterdam); Cy primary support too.
      Contracts: Juniper JN-1 in force (ends in 200 days), JN-0 ended 10 days ago.
    * Linux (the server, by platform): qualified level 4; Bob (4) the only qualified expert. One level short, at 3:
      Eve. Training: Dee (on leave) to 4, planned, no due date; Bob to 5 (leaves); Cy to 4, cancelled. Bob is the
      custodian on the server ams-srv-1, Ada design authority of Linux. Contracts: Tux OL-1 ended 30 days ago,
      FUT-1 starts in 30 days.
    * Ada is also change assessor on the role Router for every technology: not tied to either technology.

    Returns a namespace with `inv`, the experts `ada`, `bob`, `cy`, `dee`, `eve`, the technologies `junos`, `linux`,
    and the records by short name: `eve_junos`, `dee_linux` (plans), `ada_primary`, `ada_escalation`,
    `bob_custodian`, `ada_design` (responsibilities), `jn1`, `jn0`, `ol1` (contracts).
    """
    from types import SimpleNamespace  # pylint: disable=import-outside-toplevel

    today = date.today()
    inv = inventory()
    ada, bob, cy, eve = (expert(name) for name in ("Ada Lovelace", "Bob Baker", "Cy Young", "Eve Evans"))
    dee = expert("Dee Dee", "On Leave")
    junos = technology("Junos", required_experts=1, qualified_level=3, category="network")
    linux = technology("Linux", required_experts=1, qualified_level=4, category="server")
    models.TechnologyScope.objects.create(technology=junos, platform=inv["junos"])
    models.TechnologyScope.objects.create(technology=linux, platform=inv["linux"])
    for who, of_technology, level in (
        (ada, junos, 4),
        (bob, junos, 2),
        (cy, junos, 2),
        (dee, junos, 2),
        (eve, junos, 1),
        (bob, linux, 4),
        (eve, linux, 3),
    ):
        skill(who, of_technology, level)
    estate = SimpleNamespace(inv=inv, ada=ada, bob=bob, cy=cy, dee=dee, eve=eve, junos=junos, linux=linux)
    estate.eve_junos = training_plan(eve, junos, 3, "In Progress", due_date=today + timedelta(days=90))
    training_plan(cy, junos, 2)
    estate.dee_linux = training_plan(dee, linux, 4)
    training_plan(bob, linux, 5)
    training_plan(cy, linux, 4, "Cancelled")
    role = ResponsibilityRoleChoices
    responsibility = models.Responsibility.objects.create
    estate.ada_primary = responsibility(expert=ada, role=role.PRIMARY_SUPPORT, technology=junos)
    estate.ada_escalation = responsibility(
        expert=ada, role=role.ESCALATION, technology=junos, location=inv["site"], escalation_tier=2
    )
    responsibility(expert=cy, role=role.PRIMARY_SUPPORT, technology=junos)
    estate.bob_custodian = responsibility(expert=bob, role=role.CUSTODIAN, technology=linux, device=inv["server"])
    estate.ada_design = responsibility(expert=ada, role=role.DESIGN_AUTHORITY, technology=linux)
    responsibility(expert=ada, role=role.CHANGE_ASSESSOR, device_role=inv["router_role"])
    juniper, tux = supplier("Juniper"), supplier("Tux")
    estate.jn1 = support_contract(
        juniper, "JN-1", [junos], start_date=today - timedelta(days=100), end_date=today + timedelta(days=200)
    )
    estate.jn0 = support_contract(
        juniper, "JN-0", [junos], start_date=today - timedelta(days=500), end_date=today - timedelta(days=10)
    )
    estate.ol1 = support_contract(
        tux, "OL-1", [linux], start_date=today - timedelta(days=400), end_date=today - timedelta(days=30)
    )
    support_contract(tux, "FUT-1", [linux], start_date=today + timedelta(days=30))
    return estate


def more_routers(estate, count, prefix="rtr"):
    """`count` more Junos routers at Amsterdam, each with its own device custodian team; returns the devices."""
    devices = [
        Device.objects.create(
            name=f"{prefix}-{number}",
            device_type=estate.inv["mx"],
            platform=estate.inv["junos"],
            role=estate.inv["router_role"],
            location=estate.inv["site"],
            status=status("Active"),
        )
        for number in range(count)
    ]
    for device in devices:
        models.Responsibility.objects.create(team=team(f"Owners of {device.name}"), role="custodian", device=device)
    return devices


def more_cloud_services(estate, count, prefix="db"):
    """`count` more managed databases in the account, each with its own custodian team; returns the services."""
    services = [
        CloudService.objects.create(
            name=f"{prefix}-{number}",
            cloud_account=estate.inv["cloud_account"],
            cloud_resource_type=estate.inv["rds"],
        )
        for number in range(count)
    ]
    for service in services:
        models.Responsibility.objects.create(
            team=team(f"Owners of {service.name}"), role="custodian", cloud_service=service
        )
    return services


def more_experts(estate, count, prefix="Expert"):
    """`count` more experts, each skilled (level 4) in Junos and vSphere; returns the experts."""
    experts = [expert(f"{prefix} {number}") for number in range(count)]
    for each in experts:
        skill(each, estate.junos, 4)
        skill(each, estate.vsphere, 4)
    return experts


def user_with_permissions(username, *grants):
    """A user (not a superuser) holding one object permission per grant.

    Each grant is (model labels such as "dcim.device", actions, constraints or None); the user also gets an API token.
    """
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from nautobot.users.models import ObjectPermission, Token  # pylint: disable=import-outside-toplevel

    user = get_user_model().objects.create_user(username=username)
    Token.objects.create(user=user)
    for number, (labels, actions, constraints) in enumerate(grants):
        permission = ObjectPermission.objects.create(
            name=f"{username} {number}", actions=list(actions), constraints=constraints
        )
        permission.object_types.set(ContentType.objects.get_by_natural_key(*label.split(".")) for label in labels)
        permission.users.add(user)
    return user


def run_job(job_class, username="job-runner", **job_kwargs):
    """Run an app Job synchronously as `username` (a superuser unless that user already exists); the JobResult.

    Values are serialized as the Job form would (an uploaded file becomes a FileProxy), and the Job's
    database row is enabled first, as an administrator would.
    """
    from nautobot.apps.testing import run_job_for_testing  # pylint: disable=import-outside-toplevel
    from nautobot.extras.models import Job  # pylint: disable=import-outside-toplevel

    job_model = Job.objects.get(module_name=job_class.__module__, job_class_name=job_class.__name__)
    job_model.enabled = True
    job_model.validated_save()
    result = run_job_for_testing(job_model, username=username, job_kwargs=job_class.serialize_data(job_kwargs))
    result.refresh_from_db()
    return result


def job_log(result, level=None):
    """Messages the Job logged, in order; only those of one level ("info", "warning", "error", ...) if given."""
    from nautobot.extras.models import JobLogEntry  # pylint: disable=import-outside-toplevel

    entries = JobLogEntry.objects.filter(job_result=result)
    if level:
        entries = entries.filter(log_level=level)
    return list(entries.order_by("created").values_list("message", flat=True))


def job_file(result, filename):
    """Text of a file the Job attached to its result."""
    return result.files.get(name=filename).file.read().decode("utf-8")


# generic_filter_tests rows for every target field of a scope or responsibility: by natural key and by ID.
TARGET_FILTER_TESTS = (
    ["device", "device__name"],
    ["device", "device__id"],
    ["circuit", "circuit__cid"],
    ["circuit", "circuit__id"],
    ["virtual_machine", "virtual_machine__name"],
    ["virtual_machine", "virtual_machine__id"],
    ["cluster", "cluster__name"],
    ["cluster", "cluster__id"],
    ["dynamic_group", "dynamic_group__name"],
    ["dynamic_group", "dynamic_group__id"],
    ["device_type", "device_type__model"],
    ["device_type", "device_type__id"],
    ["platform", "platform__name"],
    ["platform", "platform__id"],
    ["software_version", "software_version__version"],
    ["software_version", "software_version__id"],
    ["device_role", "device_role__name"],
    ["device_role", "device_role__id"],
    ["circuit_type", "circuit_type__name"],
    ["circuit_type", "circuit_type__id"],
    ["provider", "provider__name"],
    ["provider", "provider__id"],
    ["cluster_type", "cluster_type__name"],
    ["cluster_type", "cluster_type__id"],
    ["manufacturer", "manufacturer__name"],
    ["manufacturer", "manufacturer__id"],
    ["location", "location__name"],
    ["location", "location__id"],
)


def restore_serialized_database():
    """Put back the database as the run found it (serialized when it was set up), after tests that emptied it."""
    connection = connections["default"]
    if hasattr(connection, "_test_serialized_contents"):
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)


class JobTestCase(TransactionTestCase):
    """TransactionTestCase for Jobs (their logs use a second connection) that leaves the database as it found it.

    A TransactionTestCase empties the database after each test, losing what data migrations made (core's statuses,
    roles, cable types, ...), so a later `--reuse-db` run of the TestCase-based modules would fail. With serialized
    rollback each test starts from the database as the run found it, and the class puts that back when it is done.
    """

    serialized_rollback = True

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        restore_serialized_database()


KNOWLEDGE = """techmgmt_knowledge {
    technology { name }
    custodian_team { name }
    custodian_expert { contact { name } }
    custodian_source bus_factor gaps severity risk
}"""


DEVICES = f"query {{ devices {{ name {KNOWLEDGE} }} }}"


EVERYTHING = (
    "nautobot_techmgmt.view_objectknowledge",
    "nautobot_techmgmt.view_technology",
    "nautobot_techmgmt.view_expert",
    "extras.view_team",
    "extras.view_contact",
)


class GraphQLTestMixin:
    """Run a query through the REST GraphQL endpoint as the test user."""

    def query(self, text):
        response = self.client.post(reverse("graphql-api"), {"query": text}, format="json", **self.header)
        self.assertHttpStatus(response, 200)
        body = response.json()
        self.assertNotIn("errors", body)
        return body["data"]


def upload(text, filename="skills.csv"):
    return SimpleUploadedFile(filename, text.encode("utf-8"), content_type="text/csv")


def technology_tree(test_class):
    """A small technology tree with teams, managers, scopes, a certification and a support contract."""
    test_class.teams = [team(name) for name in ("Network Team", "Server Team", "Database Team")]
    test_class.managers = [contact(name) for name in ("Nora Net", "Sam Server", "Dora Data")]
    network = technology(
        "Network",
        category="network",
        custodian_team=test_class.teams[0],
        technical_manager=test_class.managers[0],
        description="Everything that moves packets",
    )
    routing = technology(
        "Routing",
        parent=network,
        category="network",
        custodian_team=test_class.teams[0],
        required_experts=3,
        qualified_level=4,
        certification_required=True,
        description="Dynamic routing",
    )
    junos = technology(
        "Junos",
        parent=routing,
        category="network",
        technical_manager=test_class.managers[0],
        required_experts=2,
        qualified_level=3,
        certification_required=True,
    )
    linux = technology(
        "Linux",
        category="server",
        status=status("Planned"),
        custodian_team=test_class.teams[1],
        technical_manager=test_class.managers[1],
        required_experts=4,
        qualified_level=2,
        description="Server OS",
    )
    postgres = technology(
        "PostgreSQL",
        category="database",
        status=status("Retiring"),
        custodian_team=test_class.teams[2],
        technical_manager=test_class.managers[2],
        required_experts=1,
        qualified_level=5,
    )
    test_class.technologies = [network, routing, junos, linux, postgres]
    test_class.targets = two_of_each_target()
    test_class.scopes = [
        models.TechnologyScope.objects.create(technology=junos, platform=test_class.targets["platform"][0]),
        models.TechnologyScope.objects.create(technology=linux, platform=test_class.targets["platform"][1]),
        models.TechnologyScope.objects.create(technology=postgres, device=test_class.targets["device"][1]),
    ]
    acme = supplier("Acme Networks")
    support_contract(acme, "AC-1", [junos, routing])
    certification("JNCIA", [junos])


def custodianship_estate(test_class):
    """Teams, experts and technologies, with two responsibilities per kind of target and a few per technology."""
    test_class.teams = [team(name) for name in ("Network Team", "Server Team", "Database Team")]
    test_class.experts = [expert(name) for name in ("Alice Archer", "Bob Baker", "Carol Cook")]
    test_class.technologies = [technology(name) for name in ("Junos", "Linux", "PostgreSQL")]
    test_class.targets = two_of_each_target()
    test_class.responsibilities = []
    counter = 0
    for field_name in TARGET_FIELDS:
        for target in test_class.targets[field_name]:
            assignee = (
                {"team": test_class.teams[counter % 3]} if counter % 2 else {"expert": test_class.experts[counter % 3]}
            )
            test_class.responsibilities.append(
                models.Responsibility.objects.create(
                    # (technology, tier, role) differs on every row, so the model's ordering is total and
                    # the base filter tests can compare ordered querysets.
                    role=ROLES[(counter // 9) % len(ROLES)],
                    # Every third responsibility covers all technologies of its target.
                    technology=None if counter % 3 == 0 else test_class.technologies[counter % 3],
                    escalation_tier=counter % 9 + 1,
                    hours_per_week=Decimal(counter % 4 * 2) if counter % 4 else None,
                    comments=f"Responsibility number {counter}",
                    **assignee,
                    **{field_name: target},
                )
            )
            counter += 1
    for of_technology, of_team in zip(test_class.technologies, test_class.teams, strict=True):
        test_class.responsibilities.append(models.Responsibility.objects.create(team=of_team, technology=of_technology))


def small_estate(test):
    """Junos on two routers (one expert of two needed), Linux on one server (nobody), Oracle not in use."""
    test.inv = inventory()
    test.ada, test.bob = expert("Ada"), expert("Bob")
    test.network = team("Network", members=[test.ada.contact, test.bob.contact])
    agreement(test.ada, test.network, 8, TODAY - timedelta(days=30))
    agreement(test.bob, test.network, 8, TODAY - timedelta(days=30))
    test.junos = technology("Junos", category="network", custodian_team=test.network, required_experts=2)
    test.linux = technology("Linux", category="server", required_experts=1)
    test.oracle = technology("Oracle", category="database")
    models.TechnologyScope.objects.create(technology=test.junos, platform=test.inv["junos"])
    test.linux_scope = models.TechnologyScope.objects.create(technology=test.linux, platform=test.inv["linux"])
    skill(test.ada, test.junos, 4)
    skill(test.bob, test.junos, 2)  # below Junos' qualified level 3
