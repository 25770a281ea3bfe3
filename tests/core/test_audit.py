"""The audit log: changes are recorded with who/before/after, and only national admins read it."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client

from kotacerdas.core import audit
from tests.matchmaking.test_api import PARTNER

pytestmark = pytest.mark.django_db


def test_a_profile_edit_is_recorded_with_actor_and_values(client_as: Any, users: dict[str, Any]) -> None:
    client = client_as("national_admin")
    client.post("/regions/73.22/profile/", {"metric": "ipm", "year": "2023", "value": "70", "source": "BPS"})
    client.post("/regions/73.22/profile/", {"metric": "ipm", "year": "2023", "value": "71", "source": "BPS"})
    entries = list(audit.entries(model="regions.profilefact"))
    assert [e.action for e in entries] == [LogEntry.Action.UPDATE, LogEntry.Action.CREATE]
    assert all(e.actor == users["national_admin"] for e in entries)
    before, after = entries[0].changes_dict["value_number"]
    assert (float(before), float(after)) == (70.0, 71.0)


def test_audit_filters_by_user(users: dict[str, Any]) -> None:
    from auditlog.context import set_actor

    from kotacerdas.regions.models import Region

    with set_actor(users["national_admin"]):
        region = Region.objects.get(code="73.22")
        region.latitude = -2.5
        region.save()
    assert audit.entries(actor_id=users["national_admin"].pk, object_pk="73.22").count() == 1
    assert audit.entries(actor_id=users["partner"].pk).count() == 0


@pytest.mark.parametrize(
    ("who", "status"), [("national_admin", 200), ("national_reviewer", 403), ("officer_a", 403), (None, 302)]
)
def test_audit_page_permission(client_as: Any, who: str | None, status: int) -> None:
    assert client_as(who).get("/audit/").status_code == status


def test_audit_page_shows_changes(client_as: Any) -> None:
    client = client_as("national_admin")
    client.post("/regions/73.22/profile/", {"metric": "ipm", "year": "2023", "value": "70", "source": "BPS"})
    body = client.get("/audit/?model=regions.profilefact").content.decode()
    assert "value_number" in body and "70" in body


def test_audit_api_is_the_pages_twin(client_as: Any, api_token: Any) -> None:
    from django.test import Client

    client_as("national_admin").post(
        "/regions/73.22/profile/", {"metric": "ipm", "year": "2023", "value": "70", "source": "BPS"}
    )
    token = api_token("national_admin")
    body = Client().get("/api/audit?model=regions.profilefact", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert body["count"] == 1
    entry = body["items"][0]
    assert entry["action"] == "create" and entry["model"] == "regions.profilefact"
    assert entry["actor"].startswith("national_admin")
    assert entry["changes"]["value_number"]["after"] == "70"


@pytest.mark.parametrize(("who", "status"), [("officer_a", 403), ("partner", 403)])
def test_audit_api_denied(api_token: Any, who: str, status: int) -> None:
    from django.test import Client

    response = Client().get("/api/audit", HTTP_AUTHORIZATION=f"Bearer {api_token(who)}")
    assert response.status_code == status
    assert Client().get("/api/audit").status_code == 401
    assert Client().get("/api/audit?model=bad").status_code == 400


def _models_changed_by(user: Any) -> set[str]:
    return {f"{e.content_type.app_label}.{e.content_type.model}" for e in audit.entries(actor_id=user.pk)}


def test_an_edit_by_each_role_appears_with_its_actor(
    client_as: Any, users: dict[str, Any], api_token: Any
) -> None:
    """Program objects (a progress report, its verification, a partner's registration) and platform objects
    (a service group and device, an NGSI-LD entity written below the ORM), each by the role allowed."""
    import json

    from kotacerdas.masterplan.demo import seed_plans
    from kotacerdas.masterplan.models import Initiative

    def post(client: Any, url: str, body: Any, **headers: str) -> Any:
        response = client.post(url, json.dumps(body), content_type="application/json", headers=headers)
        assert response.status_code in (200, 201, 204), (url, response.content)
        return response

    seed_plans()
    initiative = Initiative.objects.filter(plan__region_id="73.22").order_by("start_year", "pk").first()
    report = {"percent": 40, "status": "on_track", "narrative": "Terpasang.", "reported_on": "2024-06-30"}
    officer = client_as("officer_a")
    created = post(officer, f"/api/monitoring/initiatives/{initiative.pk}/reports", report).json()
    post(client_as("national_reviewer"), f"/api/monitoring/reports/{created['id']}/verify", {"note": "ok"})
    post(client_as("partner"), "/api/partners", PARTNER)
    token = api_token("officer_a")
    group = {"services": [{"apikey": "audit-key", "entity_type": "FloodMonitoring", "resource": "/iot/d"}]}
    post(Client(), "/iot/services", group, Authorization=f"Bearer {token}", **{"Fiware-Service": "73.22"})
    entity = {
        "id": "urn:ngsi-ld:Building:audit-1",
        "type": "Building",
        "name": {"type": "Property", "value": "x"},
    }
    post(Client(), "/ngsi-ld/v1/entities", entity, Authorization=f"Bearer {api_token('national_admin')}")

    assert {"monitoring.progressreport", "devices.servicegroup"} <= _models_changed_by(users["officer_a"])
    assert "monitoring.progressreport" in _models_changed_by(users["national_reviewer"])
    assert "matchmaking.partner" in _models_changed_by(users["partner"])
    assert "context.entity" in _models_changed_by(users["national_admin"])
    written = audit.entries(model="context.entity").get()
    assert written.changes_dict["request"][1] == "POST /ngsi-ld/v1/entities"
    assert written.action == LogEntry.Action.CREATE
    group_entry = audit.entries(model="devices.servicegroup").get()
    assert "apikey" not in group_entry.changes_dict  # the device key is a secret: never in the log
