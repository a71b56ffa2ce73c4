"""User mappings and dismissed candidates as full citizens; activity, candidates and fading skills in REST and GraphQL.

The computed endpoints read the hand-built history of `tests/knowledge/test_candidate_experts.py` (NOW = 2026-06-01
12:00 UTC), plus Zed, a user mapped to no contact, who changed ber-rtr-1 (Junos) 30 times 40 days before NOW:

* Zed on Junos: 1 object touched and authored (DOA 3.293 + 0.164 x 30 - 0.321 ln 12 = 7.415, the top), no first
  authorship, 30 own changes, 11 others' (Bob 10, Ada 1), score 1. Bob is no author of ber-rtr-1 any more (DOA
  3.831, share 0.517 < 0.75). A candidate once one authored object is enough (`candidate_min_objects` 1).
* Carol on Linux: the candidate of the default settings: 1 object touched and authored, 12 own changes, 1 other's
  (Dave), last on NOW - 9 days, score 1, no Linux skill: suggested level 3.
* Fred's Junos skill (level 3, never seen in the log) is fading; Gina's was assessed 10 days before NOW.

The views ask History without a `now`: the candidate rule does not depend on it, fading does (the tests that read
fading skills set `fading_after_days` so that the cut-off falls 180 days before NOW).
"""

import json
import logging
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from nautobot.apps.testing import APITestCase, APIViewTestCases, ViewTestCases, post_data, run_job_for_testing
from nautobot.extras.choices import JobResultStatusChoices
from nautobot.extras.models import Job

from nautobot_techmgmt.knowledge import activity
from nautobot_techmgmt.models import CandidateDismissal, TechnologyActivity, UserContact
from tests import fixtures
from tests.knowledge.test_candidate_experts import NOW, change, days_ago, history_estate

API = "/api/plugins/techmgmt/"
ACTIVITY = "nautobot_techmgmt.technologyactivity"
PEOPLE = ["nautobot_techmgmt.technology", "nautobot_techmgmt.expert", "extras.contact"]
OFF = {"nautobot_techmgmt": {"candidate_experts_enabled": False}}
ONE_OBJECT = {"nautobot_techmgmt": {"candidate_min_objects": 1}}


def fading_after_180_days_before_now():
    """PLUGINS_CONFIG whose fading cut-off, taken from today, falls 180 days (to a day) before NOW."""
    return {"nautobot_techmgmt": {"fading_after_days": (timezone.now() - NOW).days + 180}}


def users(*names):
    """Users mapped to no contact (their e-mail matches none)."""
    return [get_user_model().objects.create_user(username=name, email=f"{name}@nowhere.example") for name in names]


#
# User mappings
#


class UserContactAPITest(APIViewTestCases.APIViewTestCase):
    """REST API of user mappings (`user-mappings/`)."""

    model = UserContact

    @classmethod
    def setUpTestData(cls):
        mapped, cls.free = users("u1", "u2", "u3"), users("u4", "u5", "u6")
        contacts = [fixtures.contact(f"Person {number}") for number in range(6)]
        for user, contact in zip(mapped, contacts[:3], strict=True):
            UserContact.objects.create(user=user, contact=contact)
        cls.create_data = [
            {"user": cls.free[0].pk, "contact": contacts[3].pk},
            {"user": cls.free[1].pk, "contact": contacts[4].pk, "comments": "Signs in as u5 since the merger."},
            {"user": cls.free[2].pk, "contact": contacts[3].pk},
        ]
        cls.bulk_update_data = {"comments": "Checked with HR"}

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_a_user_already_mapped_is_refused_on_the_field(self):
        self.add_permissions("nautobot_techmgmt.add_usercontact")
        mapped = UserContact.objects.first()
        data = {"user": mapped.user.pk, "contact": self.create_data[0]["contact"]}
        response = self.client.post(self._get_list_url(), data, format="json", **self.header)
        self.assertHttpStatus(response, 400)
        self.assertEqual(response.json()["user"], ["user mapping with this user already exists."])
        self.assertEqual(UserContact.objects.count(), 3)

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_filters(self):
        mapping = UserContact.objects.get(user__username="u2")
        for query in ("user=u2", f"user={mapping.user.pk}", f"contact={mapping.contact.pk}", "q=u2"):
            with self.subTest(query=query):
                response = self.client.get(f"{self._get_list_url()}?{query}", **self.header)
                self.assertEqual([row["id"] for row in response.json()["results"]], [str(mapping.pk)])


class UserContactViewTest(ViewTestCases.PrimaryObjectViewTestCase):
    """User mapping list, detail, add/edit, delete and bulk views."""

    model = UserContact

    @classmethod
    def setUpTestData(cls):
        mapped, cls.free = users("v1", "v2", "v3"), users("v4", "v5")
        cls.contacts = [fixtures.contact(f"Viewer {number}") for number in range(5)]
        for user, contact in zip(mapped, cls.contacts[:3], strict=True):
            UserContact.objects.create(user=user, contact=contact)
        cls.form_data = {"user": cls.free[0].pk, "contact": cls.contacts[3].pk, "comments": "Old e-mail address"}
        cls.update_data = {"user": cls.free[1].pk, "contact": cls.contacts[4].pk, "comments": "Moved"}
        cls.bulk_edit_data = {"contact": cls.contacts[4].pk, "comments": "Bulk edited"}

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_add_form_takes_the_user_from_the_unmapped_users_page(self):
        self.add_permissions("nautobot_techmgmt.add_usercontact", "users.view_user")
        response = self.client.get(f"{self._get_url('add')}?user={self.free[0].pk}")
        self.assertHttpStatus(response, 200)
        self.assertEqual(str(response.context["form"]["user"].value()), str(self.free[0].pk))
        self.assertIn(">v4</option>", response.content.decode())

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_a_user_already_mapped_is_an_error_on_the_field(self):
        self.add_permissions("nautobot_techmgmt.add_usercontact", "users.view_user")
        mapped = UserContact.objects.first()
        data = {"user": mapped.user.pk, "contact": self.contacts[3].pk}
        response = self.client.post(self._get_url("add"), data=post_data(data))
        self.assertHttpStatus(response, 200)
        self.assertEqual(response.context["form"].errors["user"], ["User mapping with this User already exists."])


class UserContactCSVImportTest(fixtures.JobTestCase):
    """CSV import of user mappings (the list's Import button: Nautobot's Import Objects job)."""

    def test_mappings_by_username_and_contact_name(self):
        fixtures.contact("Ada Lovelace")
        fixtures.contact("Bob Byte")
        users("ada-admin", "bobby")
        csv_data = "user__username,contact__name,comments\nada-admin,Ada Lovelace,Admin account\nbobby,Bob Byte,\n"
        job = Job.objects.get(module_name="nautobot.core.jobs", job_class_name="ImportObjects")
        with self.assertLogs("nautobot.core.jobs", level=logging.INFO) as captured:
            result = run_job_for_testing(
                job,
                job_kwargs={
                    "content_type": ContentType.objects.get_for_model(UserContact).pk,
                    "csv_data": csv_data,
                    "roll_back_if_error": True,
                },
            )
        result.refresh_from_db()
        errors = [record.getMessage() for record in captured.records if record.levelno >= logging.ERROR]
        self.assertEqual((result.status, errors), (JobResultStatusChoices.STATUS_SUCCESS, []))
        self.assertEqual(
            set(UserContact.objects.values_list("user__username", "contact__name", "comments")),
            {("ada-admin", "Ada Lovelace", "Admin account"), ("bobby", "Bob Byte", "")},
        )
        # The mapping is the rule the activity reads: the users are these contacts now.
        mapped = activity.contacts_of_users()
        self.assertEqual(
            {mapped[mapping.user_id] for mapping in UserContact.objects.all()},
            set(UserContact.objects.values_list("contact_id", flat=True)),
        )


#
# Dismissed candidates
#


def dismissal_estate(test_class):
    """Three technologies, contacts and an unmapped user; three contacts dismissed, one on each technology."""
    test_class.technologies = [fixtures.technology(name) for name in ("Junos", "Linux", "PostgreSQL")]
    test_class.contacts = [fixtures.contact(name) for name in ("Ada Lovelace", "Bob Byte", "Carol King", "Dan Dee")]
    (test_class.ghost,) = users("ghost")
    for contact, technology in zip(test_class.contacts[:3], test_class.technologies, strict=True):
        CandidateDismissal.objects.create(contact=contact, technology=technology, reason="Edits records only.")


class CandidateDismissalAPITest(APIViewTestCases.APIViewTestCase):
    """REST API of dismissed candidates (`candidate-dismissals/`)."""

    model = CandidateDismissal

    @classmethod
    def setUpTestData(cls):
        dismissal_estate(cls)
        junos, linux, postgres = cls.technologies
        ada, bob, _, dan = cls.contacts
        cls.create_data = [
            {"contact": ada.pk, "technology": linux.pk, "reason": "Only renames devices."},
            {"contact": dan.pk, "technology": postgres.pk, "reason": "Scripted changes.", "activity_until": NOW},
            {"user": cls.ghost.pk, "technology": junos.pk, "reason": "A service account."},
        ]
        cls.bulk_update_data = {"reason": "Reviewed: records only"}
        cls.bob = bob

    def post(self, **data):
        self.add_permissions("nautobot_techmgmt.add_candidatedismissal", "nautobot_techmgmt.view_candidatedismissal")
        return self.client.post(self._get_list_url(), data, format="json", **self.header)

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_dismissed_by_the_requesting_user_and_read_only(self):
        someone_else = users("someone-else")[0]
        data = {**self.create_data[0], "dismissed_by": str(someone_else.pk)}
        response = self.post(**data)
        self.assertHttpStatus(response, 201)
        self.assertEqual(response.json()["dismissed_by"], str(self.user.pk))
        self.assertEqual(CandidateDismissal.objects.get(pk=response.json()["id"]).dismissed_by, self.user)

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_activity_until_defaults_to_the_last_activity_seen(self):
        junos = self.technologies[0]
        TechnologyActivity.objects.create(
            contact=self.bob, technology=junos, first_activity=days_ago(50), last_activity=days_ago(41),
            window_start=days_ago(365), computed=NOW,
        )  # fmt: skip
        response = self.post(contact=str(self.bob.pk), technology=str(junos.pk), reason="Bulk renames.")
        self.assertHttpStatus(response, 201)
        self.assertEqual(response.json()["activity_until"], "2026-04-21T12:00:00Z")
        # Without activity on record it stays blank.
        response = self.post(contact=str(self.bob.pk), technology=str(self.technologies[2].pk), reason="Never.")
        self.assertIsNone(response.json()["activity_until"])

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_exactly_one_person(self):
        junos = str(self.technologies[0].pk)
        both = self.post(contact=str(self.bob.pk), user=str(self.ghost.pk), technology=junos, reason="x")
        neither = self.post(technology=junos, reason="x")
        message = ["Give either a contact or an unmapped user, not both and not neither."]
        for response in (both, neither):
            self.assertHttpStatus(response, 400)
            self.assertEqual(response.json(), {"__all__": message})  # Nautobot's key for a model's non-field error
        self.assertEqual(CandidateDismissal.objects.count(), 3)

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_a_person_already_dismissed_on_the_technology_is_refused_on_the_field(self):
        ada, junos = self.contacts[0], self.technologies[0]
        response = self.post(contact=str(ada.pk), technology=str(junos.pk), reason="Again")
        self.assertHttpStatus(response, 400)
        self.assertEqual(
            response.json(), {"contact": ["This contact is already a dismissed candidate for this technology."]}
        )
        self.post(user=str(self.ghost.pk), technology=str(junos.pk), reason="Service account")
        response = self.post(user=str(self.ghost.pk), technology=str(junos.pk), reason="Again")
        self.assertEqual(response.json(), {"user": ["This user is already a dismissed candidate for this technology."]})

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_a_user_who_is_a_contact_is_dismissed_as_the_contact(self):
        get_user_model().objects.create_user(username="ada", email=self.contacts[0].email)
        ada_user = get_user_model().objects.get(username="ada")
        response = self.post(user=str(ada_user.pk), technology=str(self.technologies[1].pk), reason="x")
        self.assertHttpStatus(response, 400)
        self.assertEqual(response.json(), {"user": ["This user is a contact: dismiss the contact instead."]})

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_users_are_ids_at_any_depth(self):
        self.add_permissions("nautobot_techmgmt.view_candidatedismissal")
        dismissal = CandidateDismissal.objects.create(
            user=self.ghost, technology=self.technologies[1], reason="x", dismissed_by=self.ghost
        )
        body = self.client.get(f"{self._get_detail_url(dismissal)}?depth=1", **self.header).json()
        self.assertEqual((body["user"], body["dismissed_by"]), (str(self.ghost.pk), str(self.ghost.pk)))
        self.assertNotIn("ghost", str(body))
        filtered = self.client.get(f"{self._get_list_url()}?user={self.ghost.pk}", **self.header).json()
        self.assertEqual([row["id"] for row in filtered["results"]], [str(dismissal.pk)])


class CandidateDismissalViewTest(ViewTestCases.PrimaryObjectViewTestCase):
    """Dismissed candidate list, detail, add/edit, delete and bulk views."""

    model = CandidateDismissal

    @classmethod
    def setUpTestData(cls):
        dismissal_estate(cls)
        junos, linux, postgres = cls.technologies
        ada, _, carol, dan = cls.contacts
        cls.form_data = {"contact": ada.pk, "technology": linux.pk, "reason": "Only renames devices."}
        cls.update_data = {"contact": dan.pk, "technology": postgres.pk, "reason": "Scripted changes."}
        cls.bulk_edit_data = {"reason": "Bulk reviewed"}
        cls.carol, cls.junos = carol, junos
        cls.mapped_user = get_user_model().objects.create_user(username="carol", email=carol.email)

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_dismissed_by_the_requesting_user(self):
        self.add_permissions("nautobot_techmgmt.add_candidatedismissal")
        response = self.client.post(self._get_url("add"), data=post_data(self.form_data))
        self.assertHttpStatus(response, 302)
        added = CandidateDismissal.objects.get(contact=self.contacts[0], technology=self.technologies[1])
        self.assertEqual(added.dismissed_by, self.user)

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_add_form_is_filled_in_by_the_candidate_pages(self):
        self.add_permissions("nautobot_techmgmt.add_candidatedismissal")
        query = (
            f"?user={self.ghost.pk}&technology={self.junos.pk}&activity_until=2026-05-02T12:00:00%2B00:00"
            "&return_url=/plugins/techmgmt/candidates/"
        )
        response = self.client.get(self._get_url("add") + query)
        self.assertHttpStatus(response, 200)
        form = response.context["form"]
        self.assertEqual(str(form["user"].value()), str(self.ghost.pk))
        self.assertEqual(str(form["technology"].value()), str(self.junos.pk))
        self.assertEqual(form["activity_until"].value(), "2026-05-02T12:00:00+00:00")
        self.assertEqual(form["return_url"].value(), "/plugins/techmgmt/candidates/")
        self.assertNotIn("ghost", response.content.decode())  # the user is a hidden id, never a username
        data = {"user": self.ghost.pk, "technology": self.junos.pk, "reason": "A service account",
                "activity_until": "2026-05-02 12:00:00", "return_url": "/plugins/techmgmt/candidates/"}  # fmt: skip
        response = self.client.post(self._get_url("add"), data=post_data(data))
        self.assertHttpStatus(response, 302)
        self.assertEqual(response.url, "/plugins/techmgmt/candidates/")
        self.assertTrue(CandidateDismissal.objects.filter(user=self.ghost, technology=self.junos).exists())

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_form_errors(self):
        self.add_permissions("nautobot_techmgmt.add_candidatedismissal")
        cases = (
            ({"contact": self.contacts[0].pk, "user": self.ghost.pk}, "__all__"),
            ({}, "__all__"),
            ({"contact": self.contacts[0].pk, "technology": self.junos.pk}, "contact"),  # dismissed already
            ({"user": "7b7c4a52-0000-4000-8000-000000000000"}, "user"),  # no such user
            ({"user": self.mapped_user.pk}, "user"),  # a contact's user: dismiss the contact
        )
        for fields, error_field in cases:
            with self.subTest(fields=fields):
                data = {"technology": self.technologies[1].pk, "reason": "x", **fields}
                response = self.client.post(self._get_url("add"), data=post_data(data))
                self.assertHttpStatus(response, 200)
                self.assertIn(error_field, response.context["form"].errors)
        self.assertEqual(CandidateDismissal.objects.count(), 3)

    def test_unmapped_users_are_named_only_to_who_may_view_users(self):
        CandidateDismissal.objects.create(user=self.ghost, technology=self.technologies[1], reason="x")
        viewer = fixtures.user_with_permissions(
            "dismissal-viewer", (["nautobot_techmgmt.candidatedismissal"], ["view"], None)
        )
        admin = fixtures.user_with_permissions(
            "user-admin", (["nautobot_techmgmt.candidatedismissal", "users.user"], ["view"], None)
        )
        dismissal = CandidateDismissal.objects.get(user=self.ghost)
        for user, shown, hidden in ((viewer, "an unmapped user", "ghost"), (admin, "ghost", "an unmapped user")):
            self.client.force_login(user)
            for url in (self._get_url("list"), dismissal.get_absolute_url()):
                with self.subTest(user=user.username, url=url):
                    content = self.client.get(url, headers={"HX-Request": "true"}).content.decode()
                    self.assertIn(shown, content)
                    self.assertNotIn(hidden, content)


#
# Activity and the computed endpoints
#


def candidate_estate(test_class):
    """The history of the module docstring, computed as of NOW."""
    history_estate(test_class)
    (test_class.zed_user,) = users("zed")
    for hour in range(30):
        change(test_class.zed_user, test_class.inv["other_router"], days_ago(40) + timedelta(hours=hour))
    activity.compute_activity(now=NOW)
    test_class.fred = fixtures.expert("Fred Flint")
    fixtures.skill(test_class.fred, test_class.junos, 3)
    test_class.gina = fixtures.expert("Gina Gray")
    fixtures.skill(test_class.gina, test_class.junos, 3, last_assessed=(NOW - timedelta(days=10)).date())
    test_class.dc_team = fixtures.team("Data Centre", [test_class.carol.contact])
    fixtures.team("Linux Guild", [test_class.carol.contact])
    fixtures.team("Network", [test_class.ada.contact, test_class.bob.contact])


class ComputedEndpointsMixin:
    """Requests as a superuser or as a user with some permissions."""

    @classmethod
    def setUpTestData(cls):
        candidate_estate(cls)
        cls.admin = get_user_model().objects.create_user(username="admin-user", is_superuser=True)
        cls.reader = fixtures.user_with_permissions("reader", ([ACTIVITY, *PEOPLE], ["view"], None))
        cls.no_activity = fixtures.user_with_permissions("no-activity", (PEOPLE, ["view"], None))

    def api(self, path, as_user=None, **params):
        """A GET to the app's REST API as `as_user` (the superuser by default)."""
        self.client.force_authenticate(as_user or self.admin)
        return self.client.get(f"{API}{path}", params)

    def names(self, response):
        self.assertHttpStatus(response, 200)
        return [(row["technology"]["name"], row["person_name"]) for row in response.json()]


class ActivityAPITest(ComputedEndpointsMixin, APITestCase):
    """`activity/`: read-only, by the activity permission, users by id."""

    def test_list_detail_and_filters(self):
        rows = self.api("activity/").json()
        self.assertEqual(rows["count"], 6)  # Ada, Bob, Carol and Zed on Junos; Carol and Dave on Linux
        zed = self.api("activity/", user=str(self.zed_user.pk)).json()["results"]
        self.assertEqual(len(zed), 1)
        self.assertEqual(
            {key: zed[0][key] for key in ("user", "contact", "objects_touched", "own_changes", "others_changes")},
            {
                "user": str(self.zed_user.pk),
                "contact": None,
                "objects_touched": 1,
                "own_changes": 30,
                "others_changes": 11,
            },
        )
        detail = self.api(f"activity/{zed[0]['id']}/", depth=1).json()
        self.assertEqual(detail["user"], str(self.zed_user.pk))
        self.assertNotIn("zed", str(detail))
        linux = self.api("activity/", technology="Linux").json()["results"]
        self.assertEqual({row["own_changes"] for row in linux}, {12, 1})
        recent = self.api("activity/", last_activity__gte=days_ago(10).isoformat()).json()["results"]
        self.assertEqual([(row["contact"]["id"], row["technology"]["id"]) for row in recent],
                         [(str(self.carol.contact.pk), str(self.linux.pk))])  # fmt: skip
        carol = self.api("activity/", contact=str(self.carol.contact.pk)).json()["results"]
        self.assertEqual(len(carol), 2)

    def test_an_id_that_names_nothing_is_not_found(self):
        self.assertHttpStatus(self.api("activity/not-a-uuid/"), 404)

    def test_read_only(self):
        self.client.force_authenticate(self.admin)
        row = TechnologyActivity.objects.first()
        self.assertHttpStatus(self.client.post(f"{API}activity/", {}, format="json"), 405)
        self.assertHttpStatus(self.client.delete(f"{API}activity/{row.pk}/"), 405)

    def test_refused_without_the_permission_and_hidden_when_off(self):
        self.assertHttpStatus(self.api("activity/", as_user=self.no_activity), 403)
        self.assertHttpStatus(self.api("activity/", as_user=self.reader), 200)
        with override_settings(PLUGINS_CONFIG=OFF):
            self.assertHttpStatus(self.api("activity/", as_user=self.reader), 404)


class CandidatesAPITest(ComputedEndpointsMixin, APITestCase):
    """`candidates/`: the worked candidates, filters, dismissals, permissions and bad input."""

    def test_the_worked_candidate(self):
        (carol,) = self.api("candidates/").json()
        changelog = carol.pop("changelog_url")
        record_skill = carol.pop("record_skill_url")
        self.assertEqual(
            carol,
            {
                "person_name": "Carol King",
                "contact": {
                    "id": str(self.carol.contact.pk),
                    "display": "Carol King",
                    "url": f"http://nautobot.example.com{self.carol.contact.get_absolute_url()}",
                },
                "expert": {
                    "id": str(self.carol.pk),
                    "display": "Carol King",
                    "url": f"http://nautobot.example.com{self.carol.get_absolute_url()}",
                },
                "unmapped_user": None,
                "technology": {
                    "id": str(self.linux.pk),
                    "name": "Linux",
                    "url": f"http://nautobot.example.com{self.linux.get_absolute_url()}",
                },
                "skill_level": None,
                "suggested_level": 3,
                "objects_touched": 1,
                "authored_objects": 1,
                "first_authorships": 0,
                "own_changes": 12,
                "others_changes": 1,
                "last_activity": "2026-05-23T12:00:00Z",
                "score": 1.0,
                "dismissed": False,
            },
        )
        self.assertTrue(changelog.startswith("http://nautobot.example.com/extras/object-changes/?"))
        self.assertIn(f"user={self.carol_user.pk}", changelog)
        self.assertTrue(record_skill.startswith("http://nautobot.example.com/plugins/techmgmt/skills/add/?"))
        self.assertIn(f"expert={self.carol.pk}", record_skill)

    @override_settings(PLUGINS_CONFIG=ONE_OBJECT)
    def test_an_unmapped_user_is_named_only_to_who_may_view_users(self):
        admin = self.api("candidates/")
        self.assertEqual(self.names(admin), [("Junos", "zed (unmapped user)"), ("Linux", "Carol King")])
        zed = admin.json()[0]
        self.assertEqual((zed["unmapped_user"], zed["contact"], zed["expert"]), (str(self.zed_user.pk), None, None))
        self.assertEqual((zed["own_changes"], zed["others_changes"], zed["authored_objects"]), (30, 11, 1))
        self.assertIsNone(zed["record_skill_url"])
        reader = self.api("candidates/", as_user=self.reader)
        self.assertEqual(self.names(reader), [("Junos", "an unmapped user"), ("Linux", "Carol King")])
        self.assertIsNone(reader.json()[0]["unmapped_user"])
        self.assertNotIn("zed", reader.content.decode())

    @override_settings(PLUGINS_CONFIG=ONE_OBJECT)
    def test_filters(self):
        cases = (
            ({"technology": "Junos"}, [("Junos", "zed (unmapped user)")]),
            ({"technology": str(self.linux.pk)}, [("Linux", "Carol King")]),
            ({"category": "other"}, [("Junos", "zed (unmapped user)"), ("Linux", "Carol King")]),
            ({"category": "network"}, []),
            ({"team": "Data Centre"}, [("Linux", "Carol King")]),
            ({"team": [str(self.dc_team.pk), "Network"]}, [("Linux", "Carol King")]),
            ({"team": ["Data Centre", "Linux Guild"]}, [("Linux", "Carol King")]),  # in both: still one candidate
            ({"team": "Network"}, []),
            ({"team": "No Such Team"}, []),
        )
        for params, expected in cases:
            with self.subTest(params=params):
                self.assertEqual(self.names(self.api("candidates/", **params)), expected)

    def test_dismissed_until_new_activity(self):
        self.client.force_authenticate(self.admin)
        response = self.client.post(
            f"{API}candidate-dismissals/",
            {"contact": str(self.carol.contact.pk), "technology": str(self.linux.pk), "reason": "DC records only"},
            format="json",
        )
        self.assertHttpStatus(response, 201)
        self.assertEqual(response.json()["activity_until"], "2026-05-23T12:00:00Z")  # Carol's last Linux change
        self.assertEqual(self.api("candidates/").json(), [])
        shown = self.api("candidates/", include_dismissed="true").json()
        self.assertEqual([(row["person_name"], row["dismissed"]) for row in shown], [("Carol King", True)])
        change(self.carol_user, self.inv["server"], days_ago(1))
        activity.compute_activity(now=NOW)
        self.assertEqual(self.names(self.api("candidates/")), [("Linux", "Carol King")])

    def test_permissions_and_the_setting(self):
        self.assertHttpStatus(self.api("candidates/", as_user=self.no_activity), 403)
        core_only = fixtures.user_with_permissions("core-only", (["extras.contact"], ["view"], None))
        self.assertHttpStatus(self.api("candidates/", as_user=core_only), 403)
        self.assertEqual(self.names(self.api("candidates/", as_user=self.reader)), [("Linux", "Carol King")])
        with override_settings(PLUGINS_CONFIG=OFF):
            self.assertHttpStatus(self.api("candidates/"), 404)
            self.assertHttpStatus(self.api("fading-skills/"), 404)

    def test_contacts_and_experts_only_to_who_may_view_them(self):
        activity_only = fixtures.user_with_permissions(
            "activity-only", ([ACTIVITY, "nautobot_techmgmt.technology"], ["view"], None)
        )
        (row,) = self.api("candidates/", as_user=activity_only).json()
        self.assertEqual(
            (row["person_name"], row["contact"], row["expert"], row["record_skill_url"]),
            ("a contact you may not view", None, None, None),
        )

    def test_bad_input(self):
        cases = (
            ({"category": "no-such-category"}, "category"),
            ({"include_dismissed": "maybe"}, "include_dismissed"),
        )
        for params, field in cases:
            with self.subTest(params=params):
                response = self.api("candidates/", **params)
                self.assertHttpStatus(response, 400)
                self.assertIn(field, response.json())
        self.assertEqual(
            self.api("fading-skills/", expert="not-an-id").json(), {"expert": ["'not-an-id' is not an ID."]}
        )
        self.assertEqual(
            self.api("candidates/", include_dismissed="maybe").json(),
            {"include_dismissed": ["'maybe' is not a boolean (true or false)."]},
        )

    @override_settings(PLUGINS_CONFIG=ONE_OBJECT)
    def test_queries_do_not_grow_with_the_candidates(self):
        self.api("candidates/")
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(len(self.api("candidates/").json()), 2)
        for number in range(4):
            guru = fixtures.expert(f"Guru {number}")
            user = get_user_model().objects.create_user(username=f"guru{number}", email=guru.contact.email)
            for hour in range(12):
                change(user, self.inv["server"], days_ago(3) + timedelta(hours=hour))
        activity.compute_activity(now=NOW)
        with CaptureQueriesContext(connection) as many:
            self.assertGreater(len(self.api("candidates/").json()), 2)
        self.assertEqual(len(many), len(few))


class FadingSkillsAPITest(ComputedEndpointsMixin, APITestCase):
    """`fading-skills/`."""

    def test_fading_skill(self):
        with override_settings(PLUGINS_CONFIG=fading_after_180_days_before_now()):
            fading = self.api("fading-skills/").json()
            self.assertEqual(self.api("fading-skills/", technology="Linux").json(), [])
            self.assertEqual(self.api("fading-skills/", expert=str(self.ada.pk)).json(), [])
            self.assertEqual(len(self.api("fading-skills/", expert=str(self.fred.pk)).json()), 1)
            self.assertHttpStatus(self.api("fading-skills/", as_user=self.no_activity), 403)
        (fred,) = fading
        skill = self.fred.skills.get()
        self.assertEqual(
            fred,
            {
                "skill": {
                    "id": str(skill.pk),
                    "display": str(skill),
                    "url": f"http://nautobot.example.com{skill.get_absolute_url()}",
                },
                "expert": {
                    "id": str(self.fred.pk),
                    "display": "Fred Flint",
                    "url": f"http://nautobot.example.com{self.fred.get_absolute_url()}",
                },
                "technology": {
                    "id": str(self.junos.pk),
                    "name": "Junos",
                    "url": f"http://nautobot.example.com{self.junos.get_absolute_url()}",
                },
                "level": 3,
                "last_assessed": None,
                "last_activity": None,
                "technology_last_activity": "2026-05-02T12:00:00Z",  # Ada on ber-rtr-1, 30 days before NOW
            },
        )

    def test_nothing_fades_while_nobody_works_on_the_technology(self):
        # With the default 180 days from today (long after NOW), nobody has worked on Junos lately.
        self.assertEqual(self.api("fading-skills/").json(), [])


class CandidatesGraphQLTest(ComputedEndpointsMixin, fixtures.GraphQLTestMixin, APITestCase):
    """`technologies { candidates fading_skills }`."""

    QUERY = """{ technologies(name: %s) { name
        candidates%s { person_name contact_id expert_id unmapped_user_id skill_level suggested_level
            objects_touched authored_objects first_authorships own_changes others_changes last_activity score dismissed
            changelog_url record_skill_url }
        fading_skills { expert expert_id level last_activity technology_last_activity } } }"""

    def as_user(self, user, arguments="", names=("Junos", "Linux")):
        self.client.force_authenticate(user)
        self.header = {}
        query = self.QUERY % (json.dumps(list(names)), arguments)
        return {row["name"]: row for row in self.query(query)["technologies"]}

    @override_settings(PLUGINS_CONFIG=ONE_OBJECT)
    def test_history_is_asked_once_per_request(self):
        self.as_user(self.admin)  # fills the caches a first request fills
        with CaptureQueriesContext(connection) as one:
            self.assertEqual(len(self.as_user(self.admin, names=["Linux"])["Linux"]["candidates"]), 1)
        with CaptureQueriesContext(connection) as two:
            self.assertEqual(len(self.as_user(self.admin)["Junos"]["candidates"]), 1)
        self.assertEqual(len(two), len(one))

    def test_candidates(self):
        result = self.as_user(self.admin)
        self.assertEqual(result["Junos"]["candidates"], [])
        (carol,) = result["Linux"]["candidates"]
        self.assertTrue(carol.pop("changelog_url").startswith("http://nautobot.example.com/extras/object-changes/?"))
        self.assertIn(f"expert={self.carol.pk}", carol.pop("record_skill_url"))
        self.assertEqual(
            carol,
            {
                "person_name": "Carol King",
                "contact_id": str(self.carol.contact.pk),
                "expert_id": str(self.carol.pk),
                "unmapped_user_id": None,
                "skill_level": None,
                "suggested_level": 3,
                "objects_touched": 1,
                "authored_objects": 1,
                "first_authorships": 0,
                "own_changes": 12,
                "others_changes": 1,
                "last_activity": "2026-05-23T12:00:00+00:00",
                "score": 1.0,
                "dismissed": False,
            },
        )
        self.assertEqual(self.as_user(self.admin, '(team: ["Network"])')["Linux"]["candidates"], [])
        both = self.as_user(self.admin, '(team: ["Data Centre", "Linux Guild"])')["Linux"]["candidates"]
        self.assertEqual([row["person_name"] for row in both], ["Carol King"])

    @override_settings(PLUGINS_CONFIG=ONE_OBJECT)
    def test_unmapped_user_and_permissions(self):
        (zed,) = self.as_user(self.admin)["Junos"]["candidates"]
        self.assertEqual((zed["person_name"], zed["unmapped_user_id"]), ("zed (unmapped user)", str(self.zed_user.pk)))
        (hidden,) = self.as_user(self.reader)["Junos"]["candidates"]
        self.assertEqual((hidden["person_name"], hidden["unmapped_user_id"]), ("an unmapped user", None))
        nothing = self.as_user(self.no_activity)
        self.assertEqual({name: row["candidates"] for name, row in nothing.items()}, {"Junos": [], "Linux": []})
        with override_settings(PLUGINS_CONFIG={"nautobot_techmgmt": {"candidate_experts_enabled": False}}):
            self.assertEqual(self.as_user(self.admin)["Linux"]["candidates"], [])

    def test_fading_skills(self):
        with override_settings(PLUGINS_CONFIG=fading_after_180_days_before_now()):
            result = self.as_user(self.admin)
            nothing = self.as_user(self.no_activity)
        self.assertEqual(
            result["Junos"]["fading_skills"],
            [
                {
                    "expert": "Fred Flint",
                    "expert_id": str(self.fred.pk),
                    "level": 3,
                    "last_activity": None,
                    "technology_last_activity": "2026-05-02T12:00:00+00:00",
                }
            ],
        )
        self.assertEqual(nothing["Junos"]["fading_skills"], [])

    def test_user_mappings_and_dismissals_are_types(self):
        mapping = UserContact.objects.get()
        CandidateDismissal.objects.create(contact=self.carol.contact, technology=self.linux, reason="DC records only")
        self.client.force_authenticate(self.admin)
        self.header = {}
        data = self.query(
            "{ user_mappings { contact { name } comments } dismissed_candidates { reason contact { name }"
            " technology { name } activity_until } }"
        )
        self.assertEqual(data["user_mappings"], [{"contact": {"name": mapping.contact.name}, "comments": ""}])
        self.assertEqual(
            data["dismissed_candidates"],
            [
                {
                    "reason": "DC records only",
                    "contact": {"name": "Carol King"},
                    "technology": {"name": "Linux"},
                    "activity_until": "2026-05-23T12:00:00+00:00",
                }
            ],
        )


class OpenAPISchemaTest(APITestCase):
    """The computed endpoints document the shape they send."""

    def test_candidates_and_fading_skills(self):
        schema = self.client.get(reverse("schema_json"), **self.header).json()

        def items(path):
            response = schema["paths"][f"/plugins/techmgmt/{path}"]["get"]["responses"]["200"]
            reference = response["content"]["application/json"]["schema"]["items"]["$ref"]
            return schema["components"]["schemas"][reference.rsplit("/", 1)[1]]

        self.assertEqual(
            set(items("candidates/")["properties"]),
            {
                "person_name",
                "contact",
                "expert",
                "unmapped_user",
                "technology",
                "skill_level",
                "suggested_level",
                "objects_touched",
                "authored_objects",
                "first_authorships",
                "own_changes",
                "others_changes",
                "last_activity",
                "score",
                "dismissed",
                "changelog_url",
                "record_skill_url",
            },
        )
        parameters = {p["name"] for p in schema["paths"]["/plugins/techmgmt/candidates/"]["get"]["parameters"]}
        self.assertTrue({"technology", "category", "team", "include_dismissed"} <= parameters)
        self.assertEqual(
            set(items("fading-skills/")["properties"]),
            {"skill", "expert", "technology", "level", "last_assessed", "last_activity", "technology_last_activity"},
        )
        activity_row = schema["components"]["schemas"]["TechnologyActivity"]["properties"]
        self.assertEqual(activity_row["user"]["format"], "uuid")
