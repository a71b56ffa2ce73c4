"""Home page panel: technologies in use, knowledge gaps by severity and the five worst gaps."""

from collections import Counter

from nautobot.apps.ui import HomePagePanel

HOME_PAGE_GAPS = 5


def coverage_summary(request):
    """The panel's figures for this user, or None when the user may not view technologies.

    Nautobot computes every panel's data before it drops the panels a user may not see, so the permission is
    checked here too, before the engine runs. The truck factor is left to the dashboard: it is the costly part.
    """
    # The answers import the engine and the UI framework; load them once a home page is rendered.
    from nautobot_techmgmt.answers import Answers  # pylint: disable=import-outside-toplevel
    from nautobot_techmgmt.gap_display import severity_tiles, with_links  # pylint: disable=import-outside-toplevel
    from nautobot_techmgmt.knowledge.state import state_status  # pylint: disable=import-outside-toplevel

    if not request.user.has_perm("nautobot_techmgmt.view_technology"):
        return None
    status = state_status()
    if not status.ready:
        return {"being_computed": status.message}
    answers = Answers(request.user)
    gaps = answers.gaps()
    return {
        "technology_count": len(answers.technology_ids),
        "technologies_in_use": len(answers.technologies_in_use),
        "tiles": severity_tiles(Counter(gap.severity for gap in gaps)),
        "worst_gaps": with_links(gaps[:HOME_PAGE_GAPS]),
    }


layout = (
    HomePagePanel(
        name="Knowledge Coverage",
        permissions=["nautobot_techmgmt.view_technology"],
        weight=250,
        custom_data={"techmgmt_coverage": coverage_summary},
        custom_template="homepage_coverage.html",
    ),
)
