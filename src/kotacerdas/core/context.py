"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from . import permissions


def site(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "user_role": permissions.role_of(user),
        "can_view_audit": permissions.can(user, "audit.view"),
        "can_operate": permissions.can(user, "alerts.operate"),
        "can_monitor": permissions.can(user, "monitoring.verify"),
        "can_use_admin": permissions.can(user, "admin.access"),
        "map_tile_url": settings.MAP_TILE_URL,
        "unread_notifications": user.notifications.filter(read_at=None).count()
        if user.is_authenticated
        else 0,
        "is_reviewer": permissions.role_of(user) == "national_reviewer",
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
