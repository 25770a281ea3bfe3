"""The audit log: every change to a domain object (who, when, before/after), via django-auditlog.

Models are registered here, in one list, so the audit coverage of the whole product is visible at a glance.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.db.models import QuerySet

# (app_label.ModelName, fields never written to the log)
AUDITED: list[tuple[str, list[str]]] = [
    ("core.User", ["password", "last_login"]),
    ("core.ApiToken", ["digest", "last_used"]),
    ("regions.Province", []),
    ("regions.Region", []),
    ("regions.ProfileFact", []),
    ("pillars.Pillar", []),
    ("pillars.Element", []),
    ("program.Cohort", []),
    ("program.Participation", []),
    ("program.Mou", []),
    ("program.MentorTeam", []),
    ("program.GuidanceSession", []),
    ("program.SessionOutput", []),
    ("program.FollowUp", []),
    ("assessment.Questionnaire", []),
    ("assessment.Dimension", []),
    ("assessment.Criterion", []),
    ("assessment.Submission", ["version"]),
    ("assessment.Answer", []),
    ("assessment.ReviewAssignment", []),
    ("assessment.ReviewScore", []),
]


def register_models() -> None:
    """Register every audited model with django-auditlog (called from CoreConfig.ready)."""
    for label, exclude in AUDITED:
        model = apps.get_model(label)
        if not auditlog.contains(model):
            auditlog.register(model, exclude_fields=exclude)


def entries(
    actor_id: int | None = None, model: str | None = None, object_pk: str | None = None
) -> QuerySet[Any]:
    """Audit entries, newest first, optionally for one user, one model ("regions.region") or one object."""
    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if model and "." in model:
        app_label, model_name = model.lower().split(".", 1)
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model_name)
    if object_pk:
        qs = qs.filter(object_pk=object_pk)
    return qs
