"""Demo accounts: one per role, with passwords generated on every seeding and printed (never fixed)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction

from .models import Role, User

DEMO_REGION = "73.22"  # Kabupaten Luwu Utara
HOME_PROVINCES = {"reviewer": "31", "reviewer2": "35", "mentor": "73"}  # for the own-province rule

DEMO_USERS: list[tuple[str, Role, str | None, str]] = [
    ("admin", Role.NATIONAL_ADMIN, None, "Ditjen Aptika (contoh)"),
    ("reviewer", Role.NATIONAL_REVIEWER, None, "Tim ahli (contoh)"),
    ("reviewer2", Role.NATIONAL_REVIEWER, None, "Tim ahli (contoh)"),
    ("mentor", Role.NATIONAL_REVIEWER, None, "Universitas Hasanuddin (contoh)"),
    ("officer", Role.REGIONAL_OFFICER, DEMO_REGION, "Diskominfo Luwu Utara (contoh)"),
    ("officer-depok", Role.REGIONAL_OFFICER, "32.76", "Diskominfo Kota Depok (contoh)"),
    ("partner", Role.PARTNER, None, "PT Mitra Kota (contoh)"),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    password: str


@transaction.atomic
def seed_demo_users() -> list[DemoLogin]:
    """Create or refresh the demo accounts and give each a fresh random password."""
    logins = []
    for username, role, region, organisation in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.role, user.region_id, user.organisation = role, region, organisation
        user.home_province_id = HOME_PROVINCES.get(username)
        user.email = f"{username}@demo.kotacerdas.invalid"
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        user.save()
        logins.append(DemoLogin(username, str(role), password))
    return logins
