"""Master plans in the JSON API: the list, the whole plan as versioned JSON, its documents."""

from dataclasses import asdict

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from ninja import Router
from ninja.pagination import paginate

from kotacerdas.core import permissions
from kotacerdas.core.schemas import Pages
from kotacerdas.core.tabular import XLSX_TYPE, xlsx_bytes

from . import documents, services
from .models import MasterPlan
from .schemas import DocumentOut, PlanListOut

router = Router(tags=["master plans"])


def _plan(request: HttpRequest, pk: int) -> MasterPlan:
    plan = MasterPlan.objects.select_related("region").filter(pk=pk).first()
    if plan is None or not permissions.can(request.user, "masterplan.view", plan):
        raise Http404(f"No master plan {pk} that you may see.")
    return plan


@router.get("/masterplans", response=list[PlanListOut])
@paginate(Pages)
def list_plans(request: HttpRequest) -> object:
    """Plans you may see: approved and published ones for all; drafts for their region and national staff."""
    return services.list_plans(request.user)


@router.get("/masterplans/{pk}", response=dict)
def get_plan(request: HttpRequest, pk: int, version: int | None = None) -> dict[str, object]:
    """The whole plan as JSON (`?version=N` for a kept version), with its checklist and version list."""
    plan = _plan(request, pk)
    if version is not None:
        kept = plan.versions.filter(number=version).first()
        if kept is None:
            raise Http404(f"Plan {pk} has no version {version}.")
        body = dict(kept.snapshot)
    else:
        body = services.snapshot(plan)
    body["versions"] = [
        {"number": v.number, "event": v.event, "created_at": v.created_at.isoformat()}
        for v in plan.versions.all()
    ]
    body["findings"] = [asdict(f) for f in services.findings(plan)]
    return body


def _file(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    plan = _plan(request, pk)
    document = documents.ready_document(request.user, plan, kind)
    return FileResponse(document.file.open("rb"), filename=document.file.name.rsplit("/", 1)[-1])


@router.get("/masterplans/{pk}/document.pdf", response={200: None})
def document_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The official document as PDF (for the public only when the plan is approved and published)."""
    return _file(request, pk, "pdf")


@router.get("/masterplans/{pk}/document.docx", response={200: None})
def document_docx(request: HttpRequest, pk: int) -> FileResponse:
    """The official document as DOCX."""
    return _file(request, pk, "docx")


@router.post("/masterplans/{pk}/documents/{kind}", response=DocumentOut)
def request_document(request: HttpRequest, pk: int, kind: str) -> DocumentOut:
    """Queue a document build for the worker; poll this answer's `status` and `progress`."""
    if kind not in ("pdf", "docx"):
        raise Http404("Documents are pdf or docx.")
    document = documents.request_document(request.user, _plan(request, pk), kind)
    return DocumentOut(
        kind=kind,
        status=document.status,
        progress=document.progress,
        version=document.version.number,
        error=document.error,
    )


@router.get("/masterplans/{pk}/initiatives.xlsx", response={200: None})
def initiatives_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """Initiatives with their budget lines as XLSX (one row per budget line)."""
    snap = services.snapshot(_plan(request, pk))
    header = [
        "initiative_id",
        "title",
        "pillar",
        "element",
        "layer",
        "lead_opd",
        "start_year",
        "end_year",
        "quick_win",
        "year",
        "source",
        "amount_idr",
    ]
    rows = [
        [
            i["id"],
            i["title"],
            i["pillar"],
            i["element"],
            i["layer"],
            i["lead_opd"],
            i["start_year"],
            i["end_year"],
            i["quick_win"],
            b["year"],
            b["source"],
            b["amount"],
        ]
        for i in snap["initiatives"]
        for b in (i["budget"] or [{"year": None, "source": None, "amount": None}])
    ]
    response = HttpResponse(xlsx_bytes("Initiatives", header, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="initiatives-{pk}.xlsx"'
    return response
