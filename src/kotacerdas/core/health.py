"""Liveness and readiness of a kotacerdas process (GET /healthz, GET /readyz).

Liveness answers without touching anything: the process runs and serves. Readiness checks what a request
needs: the database answers, every migration is applied, and the media folder (evidence files) is writable.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

log = logging.getLogger(__name__)


@dataclass
class Readiness:
    """The outcome of the readiness checks: each check's name with "ok" or what is wrong."""

    checks: dict[str, str] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return all(result == "ok" for result in self.checks.values())

    def as_json(self) -> dict[str, object]:
        return {"status": "ready" if self.ready else "not ready", "checks": self.checks}


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return f"database unreachable: {exc}".strip()
    return "ok"


def _migrations() -> str:
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return f"migrations could not be read: {exc}".strip()
    if pending:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in pending[:5])
        return f"{len(pending)} migrations not applied ({names}); run: kotacerdas manage migrate"
    return "ok"


def _media() -> str:
    root = settings.MEDIA_ROOT
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".ready-"):
            pass
    except OSError as exc:
        return f"media folder {root} is not writable: {exc.strerror or exc}"
    return "ok"


def readiness() -> Readiness:
    """Run every readiness check (the database first: the migration check needs it)."""
    result = Readiness({"database": _database()})
    result.checks["migrations"] = _migrations() if result.checks["database"] == "ok" else "not checked"
    result.checks["media"] = _media()
    if not result.ready:
        log.warning("not ready", extra={"checks": result.checks})
    return result
