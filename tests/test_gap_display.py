"""Gap badges are readable: WCAG AA contrast in Nautobot's light and dark themes, computed from the installed CSS."""

import re
from pathlib import Path

import nautobot
from django.test import SimpleTestCase

from nautobot_techmgmt.gap_display import (
    NO_GAP_BADGE,
    RISK_HELP,
    SEVERITY_BADGES,
    badge_class,
    kind_label,
    risk_explanation,
    severity_badge,
)
from nautobot_techmgmt.knowledge.gaps import SEVERITIES, SEVERITY_WEIGHT

NAUTOBOT_CSS = Path(nautobot.__file__).parent / "project-static" / "dist" / "css" / "nautobot.css"
THEMES = {"light": ":root,[data-bs-theme=light]", "dark": "[data-bs-theme=dark]"}
WCAG_AA = 4.5


def theme_variables(css, selector):
    """The custom properties (`--bs-*`) the rules with exactly this selector set, later rules winning."""
    bodies = re.findall(r"(?:^|})" + re.escape(selector) + r"\{([^}]*)\}", css)
    assert bodies, f"no rule {selector!r} in Nautobot's CSS"
    return {name: value for body in bodies for name, value in re.findall(r"--bs-([a-z0-9-]+):\s*([^;]+)", body)}


def rgb(value):
    """(r, g, b) of "#rrggbb" or "r, g, b"."""
    value = value.strip()
    if value.startswith("#"):
        return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))
    return tuple(int(part) for part in value.split(","))


def luminance(color):
    """WCAG relative luminance."""

    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one, other):
    """WCAG contrast ratio of two colours."""
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def badge_colours(classes, variables):
    """(text, background) of `<span class="badge {classes}">` as Nautobot's CSS paints it in one theme.

    Background: `bg-body` is the page background, `bg-<name>` is `--bs-<name>-rgb`. Text: `text-black`, `text-white`
    or `text-body` are the theme's black, white and body text colours, else Nautobot's rule for `.badge.bg-*` (the
    page background, `--bs-body-bg`).
    """
    names = classes.split()
    (background,) = [name[3:] for name in names if name.startswith("bg-")]
    background = variables["body-bg"] if background == "body" else variables[f"{background}-rgb"]
    text = {"text-black": "black-rgb", "text-white": "white-rgb", "text-body": "body-color"}
    given = [variables[text[name]] for name in names if name in text]
    return rgb(given[0] if given else variables["body-bg"]), rgb(background)


class BadgeContrastTest(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        css = NAUTOBOT_CSS.read_text(encoding="utf-8")
        light = theme_variables(css, THEMES["light"])
        dark = {**light, **theme_variables(css, THEMES["dark"])}  # the dark theme overrides the light one
        cls.themes = {"light": light, "dark": dark}
        cls.badge_rule = re.search(r"\.badge\.bg-danger,[^{]*\{--bs-badge-color: var\(--bs-body-bg\)\}", css)

    def test_nautobot_paints_badge_text_in_the_page_background(self):
        # What badge_colours assumes for badges without a text class; if Nautobot changes it, so must the badges.
        self.assertIsNotNone(self.badge_rule)

    def test_every_badge_meets_wcag_aa_in_both_themes(self):
        for label, classes in [*SEVERITY_BADGES.items(), ("no gap", NO_GAP_BADGE)]:
            for theme, variables in self.themes.items():
                with self.subTest(badge=label, theme=theme):
                    ratio = contrast(*badge_colours(classes, variables))
                    self.assertGreaterEqual(ratio, WCAG_AA, f"{label} badge ({classes}) in {theme}: {ratio:.2f}:1")

    def test_the_old_badges_would_fail(self):
        # Dark grey text on blue and orange, as the device panel had, and the theme's black on its blue, as the first
        # fix had: the check catches both.
        light = self.themes["light"]
        for classes in ("bg-info text-dark", "bg-warning text-dark", "bg-info text-black"):
            with self.subTest(classes):
                text, background = badge_colours(classes.replace("text-dark", "text-black"), light)
                if "text-dark" in classes:
                    text = rgb(light["dark-rgb"])
                self.assertLess(contrast(text, background), WCAG_AA)


class GapDisplayTest(SimpleTestCase):
    def test_one_badge_per_severity_and_one_for_no_gap(self):
        self.assertEqual(set(SEVERITY_BADGES), set(SEVERITIES))
        self.assertEqual(badge_class(""), NO_GAP_BADGE)
        self.assertHTMLEqual(severity_badge("critical"), '<span class="badge bg-danger">Critical</span>')

    def test_labels_and_risk_explanation(self):
        self.assertEqual(kind_label("custodian_lacks_skill"), "Custodian lacks skill")
        self.assertEqual(risk_explanation("high", 3), "high: weight 5 × 3 objects = 15")
        self.assertEqual(risk_explanation("critical", 1), "critical: weight 10 × 1 object = 10")
        for severity in SEVERITIES:
            self.assertIn(f"{severity} {SEVERITY_WEIGHT[severity]}", RISK_HELP)
