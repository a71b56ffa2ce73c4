"""How a knowledge gap looks on every surface: its badge, its labels and how its risk is explained.

Badges use Nautobot's Bootstrap 5 theme. On `badge bg-*` Nautobot sets the text to the page background (white in the
light theme, near-black in the dark one); that reaches WCAG AA (4.5:1) on red and grey in both themes, but not on the
light theme's orange and green, so those badges get the theme's black (#1a1a1a), which passes on both themes' orange
and green. No text colour of the theme reaches 4.5:1 on its light blue (#007dff: 4.46 with #1a1a1a, 3.91 with white),
so the blue badge is drawn as an outline: the page's own text and background inside a blue border.
`tests/test_gap_display.py` computes every ratio from the colours of the installed theme.
"""

from dataclasses import replace
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html
from nautobot.apps.ui import EChartsThemeColors

from nautobot_techmgmt.choices import GapKindChoices
from nautobot_techmgmt.knowledge.gaps import CRITICAL, GAP_KINDS, HIGH, LOW, MEDIUM, SEVERITIES, SEVERITY_WEIGHT
from nautobot_techmgmt.object_types import OBJECT_TYPES_BY_KEY

# Blue: a medium gap, and notes such as "Knowledge updating" beside a list's buttons.
INFO_BADGE = "bg-body text-body border border-info"
SEVERITY_BADGES = {
    CRITICAL: "bg-danger",
    HIGH: "bg-warning text-black",
    MEDIUM: INFO_BADGE,
    LOW: "bg-secondary",
}
# An object or technology in use with no gap.
NO_GAP_BADGE = "bg-success text-black"
# Chart series colours, one per severity, in SEVERITIES order.
SEVERITY_CHART_COLORS = [
    EChartsThemeColors.NAUTOBOT_COLORS[7],  # red
    EChartsThemeColors.NAUTOBOT_COLORS[1],  # orange
    EChartsThemeColors.NAUTOBOT_COLORS[8],  # sky blue
    EChartsThemeColors.NAUTOBOT_COLORS[16],  # slate
]
RISK_HELP = (
    "Risk = severity weight × objects affected. Weights: "
    + ", ".join(f"{severity} {SEVERITY_WEIGHT[severity]}" for severity in SEVERITIES)
    + ". A technology's or object's risk is the sum over its gaps; lists ordered by risk show the highest first."
)


def badge_class(severity):
    """The badge classes of a severity; "" (no gap) gets the no-gap badge."""
    return SEVERITY_BADGES.get(severity, NO_GAP_BADGE)


def severity_label(severity):
    """The label of a severity: "Critical", or "None" when there is no gap."""
    return severity.capitalize() if severity else "None"


def kind_label(kind):
    """Readable name of a gap kind: "Single expert"."""
    return GapKindChoices.as_dict().get(kind, kind)


KIND_LABELS = [kind_label(kind) for kind in GAP_KINDS]


def risk_explanation(severity, affected_objects):
    """How one gap's risk is made: "high: weight 5 × 3 objects = 15"."""
    weight = SEVERITY_WEIGHT[severity]
    noun = "object" if affected_objects == 1 else "objects"
    return f"{severity}: weight {weight} × {affected_objects} {noun} = {weight * affected_objects}"


def severity_badge(severity, text=None, title=None):
    """A severity badge as HTML: the severity's label, or `text`, with an optional tooltip."""
    text = text or severity_label(severity)
    if title:
        return format_html('<span class="badge {}" title="{}">{}</span>', badge_class(severity), title, text)
    return format_html('<span class="badge {}">{}</span>', badge_class(severity), text)


def severity_tiles(counts):
    """One tile per severity: its count ({severity: n}), label, badge and a link to the dashboard's gaps of it."""
    return [
        {
            "severity": severity,
            "label": severity_label(severity),
            "count": counts.get(severity, 0),
            "badge": badge_class(severity),
            "url": f"?{urlencode({'severity': severity})}#gaps",
        }
        for severity in SEVERITIES
    ]


def _objects(key, count):
    """A count of objects of one type, by its key in the engine's answers: "1 device", "3 virtual machines"."""
    object_type = OBJECT_TYPES_BY_KEY.get(key)
    if object_type is None:
        return f"{count} {key.replace('_', ' ')}"
    return f"{count} {object_type.verbose_name if count == 1 else object_type.verbose_name_plural}"


def affected_text(affected):
    """The objects a gap affects, per type: "3 devices, 1 circuit", or "none"."""
    return ", ".join(_objects(key, count) for key, count in (affected or {}).items() if count) or "none"


def affected_links(gap):
    """The objects a gap affects, per type: count, label and a link to the core list of that type.

    The list shows the objects that use the gap's technology; for a custodian gap the affected ones are among them.
    """
    links = []
    for key, count in gap.affected.items():
        if not count or key not in OBJECT_TYPES_BY_KEY:
            continue
        query = urlencode({"nautobot_techmgmt_technology": str(gap.technology.pk)})
        url = f"{reverse(OBJECT_TYPES_BY_KEY[key].list_view)}?{query}"
        links.append({"count": count, "label": _objects(key, count).split(" ", 1)[1], "url": url})
    return links


def with_links(gaps):
    """The user's gaps (`answers.GapAnswer`) with links to the core lists of the objects they affect."""
    return [replace(gap, links=tuple(affected_links(gap))) for gap in gaps]
