"""The certification expiry check Job: which held certifications lapse, and who stops being qualified."""

import csv
import io
from datetime import date, timedelta

from nautobot.apps.choices import JobResultStatusChoices

from nautobot_techmgmt.jobs import CheckCertificationExpiry
from tests import fixtures


class CertificationExpiryJobTest(fixtures.JobTestCase):
    def setUp(self):
        super().setUp()
        today = date.today()
        self.today = today
        junos = fixtures.technology("Junos", certification_required=True)
        linux = fixtures.technology("Linux")
        jncia = fixtures.certification("JNCIA-Junos", [junos])
        jncis = fixtures.certification("JNCIS-ENT", [junos])
        lpic = fixtures.certification("LPIC-1", [linux])
        self.ada, self.bob, self.cy, self.dee = (fixtures.expert(name) for name in ("Ada", "Bob", "Cy", "Dee"))
        for expert in (self.ada, self.bob, self.dee):
            fixtures.skill(expert, junos, 4)
        fixtures.skill(self.cy, linux, 4)
        long_ago = today - timedelta(days=700)
        # Ada's only Junos certification lapses in 30 days: she stops being qualified for Junos.
        fixtures.held_certification(self.ada, jncia, long_ago, expires_on=today + timedelta(days=30))
        # Bob's lapses after the 90-day window: not listed.
        fixtures.held_certification(self.bob, jncia, long_ago, expires_on=today + timedelta(days=200))
        # Cy's Linux certification expired 10 days ago; Linux does not require one.
        fixtures.held_certification(self.cy, lpic, long_ago, expires_on=today - timedelta(days=10))
        # Dee's JNCIA lapses in 20 days but her JNCIS keeps her qualified.
        fixtures.held_certification(self.dee, jncia, long_ago, expires_on=today + timedelta(days=20))
        fixtures.held_certification(self.dee, jncis, long_ago, expires_on=today + timedelta(days=400))

    def check(self, **kwargs):
        result = fixtures.run_job(CheckCertificationExpiry, **kwargs)
        self.assertEqual(result.status, JobResultStatusChoices.STATUS_SUCCESS, fixtures.job_log(result))
        return result

    def day(self, days):
        return (self.today + timedelta(days=days)).isoformat()

    def test_default_window_lists_lapsed_and_lapsing_certifications_per_expert(self):
        result = self.check()
        self.assertEqual(
            fixtures.job_log(result, "warning"),
            [
                f"Ada: JNCIA-Junos expires in 30 days ({self.day(30)}); stops being qualified for Junos.",
                f"Cy: LPIC-1 expired 10 days ago ({self.day(-10)}).",
                f"Dee: JNCIA-Junos expires in 20 days ({self.day(20)}).",
            ],
        )
        self.assertEqual(result.result, {"certifications": 3, "experts": 3, "losing_qualification": 1})
        self.assertFalse(result.files.exists())

    def test_days_narrow_the_window(self):
        result = self.check(days=25)
        self.assertEqual(
            fixtures.job_log(result, "warning"),
            [
                f"Cy: LPIC-1 expired 10 days ago ({self.day(-10)}).",
                f"Dee: JNCIA-Junos expires in 20 days ({self.day(20)}).",
            ],
        )

    def test_csv_output(self):
        result = self.check(days=365, export_csv=True)
        text = fixtures.job_file(result, f"certification-expiry-{self.today.isoformat()}.csv")
        rows = list(csv.DictReader(io.StringIO(text)))
        self.assertEqual(
            [(row["expert"], row["certification"], row["days left"], row["stops being qualified for"]) for row in rows],
            [
                ("Ada", "JNCIA-Junos", "30", "Junos"),
                ("Bob", "JNCIA-Junos", "200", "Junos"),
                ("Cy", "LPIC-1", "-10", ""),
                ("Dee", "JNCIA-Junos", "20", ""),
            ],
        )
        self.assertEqual((rows[0]["expert status"], rows[0]["technologies evidenced"]), ("Active", "Junos"))
