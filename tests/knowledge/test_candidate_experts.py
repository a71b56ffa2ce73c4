"""Candidate experts from the change log: people from users, activity with worked-out degrees of authorship,
candidates, fading skills, dismissals and who may see what.

The hand-built history (NOW = 2026-06-01 12:00 UTC, window 365 days):

* ams-rtr-1 (Junos): Ada creates it and changes it 11 more times (FA 1, DL 12); Bob changes it twice, changes one of
  its interfaces once and adds a note (DL 4). Ada: DOA = 3.293 + 1.098 + 0.164 x 12 - 0.321 ln(1 + 4) = 5.84237;
  Bob: 3.293 + 0.164 x 4 - 0.321 ln 13 = 3.12565 (below 3.293: no author), share 3.12565 / 5.84237 = 0.53500.
* ber-rtr-1 (Junos): Bob changes it 10 times, Ada once. Bob: 3.293 + 1.64 - 0.321 ln 2 = 4.71050 (author);
  Ada: 3.293 + 0.164 - 0.321 ln 11 = 2.68728, share 0.57049.
* ams-rtr-9 (Junos, deleted since): Carol created it, changed it twice and deleted it (FA 1, DL 4, AC 0):
  DOA 5.047, author; it still counts for Junos.
* ams-srv-1 (Linux): Carol changes it 12 times; Dave (a user mapped to no contact) once, exactly at the start of the
  window; his change a second before the window, one after NOW, one by a deleted user and one on a location don't
  count. Carol: 3.293 + 1.968 - 0.321 ln 2 = 5.03850; Dave: 3.457 - 0.321 ln 13 = 2.63365, share 0.52271.
"""

import uuid
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from nautobot.apps.testing import TestCase
from nautobot.dcim.models import Device, Interface
from nautobot.extras.models import Note, ObjectChange

from nautobot_techmgmt.answers import Answers
from nautobot_techmgmt.candidates import UNMAPPED, History
from nautobot_techmgmt.jobs.activity import ComputeActivity
from nautobot_techmgmt.knowledge import activity
from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge
from nautobot_techmgmt.models import (
    CandidateDismissal,
    RetiredObjectTechnology,
    TechnologyActivity,
    TechnologyScope,
    UserContact,
)
from tests import fixtures

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
START = NOW - timedelta(days=365)
ACTIVITY = "nautobot_techmgmt.technologyactivity"
PEOPLE = ["nautobot_techmgmt.technology", "nautobot_techmgmt.expert", "extras.contact"]


def days_ago(days, seconds=0):
    return NOW - timedelta(days=days, seconds=seconds)


def change(user, obj, at, action="update", related=None):
    """One change-log row by `user` on `obj` at `at` (the change log sets its time itself: set it afterwards)."""
    record = ObjectChange.objects.create(
        user=user,
        user_name=user.username if user else "deleted-user",
        request_id=uuid.uuid4(),
        action=action,
        changed_object=obj,
        related_object=related,
        object_repr=str(obj)[:200],
        object_data={},
    )
    ObjectChange.objects.filter(pk=record.pk).update(time=at)
    return record


def note(user, obj, at):
    record = Note.objects.create(assigned_object=obj, user=user, user_name=user.username, note="Replaced the PSU.")
    Note.objects.filter(pk=record.pk).update(created=at)


def history_estate(test):
    """The estate and history of the module docstring."""
    test.inv = fixtures.inventory()
    test.junos = fixtures.technology("Junos", qualified_level=3)
    test.linux = fixtures.technology("Linux", qualified_level=3)
    TechnologyScope.objects.create(technology=test.junos, platform=test.inv["junos"])
    TechnologyScope.objects.create(technology=test.linux, platform=test.inv["linux"])
    test.doomed = Device.objects.create(
        name="ams-rtr-9",
        device_type=test.inv["mx"],
        platform=test.inv["junos"],
        role=test.inv["router_role"],
        location=test.inv["site"],
        status=fixtures.status("Active"),
    )
    rebuild_knowledge()
    test.ada = fixtures.expert("Ada Lovelace")
    test.bob = fixtures.expert("Bob Byte")
    test.carol = fixtures.expert("Carol King")
    fixtures.skill(test.ada, test.junos, 4)
    fixtures.skill(test.bob, test.junos, 2)
    users = get_user_model().objects
    test.ada_user = users.create_user(username="ada", email="Ada.Lovelace@Example.com")  # the same e-mail
    test.bob_user = users.create_user(username="bob", email="bob.byte@example.com")
    test.carol_user = users.create_user(username="ck", email="carol@home.example")  # mapped explicitly
    UserContact.objects.create(user=test.carol_user, contact=test.carol.contact)
    test.dave_user = users.create_user(username="dave", email="dave@example.com")  # no contact
    fixtures.contact("Eve One", email="eve@example.com")
    fixtures.contact("Eve Two", email="EVE@example.com")
    test.eve_user = users.create_user(username="eve", email="eve@example.com")  # two contacts: unmapped

    router, other, server = test.inv["router"], test.inv["other_router"], test.inv["server"]
    change(test.ada_user, router, days_ago(100), action="create")
    for day in range(11):
        change(test.ada_user, router, days_ago(99 - day))
    change(test.bob_user, router, days_ago(60))
    change(test.bob_user, router, days_ago(59))
    interface = Interface.objects.create(
        device=router, name="xe-0/0/0", type="10gbase-x-sfpp", status=fixtures.status("Active")
    )
    change(test.bob_user, interface, days_ago(58), related=router)
    note(test.bob_user, router, days_ago(57))
    for day in range(10):
        change(test.bob_user, other, days_ago(50 - day))
    change(test.ada_user, other, days_ago(30))
    change(test.carol_user, test.doomed, days_ago(200), action="create")
    change(test.carol_user, test.doomed, days_ago(199))
    change(test.carol_user, test.doomed, days_ago(198))
    change(test.carol_user, test.doomed, days_ago(197), action="delete")
    test.doomed_id = test.doomed.pk
    test.doomed.delete()
    for day in range(12):
        change(test.carol_user, server, days_ago(20 - day))
    change(test.dave_user, server, START)  # the first moment of the window counts
    change(test.dave_user, server, START - timedelta(seconds=1))  # a second before it does not
    change(test.dave_user, server, NOW + timedelta(seconds=1))  # nor after the window's end
    change(None, server, days_ago(5))  # a user deleted since: nobody to credit
    change(test.ada_user, test.inv["site"], days_ago(5))  # a location is no inventory object of the registry


class ActivityTest(TestCase):
    """The figures the activity Job stores, worked out by hand."""

    @classmethod
    def setUpTestData(cls):
        history_estate(cls)
        cls.counts = activity.compute_activity(now=NOW)

    def row(self, person, technology):
        filters = {"user": person} if person == self.dave_user else {"contact": person.contact}
        return TechnologyActivity.objects.get(technology=technology, **filters)

    def test_people_from_users(self):
        mapped = activity.contacts_of_users()
        self.assertEqual(mapped[self.ada_user.pk], self.ada.contact.pk)  # e-mail, whatever its case
        self.assertEqual(mapped[self.carol_user.pk], self.carol.contact.pk)  # explicit mapping
        self.assertNotIn(self.dave_user.pk, mapped)
        self.assertNotIn(self.eve_user.pk, mapped)  # two contacts share the e-mail
        self.assertEqual(
            {"dave", "eve"}, {user.username for user in activity.unmapped_users()} & {"ada", "bob", "ck", "dave", "eve"}
        )

    def test_worked_figures(self):
        ada, bob = self.row(self.ada, self.junos), self.row(self.bob, self.junos)
        self.assertEqual(
            (ada.objects_touched, ada.authored_objects, ada.first_authorships, ada.own_changes, ada.others_changes),
            (2, 1, 1, 13, 14),
        )
        self.assertAlmostEqual(ada.score, 1.570, places=3)
        self.assertEqual((ada.first_activity, ada.last_activity), (days_ago(100), days_ago(30)))
        self.assertEqual(
            (bob.objects_touched, bob.authored_objects, bob.first_authorships, bob.own_changes, bob.others_changes),
            (2, 1, 0, 14, 13),
        )
        self.assertAlmostEqual(bob.score, 1.535, places=3)
        self.assertEqual(ada.technology_objects, 3)  # ams-rtr-1, ber-rtr-1 and the deleted ams-rtr-9
        self.assertEqual(ada.user_ids, [str(self.ada_user.pk)])
        self.assertEqual(ada.top_objects[0], ["devices", str(self.inv["router"].pk), 12])

    def test_deleted_object_still_counts(self):
        carol = self.row(self.carol, self.junos)
        self.assertEqual((carol.objects_touched, carol.authored_objects, carol.first_authorships), (1, 1, 1))
        self.assertEqual((carol.own_changes, carol.others_changes), (4, 0))
        self.assertAlmostEqual(carol.score, 1.0)
        self.assertTrue(RetiredObjectTechnology.objects.filter(object_id=self.doomed_id, technology=self.junos))

    def test_window_edges_and_unmapped_user(self):
        carol, dave = self.row(self.carol, self.linux), self.row(self.dave_user, self.linux)
        self.assertEqual((carol.own_changes, carol.others_changes, carol.authored_objects), (12, 1, 1))
        self.assertAlmostEqual(carol.score, 1.0)
        self.assertEqual((dave.own_changes, dave.others_changes, dave.authored_objects), (1, 12, 0))
        self.assertAlmostEqual(dave.score, 0.523, places=3)
        self.assertEqual(dave.first_activity, START)
        self.assertIsNone(dave.contact)
        self.assertEqual(self.counts, {"rows": 5, "people": 4, "retired_purged": 0})

    def test_retired_technologies_are_forgotten_after_the_window(self):
        RetiredObjectTechnology.objects.update(retired=days_ago(400))
        counts = activity.compute_activity(now=NOW)
        self.assertEqual(counts["retired_purged"], 1)
        self.assertFalse(TechnologyActivity.objects.filter(contact=self.carol.contact, technology=self.junos))

    @override_settings(PLUGINS_CONFIG={"nautobot_techmgmt": {"candidate_experts_enabled": False}})
    def test_off_remembers_nothing_of_deleted_objects(self):
        RetiredObjectTechnology.objects.all().delete()
        self.inv["other_router"].delete()
        self.assertFalse(RetiredObjectTechnology.objects.exists())


class CandidatesTest(TestCase):
    """Candidates, fading skills and dismissals as users see them."""

    @classmethod
    def setUpTestData(cls):
        history_estate(cls)
        activity.compute_activity(now=NOW)
        cls.fred = fixtures.expert("Fred Flint")
        fixtures.skill(cls.fred, cls.junos, 3)  # qualified, never seen in the log: fading
        cls.gina = fixtures.expert("Gina Gray")
        fixtures.skill(cls.gina, cls.junos, 3, last_assessed=(NOW - timedelta(days=10)).date())  # assessed lately
        cls.admin = get_user_model().objects.create_user(username="admin-user", is_superuser=True)

    def history(self, user=None):
        return History(Answers(user or self.admin), now=NOW)

    def names(self, evidence):
        return [(item.technology.name, item.person_name) for item in evidence]

    def test_candidates(self):
        # Carol: author of ams-srv-1, the one Linux object with activity, 12 changes, no Linux skill.
        # Junos: Carol authored 1 of 3 objects (needs 3); Bob 1 (and has level 2); Ada 1 (and has level 4).
        found = self.history().candidates()
        self.assertEqual(self.names(found), [("Linux", "Carol King")])
        carol = found[0]
        self.assertEqual((carol.skill_level, carol.suggested_level, carol.expert), (None, 3, self.carol))
        self.assertIn(f"expert={self.carol.pk}", carol.record_skill_url)
        self.assertIn(f"technology={self.linux.pk}", carol.record_skill_url)
        self.assertIn(f"user={self.carol_user.pk}", carol.changelog_url)

    @override_settings(PLUGINS_CONFIG={"nautobot_techmgmt": {"candidate_min_objects": 1}})
    def test_a_level_below_the_activity(self):
        # One authored object is enough now: Bob (level 2 < 3, 14 changes) is a candidate, Ada (level 4) is not,
        # Carol's 4 changes on Junos are under 10.
        found = self.history().candidates(technologies=[self.junos.pk])
        self.assertEqual(self.names(found), [("Junos", "Bob Byte")])
        self.assertEqual((found[0].skill_level, found[0].suggested_level), (2, 3))

    def test_record_skill_only_for_who_may_record_it(self):
        viewer = fixtures.user_with_permissions("viewer", ([ACTIVITY, *PEOPLE], ["view"], None))
        self.assertIsNone(self.history(viewer).candidates()[0].record_skill_url)
        adder = fixtures.user_with_permissions(
            "adder", ([ACTIVITY, *PEOPLE], ["view"], None), (["nautobot_techmgmt.skill"], ["add"], None)
        )
        self.assertIn("/skills/add/", self.history(adder).candidates()[0].record_skill_url)

    def test_recording_the_skill_answers_the_candidate_at_once(self):
        fixtures.skill(self.carol, self.linux, 3)
        self.assertEqual(self.history().candidates(), [])

    def test_dismissed_until_new_activity(self):
        row = TechnologyActivity.objects.get(contact=self.carol.contact, technology=self.linux)
        CandidateDismissal.objects.create(
            contact=self.carol.contact,
            technology=self.linux,
            reason="Edits records for the DC team only.",
            dismissed_by=self.admin,
            activity_until=row.last_activity,
        )
        self.assertEqual(self.history().candidates(), [])
        self.assertEqual(len(self.history().candidates(include_dismissed=True)), 1)
        change(self.carol_user, self.inv["server"], days_ago(1))
        activity.compute_activity(now=NOW)
        self.assertEqual(self.names(self.history().candidates()), [("Linux", "Carol King")])

    def test_fading_skills(self):
        fading = self.history().fading_skills()
        self.assertEqual([(item.skill.expert, item.skill.technology) for item in fading], [(self.fred, self.junos)])
        self.assertIsNone(fading[0].last_activity)
        self.assertEqual(fading[0].technology_last_activity, days_ago(30))  # Ada on ber-rtr-1

    @override_settings(PLUGINS_CONFIG={"nautobot_techmgmt": {"fading_after_days": 20}})
    def test_fading_needs_recent_work_by_others(self):
        # Within 20 days only Carol and Dave worked, on Linux: nobody's Junos skill can be said to fade.
        self.assertEqual(self.history().fading_skills(), [])

    def test_evidence_of_a_person(self):
        evidence = self.history().of_person(self.carol.contact)
        self.assertEqual(self.names(evidence), [("Junos", "Carol King"), ("Linux", "Carol King")])
        self.assertEqual([item.candidate for item in evidence], [False, True])

    def test_what_if_names_the_candidates(self):
        # Hank is the one qualified Linux expert: his leaving opens a gap; Carol is the change log's candidate.
        hank = fixtures.expert("Hank Hill")
        fixtures.skill(hank, self.linux, 4)
        options = {option.technology: option for option in Answers(self.admin).what_if([hank.pk]).cover_options}
        self.assertEqual([item.person_name for item in options[self.linux].candidates], ["Carol King"])
        user = fixtures.user_with_permissions("no-activity", (PEOPLE, ["view"], None))
        options = {option.technology: option for option in Answers(user).what_if([hank.pk]).cover_options}
        self.assertIsNone(options[self.linux].candidates)
        self.client.force_login(self.admin)
        response = self.client.post(
            reverse("plugins-api:nautobot_techmgmt-api:what-if"),
            {"experts": [str(hank.pk)]},
            content_type="application/json",
            HTTP_ACCEPT="application/json",
        )
        (linux,) = [option for option in response.json()["cover_options"] if option["technology"]["name"] == "Linux"]
        self.assertEqual([(c["person_name"], c["own_changes"]) for c in linux["candidates"]], [("Carol King", 12)])

    def test_without_the_permission_nothing(self):
        user = fixtures.user_with_permissions("no-activity", (PEOPLE, ["view"], None))
        history = self.history(user)
        self.assertFalse(history.visible)
        self.assertEqual((history.candidates(), history.fading_skills(), history.evidence()), ([], [], []))

    @override_settings(PLUGINS_CONFIG={"nautobot_techmgmt": {"candidate_experts_enabled": False}})
    def test_turned_off_nothing(self):
        self.assertEqual(self.history().candidates(), [])
        self.assertEqual(self.history().fading_skills(), [])

    def test_names_only_to_who_may_view_them(self):
        user = fixtures.user_with_permissions(
            "activity-only", ([ACTIVITY, "nautobot_techmgmt.technology"], ["view"], None)
        )
        evidence = self.history(user).evidence()
        self.assertEqual({item.person_name for item in evidence}, {UNMAPPED, "a contact you may not view"})
        self.assertEqual({item.changelog_url for item in evidence}, {None})  # the change log would name them
        admin_names = {item.person_name for item in self.history().evidence()}
        self.assertIn("dave (unmapped user)", admin_names)

    def test_unmapped_users_by_username_only_with_user_rights(self):
        user = fixtures.user_with_permissions("activity-people", ([ACTIVITY, *PEOPLE], ["view"], None))
        self.assertIn(UNMAPPED, {item.person_name for item in self.history(user).evidence()})
        viewer = fixtures.user_with_permissions("user-viewer", ([ACTIVITY, *PEOPLE, "users.user"], ["view"], None))
        self.assertIn("dave (unmapped user)", {item.person_name for item in self.history(viewer).evidence()})

    def test_candidates_in_constant_queries(self):
        history = self.history()
        history.candidates()  # warm the per-user permission sets
        with CaptureQueriesContext(connection) as few:
            self.history().candidates()
        for number in range(6):
            contact = fixtures.contact(f"Guru {number}")
            guru = get_user_model().objects.create_user(username=f"guru{number}", email=contact.email)
            for day in range(12):
                change(guru, self.inv["server"], days_ago(15 - day))
        activity.compute_activity(now=NOW)
        with CaptureQueriesContext(connection) as many:
            self.assertGreater(len(self.history().candidates()), 1)
        self.assertEqual(len(many), len(few))


class ComputeActivityJobTest(fixtures.JobTestCase):
    """The Job runs the computation and reports its steps."""

    def test_job(self):
        history_estate(self)
        result = fixtures.run_job(ComputeActivity)
        self.assertEqual(result.status, "SUCCESS", fixtures.job_log(result))
        messages = fixtures.job_log(result, "info")
        self.assertTrue(any("Reading the change log" in message for message in messages))
        self.assertTrue(TechnologyActivity.objects.exists())
