"""The public pages' cache: anonymous visitors share a kept page per path, language and htmx fragment;
signed-in users, pages with forms, APIs and errors always get a fresh answer; the security headers stay."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings: Any) -> None:
    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()


def test_an_anonymous_page_is_kept_and_shared(cached: None) -> None:
    first = Client().get("/regions/73.22/")
    second = Client().get("/regions/73.22/")
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert first.content == second.content
    assert "script-src 'self'" in second["Content-Security-Policy"]  # headers are added on the way out
    assert second["X-Frame-Options"] == "DENY"


def test_the_cache_shows_a_change_only_after_it_expires(cached: None, settings: Any) -> None:
    from kotacerdas.regions.models import Region

    Client().get("/regions/73.22/")
    Region.objects.filter(code="73.22").update(name="Kabupaten Luwu Utara (diubah)")
    assert "(diubah)" not in Client().get("/regions/73.22/").content.decode()
    cache.clear()  # what the expiry does after PUBLIC_CACHE_SECONDS
    assert "(diubah)" in Client().get("/regions/73.22/").content.decode()


def test_languages_and_htmx_fragments_are_kept_apart(cached: None) -> None:
    indonesian = Client(HTTP_ACCEPT_LANGUAGE="id").get("/regions/")
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/regions/")
    fragment = Client().get("/regions/", headers={"HX-Request": "true"})
    assert english["X-Cache"] == "miss" and fragment["X-Cache"] == "miss"
    assert indonesian.content != english.content != fragment.content
    assert 'lang="en"' in english.content.decode()


def test_signed_in_users_are_never_served_from_the_cache(cached: None, client_as: Any) -> None:
    Client().get("/regions/")
    officer = client_as("officer_a").get("/regions/")
    assert "X-Cache" not in officer
    assert 'data-testid="whoami"' in officer.content.decode()


def test_pages_with_a_form_errors_and_apis_are_not_kept(cached: None) -> None:
    login = Client().get("/account/login/")
    assert "X-Cache" not in login and 'name="csrfmiddlewaretoken"' in login.content.decode()
    Client().get("/regions/99.99/")
    assert "X-Cache" not in Client().get("/regions/99.99/")
    Client().get("/api/regions/73.22")
    assert "X-Cache" not in Client().get("/api/regions/73.22")


def test_off_when_the_setting_is_zero(settings: Any) -> None:
    settings.PUBLIC_CACHE_SECONDS = 0
    Client().get("/regions/")
    assert "X-Cache" not in Client().get("/regions/")


def test_the_language_switch_needs_no_csrf_token_and_stays_on_this_site() -> None:
    switched = Client().get("/language/", {"language": "en", "next": "/regions/"})
    assert switched.status_code == 302 and switched["Location"] == "/regions/"
    cookie = switched.cookies["kotacerdas_language"]
    assert cookie.value == "en" and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 365 * 24 * 3600
    outside = Client().get("/language/", {"language": "en", "next": "https://evil.example/"})
    assert outside["Location"] == "/"
    unknown = Client().get("/language/", {"language": "xx", "next": "/"})
    assert "kotacerdas_language" not in unknown.cookies
