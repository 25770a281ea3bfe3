"""API tokens: the management command, bearer authentication, revocation, the token page."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from kotacerdas.core.models import ApiToken

pytestmark = pytest.mark.django_db


def test_create_api_token_prints_a_working_token(users: dict[str, Any]) -> None:
    out = io.StringIO()
    call_command("create_api_token", users["national_admin"].username, stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("kc_")
    token = ApiToken.objects.get()
    assert token.digest != raw and raw not in token.digest  # only a hash is stored
    response = Client().get("/api/regions?limit=1", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used is not None


def test_unknown_user_is_an_error() -> None:
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody")


def test_bad_or_revoked_tokens_are_401(api_token: Any) -> None:
    raw = api_token("partner")
    ApiToken.objects.update(revoked="2026-01-01T00:00:00Z")
    for value in (raw, "kc_invented"):
        response = Client().get("/api/regions", HTTP_AUTHORIZATION=f"Bearer {value}")
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"


def test_token_page_creates_and_revokes(client_as: Any) -> None:
    client = client_as("officer_a")
    response = client.post("/account/tokens/new/", {"name": "sensor script"}, follow=True)
    assert 'data-testid="new-token"' in response.content.decode()
    token = ApiToken.objects.get()
    client.post(f"/account/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked is not None


def test_cannot_revoke_someone_elses_token(client_as: Any, users: dict[str, Any]) -> None:
    token, _ = ApiToken.issue(users["partner"])
    assert client_as("officer_a").post(f"/account/tokens/{token.pk}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.revoked is None
    assert client_as("national_admin").post(f"/account/tokens/{token.pk}/revoke/").status_code == 302


def test_token_page_needs_sign_in() -> None:
    assert Client().get("/account/tokens/").status_code == 302


def test_tokens_api_lists_only_your_own(api_token: Any, users: dict[str, Any]) -> None:
    ApiToken.issue(users["partner"], name="someone else's")
    raw = api_token("officer_a")
    body = Client().get("/api/tokens", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert body["count"] == 1 and "digest" not in body["items"][0]
    assert Client().get("/api/tokens").status_code == 401


def test_a_read_only_token_reads_but_never_writes(users: dict[str, Any]) -> None:
    _token, raw = ApiToken.issue(users["national_admin"], name="dashboard", read_only=True)
    _token, full = ApiToken.issue(users["national_admin"], name="script")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert Client().get("/api/regions?limit=1", **bearer).status_code == 200
    body = '{"id": "urn:ngsi-ld:Thing:1", "type": "Thing"}'
    for method in ("post", "put", "patch", "delete"):
        response = getattr(Client(), method)("/api/cohorts", body, content_type="application/json", **bearer)
        assert response.status_code == 403, method
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["type"].endswith("read-only-token")
    refused = Client().post("/ngsi-ld/v1/entities", body, content_type="application/json", **bearer)
    assert refused.status_code == 403
    # the same user's full token may write: the refusal is the token's scope, not the user's role
    allowed = Client().post(
        "/api/cohorts",
        '{"year": 2031, "title": "Gelombang uji"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {full}",
    )
    assert allowed.status_code == 201


def test_read_only_tokens_from_the_page_and_the_command(client_as: Any, users: dict[str, Any]) -> None:
    client = client_as("officer_a")
    page = client.post("/account/tokens/new/", {"name": "grafana", "read_only": "on"}, follow=True)
    assert "read only" in page.content.decode().lower() or "hanya baca" in page.content.decode().lower()
    assert ApiToken.objects.get(name="grafana").read_only
    call_command("create_api_token", users["partner"].username, "--read-only", stdout=io.StringIO())
    assert ApiToken.objects.get(user=users["partner"]).read_only
    call_command("create_api_token", users["partner"].username, stdout=io.StringIO())
    assert ApiToken.objects.filter(user=users["partner"], read_only=False).count() == 1
