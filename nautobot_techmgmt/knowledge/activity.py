"""Who works on which technology, from Nautobot's own change log and notes (docs/user/candidate_experts.md).

People: a user is the Contact an explicit `UserContact` names, else the one Contact with the same e-mail
(case-insensitive); a user matching no contact, or several, stays an unmapped user.

Activity: every change-log row and note by a user, in the window, on an inventory object of the registry or on one of
its components (a change whose related object is one: interfaces, circuit terminations, VM interfaces ...) counts
for the technologies that object uses now, or used when it was deleted (`RetiredObjectTechnology`). Per person and
object, the degree of authorship of truck-factor research (Avelino et al., 2016):

    DOA = 3.293 + 1.098 * FA + 0.164 * DL - 0.321 * ln(1 + AC)

FA is 1 if the person created the object in the window, DL the person's changes and notes on it, AC everyone else's.
A person is an author of the object when DOA >= 3.293 and DOA >= 0.75 x the highest DOA on that object. Per person
and technology the Job stores the objects touched, the objects authored, first authorships, own and others' changes,
first and last activity and a score: the sum over the objects touched of DOA / highest DOA on the object (1 for the
main author of each object).

The computation is one SQL statement (window functions, on PostgreSQL and MySQL/MariaDB alike): nothing of the
change log is loaded into Python; the rows per person and technology come back through a server-side cursor in
batches (on PostgreSQL) and are written as they complete, so memory stays bounded whatever the size of the log.
"""

from collections import defaultdict
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from nautobot_techmgmt.knowledge.config import app_setting
from nautobot_techmgmt.knowledge.schema import model_of, quote
from nautobot_techmgmt.object_types import OBJECT_TYPES

AUTHOR_THRESHOLD = 3.293  # the formula's constant: an author's DOA is at least that of no authorship at all
AUTHOR_SHARE = 0.75  # share of the object's highest DOA an author reaches
TOP_OBJECTS = 5
BATCH = 2000  # rows read from the database, and activity rows written, at a time
PROGRESS_EVERY = 50  # batches read between two progress messages
# Activity is a contact's once the user is mapped: a dismissal (or any record) of such a user would never apply.
IS_A_CONTACT = "This user is a contact: dismiss the contact instead."


def enabled():
    """Whether the candidate-expert feature is on (setting `candidate_experts_enabled`)."""
    return bool(app_setting("candidate_experts_enabled"))


def window_start(now=None):
    """The start of the activity window (setting `activity_window_days`)."""
    return (now or timezone.now()) - timedelta(days=app_setting("activity_window_days"))


def contacts_of_users():
    """{user id: contact id} of the users who are a contact (the rule of `_people_sql`)."""
    to_uuid = get_user_model()._meta.pk.to_python
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT user_id, contact_id FROM ({_people_sql()}) people WHERE contact_id IS NOT NULL")
        return {to_uuid(user_id): to_uuid(contact_id) for user_id, contact_id in cursor.fetchall()}


def unmapped_users():
    """Active users who are no contact: neither mapped nor sharing their e-mail with exactly one contact."""
    mapped = contacts_of_users()
    return get_user_model().objects.filter(is_active=True).exclude(pk__in=mapped).order_by("username")


def _content_type_ids():
    return [ContentType.objects.get_for_model(model_of(object_type.model_label)).pk for object_type in OBJECT_TYPES]


def _object_technologies_sql():
    """(object_id, technology_id, type_key) of every object in use now and every deleted one remembered."""
    from nautobot_techmgmt.models import ObjectKnowledge, RetiredObjectTechnology  # pylint: disable=import-outside-toplevel

    table = quote(ObjectKnowledge._meta.db_table)
    ids = ", ".join(quote(f"{object_type.field}_id") for object_type in OBJECT_TYPES)
    kinds = " ".join(
        f"WHEN {quote(object_type.field + '_id')} IS NOT NULL THEN '{object_type.key}'" for object_type in OBJECT_TYPES
    )
    retired = quote(RetiredObjectTechnology._meta.db_table)
    return (
        f"SELECT COALESCE({ids}) AS object_id, technology_id, CASE {kinds} END AS type_key FROM {table} "
        f"UNION SELECT object_id, technology_id, object_type FROM {retired}"
    )


def _people_sql():
    """(user_id, contact_id) of every user; contact_id NULL for a user who is no contact.

    The one definition of the mapping rule: an explicit `UserContact`, else the only contact with the user's e-mail.
    """
    from nautobot.extras.models import Contact  # pylint: disable=import-outside-toplevel

    from nautobot_techmgmt.models import UserContact  # pylint: disable=import-outside-toplevel

    users, mappings = quote(get_user_model()._meta.db_table), quote(UserContact._meta.db_table)
    contacts = quote(Contact._meta.db_table)
    return f"""
        SELECT u.id AS user_id, COALESCE(m.contact_id, c.id) AS contact_id
        FROM {users} u
        LEFT JOIN {mappings} m ON m.user_id = u.id
        LEFT JOIN (
            SELECT LOWER(email) AS email FROM {contacts} WHERE email <> '' GROUP BY LOWER(email) HAVING COUNT(*) = 1
        ) unique_email ON m.id IS NULL AND unique_email.email = LOWER(u.email)
        LEFT JOIN {contacts} c ON c.email <> '' AND LOWER(c.email) = unique_email.email
    """


def _activity_sql(type_ids):
    """Rows (person, technology, object) of the window, the person's first TOP_OBJECTS objects of each technology.

    Each row carries the person's figures on the object, its rank and the person's totals on the technology.

    Portable SQL (window functions; PostgreSQL and MySQL/MariaDB): nothing of the log is loaded into Python.
    """
    from nautobot.extras.models import Note, ObjectChange  # pylint: disable=import-outside-toplevel

    changes, notes = quote(ObjectChange._meta.db_table), quote(Note._meta.db_table)
    types = ", ".join(str(int(pk)) for pk in type_ids)
    return f"""
    WITH people AS ({_people_sql()}),
    events AS (
        SELECT user_id, changed_object_id AS object_id, CASE WHEN action = 'create' THEN 1 ELSE 0 END AS created,
               time AS at
        FROM {changes}
        WHERE time >= %(start)s AND time <= %(end)s AND user_id IS NOT NULL AND changed_object_type_id IN ({types})
        UNION ALL
        SELECT user_id, related_object_id, 0, time
        FROM {changes}
        WHERE time >= %(start)s AND time <= %(end)s AND user_id IS NOT NULL AND related_object_type_id IN ({types})
          AND changed_object_type_id NOT IN ({types})
        UNION ALL
        SELECT user_id, assigned_object_id, 0, created
        FROM {notes}
        WHERE created >= %(start)s AND created <= %(end)s AND user_id IS NOT NULL
          AND assigned_object_type_id IN ({types})
    ),
    per_object AS (
        SELECT p.contact_id, CASE WHEN p.contact_id IS NULL THEN e.user_id END AS user_id, e.object_id,
               MAX(e.created) AS fa, COUNT(*) AS dl, MIN(e.at) AS first_at, MAX(e.at) AS last_at
        FROM events e JOIN people p ON p.user_id = e.user_id
        GROUP BY p.contact_id, CASE WHEN p.contact_id IS NULL THEN e.user_id END, e.object_id
    ),
    others AS (
        SELECT per_object.*, SUM(dl) OVER (PARTITION BY object_id) - dl AS ac FROM per_object
    ),
    doa AS (
        SELECT others.*, 3.293 + 1.098 * fa + 0.164 * dl - 0.321 * LN(1 + ac) AS doa FROM others
    ),
    normed AS (
        SELECT d.*, CASE WHEN d.top_doa > 0 THEN d.doa / d.top_doa ELSE 0 END AS share
        FROM (SELECT doa.*, MAX(doa.doa) OVER (PARTITION BY object_id) AS top_doa FROM doa) d
    ),
    joined AS (
        SELECT n.contact_id, n.user_id, ot.technology_id, ot.type_key, n.object_id, n.fa, n.dl, n.ac, n.first_at,
               n.last_at, n.share,
               CASE WHEN n.doa >= {AUTHOR_THRESHOLD} AND n.share >= {AUTHOR_SHARE} THEN 1 ELSE 0 END AS author
        FROM normed n JOIN ({_object_technologies_sql()}) ot ON ot.object_id = n.object_id
    ),
    technology_objects AS (
        SELECT technology_id, COUNT(DISTINCT object_id) AS objects FROM joined GROUP BY technology_id
    ),
    ranked AS (
        SELECT joined.*,
               ROW_NUMBER() OVER (PARTITION BY contact_id, user_id, technology_id ORDER BY dl DESC, object_id) AS rank_,
               COUNT(*) OVER (PARTITION BY contact_id, user_id, technology_id) AS t_touched,
               SUM(author) OVER (PARTITION BY contact_id, user_id, technology_id) AS t_authored,
               SUM(fa) OVER (PARTITION BY contact_id, user_id, technology_id) AS t_created,
               SUM(dl) OVER (PARTITION BY contact_id, user_id, technology_id) AS t_own,
               SUM(ac) OVER (PARTITION BY contact_id, user_id, technology_id) AS t_others,
               MIN(first_at) OVER (PARTITION BY contact_id, user_id, technology_id) AS t_first,
               MAX(last_at) OVER (PARTITION BY contact_id, user_id, technology_id) AS t_last,
               SUM(share) OVER (PARTITION BY contact_id, user_id, technology_id) AS t_score
        FROM joined
    )
    SELECT r.contact_id, r.user_id, r.technology_id, r.t_touched, r.t_authored, r.t_created, r.t_own, r.t_others,
           r.t_first, r.t_last, r.t_score, t.objects, r.type_key, r.object_id, r.dl
    FROM ranked r JOIN technology_objects t ON t.technology_id = r.technology_id
    WHERE r.rank_ <= {TOP_OBJECTS}
    ORDER BY r.contact_id, r.user_id, r.technology_id, r.rank_
    """


def compute_activity(now=None, log=None):
    """Replace the activity state with the change log and notes of the window ending `now`; returns counts.

    `log(message)` is told each step (the Job's progress). One transaction: readers see the old rows until the new
    ones are complete.
    """
    from nautobot_techmgmt.models import RetiredObjectTechnology, TechnologyActivity  # pylint: disable=import-outside-toplevel

    log = log or (lambda message: None)
    now = now or timezone.now()
    start = window_start(now)
    log(f"Reading the change log and notes from {start:%Y-%m-%d %H:%M} to {now:%Y-%m-%d %H:%M}.")
    to_uuid = TechnologyActivity._meta.get_field("technology").target_field.to_python
    users_of = defaultdict(list)
    for user_id, contact_id in contacts_of_users().items():
        users_of[contact_id].append(str(user_id))
    counts = {"rows": 0, "people": 0, "retired_purged": 0}
    batch, current, person, top = [], None, None, []

    def write(final=False):
        if batch and (final or len(batch) >= BATCH):
            TechnologyActivity.objects.bulk_create(batch)
            counts["rows"] += len(batch)
            batch.clear()

    with transaction.atomic():
        # An object deleted before the window has no change in it: its technologies are no longer needed.
        counts["retired_purged"], _ = RetiredObjectTechnology.objects.filter(retired__lt=start).delete()
        with connection.cursor() as cursor:  # one statement: a queryset delete would load every row to send signals
            cursor.execute(f"DELETE FROM {quote(TechnologyActivity._meta.db_table)}")
        # A server-side cursor where the database has one (PostgreSQL): the result streams in batches, and a row is
        # written once its (person, technology) is complete (the statement orders by them).
        with connection.chunked_cursor() as cursor:
            cursor.execute(_activity_sql(_content_type_ids()), {"start": start, "end": now})
            number = 0
            while records := cursor.fetchmany(BATCH):  # a list on PostgreSQL, a tuple on MySQL: empty at the end
                number += 1
                if number % PROGRESS_EVERY == 0:
                    log(f"{counts['rows'] + len(batch)} rows of activity per person and technology so far.")
                for record in records:
                    contact_id, user_id, technology_id = (to_uuid(value) if value else None for value in record[:3])
                    if current is None or (contact_id, user_id, technology_id) != current.key:
                        write()
                        current = _activity_row(record, contact_id, user_id, technology_id)
                        top = current.top_objects = []
                        current.user_ids = users_of.get(contact_id, []) if contact_id else [str(user_id)]
                        current.window_start, current.computed = start, now
                        batch.append(current)
                        counts["people"] += (contact_id, user_id) != person
                        person = (contact_id, user_id)
                    type_key, object_id, changes = record[12:]
                    top.append([type_key, str(to_uuid(object_id)), changes])
            write(final=True)
    log(f"{counts['rows']} rows of activity for {counts['people']} people written.")
    return counts


def _activity_row(record, contact_id, user_id, technology_id):
    """A TechnologyActivity of the person's totals on the technology (the first row of its group)."""
    from nautobot_techmgmt.models import TechnologyActivity  # pylint: disable=import-outside-toplevel

    touched, authored, created, own, others, first, last, score, objects = record[3:12]
    row = TechnologyActivity(
        contact_id=contact_id,
        user_id=user_id,
        technology_id=technology_id,
        objects_touched=touched,
        authored_objects=authored,
        first_authorships=created,
        own_changes=own,
        others_changes=others,
        first_activity=first,
        last_activity=last,
        score=round(float(score), 3),
        technology_objects=objects,
    )
    row.key = (contact_id, user_id, technology_id)
    return row


def retire_object(object_type, object_id, technology_ids):
    """Remember the technologies of an object about to be deleted, so its history keeps counting for them."""
    from nautobot_techmgmt.models import RetiredObjectTechnology  # pylint: disable=import-outside-toplevel

    if enabled() and technology_ids:
        RetiredObjectTechnology.objects.bulk_create(
            [
                RetiredObjectTechnology(object_type=object_type.key, object_id=object_id, technology_id=technology_id)
                for technology_id in technology_ids
            ],
            ignore_conflicts=True,
        )
