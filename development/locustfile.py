"""Locust users for `./run loadtest`: the knowledge REST API and a device page with the Technical management panel.

Each user has two HTTP sessions, as the clients of a real estate do: a browser session logged in through the login
form (for the page) and an API client that sends a token (for the REST calls; a session cookie would make Nautobot
ask it for a CSRF token on POST). It makes the requests of the mix one after another, in random order, without
pause. Any answer other than 200, or a device page without the panel, counts as a failure; Locust then exits with 1.

`development/loadtest.py` (what `./run loadtest` runs) prepares the user and the ids and starts Locust with them in
the environment: LOADTEST_USERNAME, LOADTEST_PASSWORD, LOADTEST_TOKEN, LOADTEST_DEVICE (a device id) and
LOADTEST_EXPERTS (comma-separated expert ids for the what-if).
"""

import os
import re

from locust import HttpUser, constant, task
from locust.clients import HttpSession

API = "/api/plugins/techmgmt"
# The Technical management panel on a detail page.
PANEL_MARKER = 'id="technical-management"'
REQUEST_TIMEOUT = 300


class KnowledgeUser(HttpUser):
    """One client: an API client with a token (`client`) and a logged-in browser session (`browser`)."""

    # As many requests as the server answers: the load is bounded by the number of users, not by think time.
    wait_time = constant(0)

    def on_start(self):
        """Log the browser session in through the login form; give the API client its token."""
        # Locust creates the users and calls on_start before any task: per-user state is set here, not in __init__.
        # pylint: disable=attribute-defined-outside-init
        self.browser = HttpSession(base_url=self.host, request_event=self.environment.events.request, user=self)
        page = self.browser.get("/login/", name="login", timeout=REQUEST_TIMEOUT)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if not csrf:
            raise RuntimeError("No CSRF token on the login page.")
        self.browser.post(
            "/login/",
            name="login",
            data={
                "csrfmiddlewaretoken": csrf.group(1),
                "username": os.environ["LOADTEST_USERNAME"],
                "password": os.environ["LOADTEST_PASSWORD"],
                "next": "/",
            },
            headers={"Referer": f"{self.host}/login/"},
            timeout=REQUEST_TIMEOUT,
        )
        self.api_headers = {"Authorization": f"Token {os.environ['LOADTEST_TOKEN']}", "Accept": "application/json"}
        self.device = os.environ["LOADTEST_DEVICE"]
        self.experts = os.environ["LOADTEST_EXPERTS"].split(",")

    def api_get(self, path, name):
        """GET a REST endpoint with the token."""
        self.client.get(f"{API}/{path}", name=name, headers=self.api_headers, timeout=REQUEST_TIMEOUT)

    @task
    def coverage_of_technologies(self):
        """Coverage of every technology."""
        self.api_get("coverage/technologies/", "coverage/technologies/")

    @task
    def gaps(self):
        """Every knowledge gap."""
        self.api_get("gaps/", "gaps/")

    @task
    def what_if(self):
        """What breaks if two active experts leave."""
        self.client.post(
            f"{API}/what-if/",
            name="what-if/",
            json={"experts": self.experts},
            headers=self.api_headers,
            timeout=REQUEST_TIMEOUT,
        )

    @task
    def truck_factor(self):
        """The truck factor."""
        self.api_get("truck-factor/", "truck-factor/")

    @task
    def coverage_of_a_device(self):
        """One device's technologies, custodians and gaps."""
        self.api_get(f"coverage/objects/dcim.device/{self.device}/", "coverage/objects/dcim.device/<id>/")

    @task
    def device_page(self):
        """The device's page, which must carry the Technical management panel (the HTML only, not its assets)."""
        with self.browser.get(
            f"/dcim/devices/{self.device}/", name="device page with panel", catch_response=True, timeout=REQUEST_TIMEOUT
        ) as answer:
            if answer.ok and PANEL_MARKER not in answer.text:
                answer.failure("page without the Technical management panel")
