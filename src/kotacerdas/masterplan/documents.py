"""Official documents of a plan version: requested by a user, built by the worker (or on first download),
kept with the version they came from. Approved plans use the approved version; a draft gets a "draft" version
whenever its content changed since the last one."""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from kotacerdas.core import permissions

from .models import Document, MasterPlan, PlanStatus, PlanVersion
from .services import new_version, snapshot

log = logging.getLogger(__name__)


def version_for_document(user: Any, plan: MasterPlan) -> PlanVersion:
    """The version a document of the plan shows now."""
    if plan.status == PlanStatus.APPROVED and plan.approved_version_id:
        return plan.approved_version  # type: ignore[return-value]
    latest = plan.versions.order_by("-number").first()
    if latest and latest.snapshot == snapshot(plan):
        return latest
    return new_version(user if getattr(user, "pk", None) else None, plan, "draft")  # type: ignore[arg-type]


def request_document(user: Any, plan: MasterPlan, kind: str) -> Document:
    """The document of the current version (queued for the worker when not built yet)."""
    permissions.require(user, "masterplan.view", plan)
    if kind not in ("pdf", "docx"):
        raise ValueError(kind)
    with transaction.atomic():
        version = version_for_document(user, plan)
        document, _created = Document.objects.get_or_create(version=version, kind=kind)
    return document


def build(document: Document) -> Document:
    """Build one document now, recording progress; a failure is kept with its message."""
    from kotacerdas.reports import masterplan as report

    version = document.version
    approved = version.event == "approved"
    Document.objects.filter(pk=document.pk).update(status=Document.Status.RUNNING, progress=5)

    def progress(percent: int) -> None:
        Document.objects.filter(pk=document.pk).update(progress=percent)

    try:
        builder = report.pdf if document.kind == "pdf" else report.docx
        data = builder(version.snapshot, approved, progress)
    except Exception as exc:  # a broken document must not stop the worker: record it, log it
        log.exception("document build failed", extra={"document": document.pk})
        Document.objects.filter(pk=document.pk).update(status=Document.Status.FAILED, error=str(exc)[:2000])
        document.refresh_from_db()
        return document
    name = f"rencana-induk-{version.plan.region_id}-v{version.number}.{document.kind}"
    document.file.save(name, ContentFile(data), save=False)
    document.status, document.progress, document.error = Document.Status.DONE, 100, ""
    document.save()
    return document


def build_pending(limit: int | None = None) -> int:
    """One worker pass: build waiting documents, oldest first. Returns how many were built."""
    pending = Document.objects.filter(status=Document.Status.PENDING).select_related("version__plan")
    built = 0
    for document in pending.order_by("created_at")[:limit]:
        claimed = Document.objects.filter(pk=document.pk, status=Document.Status.PENDING).update(
            status=Document.Status.RUNNING
        )
        if claimed:  # another worker did not take it first
            build(document)
            built += 1
    return built


def ready_document(user: Any, plan: MasterPlan, kind: str) -> Document:
    """The built document for a download: built here and now if the worker has not done it yet."""
    document = request_document(user, plan, kind)
    if document.status != Document.Status.DONE:
        document = build(document)
    if document.status != Document.Status.DONE:
        raise RuntimeError(_("The document could not be built: %(error)s") % {"error": document.error})
    return document
