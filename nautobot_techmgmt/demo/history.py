"""Nine months of Meridian Freight's change log: who edited which objects, and the expert nobody had recorded.

Nautobot writes a change-log row (`ObjectChange`) for every edit made through its pages or its API, and keeps notes on
objects; the app reads both as activity per person and technology (`knowledge/activity.py`). Loading the demo writes
neither (a management command has no change context), so this module writes the history the demo tells, every date
relative to the day of loading, and computes the activity from it, so the candidate expert shows at once.

Users, with unusable passwords (nobody logs in as them): 21 people, 20 matched to their contact by the same e-mail
address; `xmoreau`, Xavier Moreau, Northgate Networks' resident engineer, logs in with his Northgate address and is
mapped by a user mapping (`UserContact`); `inventory-sync`, the account of the nightly inventory sync, is no contact
and stays an unmapped user.

Worked out against the default settings (window 365 days, candidate_min_objects 3, candidate_min_changes 10,
fading_after_days 180):

* the guru - **Ben Okafor** on **Cisco IOS-XE**: every week for 38 weeks (the last 3 days ago) he changed one of the
  ten London office routers and switches or one of their interfaces, and 212 days ago he added the two second-floor
  switches with their uplinks: 42 changes and a note on 10 objects, all of them his (he created 2, nobody else touched
  them): degree-of-authorship score 10. He has no IOS-XE skill (his Routing 4 and Switching 3 cover those devices'
  other technologies), so he is the one candidate expert; recorded at the qualified level 3, he ends the technology's
  single-expert gap. Dev Patel, its only qualified expert, looks after the Chicago office: 8 changes on 6 objects.
* the fading skill - **Kemal Aydin**, Palo Alto PAN-OS level 4 (last assessed 185 days ago): his last change to a Palo
  Alto firewall was 196 days ago; since then he works on the SRX firewalls, and Jonas Weber (whose PCNSE lapsed, so he
  does not count as qualified) changes the Palo Altos, the last time 4 days ago.
* everyone else has fewer than 10 changes per technology: nobody else reaches the candidate thresholds. Every other
  qualified skill of an active expert assessed more than 180 days ago is on a technology nobody changed in the last
  180 days (storage, AWS, OpenShift) or its holder changed it in that time too: Kemal's is the only fading skill.
"""

import uuid
from datetime import datetime, time
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from nautobot.circuits.models import Circuit
from nautobot.dcim.choices import InterfaceTypeChoices
from nautobot.dcim.models import Interface
from nautobot.extras.choices import ObjectChangeActionChoices, ObjectChangeEventContextChoices
from nautobot.extras.models import Note, ObjectChange, Status

from nautobot_techmgmt.demo.people import DOMAIN, email
from nautobot_techmgmt.knowledge import activity
from nautobot_techmgmt.models import TechnologyActivity, UserContact

# The change context detail of every change-log row the demo writes: how a reload finds them.
MARK = "techmgmt-demo"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, f"https://{DOMAIN}/change-log")

CANDIDATE_EXPERT = ("Ben Okafor", "Cisco IOS-XE")
FADING_SKILL = ("Kemal Aydin", "Palo Alto PAN-OS")
UNMAPPED_USER = "inventory-sync"

# username -> the contact the user is (None: no contact).
USERS = {
    "akowalski": "Anna Kowalski",
    "bokafor": "Ben Okafor",
    "cmendes": "Carla Mendes",
    "dpatel": "Dev Patel",
    "elindqvist": "Emma Lindqvist",
    "fhaddad": "Farid Haddad",
    "goneill": "Grace O'Neill",
    "htanaka": "Hiro Tanaka",
    "xmoreau": "Xavier Moreau",
    "jweber": "Jonas Weber",
    "kaydin": "Kemal Aydin",
    "lbianchi": "Laura Bianchi",
    "npetrova": "Nadia Petrova",
    "ogrant": "Oliver Grant",
    "psharma": "Priya Sharma",
    "qdubois": "Quentin Dubois",
    "tnowak": "Tomasz Nowak",
    "ureddy": "Uma Reddy",
    "vhuang": "Victor Huang",
    "zkiss": "Zoltan Kiss",
    "dfischer": "Daniel Fischer",
    UNMAPPED_USER: None,
}
# username -> (login e-mail, why): users whose e-mail is not their contact's, mapped by a user mapping.
MAPPED = {
    "xmoreau": (
        "xavier.moreau@northgate-networks.example",
        "Northgate Networks' resident engineer logs in with his Northgate address; his contact has ours.",
    ),
}
# E-mail of the users who are no contact.
NO_CONTACT_EMAIL = {UNMAPPED_USER: f"inventory-sync@{DOMAIN}"}

CREATE, UPDATE, NOTE = ObjectChangeActionChoices.ACTION_CREATE, ObjectChangeActionChoices.ACTION_UPDATE, "note"


class Event(NamedTuple):
    """One change or note: who, how many days before the day of loading, what, on which object, and what it says.

    The object is a device, "device interface", a circuit ID or a virtual machine.
    """

    user: str
    days: int
    action: str
    target: str
    text: str


# Ben Okafor's London office devices, in the order his weekly changes go round them.
LONDON_OFFICE = (
    "lon-isr-01",
    "lon-acc-01",
    "lon-acc-02",
    "lon-isr-02",
    "lon-acc-03",
    "lon-acc-04",
    "lon-acc-05",
    "lon-acc-06",
    "lon-acc-07",
    "lon-acc-08",
)
GURU_WEEKS = 38
GURU_LAST_DAY = 3  # days ago
# The switches of the London office's second floor, which Ben added (with their uplinks) that many days ago.
NEW_SWITCHES = ("lon-acc-07", "lon-acc-08")
NEW_SWITCHES_ADDED = 212
# (interface or "" for the device itself, what changed), by kind of device; a week takes the next of its kind.
ROUTER_WORK = (
    ("", "Software 17.9.4a after the Saturday maintenance window"),
    ("GigabitEthernet0/0/0", "WAN link to COLT-MPLS-77803: QoS policy for voice"),
    ("", "NTP and syslog servers moved to the new management subnet"),
    ("GigabitEthernet0/0/1", "LAN side: DHCP relay to the new Windows servers"),
    ("", "SNMPv3 credentials rotated"),
)
ACCESS_WORK = (
    ("GigabitEthernet1/0/12", "Moved to VLAN 30 for the finance printers"),
    ("", "Voice VLAN 20 on the access ports for the new desk phones"),
    ("GigabitEthernet1/1/1", "Uplink re-patched after the cabinet move"),
    ("", "RADIUS servers changed to the new pair"),
    ("", "Serial number after the RMA swap"),
    ("GigabitEthernet1/0/12", "Port security: two MAC addresses allowed"),
    ("", "Software 17.9.4a"),
)

# The other changes and notes, by person: Ben's additions and note first.
EVENTS = (
    Event("bokafor", NEW_SWITCHES_ADDED, CREATE, "lon-acc-07", "Second floor, cabinet 2F-A"),
    Event("bokafor", NEW_SWITCHES_ADDED, CREATE, "lon-acc-07 GigabitEthernet1/1/1", "Uplink to lon-isr-01"),
    Event("bokafor", NEW_SWITCHES_ADDED, CREATE, "lon-acc-08", "Second floor, cabinet 2F-B"),
    Event("bokafor", NEW_SWITCHES_ADDED, CREATE, "lon-acc-08 GigabitEthernet1/1/1", "Uplink to lon-isr-02"),
    Event("bokafor", 95, NOTE, "lon-isr-01", "Replaced the failed power supply; Cisco RMA 8851203, spare returned."),
    # Dev Patel: the Chicago office.
    Event("dpatel", 250, UPDATE, "chi-isr-01", "Software 17.9.4a"),
    Event("dpatel", 221, UPDATE, "chi-acc-03 GigabitEthernet1/0/12", "Conference room screen, VLAN 50"),
    Event("dpatel", 190, UPDATE, "chi-isr-02", "Software 17.9.4a"),
    Event("dpatel", 131, UPDATE, "chi-acc-05", "Voice VLAN 20 on the access ports"),
    Event("dpatel", 98, UPDATE, "chi-isr-01 GigabitEthernet0/0/0", "WAN link to LMN-MPLS-55102"),
    Event("dpatel", 64, UPDATE, "chi-acc-02", "RADIUS servers changed to the new pair"),
    Event("dpatel", 45, NOTE, "chi-isr-01", "BGP session to Lumen flapped twice overnight; Lumen ticket 2210-4471."),
    Event("dpatel", 12, UPDATE, "chi-acc-06", "Serial number after the RMA swap"),
    # Hiro Tanaka: carrier circuits.
    Event("htanaka", 240, UPDATE, "COLT-MPLS-77803", "Bandwidth raised to 200 Mb/s"),
    Event("htanaka", 200, UPDATE, "LMN-MPLS-55101", "New Lumen order reference after the contract renewal"),
    Event("htanaka", 170, UPDATE, "COLT-IT-40213", "Second IPv4 /29 from Colt"),
    Event("htanaka", 120, UPDATE, "LMN-IT-880013", "Escalation contacts updated"),
    Event("htanaka", 75, UPDATE, "COLT-MPLS-77801", "Bandwidth raised to 1 Gb/s"),
    Event("htanaka", 35, CREATE, "VZB-IT-99120", "Ordered: second internet feed for New York"),
    Event("htanaka", 20, UPDATE, "VZB-IT-99120", "Installation date confirmed by Verizon"),
    Event("htanaka", 6, UPDATE, "COLT-IT-40211", "Colt maintenance window noted"),
    # Emma Lindqvist and Xavier Moreau: the Junos routers and out-of-band switches.
    Event("elindqvist", 230, UPDATE, "ams-rtr-01", "Junos 22.4R3-S2"),
    Event("elindqvist", 185, UPDATE, "fra-rtr-01 xe-0/0/0", "Transit to COLT-IT-40212"),
    Event("elindqvist", 140, UPDATE, "ams-oob-01", "Console server ports relabelled"),
    Event("elindqvist", 100, UPDATE, "fra-rtr-02", "Junos 22.4R3-S2"),
    Event("elindqvist", 52, UPDATE, "ams-oob-02 ge-0/0/47", "Management port of ams-nas-02"),
    Event("elindqvist", 16, UPDATE, "fra-rtr-01", "Loopback address added to the monitoring"),
    Event("xmoreau", 210, UPDATE, "nyc-rtr-01", "BGP: prefix limit on the Lumen session"),
    Event("xmoreau", 150, UPDATE, "nyc-rtr-02", "BGP: prefix limit on the Lumen session"),
    Event("xmoreau", 110, UPDATE, "ams-rtr-02", "BGP communities for the MPLS routes"),
    Event("xmoreau", 70, UPDATE, "nyc-rtr-01 xe-0/0/0", "Transit to LMN-IT-880012"),
    Event("xmoreau", 25, UPDATE, "nyc-rtr-02", "Junos 22.4R3-S2"),
    Event("akowalski", 178, NOTE, "ams-rtr-01", "Design: the second transit will come from Colt, not a new carrier."),
    Event("akowalski", 58, NOTE, "nyc-rtr-01", "Design review passed: prefix limits as on the European routers."),
    # Carla Mendes, Grace O'Neill (until her leave) and Farid Haddad (since he joined): the data-centre fabric.
    Event("goneill", 268, UPDATE, "fra-lf-05", "EOS 4.30.2F"),
    Event("goneill", 225, UPDATE, "fra-spn-02", "EOS 4.30.2F"),
    Event("goneill", 168, UPDATE, "fra-lf-06 Ethernet12", "Server port for fra-esx-05"),
    Event("goneill", 126, UPDATE, "fra-lf-07", "VXLAN VNI 10030 for the finance VLAN"),
    Event("cmendes", 255, UPDATE, "ams-spn-01", "EOS 4.30.2F"),
    Event("cmendes", 205, UPDATE, "ams-lf-03 Ethernet12", "Server port for ams-esx-03"),
    Event("cmendes", 160, UPDATE, "ams-lf-05", "VXLAN VNI 10030 for the finance VLAN"),
    Event("cmendes", 118, UPDATE, "ams-lf-01", "EOS 4.30.2F"),
    Event("cmendes", 80, UPDATE, "ams-spn-02", "BGP EVPN timers aligned with Frankfurt"),
    Event("cmendes", 40, UPDATE, "ams-lf-07 Ethernet48", "Uplink to ams-spn-02 re-patched"),
    Event("cmendes", 11, UPDATE, "ams-lf-02", "Serial number after the RMA swap"),
    Event("fhaddad", 36, UPDATE, "fra-lf-01", "MLAG peer link checked and documented"),
    Event("fhaddad", 28, UPDATE, "fra-lf-02 Ethernet1", "Server port for fra-lnx-03"),
    Event("fhaddad", 19, UPDATE, "fra-lf-04", "VXLAN VNI 10040 for the new test VLAN"),
    Event("fhaddad", 8, UPDATE, "fra-spn-01", "BGP EVPN timers aligned with Amsterdam"),
    # Security: Kemal Aydin left the Palo Altos for the SRX firewalls; Jonas Weber took them over.
    Event("kaydin", 248, UPDATE, "nyc-pa-01", "PAN-OS 10.2.9"),
    Event("kaydin", 231, UPDATE, "lon-pao-01", "PAN-OS 10.2.9"),
    Event("kaydin", 214, UPDATE, "nyc-pa-02 ethernet1/3", "DMZ for the customs-documents gateway"),
    Event("kaydin", 196, UPDATE, "chi-pao-01", "PAN-OS 10.2.9"),
    Event("kaydin", 160, UPDATE, "ams-srx-01", "Junos 22.4R3-S2"),
    Event("kaydin", 104, UPDATE, "fra-srx-01 xe-1/0/0", "Zone for the new test VLAN"),
    Event("kaydin", 61, UPDATE, "ams-srx-02", "IDP signatures updated"),
    Event("kaydin", 22, UPDATE, "fra-srx-02", "Junos 22.4R3-S2"),
    Event("jweber", 172, UPDATE, "nyc-pa-01", "GlobalProtect portal certificate renewed"),
    Event("jweber", 139, UPDATE, "lon-pao-02", "PAN-OS 10.2.9"),
    Event("jweber", 101, UPDATE, "nyc-pa-02", "Threat prevention profile for the DMZ"),
    Event("jweber", 66, UPDATE, "chi-pao-02 ethernet1/1", "Untrust interface to LMN-IT-880013"),
    Event("jweber", 34, UPDATE, "lon-pao-01", "GlobalProtect portal certificate renewed"),
    Event("jweber", 13, UPDATE, "nyc-pa-01", "Content update 8799"),
    Event("jweber", 4, UPDATE, "chi-pao-01", "Content update 8812"),
    Event("lbianchi", 150, NOTE, "nyc-pa-01", "Quarterly rule review: 14 unused rules flagged for removal."),
    Event("lbianchi", 83, NOTE, "ams-srx-01", "Quarterly rule review: no findings."),
    Event("lbianchi", 21, NOTE, "lon-pao-01", "Quarterly rule review: 3 unused rules flagged for removal."),
    # Servers and virtual machines.
    Event("ogrant", 245, UPDATE, "ams-lnx-01", "RHEL 9.4"),
    Event("ogrant", 200, UPDATE, "ams-lnx-02", "RHEL 9.4"),
    Event("ogrant", 150, UPDATE, "fra-lnx-01", "Memory upgraded to 512 GB"),
    Event("ogrant", 95, UPDATE, "ams-lnx-03", "iDRAC firmware 7.10"),
    Event("ogrant", 47, UPDATE, "fra-lnx-02", "RHEL 9.4"),
    Event("ogrant", 15, UPDATE, "ams-lnx-01", "Second power supply fitted"),
    Event("npetrova", 205, UPDATE, "ams-app-01", "Moved to the new storage policy"),
    Event("npetrova", 88, UPDATE, "nyc-app-01", "CPU reservation removed after the capacity review"),
    Event("npetrova", 27, NOTE, "fra-app-01", "Capacity review: keep at 8 vCPU until the Q3 peak."),
    Event("qdubois", 235, UPDATE, "ams-esx-01", "ESXi 8.0 U2"),
    Event("qdubois", 190, UPDATE, "fra-esx-02", "ESXi 8.0 U2"),
    Event("qdubois", 142, UPDATE, "nyc-esx-01", "iLO firmware 2.82"),
    Event("qdubois", 99, UPDATE, "ams-esx-04", "ESXi 8.0 U2"),
    Event("qdubois", 50, UPDATE, "fra-esx-01", "Host profile reapplied"),
    Event("qdubois", 18, UPDATE, "nyc-esx-03", "Memory upgraded to 1 TB"),
    Event("psharma", 220, UPDATE, "ams-dc-01", "Windows Server 2022"),
    Event("psharma", 133, UPDATE, "fra-dc-01", "Windows Server 2022"),
    Event("psharma", 77, UPDATE, "nyc-dc-01", "Windows Server 2022"),
    Event("psharma", 24, UPDATE, "ams-dc-01", "Domain functional level raised"),
    Event("tnowak", 226, CREATE, "nyc-ocp-worker-04", "Fourth worker for the tracking services"),
    Event("tnowak", 219, UPDATE, "nyc-ocp-worker-04", "Joined to the cluster"),
    Event("tnowak", 197, UPDATE, "nyc-ocp-master-01", "OpenShift 4.14"),
    Event("tnowak", 126, UPDATE, "nyc-kafka-02", "Disk for the shipment-events topic grown to 2 TB"),
    Event("tnowak", 44, UPDATE, "nyc-kafka-03", "RHEL 9.4"),
    Event("dfischer", 250, UPDATE, "dxcon-fg5ty7h1", "Virtual interface for the new VPC"),
    Event("dfischer", 112, UPDATE, "nyc-kafka-01", "Took over the Kafka brokers: contacts updated"),
    Event("dfischer", 85, UPDATE, "nyc-kafka-02", "Kafka 3.7"),
    Event("dfischer", 57, UPDATE, "nyc-kafka-01", "Kafka 3.7"),
    Event("dfischer", 29, UPDATE, "nyc-kafka-03", "Kafka 3.7"),
    Event("dfischer", 10, UPDATE, "nyc-kafka-01", "Retention of shipment-events raised to 14 days"),
    Event("zkiss", 176, UPDATE, "ams-pg-01", "PostgreSQL 15.6"),
    Event("zkiss", 92, UPDATE, "fra-pg-01", "PostgreSQL 15.6"),
    Event("zkiss", 38, UPDATE, "nyc-pg-01", "Replica of ams-pg-01 for reporting"),
    # Storage: the arrays have not been touched since the winter.
    Event("vhuang", 233, UPDATE, "ams-nas-01", "ONTAP 9.13.1"),
    Event("vhuang", 201, UPDATE, "nyc-nas-02", "ONTAP 9.13.1"),
    Event("ureddy", 199, NOTE, "fra-pure-01", "Purity upgrade to be planned with Pure Storage."),
    # The nightly inventory sync: serial numbers and firmware read from the servers' management controllers.
    Event(UNMAPPED_USER, 1, UPDATE, "ams-lnx-05", "Firmware versions from the management controller"),
    Event(UNMAPPED_USER, 1, UPDATE, "ams-lnx-06", "Firmware versions from the management controller"),
    Event(UNMAPPED_USER, 8, UPDATE, "ams-win-01", "Serial number from the management controller"),
    Event(UNMAPPED_USER, 8, UPDATE, "fra-win-02", "Firmware versions from the management controller"),
    Event(UNMAPPED_USER, 15, UPDATE, "nyc-lnx-04", "Serial number from the management controller"),
    Event(UNMAPPED_USER, 43, UPDATE, "ams-lnx-07", "Firmware versions from the management controller"),
    Event(UNMAPPED_USER, 71, UPDATE, "fra-lnx-08", "Firmware versions from the management controller"),
    Event(UNMAPPED_USER, 120, UPDATE, "nyc-win-03", "Serial number from the management controller"),
)

INTERFACE_TYPES = {  # interface name prefix -> type
    "GigabitEthernet1/1/": InterfaceTypeChoices.TYPE_10GE_SFP_PLUS,
    "GigabitEthernet": InterfaceTypeChoices.TYPE_1GE_FIXED,
    "xe-": InterfaceTypeChoices.TYPE_10GE_SFP_PLUS,
    "ge-": InterfaceTypeChoices.TYPE_1GE_FIXED,
    "Ethernet": InterfaceTypeChoices.TYPE_25GE_SFP28,
    "ethernet": InterfaceTypeChoices.TYPE_1GE_FIXED,
}


def guru_weeks():
    """Ben Okafor's weekly changes to the London office routers and switches, newest first."""
    events = []
    for week in range(GURU_WEEKS):
        days = GURU_LAST_DAY + 7 * week
        devices = [name for name in LONDON_OFFICE if days < NEW_SWITCHES_ADDED or name not in NEW_SWITCHES]
        device = devices[week % len(devices)]
        work = ROUTER_WORK if "-isr-" in device else ACCESS_WORK
        interface, text = work[week % len(work)]
        events.append(Event("bokafor", days, UPDATE, f"{device} {interface}".strip(), text))
    return events


def story():
    """Every event of the demo's history."""
    return (*guru_weeks(), *EVENTS)


def load(loader, estate, users):
    """Create or update the demo users' interfaces, change log and notes ({username: User}); compute the activity."""
    interfaces = load_interfaces(loader, estate)
    changes, notes = history_rows(loader, estate, users, interfaces)
    note_type = ContentType.objects.get_for_model(Note)
    demo_changes = ObjectChange.objects.filter(change_context_detail=MARK)
    demo_notes = Note.objects.filter(
        pk__in=[*notes, *demo_changes.filter(changed_object_type=note_type).values_list("changed_object_id", flat=True)]
    )
    write_rows(loader, Note, notes, demo_notes, "created")
    write_rows(loader, ObjectChange, changes, demo_changes, "time")
    # The activity is state the Job keeps; after a load that changed nothing it already holds this history.
    if activity.enabled() and (loader.changed or not TechnologyActivity.objects.exists()):
        activity.compute_activity()


def load_users(loader, staff):
    """Create or update the demo users and the one user mapping; return {username: User}.

    A user is created with an unusable password and never given one: the demo's users exist for their history.
    """
    user_model = get_user_model()
    users = {}
    for username, contact in USERS.items():
        login, why = MAPPED.get(username, (None, ""))
        values = {
            "email": login or (email(contact) if contact else NO_CONTACT_EMAIL[username]),
            "first_name": contact.split(" ", 1)[0] if contact else "",
            "last_name": contact.split(" ", 1)[1] if contact else "",
        }
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model(username=username, **values)
            user.set_unusable_password()
            user.validated_save()
            loader.count_created(user)
        else:
            loader.update(user, **values)
        users[username] = user
        if login:
            loader.ensure(UserContact, {"user": user}, contact=staff.contacts[contact], comments=why)
    return users


def load_interfaces(loader, estate):
    """Create the interfaces the history changes; return {"device interface": Interface}."""
    status = Status.objects.get(name="Active")
    interfaces = {}
    for event in story():
        device, _, name = event.target.partition(" ")
        if name and event.target not in interfaces:
            kind = next(kind for prefix, kind in INTERFACE_TYPES.items() if name.startswith(prefix))
            interfaces[event.target] = loader.ensure(
                Interface, {"device": estate.devices[device], "name": name}, type=kind, status=status
            )
    return interfaces


def moment(loader, event, index):
    """When an event happened: `event.days` before the day of loading, in office hours (the sync runs at night)."""
    at = time(2, 15) if event.user == UNMAPPED_USER else time(8 + (index * 5) % 10, (index * 17) % 60)
    return timezone.make_aware(datetime.combine(loader.days(-event.days), at))


def changed_object(estate, interfaces, target):
    """(object, the device it belongs to or None) of an event's target."""
    if target in interfaces:
        interface = interfaces[target]
        return interface, interface.device
    for found in (estate.devices, estate.circuits, estate.virtual_machines):
        if target in found:
            return found[target], None
    raise KeyError(target)


def object_data(obj, text):
    """What the change log shows of the object after the change: its name and the field the change wrote."""
    if isinstance(obj, Interface):
        return {"name": obj.name, "device": obj.device.name, "description": text}
    if isinstance(obj, Circuit):
        return {"cid": obj.cid, "provider": obj.provider.name, "comments": text}
    return {"name": obj.name, "comments": text}


def history_rows(loader, estate, users, interfaces):
    """The change-log rows and notes of the story: ({id: (ObjectChange, time)}, {id: (Note, created)})."""
    type_of = ContentType.objects.get_for_model
    note_type = type_of(Note)
    changes, notes = {}, {}
    for index, event in enumerate(story()):
        obj, device = changed_object(estate, interfaces, event.target)
        user = users[event.user]
        at = moment(loader, event, index)
        key = f"{index}/{event.user}/{event.action}/{event.target}"
        row = ObjectChange(
            id=uuid.uuid5(NAMESPACE, key),
            user=user,
            user_name=user.username,
            request_id=uuid.uuid5(NAMESPACE, f"request/{key}"),
            change_context=ObjectChangeEventContextChoices.CONTEXT_WEB,
            change_context_detail=MARK,
        )
        if event.action == NOTE:
            note = Note(
                id=uuid.uuid5(NAMESPACE, f"note/{key}"),
                assigned_object_type=type_of(obj),
                assigned_object_id=obj.pk,
                user=user,
                user_name=user.username,
                note=event.text,
            )
            notes[note.pk] = (note, at)
            # Nautobot logs the creation of a note as a change of the note, related to nothing.
            row.action = CREATE
            row.changed_object_type, row.changed_object_id = note_type, note.pk
            row.object_repr = f"{obj} - {at.isoformat()}"
            row.object_data = {"assigned_object": str(obj), "note": event.text}
        else:
            row.action = event.action
            row.changed_object_type, row.changed_object_id = type_of(obj), obj.pk
            if device is not None:
                row.related_object_type, row.related_object_id = type_of(device), device.pk
            row.object_repr = str(obj)
            row.object_data = object_data(obj, event.text)
        row.object_data_v2 = row.object_data
        changes[row.pk] = (row, at)
    return changes, notes


# The fields that make a demo row what the story says (its time apart).
ROW_FIELDS = {
    ObjectChange: (
        "user_id",
        "user_name",
        "request_id",
        "action",
        "changed_object_type_id",
        "changed_object_id",
        "related_object_type_id",
        "related_object_id",
        "object_repr",
        "object_data",
        "object_data_v2",
        "change_context",
        "change_context_detail",
    ),
    Note: ("assigned_object_type_id", "assigned_object_id", "user_id", "user_name", "note"),
}


def write_rows(loader, model, wanted, existing, time_field):
    """Make the demo's rows of `model` the `wanted` ones ({id: (row, time)}), counting what changed.

    Rows already as wanted stay; rows of an earlier load whose day moved (or that an earlier version of the demo told
    otherwise) are rewritten; rows the demo no longer holds are deleted. New rows are written in bulk; the time field
    is `auto_now_add`, so one UPDATE then puts each at its moment.
    """
    fields = ROW_FIELDS[model]
    current = {row.pk: row for row in existing}
    for pk in current.keys() - wanted.keys():
        loader.remove(model, {"pk": pk})
    new, rewritten = [], []
    for pk, (row, at) in wanted.items():
        old = current.get(pk)
        if old is None:
            new.append(row)
        elif getattr(old, time_field) != at or any(getattr(old, name) != getattr(row, name) for name in fields):
            rewritten.append(row)
        else:
            loader.count_unchanged(old)
    model.objects.bulk_create(new)
    for row in (*new, *rewritten):
        setattr(row, time_field, wanted[row.pk][1])
    model.objects.bulk_update(new, [time_field])
    model.objects.bulk_update(rewritten, [*fields, time_field])
    for row in new:
        loader.count_created(row)
    for row in rewritten:
        loader.count_updated(row)
