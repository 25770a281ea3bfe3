"""Schema fuzzing of /api/ with schemathesis: every operation of /api/openapi.json gets generated requests
(as a national admin, who passes the most permission checks, and as the public) on the demo data; no
answer may be a server error or break the schema the operation documents.

One test walks every operation (the demo data is seeded once); each failure is collected with the request
that caused it, so one run lists them all. Repeatable unless widened (tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from ..conftest import FUZZ_SCALE

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """Requests go through the WSGI application, whose request signals would close the database
    connection of the test's transaction; Django's own test client disconnects them the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _fuzz(headers: dict[str, str], examples: int) -> list[str]:
    examples *= FUZZ_SCALE
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=examples,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            with transaction.atomic():  # each request its own transaction, as in production
                case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # collected and reported below, with the operation
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:1500]}")
    assert operations > 80
    return failures


def test_api_as_national_admin(demo_values: dict[str, str], api_token: Any) -> None:
    failures = _fuzz({"Authorization": f"Bearer {api_token('national_admin')}"}, examples=10)
    assert not failures, "\n\n".join(failures)


def test_api_as_the_public(demo_values: dict[str, str]) -> None:
    failures = _fuzz({}, examples=4)
    assert not failures, "\n\n".join(failures)
