"""What the benchmark measures: the app's knowledge surfaces, each next to the core page or query it extends."""

import html
import json
import tracemalloc
from collections import Counter
from contextlib import contextmanager
from functools import cached_property

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.urls import reverse
from nautobot.apps.utils import get_table_for_model, get_view_for_model
from nautobot.dcim.models import Device
from nautobot.extras.models import Note, ObjectChange
from nautobot.extras.registry import registry
from nautobot.users.models import Token

from development.benchmark.measure import Measurement, MeasurementError
from nautobot_techmgmt.answers import Answers
from nautobot_techmgmt.candidates import History
from nautobot_techmgmt.capacity import CapacityAnswers
from nautobot_techmgmt.knowledge import Knowledge, activity
from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge
from nautobot_techmgmt.models import ObjectKnowledge, Skill, Technology, TechnologyActivity

APP = "nautobot_techmgmt"
APP_COLUMNS = ("nautobot_techmgmt_custodian_team", "nautobot_techmgmt_knowledge_risk")
APP_COLUMN_HEADERS = ("Custodian team", "Knowledge risk")
API = "plugins-api:nautobot_techmgmt-api"
USERNAME = "benchmark"
CORE_FIELDS = "name status { name } role { name } location { name } platform { name }"
KNOWLEDGE_FIELDS = (
    "techmgmt_knowledge { technology { name } custodian_team { name } custodian_source gaps severity risk }"
)
# What GraphQL costs per value it answers: the app's rows with every answer, against the devices alone.
VALUES_FIELDS = (
    "name techmgmt_knowledge { technology { name } custodian_team { name } custodian_source bus_factor gaps severity"
    " risk }"
)
VALUES_CORE_FIELDS = "name"
WHAT_IF_EXPERTS = 5
# Devices of the change whose assessors are asked for.
ASSESSED_DEVICES = 1000
PANEL_TITLE = "TECHNICAL MANAGEMENT"  # the panel's heading as rendered (the app's menu says "Technical Management")
DASHBOARD = "plugins:nautobot_techmgmt:coverage_dashboard"
# The capacity page (its default tab, technologies) and REST, by URL name.
CAPACITY_PAGE = "plugins:nautobot_techmgmt:capacity"
CAPACITY_REST = f"{API}:capacity-technologies"


class Session:
    """A superuser talking to Nautobot in-process: the UI through a logged-in session, the APIs with a token."""

    def __init__(self):
        """Get or create the benchmark superuser and its API token; allow the test client's host."""
        if "*" not in settings.ALLOWED_HOSTS and "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS.append("testserver")
        self.user, _ = get_user_model().objects.get_or_create(
            username=USERNAME, defaults={"is_superuser": True, "is_staff": True}
        )
        token = Token.objects.filter(user=self.user).first() or Token.objects.create(user=self.user)
        self.api_headers = {"HTTP_AUTHORIZATION": f"Token {token.key}", "HTTP_ACCEPT": "application/json"}
        self.client = Client()
        self.client.force_login(self.user)

    def page(self, url, must_contain=(), must_not_contain=(), htmx=False):
        """GET a UI page (or, with `htmx`, the part a page loads by HTMX); check status 200 and its HTML."""
        content = _checked(self.client.get(url, **({"HTTP_HX_REQUEST": "true"} if htmx else {})), url).decode()
        for text in must_contain:
            if text not in content:
                raise MeasurementError(f"{url}: the page does not contain {text!r}")
        for text in must_not_contain:
            if text in content:
                raise MeasurementError(f"{url}: the page contains {text!r}")
        return content

    def api_get(self, url):
        """GET a REST endpoint with the token; check status 200; return the decoded JSON."""
        return json.loads(_checked(self.client.get(url, **self.api_headers), url))

    def api_post(self, url, body):
        """POST JSON with the token; check status 200; return the decoded JSON."""
        response = self.client.post(url, data=json.dumps(body), content_type="application/json", **self.api_headers)
        return json.loads(_checked(response, url))

    def graphql(self, query):
        """Run a GraphQL query; check status 200 and that it reports no errors; return its data."""
        body = self.api_post(reverse("graphql-api"), {"query": query})
        if body.get("errors"):
            raise MeasurementError(f"GraphQL errors: {body['errors']}")
        return body["data"]


def _checked(response, url):
    if response.status_code != 200:
        raise MeasurementError(f"{url} answered HTTP {response.status_code}: {response.content[:300]!r}")
    return response.content


@contextmanager
def app_off_on_device_views():
    """Take the app out of the Device views for a while: its detail panel and the prefetch its columns add."""
    extensions = registry["plugin_template_extensions"]["dcim.device"]
    ours = [extension for extension in extensions if extension.__module__.split(".")[0] == APP]
    view = get_view_for_model("dcim.device", view_type="List")
    queryset = view.queryset
    core_prefetches = [
        lookup
        # Django has no public accessor for a queryset's prefetch lookups.
        for lookup in queryset._prefetch_related_lookups  # pylint: disable=protected-access
        if getattr(lookup, "prefetch_through", lookup).split("__")[0] != "techmgmt_knowledge"
    ]
    for extension in ours:
        extensions.remove(extension)
    view.queryset = queryset.prefetch_related(None).prefetch_related(*core_prefetches)
    try:
        yield
    finally:
        view.queryset = queryset
        extensions.extend(ours)


@contextmanager
def device_table_columns(user, columns):
    """Show these columns in the user's Device list for a while (the user config the table's Configure sets)."""
    key = f"tables.{get_table_for_model('dcim.device').__name__}.columns"
    user.set_config(key, list(columns), commit=True)
    try:
        yield
    finally:
        user.clear_config(key, commit=True)


@contextmanager
def core_device_list(user, columns):
    """The Device list as core has it: only core columns shown and no prefetch added by the app."""
    with device_table_columns(user, columns), app_off_on_device_views():
        yield


def heaviest_device():
    """The device with the most technologies in use (ties by name): the fullest "Technical management" panel."""
    row = (
        ObjectKnowledge.objects.filter(device__isnull=False)
        .values("device", "device__name")
        .annotate(technologies=Count("id"))
        .order_by("-technologies", "device__name")
        .first()
    )
    return Device.objects.get(pk=row["device"]) if row else Device.objects.order_by("name").first()


def leading_experts(number=WHAT_IF_EXPERTS):
    """Active experts with the most skills at level 4 or 5: the departures that hurt most."""
    rows = (
        Skill.objects.filter(level__gte=4, expert__status__name="Active")
        .values("expert", "expert__contact__name")
        .annotate(strong=Count("id"))
        .order_by("-strong", "expert__contact__name")[:number]
    )
    return [str(row["expert"]) for row in rows]


def coverage_from_engine():
    """What the coverage endpoint asks the engine, from a fresh Knowledge: one row per technology."""
    knowledge = Knowledge()
    return [
        (
            knowledge.in_use.get(pk),
            knowledge.bus_factor(pk),
            knowledge.qualified_experts(pk),
            knowledge.gaps_of(pk),
            knowledge.risk.get(pk, 0),
        )
        for pk in knowledge.technologies
    ]


def leaf_values(answer):
    """The number of values in a JSON answer: every scalar (null included), an empty list counting as one."""
    if isinstance(answer, dict):
        return sum(leaf_values(value) for value in answer.values())
    if isinstance(answer, list):
        return sum(leaf_values(value) for value in answer) or 1
    return 1


def full_rebuild_details(counts):
    """The rows a rebuild wrote and removed (what `rebuild_knowledge` returns)."""
    return {"rows": counts["created"], "deleted": counts["deleted"]}


def compute_activity():
    """What the activity Job does: the whole change log and notes of the window into activity per person."""
    return activity.compute_activity()


def activity_details(counts):
    """The rows the activity Job wrote and read, and its peak Python memory in one more run, traced.

    The peak is taken outside the measured runs: tracing slows every allocation, and the measured runs keep the text of
    every SQL statement (to count them), which the Job in a worker does not.
    """
    start = activity.window_start()
    tracemalloc.start()
    try:
        compute_activity()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return {
        "rows": counts["rows"],
        "people": counts["people"],
        "changes_in_window": ObjectChange.objects.filter(time__gte=start).count(),
        "notes_in_window": Note.objects.filter(created__gte=start).count(),
        "peak_python_mb": round(peak / 2**20, 1),
    }


@contextmanager
def candidate_experts_off():
    """The app's setting `candidate_experts_enabled` False for a while, the rest of its configuration kept."""
    config = {**settings.PLUGINS_CONFIG}
    config[APP] = {**config.get(APP, {}), "candidate_experts_enabled": False}
    with override_settings(PLUGINS_CONFIG=config):
        yield


def candidate_technology(user):
    """The technology with the most candidate experts (ties by name), from the activity (computed first if none)."""
    if not TechnologyActivity.objects.exists():
        activity.compute_activity()
    per_technology = Counter(item.technology.pk for item in History(Answers(user)).candidates())
    if not per_technology:
        return Technology.objects.order_by("name").first()
    return min(Technology.objects.filter(pk__in=per_technology), key=lambda t: (-per_technology[t.pk], t.name))


def worst_capacity_technology(user):
    """The name of the technology the capacity page lists first (worst first), as its HTML shows it."""
    rows = CapacityAnswers(Answers(user)).technologies()
    return html.escape(rows[0].technology.name) if rows else None


def devices_per_platform():
    """The floor: one plain SQL statement over the device table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT platform_id, COUNT(*) FROM dcim_device GROUP BY platform_id")
        return cursor.fetchall()


class Subjects:
    """What the measurements point at, chosen when first needed: after the rebuild, from fresh rows."""

    def __init__(self, user):
        """The user the pages are read as (candidates are what that user may see)."""
        self.user = user

    @cached_property
    def device(self):
        """The device whose page is measured."""
        return heaviest_device()

    @cached_property
    def experts(self):
        """Ids of the experts who leave in the what-if."""
        return leading_experts()

    @cached_property
    def change(self):
        """The objects of a change whose assessors are asked for: 1000 devices, as the REST body lists them."""
        ids = Device.objects.order_by("name").values_list("pk", flat=True)[:ASSESSED_DEVICES]
        return [{"object_type": "dcim.device", "id": str(pk)} for pk in ids]

    @cached_property
    def technology(self):
        """The technology whose page is measured with and without candidate experts."""
        return candidate_technology(self.user)

    @cached_property
    def candidate_names(self):
        """The names of that technology's candidate experts as the user sees them: all, and those with no skill.

        Those with no skill in the technology are named on its page by the candidates panel alone (a lower skill is
        listed with its expert on the page).
        """
        candidates = History(Answers(self.user)).candidates(technologies=[self.technology.pk])
        return {
            "all": {item.person_name for item in candidates},
            "unrecorded": {item.person_name for item in candidates if item.skill_level is None},
        }

    def choose_technology(self):
        """Choose the technology and its candidates now (they depend on the feature being on); return both."""
        return self.technology, self.candidate_names

    @cached_property
    def capacity_first(self):
        """The name of the technology the capacity page lists first, as in its HTML (None: nothing in use)."""
        return worst_capacity_technology(self.user)

    @cached_property
    def device_count(self):
        """Number of devices a 1000-device GraphQL query returns at most."""
        return Device.objects.count()


def measurements(session):
    """Every measurement of reads, the full rebuild first: the others read the rows it writes."""
    subjects = Subjects(session.user)
    table = get_table_for_model("dcim.device")
    core_columns = [name for name in table.Meta.default_columns if name not in APP_COLUMNS]
    list_url = reverse("dcim:device_list") + "?per_page=50"

    def device_page(**checks):
        return lambda: session.page(subjects.device.get_absolute_url(), **checks)

    def technology_page():
        return session.page(subjects.technology.get_absolute_url())

    def feature_off():
        subjects.choose_technology()  # with the feature on: both pages are of the same technology
        return candidate_experts_off()

    def candidates_shown(page):
        # Informative, not a check: how many candidates without a skill in the technology its page names.
        names = subjects.candidate_names
        shown = sum(name in page for name in names["unrecorded"])
        return {"candidates": len(names["all"]), "without_skill": len(names["unrecorded"]), "names_shown": shown}

    def graphql_devices(limit, fields):
        def call():
            devices = session.graphql(f"{{ devices(limit: {limit}) {{ {fields} }} }}")["devices"]
            expected = min(limit, subjects.device_count)
            if len(devices) != expected:
                raise MeasurementError(f"GraphQL returned {len(devices)} devices, not {expected}")
            return devices

        return call

    def graphql_values(limit, fields):
        return Measurement(
            f"graphql values {limit} devices" + ("" if fields == VALUES_FIELDS else " core"),
            graphql_devices(limit, fields),
            details=lambda devices: {"values": leaf_values(devices)},
        )

    def device_list(shown):
        def call():
            # The list page is a frame; its table arrives by an HTMX request: that request lists the devices.
            head = session.page(list_url, htmx=True).split("<tbody")[0].split("<thead")[-1]
            if all(header in head for header in APP_COLUMN_HEADERS) != shown:
                raise MeasurementError(f"the app's columns are {'missing' if shown else 'shown'} on {list_url}")

        return call

    return [
        Measurement(
            "full rebuild",
            rebuild_knowledge,
            warm=False,
            max_runs=3,
            runs_when_slow=1,
            details=full_rebuild_details,
            aliases=("refresh object knowledge",),
        ),
        Measurement("coverage REST", lambda: session.api_get(reverse(f"{API}:coverage-technologies"))),
        Measurement("coverage engine", coverage_from_engine),
        Measurement("gaps REST", lambda: session.api_get(reverse(f"{API}:gaps"))),
        Measurement("device page", device_page(must_contain=[PANEL_TITLE])),
        Measurement("device page core", device_page(must_not_contain=[PANEL_TITLE]), setup=app_off_on_device_views),
        Measurement(
            "device list",
            device_list(shown=True),
            setup=lambda: device_table_columns(session.user, [*core_columns, *APP_COLUMNS]),
        ),
        Measurement(
            "device list columns hidden",
            device_list(shown=False),
            setup=lambda: device_table_columns(session.user, core_columns),
        ),
        Measurement(
            "device list core",
            device_list(shown=False),
            setup=lambda: core_device_list(session.user, core_columns),
        ),
        Measurement("graphql 1000 devices", graphql_devices(1000, f"{CORE_FIELDS} {KNOWLEDGE_FIELDS}")),
        Measurement("graphql 1000 devices core", graphql_devices(1000, CORE_FIELDS)),
        Measurement("graphql 100 devices", graphql_devices(100, f"{CORE_FIELDS} {KNOWLEDGE_FIELDS}")),
        graphql_values(1000, VALUES_FIELDS),
        graphql_values(1000, VALUES_CORE_FIELDS),
        graphql_values(100, VALUES_FIELDS),
        graphql_values(100, VALUES_CORE_FIELDS),
        Measurement("what-if REST", lambda: session.api_post(reverse(f"{API}:what-if"), {"experts": subjects.experts})),
        Measurement(
            f"assessors REST {ASSESSED_DEVICES} devices",
            lambda: session.api_post(reverse(f"{API}:assessors"), {"objects": subjects.change}),
        ),
        Measurement(
            f"assessors REST {ASSESSED_DEVICES // 10} devices",
            lambda: session.api_post(
                reverse(f"{API}:assessors"), {"objects": subjects.change[: ASSESSED_DEVICES // 10]}
            ),
        ),
        Measurement("truck factor REST", lambda: session.api_get(reverse(f"{API}:truck-factor"))),
        Measurement(
            "activity Job",
            compute_activity,
            warm=False,
            max_runs=3,
            runs_when_slow=1,
            details=activity_details,
        ),
        Measurement("technology page with candidates", technology_page, details=candidates_shown),
        Measurement("technology page, feature off", technology_page, setup=feature_off, details=candidates_shown),
        Measurement("coverage dashboard", lambda: session.page(reverse(DASHBOARD))),
        *capacity_measurements(session, subjects),
        Measurement("floor SQL", devices_per_platform),
    ]


def capacity_measurements(session, subjects):
    """The capacity page (next to the coverage dashboard) and its REST (next to the coverage REST)."""

    def first_shown(page):
        # Informative, not a check: whether the page as served holds its first row (a table loaded later does not).
        return {"first_technology_shown": subjects.capacity_first is not None and subjects.capacity_first in page}

    return [
        Measurement("capacity page", lambda: session.page(reverse(CAPACITY_PAGE)), details=first_shown),
        Measurement("capacity REST", lambda: session.api_get(reverse(CAPACITY_REST))),
    ]
