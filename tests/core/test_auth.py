"""Sign-in, argon2 hashing, login throttling, password reset by email, sign-out."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client, override_settings

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_argon2_is_the_production_hasher(settings: Any) -> None:
    from kotacerdas import settings as project

    production = [h for h in project.PASSWORD_HASHERS if "MD5" not in h]
    assert production[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = production
    assert make_password("sesuatu-yang-panjang").startswith("argon2$")


def test_sign_in_and_out(users: dict[str, Any]) -> None:
    client = Client()
    response = client.post("/account/login/", {"username": users["partner"].username, "password": PASSWORD})
    assert response.status_code == 302
    assert 'data-testid="whoami"' in client.get("/").content.decode()
    client.post("/account/logout/")
    assert 'data-testid="whoami"' not in client.get("/").content.decode()


def test_wrong_password_shows_an_error(users: dict[str, Any]) -> None:
    response = Client().post("/account/login/", {"username": users["partner"].username, "password": "nope"})
    assert response.status_code == 200
    assert 'class="errors"' in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account(users: dict[str, Any]) -> None:
    client = Client()
    username = users["partner"].username
    for _ in range(3):
        client.post("/account/login/", {"username": username, "password": "wrong"})
    response = client.post("/account/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(users: dict[str, Any]) -> None:
    client = Client()
    user = users["officer_a"]
    response = client.post("/account/password-reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"/account/reset/[^/\s]+/[^/\s]+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    form_url = client.get(link.group(0)).url
    new = "kata-sandi-baru-2026!"
    done = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_unknown_email_sends_nothing_but_looks_the_same() -> None:
    response = Client().post("/account/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_policy_rejects_short_passwords(users: dict[str, Any]) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("pendek", users["partner"])
