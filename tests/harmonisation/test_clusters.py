"""Clusters through the API and the pages: who defines them, the plans side by side, the overlaps with their
reasons, joint initiatives linked to the members' plans, neighbours."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kotacerdas.harmonisation import services
from kotacerdas.harmonisation.models import Cluster, JointInitiative
from kotacerdas.masterplan.models import Initiative

pytestmark = pytest.mark.django_db


def post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_only_national_admins_define_clusters(client_as: Any, users: dict[str, Any]) -> None:
    body = {"name": "Labuan Bajo", "kind": "tourism", "members": ["53.15", "53.10"]}
    for who in ("officer_a", "national_reviewer", "partner"):
        assert post(client_as(who), "/api/clusters", body).status_code == 403
    created = post(client_as("national_admin"), "/api/clusters", body)
    assert created.status_code == 201 and created.json()["members"] == ["53.10", "53.15"]
    again = post(client_as("national_admin"), "/api/clusters", body)
    assert again.status_code == 400 and "name of its own" in again.json()["detail"]
    lonely = post(client_as("national_admin"), "/api/clusters", {**body, "name": "x", "members": ["53.15"]})
    assert "at least two regions" in lonely.json()["detail"]
    unknown = post(
        client_as("national_admin"), "/api/clusters", {**body, "name": "y", "members": ["53.15", "99.99"]}
    )
    assert "Unknown region codes: 99.99" in unknown.json()["detail"]
    assert Cluster.objects.count() == 1
    assert client_as(None).get("/api/clusters").json()["count"] == 1


def test_plans_side_by_side(client_as: Any, ikn: Cluster) -> None:
    detail = client_as(None).get(f"/api/clusters/{ikn.pk}").json()
    assert detail["members"] == ["64.02", "64.09", "64.71", "64.72"]
    environment = next(p for p in detail["pillars"] if p["pillar"] == "environment")
    assert [i["title"] for i in environment["members"]["64.09"]] == ["Bank sampah digital"]
    page = client_as(None).get(f"/clusters/{ikn.pk}/").content.decode()
    assert "Bank sampah digital" in page and "Kota Samarinda" in page


def test_overlaps_are_found_and_explained(client_as: Any, ikn: Cluster) -> None:
    found = client_as(None).get(f"/api/clusters/{ikn.pk}/overlaps").json()
    pairs = {(i["a"]["title"], i["b"]["title"]): i for i in found["items"]}
    waste = pairs[("Bank sampah digital", "Aplikasi bank sampah digital warga")]
    assert waste["same"] == ["element", "pillar", "layer"]
    assert {"bank", "sampah", "digital"} <= set(waste["shared_words"])
    assert any("same element" in r for r in waste["reasons"])
    assert waste["proposed_joint"]["regions"] == ["64.09", "64.71"]
    assert waste["proposed_joint"]["title"] == "Bank sampah digital"
    flood = ("Sensor banjir Sungai Mahakam", "Peringatan dini banjir Mahakam hulu")
    assert flood in pairs or flood[::-1] in pairs
    titles = {t for pair in pairs for t in pair}
    assert "Pasar daring UMKM" not in titles and "Perpustakaan digital sekolah" not in titles
    assert found["count"] == len(found["items"])
    assert all(i["a"]["region_code"] != i["b"]["region_code"] for i in found["items"])
    assert found["items"] == sorted(found["items"], key=lambda i: -i["score"])


def test_overlaps_only_between_members(client_as: Any, ikn: Cluster) -> None:
    ikn.members.remove("64.71")
    titles = {
        i["b"]["title"] for i in client_as(None).get(f"/api/clusters/{ikn.pk}/overlaps").json()["items"]
    }
    titles |= {
        i["a"]["title"] for i in client_as(None).get(f"/api/clusters/{ikn.pk}/overlaps").json()["items"]
    }
    assert "Aplikasi bank sampah digital warga" not in titles


def test_joint_initiatives(client_as: Any, ikn: Cluster, make_user: Any) -> None:
    a = Initiative.objects.get(title="Bank sampah digital")
    b = Initiative.objects.get(title="Aplikasi bank sampah digital warga")
    body = {
        "title": "Bank sampah digital bersama",
        "pillar": "environment",
        "lead_region": "64.71",
        "initiatives": [a.pk, b.pk],
    }
    url = f"/api/clusters/{ikn.pk}/joint-initiatives"
    assert post(client_as("officer_a"), url, body).status_code == 403  # Luwu Utara is not a member
    member = make_user("regional_officer", "64.71")
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(member)
    one_region = post(client, url, {**body, "initiatives": [a.pk]})
    assert one_region.status_code == 400 and "at least two members" in one_region.json()["detail"]
    outsider = post(client, url, {**body, "lead_region": "73.22"})
    assert "lead region is a member" in outsider.json()["detail"]
    created = post(client, url, body)
    assert created.status_code == 201 and created.json()["initiatives"] == sorted([a.pk, b.pk])
    assert client_as(None).get(url).json()[0]["title"] == "Bank sampah digital bersama"
    assert a.joint_initiatives.get().lead_region_id == "64.71"


def test_pages_record_a_proposed_joint_initiative(client_as: Any, ikn: Cluster) -> None:
    admin = client_as("national_admin")
    page = admin.get(f"/clusters/{ikn.pk}/overlaps/").content.decode()
    assert "Bank sampah digital" in page and "Record as a joint initiative" in page
    assert (
        "Record as a joint initiative"
        not in client_as("partner").get(f"/clusters/{ikn.pk}/overlaps/").content.decode()
    )
    a = Initiative.objects.get(title="Bank sampah digital")
    b = Initiative.objects.get(title="Aplikasi bank sampah digital warga")
    form = {
        "title": "Bank sampah bersama",
        "pillar": "environment",
        "lead_region": "64.09",
        "initiatives": [a.pk, b.pk],
        "reasons": "same element|same pillar",
    }
    assert admin.post(f"/clusters/{ikn.pk}/", form).status_code == 302
    assert JointInitiative.objects.get().reasons == ["same element", "same pillar"]
    refused = admin.post(f"/clusters/{ikn.pk}/", {**form, "initiatives": [a.pk]})
    assert refused.status_code == 400 and "at least two members" in refused.content.decode()
    partner = client_as("partner").post(f"/clusters/{ikn.pk}/", form)
    assert partner.status_code == 403


def test_cluster_form_shows_field_errors(client_as: Any, users: dict[str, Any]) -> None:
    admin = client_as("national_admin")
    refused = admin.post("/clusters/", {"name": "Danau Toba", "kind": "tourism", "members": "12.12"})
    assert refused.status_code == 400 and "at least two regions" in refused.content.decode()
    assert (
        admin.post(
            "/clusters/", {"name": "Danau Toba", "kind": "tourism", "members": "12.12, 12.17"}
        ).status_code
        == 302
    )
    assert (
        client_as("officer_a")
        .post("/clusters/", {"name": "z", "kind": "other", "members": "12.12, 12.17"})
        .status_code
        == 403
    )


def test_neighbours_by_distance(ikn: Cluster) -> None:
    near = services.neighbours("64.71")  # Balikpapan
    assert "64.09" in near and "64.72" in near  # Penajam Paser Utara, Samarinda (about 90 km)
    assert "73.22" not in near
    assert round(services.distance_km(0, 0, 0, 1)) == 111
    total, pairs = services.neighbour_overlaps("64.09")
    assert total >= 1 and all("64.09" in (p.a.plan.region_id, p.b.plan.region_id) for p in pairs)


def test_reasons_are_in_the_readers_language(ikn: Cluster) -> None:
    from django.test import Client

    items = Client().get(f"/api/clusters/{ikn.pk}/overlaps").json()["items"]  # Bahasa Indonesia by default
    waste = next(i for i in items if i["a"]["title"] == "Bank sampah digital")
    assert "elemen sama" in waste["reasons"] and waste["reasons"][0].startswith("kata-kata mirip")
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/api/clusters/{ikn.pk}/overlaps").json()["items"]
    assert "same element" in next(i for i in english if i["a"]["title"] == "Bank sampah digital")["reasons"]
