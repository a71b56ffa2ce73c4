"""Candidate experts and fading skills from the change log: detail-page panels and the feature's own pages.

Panels on technology, expert and contact pages; the Candidates page across the estate; the Unmapped users page. Every
surface lays out what `candidates.History` returns for the request's user: nothing here decides who is a
candidate, whose skill fades or whom the user may see. The panels render nothing, not even their heading, where
History is not visible (the feature off, or no permission to view technology activity).
"""

from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from nautobot.apps.ui import Breadcrumbs, Panel, SectionChoices, Titles, ViewNameBreadcrumbItem
from nautobot.apps.views import EnhancedPaginator, get_paginate_count

from nautobot_techmgmt.answers import Answers, per_request
from nautobot_techmgmt.candidates import VIEW_ACTIVITY, VIEW_USERS, History, resolve_objects
from nautobot_techmgmt.choices import SkillLevelChoices
from nautobot_techmgmt.forms.knowledge import CandidatesFilterForm
from nautobot_techmgmt.gap_display import INFO_BADGE, SEVERITY_BADGES
from nautobot_techmgmt.knowledge import activity
from nautobot_techmgmt.knowledge.gaps import HIGH, LOW
from nautobot_techmgmt.models import Expert
from nautobot_techmgmt.views.knowledge import CoverageView, _panel

LEVEL_LABELS = SkillLevelChoices.as_dict()
PANEL_CANDIDATES = 10  # the strongest candidates a technology page shows; the Candidates page lists them all
# Badges of the app's palette (gap_display.py), so their contrast is the one tests/test_gap_display.py checks.
CANDIDATE_BADGE = INFO_BADGE
DISMISSED_BADGE = SEVERITY_BADGES[LOW]
FADING_BADGE = SEVERITY_BADGES[HIGH]
BADGES = {"candidate_badge": CANDIDATE_BADGE, "dismissed_badge": DISMISSED_BADGE, "fading_badge": FADING_BADGE}


def history_of(request):
    """The request user's History, made once per request for every panel of the page."""
    return per_request(request, "history", lambda: History(Answers(request.user)))


def level_text(level):
    """A 1-5 level with its meaning, or "none" without a level."""
    return LEVEL_LABELS.get(level, "none") if level else "none"


def dismiss_query(item, return_url):
    """The query string that fills in the dismissal form for a candidate in view; None if there is none to dismiss.

    A person is named on the form as a contact the user may view, or as an unmapped user to users who may view users;
    a person the user cannot name, a non-candidate and a dismissed candidate get no form.
    """
    row = item.activity
    if not item.candidate or item.dismissal:
        return None
    if item.contact is not None:
        person = ("contact", item.contact.pk)
    elif item.unmapped_user is not None:
        person = ("user", item.unmapped_user.pk)
    else:
        return None
    return urlencode(
        [
            person,
            ("technology", item.technology.pk),
            ("activity_until", row.last_activity.isoformat()),
            ("return_url", return_url),
        ]
    )


def evidence_rows(items, return_url):
    """Evidence items with what the templates show beside them: level labels and the filled-in form links."""
    back = urlencode({"return_url": return_url})
    return [
        {
            "item": item,
            "recorded": level_text(item.skill_level),
            "suggested": level_text(item.suggested_level),
            "record_skill_url": f"{item.record_skill_url}&{back}" if item.record_skill_url else None,
            "dismiss_query": dismiss_query(item, return_url),
        }
        for item in items
    ]


def fading_rows(fading):
    """Fading skills with the level's label."""
    return [{"fading": item, "level": level_text(item.skill.level)} for item in fading]


#
# Panels on detail pages
#


class HistoryPanel(Panel):
    """A full-width table panel of the feature on a detail page, rendered only where History is visible."""

    def __init__(self, label, template, weight, **kwargs):
        """The panel with its label, body template (under inc/) and weight."""
        super().__init__(
            label=label,
            section=SectionChoices.FULL_WIDTH,
            weight=weight,
            body_content_template_path=f"nautobot_techmgmt/inc/{template}",
            body_wrapper_template_path="components/panel/body_wrapper_table.html",
            **kwargs,
        )

    def should_render(self, context):
        """Only with the feature on and the permission to view technology activity."""
        return history_of(context["request"]).visible


class TechnologyCandidatesPanel(HistoryPanel):
    """The technology's candidate experts with their evidence, and a one-click "Record skill"."""

    def __init__(self, **kwargs):
        """The "Candidate experts" panel."""
        super().__init__("Candidate experts", "candidate_table.html", **kwargs)

    def get_extra_context(self, context):
        """The candidates of this technology (dismissed ones left out)."""
        request = context["request"]
        technology = context["object"]
        candidates = history_of(request).candidates(technologies=[technology.pk], limit=PANEL_CANDIDATES + 1)
        more = len(candidates) > PANEL_CANDIDATES
        return {
            "candidate_rows": evidence_rows(candidates[:PANEL_CANDIDATES], request.path),
            "candidate_more_url": f"{reverse('plugins:nautobot_techmgmt:candidate_experts')}?technology={technology.pk}"
            if more
            else None,
            "candidate_empty": "No candidate expert: nobody's recent work on this technology's objects stands out "
            "beyond the recorded skills.",
            **BADGES,
        }


class TechnologyFadingSkillsPanel(HistoryPanel):
    """Qualified skills in the technology whose holders have not worked on it for long."""

    def __init__(self, **kwargs):
        """The "Fading skills" panel."""
        super().__init__("Fading skills", "candidate_fading_skills.html", **kwargs)

    def get_extra_context(self, context):
        """The technology's fading skills."""
        fading = history_of(context["request"]).fading_skills(technologies=[context["object"].pk])
        return {"fading_rows": fading_rows(fading), "fading_show_expert": True, **BADGES}


class PersonEvidencePanel(HistoryPanel):
    """What the change log says of one person, per technology, and their fading skills (expert or contact page)."""

    def __init__(self, weight, **kwargs):
        """The "Evidence from the change log" panel."""
        super().__init__("Evidence from the change log", "candidate_evidence_panel.html", weight, **kwargs)

    def get_extra_context(self, context):
        """The person's evidence with their top objects resolved, and the fading skills of their expert record."""
        request, obj = context["request"], context["object"]
        contact = obj.contact if isinstance(obj, Expert) else obj
        history = history_of(request)
        evidence = resolve_objects(request.user, history.of_person(contact))
        fading = history.fading_skills(experts=Expert.objects.filter(contact=contact))
        return {
            "evidence_rows": evidence_rows(evidence, request.path),
            "fading_rows": fading_rows(fading),
            "fading_show_technology": True,
            **BADGES,
        }


#
# Pages
#


class HistoryPageView(CoverageView):
    """A page of the feature: 404 with the feature off; 403 without its permission (like core's pages)."""

    def dispatch(self, request, *args, **kwargs):
        """Not found while the feature is off, whoever asks."""
        if not activity.enabled():
            raise Http404("Candidate experts are turned off (setting candidate_experts_enabled).")
        return super().dispatch(request, *args, **kwargs)


class CandidatesView(HistoryPageView):
    """Candidate experts across the estate, filtered by technology, team and category; dismissed ones on request."""

    view_titles = Titles(titles={"*": "Candidate Experts"})
    filter_panel = _panel("Filter", "candidate_filter.html", 100)
    candidates_panel = _panel("Candidate experts", "candidate_table.html", 200, table=True)
    fading_panel = _panel("Fading skills", "candidate_fading_skills.html", 300, table=True)

    def get_required_permission(self):
        """The permission of activity and candidates."""
        return VIEW_ACTIVITY

    def get(self, request):
        """The filter, the candidates and the fading skills of the selection."""
        form = CandidatesFilterForm(request.GET or None, user=request.user)
        selection = {"technologies": None, "teams": None, "categories": ()}
        include_dismissed = False
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            selection = {
                "technologies": data["technology"] or None,
                "teams": data["team"] or None,
                "categories": data["category"],
            }
            include_dismissed = data["include_dismissed"]
        history = History(self.answers)
        paginator = EnhancedPaginator(
            history.candidate_rows(include_dismissed=include_dismissed, **selection), get_paginate_count(request)
        )
        page = paginator.get_page(request.GET.get("page"))
        candidates = history.as_evidence(page.object_list)
        return self.render_page(
            request,
            ((self.filter_panel,), (self.candidates_panel,), (self.fading_panel,)),
            filter_form=form,
            filtered=form.is_bound,
            candidate_rows=evidence_rows(candidates, request.get_full_path()),
            candidate_paginator=paginator,
            candidate_page=page,
            candidate_show_technology=True,
            candidate_empty="No candidate expert matches this filter."
            if form.is_bound
            else "No candidate expert: nobody's recent work stands out beyond the recorded skills.",
            fading_rows=fading_rows(history.fading_skills(**selection)),
            fading_show_technology=True,
            fading_show_expert=True,
            may_view_users=history.may_name_users,
            **BADGES,
        )


class UnmappedUsersView(HistoryPageView):
    """Active users the change log cannot put a name to: neither mapped to a contact nor sharing one's e-mail."""

    breadcrumbs = Breadcrumbs(
        items={
            "*": [
                ViewNameBreadcrumbItem(
                    view_name="plugins:nautobot_techmgmt:candidate_experts", label="Candidate experts"
                )
            ]
        }
    )
    view_titles = Titles(titles={"*": "Unmapped Users"})
    users_panel = _panel("Unmapped users", "candidate_unmapped_users.html", 100, table=True)

    def has_permission(self):
        """Usernames are shown only to users who may view users (users have no object-level permissions)."""
        return self.request.user.has_perm(VIEW_USERS)

    def get(self, request):
        """The unmapped users, a page at a time."""
        users = activity.unmapped_users()
        paginator = EnhancedPaginator(users, get_paginate_count(request))
        page = paginator.get_page(request.GET.get("page"))
        return self.render_page(
            request,
            ((self.users_panel,),),
            unmapped_users=page.object_list,
            paginator=paginator,
            page=page,
            return_url=request.get_full_path(),
        )
