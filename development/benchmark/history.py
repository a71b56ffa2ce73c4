"""Users and change history of the benchmark estate: who created and edited which device, and when.

What the activity Job (candidate experts) reads: Nautobot users, some the same person as a contact by e-mail, some by
an explicit user mapping, some no contact at all (contractors, automation accounts); change-log rows (creates and
updates of devices, changes of their interfaces with the device as related object) and notes, over the year before
the day of generation.

Each device domain's editors look after contiguous blocks of devices (ordered by site, then name): the owner of a
block makes most of its changes, teammates some, automation accounts and people of other teams a few. So a person's
activity concentrates on the technologies of a few sites, as an engineer's does.

On PostgreSQL the rows are made by the database itself (`INSERT ... SELECT` over `generate_series`, random numbers
from a seeded hash of the row number), in seconds for a million rows; elsewhere the same shape is drawn in Python and
written with `bulk_create` in batches.
"""

import hashlib
import math
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from nautobot.dcim.models import Device, Interface, Location
from nautobot.extras.choices import ObjectChangeActionChoices, ObjectChangeEventContextChoices
from nautobot.extras.models import Note, ObjectChange, Role

from development.benchmark.builder import BATCH_SIZE, allocate
from nautobot_techmgmt.models import UserContact

DOMAIN = "techmgmt-bench.example"  # every generated user's e-mail ends with it (how the dataset counts them)
# Device role -> the domain whose people edit such devices (the staff's team domains, see people.DOMAINS).
DEVICE_DOMAINS = {
    "Router": "network",
    "Switch": "network",
    "Firewall": "security",
    "Load Balancer": "security",
    "Server": "server",
    "Hypervisor": "server",
    "Storage Array": "storage",
}
LOGGED_MODELS = ("device", "interface")  # what the history's rows changed (dcim)
ANYONE, AUTOMATION = "anyone", "automation"  # the pools of every editor and of the automation accounts
# How the users who are people are the same person as a contact: the same e-mail, a user mapping (another e-mail),
# or not at all (contractors in no contact list).
USER_KINDS = {"email": 85, "explicit": 5, "no_contact": 10}
USERS_PER_AUTOMATION_ACCOUNT = 400
AUTOMATION_NAMES = ("svc-netbox-sync", "svc-ansible", "svc-discovery", "svc-ipam-import", "svc-config-backup")
HISTORY_DAYS = 364  # the history spans this many days up to the start of the day of generation
CREATED_EVERY = 10  # one device in ten was created within that year: its first row is its creation
CREATED_WITHIN = (0.02, 0.62)  # ... at this share of the year (so that its later changes follow)
# Who made a change: the owner of the device's block, a teammate (the owner of a neighbouring block), an automation
# account, an editor of any domain, or a user deleted since (the row keeps only the name).
CREATE_AUTHORS = {"owner": 75, AUTOMATION: 25}
UPDATE_AUTHORS = {"owner": 60, "teammate": 22, AUTOMATION: 12, ANYONE: 5, "deleted": 1}
NOTE_AUTHORS = {"owner": 70, "teammate": 30}
TEAMMATES = 3  # a teammate is one of the owners of the next blocks
DELETED_USER_NAME = "former.engineer"
INTERFACE_SHARE = 0.35  # of the updates: changes to one of the device's interfaces (related object: the device)
INTERFACE_CREATE_SHARE = 0.2  # of those: a new interface
PORTS = 48
NOTE_TEXTS = (
    "Replaced a failed power supply; vendor case attached.",
    "Upgraded during the maintenance window; no issues.",
    "Rebooted after a memory leak alarm. Watch the next week.",
    "Cabling re-patched after the rack move.",
    "Config drift fixed by hand, template to be corrected.",
    "Escalated to the vendor: intermittent CRC errors on the uplinks.",
)


def build_users(builder, staff):  # pylint: disable=too-many-locals  # one table, each kind of user named
    """Users: people with the e-mail of their contact (some in another case), mapped explicitly, or no contact.

    Returns the pools the change history draws from: {domain: [user]} of the people who edit devices, ANYONE (all of
    them) and AUTOMATION.
    """
    user_model = get_user_model()
    total = builder.counts["users"]
    automation_count = max(1, total // USERS_PER_AUTOMATION_ACCOUNT)
    kinds = allocate(total - automation_count, USER_KINDS)
    if kinds["email"] + kinds["explicit"] > len(staff.experts):
        raise ValueError(f"{total} users need more than {len(staff.experts)} experts to be contacts.")
    chosen = builder.rng.sample(staff.experts, kinds["email"] + kinds["explicit"])
    domains = sorted(set(DEVICE_DOMAINS.values()))
    users, mappings, editors, taken = [], [], [], set()

    def user(username, email, active=True):
        created = user_model(id=builder.new_id(), username=username, email=email, password="!", is_active=active)  # noqa: S106  # unusable
        users.append(created)
        return created

    for index, expert in enumerate(chosen):
        contact = expert.contact
        first, last = contact.name.lower().replace("'", "").split(" ")[:2]
        active = expert.status.name != "Departed"  # the account of someone who left is disabled, its history stays
        if index < kinds["email"]:
            # A directory may spell the address in another case: the mapping ignores case.
            email = contact.email.title() if index % 3 == 0 else contact.email
            made = user(f"{first}.{last}" + (f".{index}" if f"{first}.{last}" in taken else ""), email, active)
        else:
            made = user(f"{first[0]}{last}{index}", f"{first[0]}{last}{index}@corp.{DOMAIN}", active)
            mappings.append(
                UserContact(id=builder.new_id(), user=made, contact=contact, comments="Directory e-mail differs.")
            )
        taken.add(made.username)
        editors.append((made, staff.team_domain[expert.home_team_id]))
    for number in range(kinds["no_contact"]):
        made = user(f"contractor{number + 1:04d}", f"contractor{number + 1:04d}@partner.{DOMAIN}")
        editors.append((made, builder.rng.choice(domains)))
    automation = []
    for number in range(automation_count):
        name = AUTOMATION_NAMES[number % len(AUTOMATION_NAMES)]
        rounds = number // len(AUTOMATION_NAMES)
        automation.append(user(name + (f"-{rounds + 1}" if rounds else ""), f"automation{number + 1:02d}@{DOMAIN}"))
    builder.insert(user_model, users)
    builder.insert(UserContact, mappings)
    pools = {domain: [made for made, its in editors if its == domain] for domain in domains}
    anyone = [made for made, its in editors if its in pools]
    for domain in domains:  # a domain nobody of the staff looks after is edited by someone of another
        pools[domain] = pools[domain] or anyone[:1] or automation[:1]
    pools[ANYONE] = anyone or automation
    pools[AUTOMATION] = automation
    return SimpleNamespace(users=users, mappings=mappings, pools=pools)


def history_span(builder):
    """(start, end) of the generated history: the HISTORY_DAYS before the start of the day of generation (UTC)."""
    end = datetime.combine(builder.today, datetime.min.time(), tzinfo=UTC)
    return end - timedelta(days=HISTORY_DAYS), end


def build_change_log(builder, users, in_sql=None):
    """The change-log rows and notes the scale asks for, over the devices; return {"changes": n, "notes": n}.

    `in_sql`: written by the database itself (PostgreSQL only); None: on PostgreSQL.
    """
    if in_sql is None:
        in_sql = connection.vendor == "postgresql"
    if in_sql:
        _ChangeLogSQL(builder, users.pools).write()
    else:
        _ChangeLogPython(builder, users.pools).write()
    builder.created[ObjectChange._meta.label] = builder.counts["change_log"]
    builder.created[Note._meta.label] = builder.counts["notes"]
    return {"changes": builder.counts["change_log"], "notes": builder.counts["notes"]}


def creations(builder, devices):
    """How many devices were created within the history (one row each, the first rows of the log)."""
    return min(builder.counts["change_log"], math.ceil(devices / CREATED_EVERY))


def _thresholds(shares):
    """[(key, cumulative share)] of a {key: weight} dict, for drawing a key with one uniform number."""
    total, running, found = sum(shares.values()), 0, []
    for key, weight in shares.items():
        running += weight
        found.append((key, running / total))
    return found


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, name):
    return connection.ops.quote_name(model._meta.get_field(name).column)


class _ChangeLogSQL:
    """The history written by PostgreSQL: temporary tables of editors and devices, then one INSERT ... SELECT each."""

    def __init__(self, builder, pools):
        """Remember the estate's builder (seed, counts, day) and the pools of editors."""
        self.builder = builder
        self.pools = pools
        self.seed = builder.rng.getrandbits(30)  # drawn from the seeded generator: the same estate every time
        self.start, self.end = history_span(builder)

    def uniform(self, key, of="s.i"):
        """SQL for a number in [0, 1) from the row number `of` and a key: the same for the same seed, row and key."""
        return (
            f"(((hashtextextended(({of})::text, {self.seed * 64 + key}) >> 11) & 9007199254740991)::float8"
            " / 9007199254740992.0)"
        )

    @staticmethod
    def pick(shares, draw):
        """SQL CASE drawing a key of `shares` by weight with the column `draw` (a uniform number)."""
        whens = " ".join(f"WHEN {draw} < {limit!r} THEN '{key}'" for key, limit in _thresholds(shares)[:-1])
        return f"CASE {whens} ELSE '{list(shares)[-1]}' END"

    def write(self):
        """Make the temporary tables, then the change-log rows and the notes."""
        with connection.cursor() as cursor:
            self._editors(cursor)
            devices = self._devices(cursor)
            self._changes(cursor, devices)
            self._notes(cursor, devices)

    def _editors(self, cursor):
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_editor (pool text, n int, user_id uuid, username text, "
            "PRIMARY KEY (pool, n)) ON COMMIT DROP"
        )
        rows = [
            (pool, number, made.pk, made.username)
            for pool, members in self.pools.items()
            for number, made in enumerate(members)
        ]
        for first in range(0, len(rows), 1000):
            chunk = rows[first : first + 1000]
            cursor.execute(
                "INSERT INTO bench_editor VALUES " + ", ".join(["(%s, %s, %s, %s)"] * len(chunk)),  # noqa: S608
                [value for row in chunk for value in row],
            )
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_pool ON COMMIT DROP AS SELECT pool, COUNT(*) AS size FROM bench_editor "
            "GROUP BY pool"
        )

    def _devices(self, cursor):
        """Number the devices: `gn` over all (for drawing one), `dn` within the domain by site and name (blocks)."""
        roles = dict(Role.objects.filter(name__in=DEVICE_DOMAINS).values_list("pk", "name"))
        domain_of = " ".join(f"WHEN '{pk}' THEN '{DEVICE_DOMAINS[name]}'" for pk, name in roles.items())
        cursor.execute(
            f"""
            CREATE TEMPORARY TABLE bench_device ON COMMIT DROP AS
            SELECT d.*, p.size AS editors,
                   FLOOR(d.dn::float8 * p.size / d.domain_size)::int AS owner_n,
                   {self.uniform(1, "d.gn")} AS created_draw
            FROM (
                SELECT d.*, ROW_NUMBER() OVER (ORDER BY d.id) - 1 AS gn,
                       ROW_NUMBER() OVER (PARTITION BY d.domain ORDER BY d.site, d.name) - 1 AS dn,
                       COUNT(*) OVER (PARTITION BY d.domain) AS domain_size
                FROM (
                    SELECT dev.{_column(Device, "id")} AS id, dev.{_column(Device, "name")} AS name,
                           dev.{_column(Device, "serial")} AS serial, dev.{_column(Device, "status")} AS status_id,
                           dev.{_column(Device, "role")} AS role_id, dev.{_column(Device, "location")} AS location_id,
                           dev.{_column(Device, "platform")} AS platform_id,
                           dev.{_column(Device, "device_type")} AS device_type_id,
                           loc.{_column(Location, "name")} AS site,
                           CASE dev.{_column(Device, "role")}::text {domain_of} ELSE '{ANYONE}' END AS domain
                    FROM {_table(Device)} dev
                    JOIN {_table(Location)} loc ON loc.{_column(Location, "id")} = dev.{_column(Device, "location")}
                ) d
            ) d
            JOIN bench_pool p ON p.pool = d.domain
            """  # noqa: S608  # names from model metadata, values as parameters
        )
        cursor.execute("ALTER TABLE bench_device ADD PRIMARY KEY (gn)")
        cursor.execute("SELECT COUNT(*) FROM bench_device")
        return cursor.fetchone()[0]

    def _parameters(self, **more):
        return {
            "seed": str(self.seed),
            "start": self.start,
            "end": self.end,
            "span": self.end - self.start,
            "automation": len(self.pools[AUTOMATION]),
            "anyone": len(self.pools[ANYONE]),
            **more,
        }

    def _created_at(self):
        """SQL for when device `d` was created, if within the history (every CREATED_EVERY-th device), else NULL."""
        low, high = CREATED_WITHIN
        return (
            f"CASE WHEN d.gn %% {CREATED_EVERY} = 0 "
            f"THEN %(start)s + ({low} + {high - low} * d.created_draw) * %(span)s END"
        )

    @staticmethod
    def _placed():
        """SQL columns of a drawn row: its later time (after the device's creation), its author's pool and number."""
        return f"""
            CASE WHEN created_at IS NULL THEN %(start)s + at_draw * %(span)s
                 ELSE created_at + (0.001 + 0.999 * at_draw) * (%(end)s - created_at) END AS later,
            CASE author WHEN 'owner' THEN domain WHEN 'teammate' THEN domain
                 WHEN '{AUTOMATION}' THEN '{AUTOMATION}' WHEN '{ANYONE}' THEN '{ANYONE}' END AS pool,
            CASE author WHEN 'owner' THEN owner_n
                 WHEN 'teammate' THEN (owner_n + 1 + FLOOR(pick * {TEAMMATES})::int) %% editors
                 WHEN '{AUTOMATION}' THEN FLOOR(pick * %(automation)s)::int
                 WHEN '{ANYONE}' THEN FLOOR(pick * %(anyone)s)::int END AS n
        """

    def _changes(self, cursor, devices):
        creates = creations(self.builder, devices)
        change = ObjectChange
        columns = ", ".join(
            _column(change, name)
            for name in (
                "id", "time", "user", "user_name", "request_id", "action", "changed_object_type", "changed_object_id",
                "related_object_type", "related_object_id", "object_repr", "object_data", "change_context",
                "change_context_detail",
            )
        )  # fmt: skip
        cursor.execute(
            f"""
            WITH drawn AS (
                SELECT s.i, s.i < %(creates)s AS creates_device, d.id AS device_id, d.name, d.serial, d.status_id,
                       d.role_id, d.location_id, d.platform_id, d.device_type_id, d.domain, d.editors, d.owner_n,
                       {self._created_at()} AS created_at,
                       {self.uniform(2)} AS author_draw, {self.uniform(3)} AS pick, {self.uniform(4)} AS kind_draw,
                       {self.uniform(5)} AS at_draw,
                       {self.uniform(6)} AS create_draw, FLOOR({self.uniform(8)} * {PORTS})::int AS port
                FROM generate_series(0, %(rows)s - 1) AS s(i)
                JOIN bench_device d ON d.gn = CASE WHEN s.i < %(creates)s THEN s.i * {CREATED_EVERY}
                                                   ELSE FLOOR({self.uniform(7)} * %(devices)s)::int END
            ),
            authored AS (
                SELECT drawn.*, CASE WHEN creates_device THEN {self.pick(CREATE_AUTHORS, "author_draw")}
                                     ELSE {self.pick(UPDATE_AUTHORS, "author_draw")} END AS author
                FROM drawn
            ),
            placed AS (
                SELECT authored.*, {self._placed()},
                       NOT creates_device AND kind_draw < {INTERFACE_SHARE} AS on_interface
                FROM authored
            )
            INSERT INTO {_table(change)} ({columns})
            SELECT md5(%(seed)s || ':change:' || r.i)::uuid,
                   CASE WHEN r.creates_device THEN r.created_at ELSE r.later END,
                   e.user_id, COALESCE(e.username, %(deleted)s), md5(%(seed)s || ':request:' || r.i)::uuid,
                   CASE WHEN r.creates_device OR (r.on_interface AND r.create_draw < {INTERFACE_CREATE_SHARE})
                        THEN %(create)s ELSE %(update)s END,
                   CASE WHEN r.on_interface THEN %(interface_type)s ELSE %(device_type)s END,
                   CASE WHEN r.on_interface THEN md5(r.device_id::text || ':port:' || r.port)::uuid
                        ELSE r.device_id END,
                   CASE WHEN r.on_interface THEN %(device_type)s END,
                   CASE WHEN r.on_interface THEN r.device_id END,
                   CASE WHEN r.on_interface THEN 'Ethernet1/' || (r.port + 1) ELSE r.name END,
                   CASE WHEN r.on_interface
                        THEN jsonb_build_object('name', 'Ethernet1/' || (r.port + 1), 'device', r.device_id,
                                                'enabled', true, 'mtu', 9216, 'description', '')
                        ELSE jsonb_build_object('name', r.name, 'serial', r.serial, 'status', r.status_id,
                                                'role', r.role_id, 'location', r.location_id,
                                                'platform', r.platform_id, 'device_type', r.device_type_id,
                                                'comments', '')
                   END,
                   CASE WHEN r.pool = '{AUTOMATION}' THEN %(job)s ELSE %(web)s END, ''
            FROM placed r
            LEFT JOIN bench_editor e ON e.pool = r.pool AND e.n = r.n
            """,  # noqa: S608  # names from model metadata, values as parameters
            self._parameters(
                rows=self.builder.counts["change_log"],
                creates=creates,
                devices=devices,
                deleted=DELETED_USER_NAME,
                create=ObjectChangeActionChoices.ACTION_CREATE,
                update=ObjectChangeActionChoices.ACTION_UPDATE,
                device_type=ContentType.objects.get_for_model(Device).pk,
                interface_type=ContentType.objects.get_for_model(Interface).pk,
                job=ObjectChangeEventContextChoices.CONTEXT_JOB,
                web=ObjectChangeEventContextChoices.CONTEXT_WEB,
            ),
        )

    def _notes(self, cursor, devices):
        note = Note
        columns = ", ".join(
            _column(note, name)
            for name in ("id", "created", "last_updated", "assigned_object_type", "assigned_object_id", "user",
                         "user_name", "note")
        )  # fmt: skip
        cursor.execute(
            f"""
            WITH drawn AS (
                SELECT s.i, d.id AS device_id, d.domain, d.editors, d.owner_n, {self._created_at()} AS created_at,
                       {self.uniform(12)} AS author_draw, {self.uniform(13)} AS pick,
                       {self.uniform(14)} AS at_draw, FLOOR({self.uniform(15)} * %(texts)s)::int AS text
                FROM generate_series(0, %(rows)s - 1) AS s(i)
                JOIN bench_device d ON d.gn = FLOOR({self.uniform(11)} * %(devices)s)::int
            ),
            authored AS (SELECT drawn.*, {self.pick(NOTE_AUTHORS, "author_draw")} AS author FROM drawn),
            placed AS (SELECT authored.*, {self._placed()} FROM authored)
            INSERT INTO {_table(note)} ({columns})
            SELECT md5(%(seed)s || ':note:' || r.i)::uuid, r.later, r.later, %(device_type)s, r.device_id, e.user_id,
                   e.username, (%(text_list)s)[r.text + 1]
            FROM placed r
            JOIN bench_editor e ON e.pool = r.pool AND e.n = r.n
            """,  # noqa: S608  # names from model metadata, values as parameters
            self._parameters(
                rows=self.builder.counts["notes"],
                devices=devices,
                texts=len(NOTE_TEXTS),
                text_list=list(NOTE_TEXTS),
                device_type=ContentType.objects.get_for_model(Device).pk,
            ),
        )


@contextmanager
def explicit_times(*fields):
    """Let `bulk_create` keep the times set on the instances: `auto_now(_add)` off for a while (history is past)."""
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field, _, _ in saved:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class _ChangeLogPython:
    """The same history drawn in Python with the seeded generator and written with `bulk_create` in batches."""

    def __init__(self, builder, pools):
        """Remember the estate's builder (seed, counts, day) and the pools of editors."""
        self.builder = builder
        self.pools = pools
        self.start, self.end = history_span(builder)
        self.devices = []

    def write(self):
        """Number the devices, then write the change-log rows and the notes."""
        self._number_devices()
        with explicit_times(
            ObjectChange._meta.get_field("time"),
            Note._meta.get_field("created"),
            Note._meta.get_field("last_updated"),
        ):
            self._changes()
            self._notes()

    def _number_devices(self):
        rng, low, high = self.builder.rng, *CREATED_WITHIN
        rows = Device.objects.order_by("pk").values(
            "pk", "name", "serial", "status_id", "role__name", "location_id", "location__name", "platform_id",
            "device_type_id",
        )  # fmt: skip
        for gn, row in enumerate(rows):
            row["domain"] = DEVICE_DOMAINS.get(row["role__name"], ANYONE)
            row["created_at"] = (
                self.start + (low + (high - low) * rng.random()) * (self.end - self.start)
                if gn % CREATED_EVERY == 0
                else None
            )
            self.devices.append(row)
        for domain in {row["domain"] for row in self.devices}:
            members = sorted(
                (row for row in self.devices if row["domain"] == domain),
                key=lambda row: (row["location__name"], row["name"]),
            )
            editors = len(self.pools[domain])
            for dn, row in enumerate(members):
                row["owner_n"] = dn * editors // len(members)

    def _author(self, kind, device):
        """The user who made a change of this kind (None: a user deleted since)."""
        rng = self.builder.rng
        if kind == "deleted":
            return None
        if kind in (AUTOMATION, ANYONE):
            return rng.choice(self.pools[kind])
        editors = self.pools[device["domain"]]
        step = 0 if kind == "owner" else 1 + rng.randrange(TEAMMATES)
        return editors[(device["owner_n"] + step) % len(editors)]

    def _time(self, device):
        created, rng = device["created_at"], self.builder.rng
        if created is None:
            return self.start + rng.random() * (self.end - self.start)
        return created + (0.001 + 0.999 * rng.random()) * (self.end - created)

    def _changes(self):
        rng, builder = self.builder.rng, self.builder
        device_type = ContentType.objects.get_for_model(Device)
        interface_type = ContentType.objects.get_for_model(Interface)
        creates = creations(builder, len(self.devices))
        batch = []
        for index in range(builder.counts["change_log"]):
            creates_device = index < creates
            device = self.devices[index * CREATED_EVERY if creates_device else rng.randrange(len(self.devices))]
            kind = builder.pick(CREATE_AUTHORS if creates_device else UPDATE_AUTHORS)
            user = self._author(kind, device)
            on_interface = not creates_device and rng.random() < INTERFACE_SHARE
            row = ObjectChange(
                id=builder.new_id(),
                time=device["created_at"] if creates_device else self._time(device),
                user=user,
                user_name=user.username if user else DELETED_USER_NAME,
                request_id=builder.new_id(),
                action=ObjectChangeActionChoices.ACTION_UPDATE,
                changed_object_type=device_type,
                changed_object_id=device["pk"],
                object_repr=device["name"],
                object_data={"name": device["name"], "serial": device["serial"], "comments": ""},
                change_context=ObjectChangeEventContextChoices.CONTEXT_JOB
                if kind == AUTOMATION
                else ObjectChangeEventContextChoices.CONTEXT_WEB,
                change_context_detail="",
            )
            if creates_device:
                row.action = ObjectChangeActionChoices.ACTION_CREATE
            elif on_interface:
                port = rng.randrange(PORTS)
                name = f"Ethernet1/{port + 1}"
                row.changed_object_type, row.changed_object_id = interface_type, _interface_id(device["pk"], port)
                row.related_object_type, row.related_object_id = device_type, device["pk"]
                row.object_repr, row.object_data = name, {"name": name, "device": str(device["pk"]), "mtu": 9216}
                if rng.random() < INTERFACE_CREATE_SHARE:
                    row.action = ObjectChangeActionChoices.ACTION_CREATE
            batch.append(row)
            if len(batch) == BATCH_SIZE:
                ObjectChange.objects.bulk_create(batch)
                batch = []
        ObjectChange.objects.bulk_create(batch)

    def _notes(self):
        rng, builder = self.builder.rng, self.builder
        device_type = ContentType.objects.get_for_model(Device)
        batch = []
        for _ in range(builder.counts["notes"]):
            device = rng.choice(self.devices)
            user = self._author(builder.pick(NOTE_AUTHORS), device)
            at = self._time(device)
            batch.append(
                Note(
                    id=builder.new_id(),
                    created=at,
                    last_updated=at,
                    assigned_object_type=device_type,
                    assigned_object_id=device["pk"],
                    user=user,
                    user_name=user.username,
                    note=rng.choice(NOTE_TEXTS),
                )
            )
            if len(batch) == BATCH_SIZE:
                Note.objects.bulk_create(batch)
                batch = []
        Note.objects.bulk_create(batch)


def _interface_id(device_id, port):
    """The id of a device's interface in the history (the SQL path makes the same): an md5 of device and port."""
    return uuid.UUID(hashlib.md5(f"{device_id}:port:{port}".encode()).hexdigest())  # noqa: S324  # an id, not security
