"""The skills-matrix CSV import Job: good rows saved one by one, bad rows reported by line, dry run writes nothing."""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from nautobot.apps.choices import JobResultStatusChoices, ObjectChangeActionChoices
from nautobot.extras.models import ObjectChange
from nautobot.users.models import ObjectPermission

from nautobot_techmgmt.jobs import ImportSkillsMatrix
from nautobot_techmgmt.models import Expert, Skill, Technology
from tests import fixtures

# Line numbers are the file's: the header is line 1; line 12 is blank.
MIXED = """email,technology,level,last_assessed,comments
ADA@Example.com,Junos,4,2026-05-01,Reviewed by the lead
bob@example.com,linux,3,,
nobody@example.com,Junos,3,,
ada@example.com,Windows,3,,
ada@example.com,Linux,7,,
ada@example.com,PostgreSQL,three,,
bob@example.com,Ansible,3,2026-13-01,
ada@example.com,Junos,5,,
bob@example.com,PostgreSQL,2,2999-01-01,
ada@example.com,Ansible,2,,

bob@example.com,Junos,3,,
"""


class SkillsImportJobTest(fixtures.JobTestCase):
    def setUp(self):
        super().setUp()
        self.ada, self.bob = fixtures.expert("Ada"), fixtures.expert("Bob")
        self.junos, self.linux, self.postgres, self.ansible = (
            fixtures.technology(name) for name in ("Junos", "Linux", "PostgreSQL", "Ansible")
        )
        fixtures.skill(self.bob, self.linux, 2, last_assessed=date(2026, 1, 10), comments="From the 2025 review")
        fixtures.skill(self.ada, self.ansible, 2)

    def skills(self):
        return {
            (s.expert.contact.name, s.technology.name): (s.level, s.last_assessed, s.comments)
            for s in Skill.objects.select_related("expert__contact", "technology")
        }

    def rejected_lines(self, result):
        return {
            int(message.split()[1]): message
            for message in fixtures.job_log(result, "error")
            if message.startswith("Line ")
        }

    def test_good_rows_are_saved_and_bad_rows_reported_by_line(self):
        result = fixtures.run_job(ImportSkillsMatrix, skills_file=fixtures.upload(MIXED))

        # Some rows were bad: the Job completes, with an error logged per bad row.
        self.assertEqual(result.status, JobResultStatusChoices.STATUS_SUCCESS, fixtures.job_log(result))
        self.assertEqual(result.result, {"created": 2, "updated": 1, "unchanged": 1, "rejected": 7})
        self.assertEqual(
            self.skills(),
            {
                ("Ada", "Junos"): (4, date(2026, 5, 1), "Reviewed by the lead"),  # line 9's duplicate ignored
                ("Bob", "Linux"): (3, date(2026, 1, 10), "From the 2025 review"),  # blank cells keep stored values
                ("Ada", "Ansible"): (2, None, ""),
                ("Bob", "Junos"): (3, None, ""),
            },
        )
        rejected = self.rejected_lines(result)
        self.assertEqual(sorted(rejected), [4, 5, 6, 7, 8, 9, 10])
        # Nautobot's log sanitizer may mask what precedes an "@"; the line number still points at the row.
        self.assertRegex(rejected[4], r"no expert has the e-mail \S+@example\.com\.$")
        self.assertIn("no technology is named Windows", rejected[5])
        self.assertIn("level '7' is not a whole number from 1 to 5", rejected[6])
        self.assertIn("level 'three' is not a whole number from 1 to 5", rejected[7])
        self.assertIn("last_assessed '2026-13-01' is not a date in the form YYYY-MM-DD", rejected[8])
        self.assertIn("Ada and Junos already appear on line 2", rejected[9])
        self.assertIn("last_assessed: The assessment date cannot be in the future.", rejected[10])  # model validation
        self.assertIn(
            "Skills matrix imported with rejected rows: created: 2, updated: 1, unchanged: 1, rejected: 7.",
            fixtures.job_log(result, "warning"),
        )

    def test_writes_go_through_the_change_log(self):
        result = fixtures.run_job(ImportSkillsMatrix, skills_file=fixtures.upload(MIXED))
        created = Skill.objects.get(expert=self.ada, technology=self.junos)
        updated = Skill.objects.get(expert=self.bob, technology=self.linux)
        changes = ObjectChange.objects.filter(changed_object_id__in=[created.pk, updated.pk])
        self.assertEqual(
            {(change.changed_object_id, change.action) for change in changes},
            {
                (created.pk, ObjectChangeActionChoices.ACTION_CREATE),
                (updated.pk, ObjectChangeActionChoices.ACTION_UPDATE),
            },
        )
        self.assertTrue(all(change.user.username == "job-runner" for change in changes))
        self.assertIn(f"Line 2: created {created}.", fixtures.job_log(result, "info"))

    def test_dry_run_checks_every_row_and_writes_nothing(self):
        before = self.skills()
        result = fixtures.run_job(ImportSkillsMatrix, skills_file=fixtures.upload(MIXED), dry_run=True)
        self.assertEqual(result.status, JobResultStatusChoices.STATUS_SUCCESS, fixtures.job_log(result))
        self.assertEqual(self.skills(), before)
        self.assertEqual(result.result, {"created": 2, "updated": 1, "unchanged": 1, "rejected": 7})
        self.assertEqual(sorted(self.rejected_lines(result)), [4, 5, 6, 7, 8, 9, 10])
        self.assertIn("Line 3: would be updated: Bob - Linux (3).", fixtures.job_log(result, "info"))
        self.assertFalse(ObjectChange.objects.filter(changed_object_type__model="skill").exists())

    def test_pasted_text_with_spreadsheet_header_is_accepted(self):
        text = "Email,Technology,Level,Last Assessed\nbob@example.com,Ansible,4,2026-02-02\n"
        result = fixtures.run_job(ImportSkillsMatrix, skills_csv=text)
        self.assertEqual(result.result, {"created": 1, "updated": 0, "unchanged": 0, "rejected": 0})
        self.assertEqual(self.skills()[("Bob", "Ansible")], (4, date(2026, 2, 2), ""))

    def test_a_file_without_a_required_column_fails_and_writes_nothing(self):
        before = self.skills()
        result = fixtures.run_job(ImportSkillsMatrix, skills_file=fixtures.upload("email,level\nada@example.com,4\n"))
        self.assertEqual(result.status, JobResultStatusChoices.STATUS_FAILURE)
        self.assertIn(
            "The skills matrix cannot be read: the header row lacks the column(s) technology.",
            fixtures.job_log(result, "failure"),
        )
        self.assertEqual(self.skills(), before)

    def test_a_file_whose_rows_are_all_bad_fails(self):
        result = fixtures.run_job(
            ImportSkillsMatrix, skills_file=fixtures.upload("email,technology,level\nx@example.com,Junos,3\n")
        )
        self.assertEqual(result.status, JobResultStatusChoices.STATUS_FAILURE)
        self.assertEqual(sorted(self.rejected_lines(result)), [2])

    def test_rows_the_user_may_not_write_are_rejected(self):
        clerk = get_user_model().objects.create_user(username="clerk")
        permission = ObjectPermission.objects.create(name="add skills", actions=["add", "view"])
        permission.object_types.add(ContentType.objects.get_for_model(Skill))
        viewer = ObjectPermission.objects.create(name="view experts and technologies", actions=["view"])
        viewer.object_types.add(*ContentType.objects.get_for_models(Expert, Technology).values())
        viewer.users.add(clerk)
        permission.users.add(clerk)
        text = "email,technology,level\nbob@example.com,Linux,4\nbob@example.com,Junos,4\n"
        result = fixtures.run_job(ImportSkillsMatrix, username="clerk", skills_file=fixtures.upload(text))
        self.assertEqual(result.result, {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1})
        self.assertIn("you may not change this skill", self.rejected_lines(result)[2])
        self.assertEqual(self.skills()[("Bob", "Linux")][0], 2)
        self.assertEqual(self.skills()[("Bob", "Junos")][0], 4)
