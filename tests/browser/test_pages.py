"""The app's pages in a real browser, on the demo estate (see nautobot_techmgmt.demo for the story it tells).

The figures asserted here are those of the demo data, the same ones the user guide walks through: 29 technologies in
use, 12 gaps, and Cisco IOS-XE, on 22 office devices, known only by Dev Patel: the single point of knowledge.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from development.live_server import DESKTOP, NARROW, log_in
from nautobot_techmgmt.demo import CANDIDATE_EXPERT, ESCALATION_DEVICE, FADING_SKILL, GAP_DEMONSTRATIONS

SPOF_TECHNOLOGY = GAP_DEMONSTRATIONS["single_expert"]  # Cisco IOS-XE
SPOF_EXPERT = "Dev Patel"
SPOF_DEVICE = "chi-isr-01"  # a Chicago office router running Cisco IOS-XE
DASHBOARD = "/plugins/techmgmt/dashboard/"
SKILLS_MATRIX = "/plugins/techmgmt/skills-matrix/"
WHAT_IF = "/plugins/techmgmt/what-if/"
CAPACITY = "/plugins/techmgmt/capacity/"
JOB_SECONDS = 90
AXE = Axe()
# axe-core's rules for WCAG 2.0 and 2.1, levels A and AA (colour contrast among them); only violations are reported.
WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
# What axe finds in Nautobot 3.2's own theme and widgets, on core's pages as on ours: not the app's to fix, so not
# violations here (each is a core issue). Anything else, in these colours or not, still is.
CORE_LINK_COLOUR = "#007dff"  # --bs-link-color: 3.9:1 on white, for links and link-style buttons
CORE_HEADING_COLOUR = "#b0b0b0"  # --bs-tertiary-color of table headings: 2.0:1 on their #f4f4f4
CORE_WIDGETS = ("select2-", "#edit-button")  # the select2 search widget's markup; the object page's Edit button

# The tests drive another process's database, a clone of the test database; the marker makes pytest-django set the
# test database up for them (each test's transaction on it stays empty).
pytestmark = pytest.mark.django_db


def panel(page, title):
    """The card whose header is `title`."""
    return page.locator(".card").filter(has=page.locator(".card-header", has_text=title)).first


def api_id(page, endpoint, **query):
    """The ID of the one object a REST list endpoint returns for `query`, asked with the browser's session."""
    response = page.request.get(f"/api/{endpoint}/", params=query, headers={"Accept": "application/json"})
    assert response.ok, response.text()
    results = response.json()["results"]
    assert len(results) == 1, results
    return results[0]["id"]


def choose(page, field_id, search, option):
    """Pick an option of a Nautobot select2 field the way a user does: open it, type, click the option."""
    page.locator(f"#{field_id} ~ .select2 .select2-selection").click()
    page.keyboard.type(search)
    page.locator(".select2-results__option", has_text=option).click()


def assert_fits(page):
    """The page does not scroll sideways: wide tables scroll inside their own box."""
    scroll_width, viewport_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= viewport_width, f"{page.url} is {scroll_width} px wide in a {viewport_width} px window"


def check_narrow(page, screenshot, name, element=None):
    """The same page 800 px wide: it must not scroll sideways (wide tables scroll inside their panel)."""
    page.set_viewport_size(NARROW)
    assert_fits(page)
    screenshot(page, f"{name}-800", element=element)


def assert_accessible(page, within=None):
    """No WCAG 2 A/AA violation (axe-core) on the page, or within the element (a locator) `within`.

    App pages are checked whole; on core pages only the app's panel is (core's own markup is not ours to fix).
    """
    context = None
    if within is not None:
        within.evaluate("element => element.setAttribute('data-axe-scope', '')")
        context = "[data-axe-scope]"
    results = AXE.run(page, context=context, options=WCAG_AA).response
    if within is not None:
        within.evaluate("element => element.removeAttribute('data-axe-scope')")
    problems = []
    for violation in results["violations"]:
        nodes = [node for node in violation["nodes"] if not is_core_theme(violation, node)]
        if nodes:
            problems.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
                + "\n".join(
                    f"    {', '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}"
                    for node in nodes
                )
            )
    where = f"{page.url} (the panel)" if within is not None else page.url
    assert not problems, f"accessibility violations on {where}:\n" + "\n".join(problems)


def is_core_theme(violation, node):
    """Whether axe's finding is Nautobot's own theme or widget rather than the app's markup (see CORE_WIDGETS)."""
    target = " ".join(map(str, node["target"]))
    if any(widget in f"{target} {node['html']}" for widget in CORE_WIDGETS):
        return True
    if violation["id"] != "color-contrast" or re.search(r'class="[^"]*\bbadge\b', node["html"].split(">", 1)[0]):
        return False
    colours = [check.get("data") or {} for check in node["any"]]
    link = node["html"].startswith(("<a ", "<button ")) and any(c.get("fgColor") == CORE_LINK_COLOUR for c in colours)
    heading = node["html"].startswith("<th") and any(c.get("fgColor") == CORE_HEADING_COLOUR for c in colours)
    return link or heading


def assert_column_readable(table, header):
    """The column's header and cells end inside the table's panel: nothing of them is cut off or scrolled away."""
    card = table.locator("xpath=ancestor::div[contains(@class, 'card')][1]").bounding_box()
    right_edge = card["x"] + card["width"]
    index = table.locator("thead th").all_inner_texts().index(header)
    for cell in [table.locator("thead th").nth(index), *table.locator(f"tbody tr td:nth-child({index + 1})").all()]:
        box = cell.bounding_box()
        end = box["x"] + box["width"]
        assert end <= right_edge + 1, (
            f"the {header} column ends at {end:.0f} px, outside its panel ({right_edge:.0f} px): "
            f"{cell.inner_text()[:60]!r}"
        )


def open_device(page, name):
    """Open a device's detail page from the device list, as a user does."""
    page.goto(f"/dcim/devices/?name={name}")
    page.get_by_role("link", name=name, exact=True).first.click()
    expect(page.locator("h1", has_text=name)).to_be_visible()


def test_login_shows_the_home_page_coverage_panel(anonymous_page, live_nautobot, screenshot):
    page = anonymous_page
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/"))
    log_in(page, live_nautobot)
    expect(page).not_to_have_url(re.compile(r"/login/"))
    expect(page.locator("body")).to_contain_text(live_nautobot.username)
    coverage = panel(page, "Knowledge Coverage")
    expect(coverage).to_contain_text("29 technologies in use")
    for badge in ("1 Critical", "4 High", "6 Medium", "1 Low"):
        expect(coverage.get_by_text(badge, exact=True)).to_be_visible()
    expect(coverage.locator("li").nth(1)).to_contain_text(f"{SPOF_TECHNOLOGY}: single expert")
    assert_accessible(page, coverage)
    screenshot(page, "home-panel", element=coverage)
    check_narrow(page, screenshot, "home-panel", element=coverage)


def test_dashboard_charts_and_their_figures(page, screenshot):
    page.goto(DASHBOARD)
    tiles = panel(page, "Knowledge gaps")
    expect(tiles).to_contain_text("29")
    expect(tiles).to_contain_text("Gaps in total")
    for name in ("Gaps by kind and severity", "Bus factor of technologies in use"):
        chart = panel(page, name)
        expect(chart.locator("[role=img] canvas, [role=img] svg").first).to_be_visible()
        chart.get_by_text("Figures as a table").click()
        expect(chart.locator("details table")).to_be_visible()
    bus_factor = panel(page, "Bus factor of technologies in use").locator("details tbody tr")
    expect(bus_factor).to_have_count(4)
    counts = dict(row.split("\t") for row in bus_factor.all_inner_texts())
    assert counts["0"] == "2" and counts["1"] == "1", counts  # Kafka and Pure Storage; Cisco IOS-XE
    assert sum(int(value) for value in counts.values()) == 29
    kinds = panel(page, "Gaps by kind and severity").locator("details tbody tr")
    expect(kinds.filter(has_text="Single expert")).to_contain_text("High")
    worst = panel(page, "Worst gaps").locator("tbody tr").first
    expect(worst).to_contain_text(SPOF_TECHNOLOGY)
    expect(worst).to_contain_text("Single expert")
    expect(worst).to_contain_text("22 devices")
    expect(worst).to_contain_text(SPOF_EXPERT)
    expect(panel(page, "Truck factor")).to_contain_text("Removed in this order")
    assert_accessible(page)
    screenshot(page, "coverage-dashboard")
    check_narrow(page, screenshot, "coverage-dashboard")
    # At 800 px a gap's sentence wraps inside the panel instead of running off its right edge.
    page.goto(f"{DASHBOARD}?show=all#gaps")
    assert_column_readable(panel(page, "Worst gaps").locator("table"), "Detail")
    assert_accessible(page)


def test_skills_matrix_filtered_by_team(page, screenshot):
    page.goto(SKILLS_MATRIX)
    expect(page.locator(".techmgmt-matrix")).to_contain_text(SPOF_EXPERT)
    choose(page, "id_team", "Storage", "Storage & Backup")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"team=Storage"))
    experts = page.locator(".techmgmt-matrix tbody th")
    for name in ("Uma Reddy", "Victor Huang", "Wendy Clarke"):
        expect(experts.filter(has_text=name)).to_have_count(1)
    expect(experts.filter(has_text=SPOF_EXPERT)).to_have_count(0)
    ontap = page.locator(".techmgmt-matrix thead th").filter(has_text="NetApp ONTAP")
    expect(ontap).to_have_count(1)
    assert_accessible(page)
    screenshot(page, "skills-matrix")
    check_narrow(page, screenshot, "skills-matrix")


def test_technology_page_knowledge_panel(page, screenshot):
    page.goto(DASHBOARD)
    panel(page, "Worst gaps").get_by_role("link", name=SPOF_TECHNOLOGY, exact=True).first.click()
    expect(page.locator("h1", has_text=SPOF_TECHNOLOGY)).to_be_visible()
    knowledge = panel(page, "Knowledge")
    expect(knowledge).to_contain_text("1 of 2 required")
    expect(knowledge).to_contain_text(SPOF_EXPERT)
    expect(knowledge).to_contain_text("Single expert (high")
    expect(knowledge).to_contain_text("22 devices")
    assert_accessible(page)
    screenshot(page, "technology-knowledge")
    page.get_by_role("tab", name="Expertise").click()
    expect(page.get_by_role("columnheader", name="Counts towards bus factor")).to_be_visible()
    assert_accessible(page)


def test_expert_page_capacity_panel(page, screenshot):
    page.goto(DASHBOARD)
    panel(page, "Worst gaps").get_by_role("link", name=SPOF_EXPERT, exact=True).first.click()
    expect(page.locator("h1", has_text=SPOF_EXPERT)).to_be_visible()
    capacity = panel(page, "Capacity")
    # Dev Patel: 6 hours a week agreed with his line manager, 8 committed as primary support: 2 over.
    expect(capacity.locator("tr", has_text=re.compile("Agreed Hours"))).to_contain_text("6")
    expect(capacity.locator("tr", has_text=re.compile("^Committed Hours"))).to_contain_text("8")
    uncommitted = capacity.locator("tr", has_text=re.compile("Uncommitted Hours"))
    expect(uncommitted).to_contain_text("Over-committed")
    expect(uncommitted).to_contain_text("2.0 beyond the agreed hours")
    expect(capacity.locator("tr", has_text=re.compile("Allocated To"))).to_contain_text(SPOF_TECHNOLOGY)
    expect(panel(page, "Skills")).to_contain_text(SPOF_TECHNOLOGY)
    assert_accessible(page)
    screenshot(page, "expert-capacity")


def test_capacity_tabs_and_a_make_or_buy_page(page, screenshot):
    page.goto(CAPACITY)
    technologies = panel(page, "Technologies, worst first")
    rows = technologies.locator("tbody tr")
    expect(rows.first).to_be_visible()
    # Worst first: the first technology is short of hours or the most used; it has a recommendation.
    first = rows.first
    expect(first.locator("td").nth(4)).to_contain_text(re.compile("Short|Surplus"))
    worst = first.locator("td").first.get_by_role("link").first.inner_text()
    expect(panel(page, "How these figures are made").get_by_role("link", name=re.compile("user guide"))).to_be_visible()
    assert_accessible(page)
    screenshot(page, "capacity")
    page.set_viewport_size(NARROW)
    assert_fits(page)
    page.set_viewport_size(DESKTOP)

    page.get_by_role("link", name="Experts", exact=True).click()
    expect(page).to_have_url(re.compile(r"tab=experts"))
    # Dev Patel: 8 hours committed against 6 agreed.
    expert = panel(page, "Experts").locator("tbody tr").filter(has_text=SPOF_EXPERT)
    expect(expert).to_contain_text("Over-committed")
    expect(expert).to_contain_text(SPOF_TECHNOLOGY)
    assert_accessible(page)
    for tab, heading in (("Teams", "Teams"), ("Line managers", "Line managers")):
        page.get_by_role("link", name=tab, exact=True).click()
        expect(page.get_by_role("link", name=tab, exact=True)).to_have_attribute("aria-current", "page")
        expect(panel(page, heading).locator("tbody tr").first).to_be_visible()
        assert_accessible(page)

    page.get_by_role("link", name="Technologies", exact=True).click()
    panel(page, "Technologies, worst first").locator("tbody tr").first.locator("td").nth(5).get_by_role("link").click()
    expect(page.locator("h1", has_text=f"Make or Buy: {worst}")).to_be_visible()
    expect(panel(page, "Recommendation")).to_contain_text("Nothing is decided for you")
    expect(panel(page, "Options").locator("tbody tr").first).to_be_visible()
    expect(panel(page, "Demand and supply")).to_contain_text("h/week")
    assert_accessible(page)
    screenshot(page, "make-or-buy")


def test_device_page_technical_management_panel(page, screenshot):
    open_device(page, SPOF_DEVICE)
    technical = panel(page, "Technical management")
    row = technical.locator("tbody tr").filter(has_text=SPOF_TECHNOLOGY)
    expect(row).to_contain_text("Network Engineering")
    expect(row).to_contain_text(f"custodian team of technology {SPOF_TECHNOLOGY}")
    expect(row).to_contain_text(SPOF_EXPERT)
    expect(row).to_contain_text("Single expert")
    technical.scroll_into_view_if_needed()
    assert_accessible(page, technical)
    screenshot(page, "device-panel")
    check_narrow(page, screenshot, "device-panel")


def test_device_page_escalation_path_panel(page, screenshot):
    open_device(page, ESCALATION_DEVICE)
    paths = panel(page, "Escalation path and change assessors")
    rows = paths.locator("tbody").filter(has_text=SPOF_TECHNOLOGY).locator("tr")
    # The team, then the expert, then the vendor; each with a number to call.
    for number, texts in enumerate(
        (
            ("1. Primary support", "Network Engineering", "+44 20 7946 0200", "Qualified member", "role Router"),
            ("2. Escalation", SPOF_EXPERT, "+1 312 555 0134", "Qualified", "location Chicago Office"),
            ("3. Supplier contract", "SNTC-4471902", "Cisco Systems", "+1 408 555 0142", "24x7 support contract"),
            ("Change assessor", "Network Engineering"),
        )
    ):
        for text in texts:
            expect(rows.nth(number)).to_contain_text(text)
    paths.scroll_into_view_if_needed()
    assert_accessible(page, paths)
    screenshot(page, "escalation-path", element=paths)


def test_what_if_the_single_expert_leaves(page, screenshot):
    page.goto(WHAT_IF)
    choose(page, "id_experts", "Dev", SPOF_EXPERT)
    page.get_by_role("button", name="Show what would break").click()
    expect(page).to_have_url(re.compile(r"experts="))
    expect(panel(page, "Leaving")).to_contain_text(f"If {SPOF_EXPERT} left")
    changes = panel(page, "Bus factor changes").locator("tbody tr").filter(has_text=SPOF_TECHNOLOGY)
    expect(changes).to_contain_text("nobody left")
    # The Cisco contract would be all that is left: vendor only, not no expert.
    new_gaps = panel(page, "New gaps").locator("tbody tr")
    vendor_only = new_gaps.filter(has_text="Vendor only")
    expect(vendor_only).to_contain_text(SPOF_TECHNOLOGY)
    expect(vendor_only).to_contain_text("Low")
    expect(vendor_only).to_contain_text("22 devices")
    expect(new_gaps.filter(has_text="Unqualified escalation tier")).to_contain_text(SPOF_TECHNOLOGY)
    expect(new_gaps.filter(has_text="No expert")).to_have_count(0)
    expect(panel(page, "Gaps that disappear")).to_contain_text("Single expert")
    # What to do next: the change log's candidate for the technology Dev leaves behind.
    next_steps = panel(page, "What to do next").locator("tbody tr").filter(has_text=SPOF_TECHNOLOGY)
    expect(next_steps).to_contain_text(CANDIDATE_EXPERT[0])
    assert_accessible(page)
    screenshot(page, "what-if")
    check_narrow(page, screenshot, "what-if")


def test_skills_matrix_import_job(page, screenshot, tmp_path):
    skills_file = tmp_path / "skills.csv"
    skills_file.write_text(
        "email,technology,level,last_assessed,comments\n"
        "wendy.clarke@meridianfreight.example,NetApp ONTAP,3,,Shadowed Victor on the upgrade\n"
        "nobody@meridianfreight.example,NetApp ONTAP,3,,\n"
    )
    job_id = api_id(page, "extras/jobs", name="Skills matrix import")
    page.goto(f"/extras/jobs/{job_id}/run/")
    page.locator("#id_skills_file").set_input_files(skills_file)
    page.get_by_role("button", name="Run Job Now").click()
    expect(page).to_have_url(re.compile(r"/extras/job-results/"))
    summary = panel(page, "Summary of results")
    status = summary.locator("tr", has_text="Status").locator(".badge")
    for _ in range(JOB_SECONDS // 3):  # the Celery worker runs the Job; the result page shows it once done
        if status.inner_text().strip() in ("Completed", "Failed"):
            break
        page.wait_for_timeout(3000)
        page.reload()
    expect(status).to_have_text("Completed")
    expect(summary).to_contain_text('"created": 1')
    expect(summary).to_contain_text('"rejected": 1')
    logs = page.locator("body")
    expect(logs).to_contain_text("Line 2: created Wendy Clarke - NetApp ONTAP (3)")
    expect(logs).to_contain_text("Line 3 rejected: no expert has the e-mail")
    screenshot(page, "skills-import-result")


def test_effort_model_added_with_one_number_per_object_type(page, screenshot):
    """A network technology's effort model, added with one number; its page shows every value that applies and whence.

    Deleted again at the end, so the demo's capacity figures stay as they were.
    """

    def rows(endpoint, **query):
        response = page.request.get(
            f"/api/plugins/techmgmt/{endpoint}/", params={"limit": 0, **query}, headers={"Accept": "application/json"}
        )
        assert response.ok, response.text()
        return response.json()["results"]

    with_model = {row["technology"]["id"] for row in rows("effort-models", has_technology="true")}
    name = next(row["name"] for row in rows("technologies", category="network") if row["id"] not in with_model)
    page.goto("/plugins/techmgmt/effort-models/add/")
    expect(page.get_by_label("Hours per cloud service per month")).to_be_visible()
    choose(page, "id_technology", name, name)
    page.get_by_label("Hours per device per month").fill("0.5")
    assert_accessible(page)
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.locator("h1", has_text=f"Effort of {name}")).to_be_visible()
    effective = panel(page, "Effective effort")
    expect(effective.locator("tr", has_text="Hours per device per month")).to_contain_text("0.5 (set here)")
    expect(effective.locator("tr", has_text="Base hours per week")).to_contain_text("inherited from the")
    page.reload()  # without core's "Created" message, whose green is core's to fix
    assert_accessible(page)
    screenshot(page, "effort-model")
    detail_url = page.url
    page.goto(f"/plugins/techmgmt/effort-models/?technology={name}")
    expect(page.locator("tbody tr").filter(has_text=f"Effort of {name}")).to_contain_text("0.5 per device")
    page.goto(f"{detail_url}delete/")
    page.get_by_role("button", name="Confirm").click()
    assert name not in {row["technology"]["display"] for row in rows("effort-models", has_technology="true", depth=1)}


def test_candidate_expert_recorded_in_two_clicks(page, screenshot):
    """The demo's guru on the technology page with the evidence; Record skill, then Create: a recorded skill.

    Runs last: it records a skill (and deletes it again at the end, so the demo's figures stay as they were).
    """
    guru, technology = CANDIDATE_EXPERT
    page.goto(f"/plugins/techmgmt/technologies/{api_id(page, 'plugins/techmgmt/technologies', name=technology)}/")
    candidates = panel(page, "Candidate experts")
    row = candidates.locator("tbody tr").filter(has_text=guru)
    expect(row).to_contain_text("none")  # no recorded skill
    expect(row.get_by_role("link", name=re.compile("Change log"))).to_be_visible()
    fading_expert, fading_technology = FADING_SKILL
    candidates.scroll_into_view_if_needed()
    assert_accessible(page, candidates)
    screenshot(page, "candidate-experts", element=candidates)

    row.get_by_role("link", name=re.compile("Record skill")).click()  # first click: the form, filled in
    expect(page.locator("#id_expert")).to_contain_text(guru)
    expect(page.locator("#id_technology")).to_contain_text(technology)
    expect(page.locator("#id_comments")).to_have_value(re.compile("Candidate from the change log"))
    screenshot(page, "candidate-record-skill")
    page.get_by_role("button", name="Create", exact=True).click()  # second click: recorded
    expect(page.locator("h1", has_text=technology)).to_be_visible()
    expect(panel(page, "Candidate experts")).not_to_contain_text(guru)

    page.goto("/plugins/techmgmt/candidate-experts/")
    expect(panel(page, "Fading skills").locator("tbody tr").filter(has_text=fading_expert)).to_contain_text(
        fading_technology
    )
    assert_accessible(page)
    screenshot(page, "candidate-experts-page")

    skill_id = api_id(page, "plugins/techmgmt/skills", expert=guru, technology=technology)
    page.goto(f"/plugins/techmgmt/skills/{skill_id}/delete/")
    page.get_by_role("button", name="Confirm").click()
    page.goto(f"/plugins/techmgmt/technologies/{api_id(page, 'plugins/techmgmt/technologies', name=technology)}/")
    expect(panel(page, "Candidate experts")).to_contain_text(guru)
