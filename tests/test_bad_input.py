"""Bad input is refused with a message on the field, never a server error, and never leaves half-written data.

* one representative bad payload per model, through the REST API (400, the field as key) and the add form (200,
  the error on the field);
* duplicate responsibilities are refused by the database itself, NULL targets and technologies included, and two
  requests that pass validation at the same moment get one 201 and one 400;
* the CSV import of Nautobot (its Import Objects job, behind every list's Import button) reports each bad row;
* a date typed into a list's filter form, good or bad, gives the list (with the error on the field), not a 500.
"""

import inspect
import threading

from django import forms as django_forms
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import pre_save
from django.urls import reverse
from nautobot.apps.testing import APITestCase, TestCase
from nautobot.core.jobs import ImportObjects
from nautobot.extras.models import Contact
from nautobot.users.models import Token
from rest_framework.test import APIClient

from nautobot_techmgmt import forms, models
from tests import fixtures

DUPLICATE_RESPONSIBILITY = "This team or expert already has this role for this technology and target."


def bad_payloads(people, inv, newcomer):
    """{model name: (REST endpoint, payload, field the error belongs to)}: each payload is valid but for one field."""
    junos, linux, _, ansible = people.technologies
    alice, bob, _ = people.experts
    network = people.teams[0]
    status = lambda name: str(fixtures.status(name).pk)  # noqa: E731
    return {
        "technology": (
            "technologies",
            {
                "name": "Bad",
                "status": status("Active"),
                "category": "network",
                "required_experts": 2,
                "qualified_level": 9,
            },
            "qualified_level",
        ),
        "technologyscope": (
            "technology-scopes",
            {"technology": str(junos.pk), "device": str(inv["router"].pk), "platform": str(inv["junos"].pk)},
            "device",
        ),
        "expert": (
            "experts",
            {
                "contact": str(newcomer.pk),
                "status": status("Active"),
                "employment_type": "employee",
                "line_manager": str(newcomer.pk),
            },
            "line_manager",
        ),
        "skill": ("skills", {"expert": str(alice.pk), "technology": str(ansible.pk), "level": 7}, "level"),
        "certification": ("certifications", {"name": "Bad certificate", "validity_months": 0}, "validity_months"),
        "expertcertification": (
            "expert-certifications",
            {
                "expert": str(bob.pk),
                "certification": str(people.certifications[1].pk),
                "obtained_on": "2026-05-01",
                "expires_on": "2026-01-01",
            },
            "expires_on",
        ),
        "responsibility": (
            "responsibilities",
            {
                "team": str(network.pk),
                "expert": str(alice.pk),
                "role": "custodian",
                "technology": str(linux.pk),
                "escalation_tier": 1,
            },
            "team",
        ),
        "availabilityagreement": (
            "availability-agreements",
            {
                "expert": str(alice.pk),
                "team": str(network.pk),
                "hours_per_week": 0,
                "valid_from": "2026-01-01",
                "status": status("Agreed"),
            },
            "hours_per_week",
        ),
        "trainingplan": (
            "training-plans",
            {"expert": str(alice.pk), "technology": str(ansible.pk), "target_level": 0, "status": status("Planned")},
            "target_level",
        ),
        "supplier": ("suppliers", {"name": "Bad supplier", "email": "not-an-e-mail"}, "email"),
        "supportcontract": (
            "support-contracts",
            {
                "supplier": str(people.supplier.pk),
                "reference": "C-1",
                "support_level": "24x7",
                "start_date": "2026-06-01",
                "end_date": "2026-01-01",
            },
            "end_date",
        ),
        "usercontact": (
            "user-mappings",
            {"user": "00000000-0000-4000-8000-000000000000", "contact": str(newcomer.pk)},  # no such user
            "user",
        ),
        "candidatedismissal": (
            "candidate-dismissals",
            {"contact": str(newcomer.pk), "technology": str(junos.pk), "reason": "x" * 256},
            "reason",
        ),
    }


class BadPayloadTest(APITestCase):
    """A representative bad payload per model, through REST and through the add form."""

    @classmethod
    def setUpTestData(cls):
        cls.people = fixtures.people_estate()
        cls.inv = fixtures.inventory()
        cls.payloads = bad_payloads(cls.people, cls.inv, Contact.objects.create(name="Newcomer"))

    def setUp(self):
        super().setUp()
        self.user.is_superuser = True
        self.user.save()

    def test_rest_answers_400_with_the_field_as_key(self):
        for model_name, (endpoint, payload, field) in self.payloads.items():
            model = models.__dict__[_class_name(model_name)]
            with self.subTest(model=model_name):
                before = model.objects.count()
                response = self.client.post(f"/api/plugins/techmgmt/{endpoint}/", payload, format="json", **self.header)
                self.assertHttpStatus(response, 400)
                self.assertIn(field, response.json())
                self.assertEqual(model.objects.count(), before)

    def test_add_form_shows_the_error_on_the_field(self):
        self.client.force_login(self.user)
        for model_name, (_, payload, field) in self.payloads.items():
            model = models.__dict__[_class_name(model_name)]
            with self.subTest(model=model_name):
                before = model.objects.count()
                response = self.client.post(reverse(f"plugins:nautobot_techmgmt:{model_name}_add"), payload)
                self.assertHttpStatus(response, 200)
                self.assertIn(field, response.context["form"].errors)
                self.assertEqual(model.objects.count(), before)

    def test_rest_answers_400_for_a_duplicate_skill_and_responsibility(self):
        alice, junos = self.people.experts[0], self.people.technologies[0]
        fixtures.skill(alice, junos, 3)
        response = self.client.post(
            "/api/plugins/techmgmt/skills/",
            {"expert": str(alice.pk), "technology": str(junos.pk), "level": 4},
            format="json",
            **self.header,
        )
        self.assertHttpStatus(response, 400)
        payload = {"team": str(self.people.teams[0].pk), "role": "custodian", "technology": str(junos.pk)}
        self.assertHttpStatus(
            self.client.post("/api/plugins/techmgmt/responsibilities/", payload, format="json", **self.header), 201
        )
        response = self.client.post("/api/plugins/techmgmt/responsibilities/", payload, format="json", **self.header)
        self.assertHttpStatus(response, 400)
        self.assertIn("role", response.json())


def _class_name(model_name):
    """The model class name from its lower-case name."""
    return next(name for name in models.__all__ if name.lower() == model_name)


class ResponsibilityConstraintTest(APITestCase):
    """The database refuses a duplicate responsibility even when validation is skipped, NULLs included."""

    @classmethod
    def setUpTestData(cls):
        cls.people = fixtures.people_estate()
        cls.inv = fixtures.inventory()

    def assert_database_refuses(self, **fields):
        """The first responsibility is stored; an exact copy saved without validation is refused by the database."""
        models.Responsibility.objects.create(**fields)
        with self.assertRaises(IntegrityError), transaction.atomic():
            models.Responsibility.objects.create(**fields)
        self.assertEqual(models.Responsibility.objects.filter(**fields).count(), 1)

    def test_technology_without_target(self):
        self.assert_database_refuses(
            team=self.people.teams[0], role="custodian", technology=self.people.technologies[0]
        )

    def test_target_without_technology(self):
        self.assert_database_refuses(expert=self.people.experts[0], role="escalation", platform=self.inv["junos"])

    def test_technology_and_target(self):
        self.assert_database_refuses(
            team=self.people.teams[1],
            role="custodian",
            technology=self.people.technologies[1],
            device=self.inv["router"],
        )

    def test_responsibilities_that_differ_in_one_part_are_all_kept(self):
        team, junos, linux = self.people.teams[0], *self.people.technologies[:2]
        base = {"team": team, "role": "custodian", "technology": junos}
        variants = [
            base,
            {**base, "role": "escalation"},
            {**base, "technology": linux},
            {**base, "platform": self.inv["junos"]},
            {**base, "location": self.inv["site"]},
            {**base, "team": None, "expert": self.people.experts[0]},
            {"team": team, "role": "custodian", "platform": self.inv["junos"]},
        ]
        for fields in variants:
            models.Responsibility.objects.create(**fields)
        self.assertEqual(models.Responsibility.objects.count(), len(variants))

    def test_an_edit_that_makes_a_duplicate_is_refused_too(self):
        team, junos = self.people.teams[0], self.people.technologies[0]
        models.Responsibility.objects.create(team=team, role="custodian", technology=junos)
        other = models.Responsibility.objects.create(team=team, role="escalation", technology=junos)
        other.role = "custodian"
        with self.assertRaises(IntegrityError), transaction.atomic():
            other.save()


class ConcurrentDuplicatesTest(fixtures.JobTestCase):
    """Two requests for the same record that both pass validation before either is saved: one 201, one 400.

    A pre_save receiver holds each request at a barrier until both have been validated, so both reach the database.
    """

    def setUp(self):
        super().setUp()
        self.people = fixtures.people_estate()
        admin = fixtures.user_with_permissions("admin")
        admin.is_superuser = True
        admin.save()
        self.token = Token.objects.get(user=admin).key

    def post_twice_at_once(self, model, endpoint, payload):
        """POST the payload from two threads, each with its own connection; the two responses."""
        barrier = threading.Barrier(2, timeout=30)
        responses = [None, None]

        def hold(sender, instance, **kwargs):  # pylint: disable=unused-argument
            barrier.wait()

        def post(slot):
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {self.token}")
            try:
                responses[slot] = client.post(
                    f"/api/plugins/techmgmt/{endpoint}/",
                    payload,
                    format="json",
                    HTTP_HOST="nautobot.example.com",
                    HTTP_ACCEPT="application/json",
                )
            finally:
                connection.close()

        pre_save.connect(hold, sender=model, weak=False)
        try:
            threads = [threading.Thread(target=post, args=(slot,)) for slot in (0, 1)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        finally:
            pre_save.disconnect(hold, sender=model)
        return sorted(responses, key=lambda response: response.status_code)

    def test_responsibility(self):
        payload = {
            "team": str(self.people.teams[0].pk),
            "role": "custodian",
            "technology": str(self.people.technologies[0].pk),
        }
        created, refused = self.post_twice_at_once(models.Responsibility, "responsibilities", payload)
        self.assertEqual((created.status_code, refused.status_code), (201, 400))
        self.assertEqual(refused.json(), {"non_field_errors": [DUPLICATE_RESPONSIBILITY]})
        self.assertEqual(models.Responsibility.objects.count(), 1)

    def test_skill(self):
        payload = {
            "expert": str(self.people.experts[0].pk),
            "technology": str(self.people.technologies[0].pk),
            "level": 3,
        }
        created, refused = self.post_twice_at_once(models.Skill, "skills", payload)
        self.assertEqual((created.status_code, refused.status_code), (201, 400))
        self.assertEqual(
            refused.json(), {"non_field_errors": ["A skill with this expert and technology already exists."]}
        )
        self.assertEqual(models.Skill.objects.count(), 1)


class CsvImportTest(fixtures.JobTestCase):
    """Nautobot's CSV import (the Import button of a list) reports each bad row and keeps the database consistent."""

    CSV = "\n".join(
        (
            "role,team__name,expert__contact__name,technology__name,platform__name",
            "custodian,Network,NoObject,Junos,NoObject",  # row 1: good
            "custodian,Network,Alice Archer,Linux,NoObject",  # row 2: two assignees
            "custodian,Network,NoObject,Junos,NoObject",  # row 3: duplicate of row 1
            "custodian,Network,NoObject,Windows,NoObject",  # row 4: no such technology
            "owner,Network,NoObject,Linux,NoObject",  # row 5: no such role
            "escalation,Servers,NoObject,NoObject,linux",  # row 6: good
        )
    )  # NoObject is how Nautobot's CSV export writes an empty relation.

    def setUp(self):
        super().setUp()
        self.people = fixtures.people_estate()
        self.inv = fixtures.inventory()

    def import_csv(self, roll_back_if_error):
        return fixtures.run_job(
            ImportObjects,
            content_type=ContentType.objects.get_for_model(models.Responsibility),
            csv_data=self.CSV,
            roll_back_if_error=roll_back_if_error,
        )

    def rejected_rows(self, result):
        messages = fixtures.job_log(result, "error")
        return {int(message.split()[1].rstrip(":")) for message in messages if message.startswith("Row ")}

    def test_bad_rows_are_reported_and_good_rows_kept(self):
        result = self.import_csv(roll_back_if_error=False)
        self.assertEqual(self.rejected_rows(result), {2, 3, 4, 5})
        errors = " ".join(fixtures.job_log(result, "error"))
        self.assertIn("Choose exactly one assignee", errors)
        self.assertIn("already has this role", errors)
        self.assertEqual(
            sorted((r.role, str(r.technology or r.platform)) for r in models.Responsibility.objects.all()),
            [("custodian", "Junos"), ("escalation", "linux")],
        )

    def test_with_roll_back_nothing_is_written(self):
        result = self.import_csv(roll_back_if_error=True)
        self.assertEqual(self.rejected_rows(result), {2, 3, 4, 5})
        self.assertFalse(models.Responsibility.objects.exists())


class FilterFormDateTest(TestCase):
    def test_every_date_in_a_filter_form_is_taken_or_refused_on_the_field(self):
        self.user.is_superuser = True
        self.user.save()
        checked = 0
        for name, form_class in inspect.getmembers(forms, inspect.isclass):
            if not name.endswith("FilterForm"):
                continue
            url = reverse(f"plugins:nautobot_techmgmt:{form_class.model._meta.model_name}_list")
            for field_name, field in form_class.base_fields.items():
                if not isinstance(field, django_forms.DateField | django_forms.DateTimeField):
                    continue
                checked += 1
                for value, error in (("2026-06-01", False), ("next monday", True)):
                    with self.subTest(form=name, field=field_name, value=value):
                        self.client.cookies.clear()  # no message left from the last request
                        self.client.force_login(self.user)
                        response = self.client.get(url, {field_name: value})
                        self.assertHttpStatus(response, 200)
                        said = " ".join(str(message) for message in response.context["messages"])
                        self.assertEqual("Enter a valid date" in said, error, said)
        self.assertGreaterEqual(checked, 8)  # certifications 2, agreements 1, training plans 2, contracts 2, register
