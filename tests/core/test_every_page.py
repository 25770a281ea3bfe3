"""A safety net: every URL pattern, filled in from the demo data, as every role, answers without a 5xx.

Patterns with arguments get real values (a region, a cohort year, a plan, …); a new pattern whose argument is
not known here makes the test fail, so the net grows with the product.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import get_resolver

from tests.core.conftest import fill_route, url_patterns

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", [None, "partner", "officer_a", "national_reviewer", "national_admin"])
def test_no_page_fails(client_as: Any, demo_values: dict[str, str], who: str | None) -> None:
    client = client_as(who)
    failures = []
    visited = 0
    for route, _pattern in url_patterns(get_resolver()):
        try:
            url = fill_route(route, demo_values)
        except (KeyError, LookupError):
            failures.append(f"{route}: no demo value for its arguments (add one to this test)")
            continue
        if url is None or url.endswith((".pdf", ".docx")):
            continue
        status = client.get(url).status_code
        visited += 1
        if status >= 500:
            failures.append(f"GET {url} as {who or 'public'}: {status}")
    assert not failures, "\n".join(failures)
    assert visited >= 60, f"only {visited} URLs visited: the net lost its patterns"
