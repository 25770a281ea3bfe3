"""Users with a program role, and per-user API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The program roles of ARCHITECTURE.md §6; anonymous visitors are the public."""

    NATIONAL_ADMIN = "national_admin", _("National admin")
    NATIONAL_REVIEWER = "national_reviewer", _("National reviewer")
    REGIONAL_OFFICER = "regional_officer", _("Regional officer")
    PARTNER = "partner", _("Partner")


class KotacerdasUserManager(UserManager["User"]):
    """`createsuperuser` makes a national admin."""

    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: object
    ) -> User:
        extra.setdefault("role", Role.NATIONAL_ADMIN)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """A person who signs in; its role decides what it may see and do (core.permissions).

    A regional officer is bound to exactly one region (a kabupaten/kota); other roles have none.
    """

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.PARTNER)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    home_province = models.ForeignKey(
        "regions.Province",
        verbose_name=_("home province"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For reviewers: their own province, which they never score when the cohort says so."),
    )

    objects = KotacerdasUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        super().clean()
        if self.role == Role.REGIONAL_OFFICER and self.region_id is None:
            raise ValidationError({"region": _("A regional officer must be bound to one region.")})
        if self.role != Role.REGIONAL_OFFICER and self.region_id is not None:
            raise ValidationError({"region": _("Only regional officers are bound to a region.")})

    def save(self, *args: object, **kwargs: object) -> None:
        """Only national admins enter the Django admin, and there they may do everything."""
        self.is_staff = self.is_superuser = self.role == Role.NATIONAL_ADMIN
        super().save(*args, **kwargs)  # type: ignore[arg-type]


def hash_token(raw: str) -> str:
    """The stored form of an API token: only its SHA-256 is kept."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the JSON API; it acts with its user's role and region, and may be narrowed to
    reading only (a dashboard or an open-data harvester needs no write access). Revocable."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(default=timezone.now, editable=False)
    last_used = models.DateTimeField(null=True, blank=True, editable=False)
    revoked = models.DateTimeField(null=True, blank=True)
    read_only = models.BooleanField(
        _("read only"), default=False, help_text=_("The token may read (GET) but never change anything.")
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user.username} {self.prefix}…"

    @classmethod
    def issue(cls, user: User, name: str = "", read_only: bool = False) -> tuple[ApiToken, str]:
        """Create a token for the user; the raw token is returned once and never stored."""
        raw = "kc_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=raw[3:11], digest=hash_token(raw), read_only=read_only
        )
        return token, raw


class Notification(models.Model):
    """An in-app notification; the same event may also be sent by email (core.notify)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title
