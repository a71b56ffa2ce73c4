"""The app's REST API fuzzed against its own OpenAPI schema with schemathesis: no server error, nothing undocumented.

Every operation under /api/plugins/techmgmt/ is called in-process through Nautobot's WSGI application, with an API
token, on a database holding the demo estate, with input that fits the schema and input that does not. No answer
may be a 5xx, and every answer must match the documented body schema, content type and headers.
"""

import hypothesis
import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from nautobot.users.models import Token

from development.api_fuzzing import APP_PATHS, CHECKS
from nautobot_techmgmt.demo import load_demo
from tests.fixtures import seed_reference_data

# Bounded: a few cases per operation and mode keep the whole run within a few minutes; the same cases every run.
FUZZING = hypothesis.settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    suppress_health_check=list(hypothesis.HealthCheck),
)
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)


@pytest.fixture
def api_headers(transactional_db, django_user_model):  # pylint: disable=unused-argument
    """Headers of an API client authenticated as a superuser."""
    user = django_user_model.objects.create_user(username="fuzzer", is_superuser=True, is_staff=True)
    return {"Authorization": f"Token {Token.objects.create(user=user).key}", "Accept": "application/json"}


@pytest.fixture
def api_schema(api_headers):
    """The app's part of the OpenAPI schema, as the running application serves it, over the demo estate.

    The database commits every request as a server does (no test transaction around them), so a request that
    fails in the database cannot spoil the ones after it.
    """
    seed_reference_data()
    load_demo()
    cache.clear()  # Nautobot caches the generated schema for a week; this run must see the current code's.
    schema = schemathesis.openapi.from_wsgi("/api/swagger.json", get_wsgi_application(), headers=api_headers)
    return schema.include(path_regex=APP_PATHS)


def fuzz(operation, mode, headers, tally):
    """Call one operation with generated cases of one mode; return what the checks found, one line per kind."""
    found = {}

    @FUZZING
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def call(case):
        tally["cases"] += 1
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except* AssertionError as failures:
            for failure in failures.exceptions:
                title = getattr(failure, "title", type(failure).__name__)
                answer = f"HTTP {response.status_code}: {response.text_lossy()[:500]}"
                found.setdefault(title, f"{title}: {failure}\n{case.as_curl_command(headers)}\n{answer}"[:3000])

    call()
    return list(found.values())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("database_put_back")
def test_every_operation_answers_without_server_error_and_as_documented(api_schema, api_headers):
    tally = {"operations": 0, "cases": 0}
    problems = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        tally["operations"] += 1
        for mode in MODES:
            problems += fuzz(operation, mode, api_headers, tally)
    print(f"schemathesis: {tally['operations']} operations, {tally['cases']} cases, {len(problems)} problems")
    assert tally["operations"] > 100
    assert not problems, "\n\n".join(problems)
