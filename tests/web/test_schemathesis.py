"""Property-based requests generated from the OpenAPI schema (schemathesis): no input
makes the server fail (no 5xx), and every response matches the schema's status codes."""
import hypothesis
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error

from gwrkit.web.app import create_app

CASES = {"total": 0, "server_errors": 0}


@pytest.fixture(scope="module")
def api_schema(web_db):
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(web_db))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@hypothesis.settings(max_examples=40, deadline=None, derandomize=True,
                     suppress_health_check=list(hypothesis.HealthCheck))
def test_no_request_makes_the_server_fail(case):
    CASES["total"] += 1
    response = case.call()
    if response.status_code >= 500:
        CASES["server_errors"] += 1
    case.validate_response(response, checks=[not_a_server_error])


def test_cases_were_run():
    print(f"schemathesis: {CASES['total']} cases, {CASES['server_errors']} server errors")
    assert CASES["total"] >= 100 and CASES["server_errors"] == 0
