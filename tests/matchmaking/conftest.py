"""English answers for the assertions (the default language is Bahasa Indonesia), and a proposal ready to
publish with a verified partner: the matchmaking demo data."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.masterplan.demo import seed_plans
from kotacerdas.masterplan.models import Initiative
from kotacerdas.matchmaking import services
from kotacerdas.matchmaking.demo import DEMO_COMPANY, FLOOD_PROPOSAL
from kotacerdas.matchmaking.models import Partner, Proposal
from tests.monitoring.conftest import client_as  # noqa: F401

PDF = b"%PDF-1.4\n% kotacerdas test\n"


def post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def pdf(name: str = "pfs.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


@pytest.fixture
def stations(users: dict[str, Any]) -> Initiative:
    seed_plans()
    return Initiative.objects.get(plan__region_id="73.22", title__startswith="Stasiun pemantau")


@pytest.fixture
def proposal_body(stations: Initiative) -> dict[str, Any]:
    return {"region": "73.22", "initiatives": [stations.pk], **FLOOD_PROPOSAL}


@pytest.fixture
def published(users: dict[str, Any], stations: Initiative) -> Proposal:
    """Luwu Utara's flood-sensor proposal, published."""
    proposal = services.create_proposal(users["officer_a"], "73.22", FLOOD_PROPOSAL, [stations.pk])
    return services.publish(users["national_reviewer"], proposal)


@pytest.fixture
def company(users: dict[str, Any]) -> Partner:
    """The partner account's company, verified."""
    partner = services.register_partner(users["partner"], DEMO_COMPANY)
    return services.verify_partner(users["national_admin"], partner)


@pytest.fixture
def rival(make_user: Any, users: dict[str, Any]) -> Partner:
    """A second verified company (another partner account)."""
    user = make_user("partner", username="partner-rival")
    partner = services.register_partner(user, {**DEMO_COMPANY, "name": "PT Saingan", "nib": "9120009999999"})
    return services.verify_partner(users["national_admin"], partner)
