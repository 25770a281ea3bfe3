"""Luwu Utara's approved demo plan (the masterplan demo data) for the monitoring tests."""

from __future__ import annotations

from typing import Any

import pytest

from kotacerdas.masterplan.demo import seed_plans
from kotacerdas.masterplan.models import Initiative


@pytest.fixture
def plan_initiatives(users: dict[str, Any]) -> list[Initiative]:
    """The approved Luwu Utara plan's initiatives, first year first (2023–2024 water-level stations first)."""
    seed_plans()
    return list(Initiative.objects.filter(plan__region_id="73.22").order_by("start_year", "pk"))


@pytest.fixture
def stations(plan_initiatives: list[Initiative]) -> Initiative:
    """Stasiun pemantau muka air (2023–2024, budget 1.2 bn APBD 2023 and 0.8 bn DAK 2024)."""
    return next(i for i in plan_initiatives if i.title.startswith("Stasiun pemantau"))


@pytest.fixture
def client_as(users: dict[str, Any]) -> Any:
    """Like the shared fixture, but asking for English (the product's default is Bahasa Indonesia)."""
    from django.test import Client

    def make(key: str | None) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if key:
            client.force_login(users[key])
        return client

    return make
