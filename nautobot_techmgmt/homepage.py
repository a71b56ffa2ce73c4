"""Home page panel: technologies in use, knowledge gaps by severity and the five worst gaps."""

from collections import Counter

from nautobot.apps.ui import HomePagePanel

HOME_PAGE_GAPS = 5


def coverage_summary(request):
    """The panel's figures for this user, or None when the user may not view technologies.

    Nautobot computes every panel's data before it drops the panels a user may not see, so the permission is
    checked here too, before the engine runs. The truck factor is left to the dashboard: it is the costly part.
    """
    # The app's views import forms and the UI framework; load them only once a home page is rendered.
    from nautobot_techmgmt.knowledge import Knowledge  # pylint: disable=import-outside-toplevel
    from nautobot_techmgmt.knowledge.state import state_status  # pylint: disable=import-outside-toplevel
    from nautobot_techmgmt.permissions import Visibility  # pylint: disable=import-outside-toplevel
    from nautobot_techmgmt.views.knowledge import (  # pylint: disable=import-outside-toplevel
        CoverageDashboardView,
        gap_row,
    )

    if not request.user.has_perm("nautobot_techmgmt.view_technology"):
        return None
    status = state_status()
    if not status.ready:
        return {"being_computed": status.message}
    knowledge = Knowledge()
    visibility = Visibility(request.user)
    visible = visibility.technology_ids
    gaps = [gap for gap in knowledge.gaps if gap.technology.pk in visible]
    return {
        "technology_count": len(visible),
        "technologies_in_use": sum(1 for pk in visible if knowledge.is_in_use(pk)),
        "tiles": CoverageDashboardView.severity_tiles(Counter(gap.severity for gap in gaps)),
        "worst_gaps": [gap_row(gap, visibility) for gap in gaps[:HOME_PAGE_GAPS]],
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
