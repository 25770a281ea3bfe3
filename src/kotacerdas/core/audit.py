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
    ("indicators.Indicator", []),
    ("program.Cohort", []),
    ("program.Participation", []),
    ("program.Mou", []),
    ("program.MentorTeam", []),
    ("program.GuidanceSession", []),
    ("program.SessionOutput", []),
    ("program.FollowUp", []),
    ("masterplan.MasterPlan", []),
    ("masterplan.Section", ["row_version"]),
    ("masterplan.PillarGoal", ["row_version"]),
    ("masterplan.Target", []),
    ("masterplan.Initiative", ["row_version"]),
    ("masterplan.BudgetLine", []),
    ("masterplan.ReviewComment", []),
    ("assessment.Questionnaire", []),
    ("assessment.Dimension", []),
    ("assessment.Criterion", []),
    ("assessment.Submission", ["version"]),
    ("assessment.Answer", []),
    ("assessment.ReviewAssignment", []),
    ("assessment.ReviewScore", []),
    ("indicators.IndicatorValue", []),
    ("monitoring.EvaluationRound", []),
    ("monitoring.Milestone", []),
    ("monitoring.ProgressReport", []),
    ("monitoring.BudgetRealisation", []),
    ("monitoring.SelfAssessment", []),
    ("opendata.Dataset", []),
    ("matchmaking.Proposal", []),
    ("matchmaking.Partner", []),
    ("matchmaking.Interest", []),
    ("matchmaking.PipelineStep", []),
    ("matchmaking.Meeting", []),
    ("matchmaking.MatchmakingEvent", []),
    ("harmonisation.Cluster", []),
    ("harmonisation.JointInitiative", []),
    ("program.SessionParticipant", []),
    ("program.SessionFile", []),
    ("monitoring.ProgressEvidence", []),
    ("monitoring.ImpactSurvey", []),
    ("matchmaking.ProposalDocument", []),
    # the city data platform's configuration (readings themselves are kept by the temporal API)
    ("devices.ServiceGroup", ["apikey"]),
    ("devices.Device", ["last_seen", "available"]),
    ("alerts.AlertRule", []),
    ("alerts.Alert", ["updated_at"]),
    ("indicators.KpiBinding", []),
    ("context.Tenant", ["geo_extent"]),
    ("context.JsonLdContext", []),
    (
        "context.Subscription",
        [
            "modified_at",
            "last_notification",
            "last_success",
            "last_failure",
            "last_error",
            "times_sent",
            "times_failed",
            "next_interval_at",
        ],
    ),
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


ACTIONS = {"POST": LogEntry.Action.CREATE, "DELETE": LogEntry.Action.DELETE}


def record_request(request: Any, label: str, object_pk: str, status: int) -> None:
    """Record a change made through an API that writes below the ORM (NGSI-LD entities, whose stores are
    bulk SQL): who, which object, the method and path and the answer's status."""
    from django.contrib.contenttypes.models import ContentType

    user = getattr(request, "user", None)
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(apps.get_model(label)),
        object_pk=object_pk[:255],
        object_repr=object_pk[:200],
        action=ACTIONS.get(request.method, LogEntry.Action.UPDATE),
        changes={"request": ["", f"{request.method} {request.path}"]},
        actor=user if user is not None and user.is_authenticated else None,
        remote_addr=request.META.get("REMOTE_ADDR"),
        additional_data={"status": status, "tenant": request.headers.get("NGSILD-Tenant", "")},
    )


def update_many(actor: Any, items: list[tuple[Any, dict[str, Any]]]) -> int:
    """Apply field updates to many objects (one UPDATE each, only real changes) and write their audit
    entries in one insert: the path for bulk decisions such as a cohort's selection. Returns rows changed."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    entries = []
    now = timezone.now()
    with transaction.atomic():
        for obj, values in items:
            changed = {f: [str(getattr(obj, f)), str(v)] for f, v in values.items() if getattr(obj, f) != v}
            if not changed:
                continue
            type(obj).objects.filter(pk=obj.pk).update(**values)
            for field, value in values.items():
                setattr(obj, field, value)
            entries.append(
                LogEntry(
                    content_type=ContentType.objects.get_for_model(obj),
                    object_pk=str(obj.pk),
                    object_id=obj.pk if isinstance(obj.pk, int) else None,
                    object_repr=str(obj)[:200],
                    action=LogEntry.Action.UPDATE,
                    changes=changed,
                    actor=actor if actor and actor.pk else None,
                    timestamp=now,
                )
            )
        LogEntry.objects.bulk_create(entries)
    return len(entries)
