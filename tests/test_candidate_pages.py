"""Candidate experts on pages: the technology page's panels, the expert and contact pages' evidence, the Candidates
page across the estate and the Unmapped users page, as users with and without the permission see them.

The estate of `history_estate` (tests/knowledge/test_candidate_experts.py) with a history of its own, dated from
today (the pages judge fading skills from today), computed with the window ending now:

* ams-srv-1 (Linux): Carol (user ck, mapped explicitly) changes it 12 times 20 to 9 days ago; Dave (unmapped) once,
  5 days ago. Carol is the author (12 own changes, 1 other), score 1.00, no Linux skill: a candidate at level 3.
* ber-rtr-1 and ams-rtr-1 (Junos): Bob changes ber-rtr-1 10 times, 50 to 41 days ago, and ams-rtr-1 5 times, 40 to
  36 days ago; Ada (level 4) changes ams-rtr-1 twice, 300 days ago. Bob is the author of both (Ada's DOA on ams-rtr-1:
  3.293 + 0.164 x 2 - 0.321 ln 6 = 3.046, below 3.293), 15 changes, recorded at level 2 below the qualified 3: a
  candidate whose skill is to be raised. Ada's Junos skill fades: no work for 180 days while Bob works on Junos.
"""

import html
from datetime import timedelta
from urllib.parse import urlencode

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from nautobot.apps.testing import TestCase
from nautobot.extras.models import Note, ObjectChange

from nautobot_techmgmt.knowledge import activity
from nautobot_techmgmt.models import CandidateDismissal, Skill, TechnologyActivity
from tests import fixtures
from tests.knowledge.test_candidate_experts import change, history_estate

CANDIDATES = reverse("plugins:nautobot_techmgmt:candidate_experts")
UNMAPPED_USERS = reverse("plugins:nautobot_techmgmt:unmapped_users")
OFF = {"nautobot_techmgmt": {"candidate_experts_enabled": False}}
ON = {"nautobot_techmgmt": {"candidate_experts_enabled": True}}
SEES_CANDIDATES = (
    "nautobot_techmgmt.view_technology",
    "nautobot_techmgmt.view_technologyactivity",
    "nautobot_techmgmt.view_expert",
    "nautobot_techmgmt.view_skill",
    "extras.view_contact",
    "dcim.view_device",
)


def recent_history(test):
    """The estate and history of the module docstring; activity computed up to now."""
    history_estate(test)
    ObjectChange.objects.all().delete()  # the estate's own history is dated from a fixed day; this one from today
    Note.objects.all().delete()
    now = timezone.now()
    for day in range(12):
        change(test.carol_user, test.inv["server"], now - timedelta(days=20 - day))
    change(test.dave_user, test.inv["server"], now - timedelta(days=5))
    for day in range(10):
        change(test.bob_user, test.inv["other_router"], now - timedelta(days=50 - day))
    for day in range(5):
        change(test.bob_user, test.inv["router"], now - timedelta(days=40 - day))
    change(test.ada_user, test.inv["router"], now - timedelta(days=300))
    change(test.ada_user, test.inv["router"], now - timedelta(days=300, hours=1))
    activity.compute_activity()


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class CandidatePageTestCase(TestCase):
    """A history with two candidates and a fading skill; the test user gets the permissions each test names."""

    @classmethod
    def setUpTestData(cls):
        recent_history(cls)

    def page(self, url, status=200, **params):
        response = self.client.get(url, params)
        self.assertHttpStatus(response, status)
        return response.content.decode()

    def panel(self, page, label):
        """The panel of that label on the page, up to the next panel."""
        start = page.index(f"<strong>{label.upper()}</strong>")
        end = page.find('<div id="component-', start)
        return page[start : end if end > 0 else None]

    def carol_comments(self):
        """The comments the Record skill link fills in for Carol on Linux."""
        last = TechnologyActivity.objects.get(contact=self.carol.contact, technology=self.linux).last_activity
        return f"Candidate from the change log: 12 changes on 1 objects, last on {last:%Y-%m-%d}."

    def record_skill_link(self, evidence_url, return_url):
        """The Record skill link as the page writes it: the skill form's URL with the way back."""
        return html.escape(f"{evidence_url}&{urlencode({'return_url': return_url})}")


class TechnologyPanelTest(CandidatePageTestCase):
    def test_the_candidate_with_evidence_and_record_skill(self):
        self.add_permissions(*SEES_CANDIDATES, "nautobot_techmgmt.add_skill")
        url = self.linux.get_absolute_url()
        page = self.page(url)
        self.assertIn("CANDIDATE EXPERTS", page)
        self.assertIn(f'<a href="{self.carol.get_absolute_url()}">Carol King</a>', page)
        row = page[page.index("Carol King") :]
        self.assertRegex(row, r"<td>none</td>\s*<td>3 - Practitioner</td>")  # recorded and suggested levels
        self.assertRegex(row, r"<td>\s*1 / 1\s*<small[^>]*>0 created</small>")  # objects touched / authored
        self.assertRegex(row, r"<td>12 / 1</td>")  # own and others' changes
        self.assertIn("<td>1.00</td>", row)
        self.assertIn(f"user={self.carol_user.pk}", row)  # the change log of Carol's user
        skill_add = reverse("plugins:nautobot_techmgmt:skill_add")
        self.assertIn(
            self.record_skill_link(
                f"{skill_add}?expert={self.carol.pk}&technology={self.linux.pk}&level=3&comments="
                + urlencode({"c": self.carol_comments()})[2:],
                url,
            ),
            page,
        )
        self.assertNotIn("Dave", page)  # one change: no candidate
        self.assertNotIn("dave (unmapped user)", page)

    def test_record_skill_opens_the_filled_in_form_and_returns_to_the_technology(self):
        self.add_permissions(*SEES_CANDIDATES, "nautobot_techmgmt.add_skill")
        url = self.linux.get_absolute_url()
        page = self.page(url)
        start = page.rindex('href="', 0, page.index("Record skill of Carol King")) + len('href="')
        link = html.unescape(page[start : page.index('"', start)])
        form = self.page(link)
        self.assertRegex(form, rf'<option value="{self.carol.pk}"\s+selected\s*>Carol King</option>')
        self.assertRegex(form, rf'<option value="{self.linux.pk}"\s+selected\s*>Linux</option>')
        self.assertRegex(form, r'<option value="3"\s+selected\s*>3 - Practitioner</option>')
        comments = self.carol_comments()
        self.assertIn(comments, form)
        # One more click: the form as filled in, saved.
        response = self.client.post(
            link, {"expert": self.carol.pk, "technology": self.linux.pk, "level": 3, "comments": comments}
        )
        self.assertRedirects(response, url, fetch_redirect_response=False)
        self.assertEqual(Skill.objects.get(expert=self.carol, technology=self.linux).level, 3)
        page = self.page(url)
        self.assertNotIn("Record skill of Carol King", page)
        self.assertIn("No candidate expert", page)

    def test_a_level_below_the_activity_opens_the_recorded_skill_at_the_suggested_level(self):
        self.add_permissions(*SEES_CANDIDATES, "nautobot_techmgmt.add_skill", "nautobot_techmgmt.change_skill")
        url = self.junos.get_absolute_url()
        page = self.page(url)
        bob = page[page.index(">Bob Byte<") :]
        self.assertRegex(bob, r"<td>2 - Working knowledge</td>\s*<td>3 - Practitioner</td>")
        skill = Skill.objects.get(expert=self.bob, technology=self.junos)
        edit = reverse("plugins:nautobot_techmgmt:skill_edit", kwargs={"pk": skill.pk})
        self.assertIn(self.record_skill_link(f"{edit}?level=3", url), page)
        form = self.page(edit, level=3)
        self.assertRegex(form, r'<option value="3"\s+selected\s*>3 - Practitioner</option>')

    def test_record_skill_needs_the_permission_to_add_skills(self):
        self.add_permissions(*SEES_CANDIDATES)
        page = self.page(self.linux.get_absolute_url())
        self.assertIn("Carol King", page)
        self.assertNotIn("Record skill", page)

    def test_fading_skills_of_the_technology(self):
        self.add_permissions(*SEES_CANDIDATES)
        page = self.page(self.junos.get_absolute_url())
        fading = self.panel(page, "Fading skills")
        ada = TechnologyActivity.objects.get(contact=self.ada.contact, technology=self.junos)
        bob = TechnologyActivity.objects.get(contact=self.bob.contact, technology=self.junos)
        self.assertIn(f'<a href="{self.ada.get_absolute_url()}">Ada Lovelace</a>', fading)
        self.assertIn("4 - Expert", fading)
        self.assertIn(f"{timezone.localtime(ada.last_activity):%Y-%m-%d}", fading)
        self.assertIn(f"{timezone.localtime(bob.last_activity):%Y-%m-%d}", fading)  # the technology's last
        self.assertNotIn("Bob Byte", fading)  # level 2: below the qualified level, nothing to fade
        self.assertIn("No fading skill", self.page(self.linux.get_absolute_url()))

    def test_never_worked_on_it_says_none_in_the_window(self):
        self.add_permissions(*SEES_CANDIDATES)
        fred = fixtures.expert("Fred Flint")
        fixtures.skill(fred, self.junos, 3)
        fading = self.panel(self.page(self.junos.get_absolute_url()), "Fading skills")
        self.assertRegex(fading, r"Fred Flint(.|\n)*none in the window")

    def test_empty_state(self):
        self.add_permissions(*SEES_CANDIDATES)
        windows = fixtures.technology("Windows")
        page = self.page(windows.get_absolute_url())
        self.assertIn("CANDIDATE EXPERTS", page)
        self.assertIn("No candidate expert: nobody", page)

    def test_nothing_without_the_permission(self):
        self.add_permissions(*(name for name in SEES_CANDIDATES if "technologyactivity" not in name))
        page = self.page(self.linux.get_absolute_url())
        self.assertNotIn("CANDIDATE EXPERTS", page)
        self.assertNotIn("FADING SKILLS", page)
        self.assertNotIn("Carol King", page)

    @override_settings(PLUGINS_CONFIG=OFF)
    def test_nothing_with_the_feature_off(self):
        self.add_permissions(*SEES_CANDIDATES)
        page = self.page(self.linux.get_absolute_url())
        self.assertNotIn("CANDIDATE EXPERTS", page)
        self.assertNotIn("FADING SKILLS", page)

    def count_queries(self, url, settings):
        with override_settings(PLUGINS_CONFIG=settings):
            self.page(url)  # warm the caches a first view fills
            with CaptureQueriesContext(connection) as queries:
                self.page(url)
        return len(queries)

    def test_at_most_three_added_queries_whatever_the_number_of_candidates(self):
        self.add_permissions(*SEES_CANDIDATES, "nautobot_techmgmt.add_skill")
        url = self.linux.get_absolute_url()
        without = self.count_queries(url, OFF)
        with_one = self.count_queries(url, ON)
        self.assertLessEqual(with_one - without, 3)
        now = timezone.now()
        for number in range(5):
            guru = fixtures.expert(f"Guru {number}")
            user = self.user.__class__.objects.create_user(username=f"guru{number}", email=guru.contact.email)
            for day in range(12):
                change(user, self.inv["server"], now - timedelta(days=15 - day, hours=number))
        activity.compute_activity()
        self.assertEqual(self.page(url).count("Record skill of Guru"), 5)
        self.assertEqual(self.count_queries(url, ON), with_one)

    def test_the_ten_strongest_and_a_link_to_the_rest(self):
        self.add_permissions(*SEES_CANDIDATES, "nautobot_techmgmt.add_skill")
        now = timezone.now()
        for number in range(11):  # with Carol, 12 candidates for Linux
            guru = fixtures.expert(f"Guru {number:02d}")
            user = self.user.__class__.objects.create_user(username=f"guru{number}", email=guru.contact.email)
            for day in range(12):  # as many changes as Carol: each an author of the server
                change(user, self.inv["server"], now - timedelta(days=15 - day, hours=number))
        activity.compute_activity()
        panel = self.panel(self.page(self.linux.get_absolute_url()), "Candidate experts")
        self.assertEqual(panel.count("Record skill of "), 10)
        self.assertIn(f"{reverse('plugins:nautobot_techmgmt:candidate_experts')}?technology={self.linux.pk}", panel)
        page = self.page(CANDIDATES, technology=self.linux.pk, per_page=5)
        self.assertEqual(page.count("Record skill of "), 5)
        self.assertIn("candidate-paginator", page)
        second = self.page(CANDIDATES, technology=self.linux.pk, per_page=5, page=3)
        self.assertEqual(second.count("Record skill of "), 2)


class PersonPanelTest(CandidatePageTestCase):
    def test_expert_page_shows_the_evidence_per_technology(self):
        self.add_permissions(*SEES_CANDIDATES, "nautobot_techmgmt.add_skill")
        evidence = self.panel(self.page(self.carol.get_absolute_url()), "Evidence from the change log")
        self.assertIn(f'<a href="{self.linux.get_absolute_url()}">Linux</a>', evidence)
        server = self.inv["server"]
        self.assertRegex(
            evidence, rf'<a href="{server.get_absolute_url()}">{server.name}</a>\s*<small[^>]*>\(12 changes'
        )
        self.assertRegex(evidence, r'<span class="badge [^"]+">Yes</span>\s*<small[^>]*>suggested: 3 - Practitioner')
        self.assertIn("Record skill of Carol King in Linux", evidence)
        self.assertNotIn("Junos", evidence)  # Carol's Junos work (the deleted ams-rtr-9) is before this history

    def test_contact_page_shows_the_same_evidence(self):
        self.add_permissions(*SEES_CANDIDATES, "nautobot_techmgmt.add_skill")
        evidence = self.panel(self.page(self.carol.contact.get_absolute_url()), "Evidence from the change log")
        self.assertIn(f'<a href="{self.inv["server"].get_absolute_url()}">', evidence)
        self.assertIn("Record skill of Carol King in Linux", evidence)

    def test_objects_the_user_may_not_view_are_not_named(self):
        self.add_permissions(*(name for name in SEES_CANDIDATES if name != "dcim.view_device"))
        evidence = self.panel(self.page(self.carol.get_absolute_url()), "Evidence from the change log")
        self.assertRegex(evidence, r">deleted or hidden object</span>\s*<small[^>]*>\(12 changes")
        self.assertNotIn(self.inv["server"].get_absolute_url(), evidence)
        self.assertNotIn(self.inv["server"].name, evidence)

    def test_objects_deleted_since_are_not_linked(self):
        self.add_permissions(*SEES_CANDIDATES)
        server = self.inv["server"]
        url = server.get_absolute_url()
        server.delete()
        evidence = self.panel(self.page(self.carol.get_absolute_url()), "Evidence from the change log")
        self.assertRegex(evidence, r">deleted or hidden object</span>\s*<small[^>]*>\(12 changes")
        self.assertNotIn(url, evidence)

    def test_fading_skills_of_the_expert(self):
        self.add_permissions(*SEES_CANDIDATES)
        evidence = self.panel(self.page(self.ada.get_absolute_url()), "Evidence from the change log")
        self.assertRegex(evidence, r"<td>\s*No\s*</td>")  # two changes 300 days ago make no candidate
        fading = evidence[evidence.index("Fading skills") :]
        self.assertIn(f'<a href="{self.junos.get_absolute_url()}">Junos</a>', fading)
        self.assertRegex(fading, r'4 - Expert</a>\s*<span class="badge [^"]+">Fading</span>')

    def test_nothing_without_the_permission(self):
        self.add_permissions(*(name for name in SEES_CANDIDATES if "technologyactivity" not in name))
        self.assertNotIn("EVIDENCE FROM THE CHANGE LOG", self.page(self.carol.get_absolute_url()))
        self.assertNotIn("EVIDENCE FROM THE CHANGE LOG", self.page(self.carol.contact.get_absolute_url()))


class CandidatesPageTest(CandidatePageTestCase):
    def test_candidates_across_the_estate(self):
        self.add_permissions(*SEES_CANDIDATES, "nautobot_techmgmt.add_skill", "nautobot_techmgmt.change_skill")
        page = self.page(CANDIDATES)
        self.assertIn("Candidate Experts", page)
        self.assertIn("Record skill of Carol King in Linux", page)
        self.assertIn("Record skill of Bob Byte in Junos", page)
        self.assertLess(page.index("Bob Byte"), page.index("Carol King"))  # by technology: Junos, then Linux
        fading = self.panel(page, "Fading skills")
        self.assertIn("Ada Lovelace", fading)
        self.assertIn(">Junos<", fading)

    def test_filters(self):
        self.add_permissions(*SEES_CANDIDATES, "extras.view_team")
        page = self.page(CANDIDATES, technology=self.linux.pk)
        self.assertIn(">Carol King</a>", page)
        self.assertNotIn("Bob Byte", page)
        fixtures.team("Servers", members=[self.carol.contact])
        fixtures.team("Hosting", members=[self.carol.contact])
        page = self.page(CANDIDATES, team=["Servers", "Hosting"])
        self.assertEqual(page.count(">Carol King</a>"), 1)  # a member of both teams, listed once
        self.assertNotIn("Bob Byte", page)
        self.linux.category = "server"
        self.linux.validated_save()
        page = self.page(CANDIDATES, category="server")
        self.assertIn(">Carol King</a>", page)
        self.assertNotIn("Bob Byte", page)
        self.assertIn("No fading skill", page)  # Ada's fading skill is in Junos, not a server technology

    def test_dismissed_candidates_on_request(self):
        self.add_permissions(*SEES_CANDIDATES)
        row = TechnologyActivity.objects.get(contact=self.carol.contact, technology=self.linux)
        CandidateDismissal.objects.create(
            contact=self.carol.contact,
            technology=self.linux,
            reason="Edits records for the DC team only.",
            activity_until=row.last_activity,
        )
        page = self.page(CANDIDATES)
        self.assertNotIn("Carol King", page)
        page = self.page(CANDIDATES, include_dismissed="on")
        self.assertRegex(page, r'Carol King</a>\s*<span class="badge [^"]+">Dismissed</span>')

    def test_forbidden_without_the_permission(self):
        self.add_permissions(*(name for name in SEES_CANDIDATES if "technologyactivity" not in name))
        self.page(CANDIDATES, status=403)

    @override_settings(PLUGINS_CONFIG=OFF)
    def test_not_found_with_the_feature_off(self):
        self.add_permissions(*SEES_CANDIDATES, "users.view_user")
        self.page(CANDIDATES, status=404)
        self.page(UNMAPPED_USERS, status=404)

    def test_unmapped_users_linked_only_for_who_may_view_users(self):
        self.add_permissions(*SEES_CANDIDATES)
        self.assertNotIn(f'href="{UNMAPPED_USERS}"', self.page(CANDIDATES))
        self.add_permissions("users.view_user")
        self.assertIn(f'href="{UNMAPPED_USERS}"', self.page(CANDIDATES))


class UnmappedUsersPageTest(CandidatePageTestCase):
    def test_lists_the_unmapped_users(self):
        self.add_permissions("users.view_user")
        page = self.page(UNMAPPED_USERS)
        self.assertIn("<td>dave</td>", page)
        self.assertIn("<td>dave@example.com</td>", page)
        self.assertIn("<td>eve</td>", page)  # two contacts share her e-mail
        for mapped in ("ada", "bob", "ck"):
            self.assertNotIn(f"<td>{mapped}</td>", page)

    def test_forbidden_without_the_permission_to_view_users(self):
        self.add_permissions(*SEES_CANDIDATES)
        self.page(UNMAPPED_USERS, status=403)
