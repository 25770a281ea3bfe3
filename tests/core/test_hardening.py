"""Web hardening: the production settings pass Django's deploy check and send secure cookies and headers;
every form carries a CSRF token and a POST without one is refused; no secret is in the repository."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
KOTACERDAS = Path(sys.executable).parent / "kotacerdas"
PRODUCTION = {
    "KOTACERDAS_ENV": "production",
    "KOTACERDAS_SECRET_KEY": "a-test-only-secret-" + "x" * 50,
    "KOTACERDAS_ALLOWED_HOSTS": "smartcity.example.go.id",
}


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "KOTACERDAS_DATABASE_URL"}
    env.update(PRODUCTION, KOTACERDAS_DATA_DIR=str(tmp_path), **extra)
    return env


def test_check_deploy_is_clean_in_production(tmp_path: Path) -> None:
    done = subprocess.run(
        [KOTACERDAS, "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    del env["KOTACERDAS_SECRET_KEY"]
    done = subprocess.run(
        [KOTACERDAS, "manage", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "KOTACERDAS_SECRET_KEY must be set" in done.stderr


PROBE = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "kotacerdas.settings"
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from kotacerdas.core.models import Role, User
User.objects.create_user("probe", password="a-long-probe-password-1", role=Role.NATIONAL_ADMIN)
client = Client(HTTP_HOST="smartcity.example.go.id")
plain = client.get("/regions/")
page = client.get("/account/login/", secure=True)
login = client.post(
    "/account/login/",
    {"username": "probe", "password": "a-long-probe-password-1",
     "csrfmiddlewaretoken": page.cookies["csrftoken"].value},
    secure=True, HTTP_REFERER="https://smartcity.example.go.id/account/login/",
)
def cookie(response, name):
    morsel = response.cookies[name]
    return {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]),
            "samesite": morsel["samesite"], "max_age": morsel["max-age"]}
print(json.dumps({
    "plain_status": plain.status_code, "plain_location": plain.get("Location", ""),
    "headers": {k: page.get(k, "") for k in ("Strict-Transport-Security", "Content-Security-Policy",
        "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy")},
    "login_status": login.status_code,
    "csrf": cookie(page, "csrftoken"), "session": cookie(login, "sessionid"),
    "probe_status": client.get("/healthz").status_code,
}))
"""


def test_production_cookies_and_headers(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=_production_env(tmp_path, KOTACERDAS_SESSION_AGE_SECONDS="3600"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["plain_status"] == 301 and seen["plain_location"].startswith("https://")
    assert seen["probe_status"] == 200  # health probes are not redirected to HTTPS
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert seen["login_status"] == 302
    assert seen["csrf"] == {"secure": True, "httponly": True, "samesite": "Lax", "max_age": 31449600}
    assert seen["session"] == {"secure": True, "httponly": True, "samesite": "Lax", "max_age": 3600}


@pytest.mark.django_db
def test_a_post_without_csrf_token_is_refused(users: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["officer_a"])
    response = client.post("/account/tokens/new/", {"name": "x"})
    assert response.status_code == 403
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post("/account/login/", {"username": "a", "password": "b"}).status_code == 403


POST_FORM = re.compile(r"<form\b[^>]*\bmethod=[\"']?post[\"']?[^>]*>(.*?)</form>", re.S | re.I)


@pytest.mark.django_db
@pytest.mark.parametrize("who", [None, "officer_a", "national_admin", "partner"])
def test_every_post_form_carries_a_csrf_token(
    client_as: Any, demo_values: dict[str, str], who: str | None
) -> None:
    from tests.core.conftest import routes_to_visit

    client = client_as(who)
    forms = 0
    missing = []
    for url in routes_to_visit(demo_values):
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for body in POST_FORM.findall(response.content.decode()):
            forms += 1
            if 'name="csrfmiddlewaretoken"' not in body:
                missing.append(url)
    assert not missing, f"POST forms without a CSRF token: {sorted(set(missing))}"
    assert forms >= (1 if who is None else 3), f"only {forms} POST forms found: the check lost its pages"


SECRET_PATTERNS = [
    re.compile(r"-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----"),
    re.compile(r"AKIA[0-9A-Z]{16}"),
    re.compile(r"(?i)(?:secret_key|password|api_key|token)\s*=\s*[\"'][A-Za-z0-9_\-+/=]{24,}[\"']"),
    re.compile(r"kc_[A-Za-z0-9_\-]{30,}"),  # a raw kotacerdas API token
]
ALLOWED_SECRET_FILES = {"tests/core/test_hardening.py"}


def test_no_secrets_in_the_repository() -> None:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    files = [f for f in listed.stdout.splitlines() if f not in ALLOWED_SECRET_FILES]
    assert "var/secret_key" not in files and not any(f.endswith((".pem", ".key", ".sqlite3")) for f in files)
    found = []
    for name in files:
        path = ROOT / name
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        text = path.read_text(errors="ignore")
        found += [f"{name}: {m.group(0)[:40]}" for p in SECRET_PATTERNS for m in p.finditer(text)]
    assert not found, found
