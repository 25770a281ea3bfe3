"""The six pillars: seeded by migration, listed on a page and in the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kotacerdas.pillars.data import PILLARS
from kotacerdas.pillars.models import Element, Pillar

pytestmark = pytest.mark.django_db


def test_six_pillars_with_three_elements_each() -> None:
    assert list(Pillar.objects.values_list("key", flat=True)) == [
        "governance",
        "branding",
        "economy",
        "society",
        "living",
        "environment",
    ]
    assert Element.objects.count() == 18
    living = Pillar.objects.get(key="living")
    assert [e.name_id for e in living.elements.all()] == [
        "Harmonisasi tata wilayah",
        "Kesehatan",
        "Transportasi",
    ]


def test_api_lists_pillars(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(3):
        body = client.get("/api/pillars").json()
    assert body["count"] == 6
    assert body["items"][5]["key"] == "environment"
    assert [e["key"] for e in body["items"][5]["elements"]] == ["protection", "waste", "energy"]


def test_page_follows_the_language(client: Client) -> None:
    body = client.get("/pillars/").content.decode()
    assert "Pelayanan publik" in body and body.count('data-testid="pillar"') == 6
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Public service" in client.get("/pillars/").content.decode()


def test_seed_data_matches_the_methodology() -> None:
    assert len(PILLARS) == 6 and all(len(p[6]) == 3 for p in PILLARS)
