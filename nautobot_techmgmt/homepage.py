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
    from nautobot_techmgmt.models import Technology  # pylint: disable=import-outside-toplevel
    from nautobot_techmgmt.views.knowledge import (  # pylint: disable=import-outside-toplevel
        CoverageDashboardView,
        gap_row,
    )

    if not request.user.has_perm("nautobot_techmgmt.view_technology"):
        return None
    knowledge = Knowledge()
    visible = set(Technology.objects.restrict(request.user, "view").values_list("pk", flat=True))
    gaps = [gap for gap in knowledge.gaps if gap.technology.pk in visible]
    show_experts = request.user.has_perm("nautobot_techmgmt.view_expert")
    return {
        "technologies_in_use": sum(1 for pk in visible if knowledge.is_in_use(pk)),
        "tiles": CoverageDashboardView.severity_tiles(Counter(gap.severity for gap in gaps)),
        "worst_gaps": [gap_row(gap, show_experts) for gap in gaps[:HOME_PAGE_GAPS]],
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
