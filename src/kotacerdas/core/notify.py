"""Notifications: one call writes the in-app notification and sends the email; a mail failure is logged
and never breaks the action that caused it (the in-app notification stays)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail

from .models import Notification, Role, User

log = logging.getLogger(__name__)


def notify(users: Iterable[User], kind: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Notify each active user in-app and by email (when the user has an address)."""
    created = []
    for user in {u.pk: u for u in users if u.is_active}.values():
        note = Notification.objects.create(user=user, kind=kind, title=title, body=body, url=url)
        note.emailed = _email(user, title, body, url)
        if note.emailed:
            note.save(update_fields=["emailed"])
        created.append(note)
    return created


def _email(user: User, title: str, body: str, url: str) -> bool:
    if not user.email:
        return False
    text = f"{body}\n\n{url}".strip()
    try:
        send_mail(f"[kotacerdas] {title}", text, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception:  # the SMTP server is the outside world: log, keep the in-app notification
        log.exception("notification email failed", extra={"user": user.pk, "title": title})
        return False
    return True


def national_admins() -> list[User]:
    return list(User.objects.filter(role=Role.NATIONAL_ADMIN, is_active=True))


def officers_of(region_codes: Iterable[str]) -> list[User]:
    return list(
        User.objects.filter(role=Role.REGIONAL_OFFICER, region_id__in=list(region_codes), is_active=True)
    )
