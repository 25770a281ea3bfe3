"""Program pages: cohorts, funnel, candidates and invitations, ranking and selection, MoU, guidance."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.assessment.services import auto_assign
from kotacerdas.core import permissions
from kotacerdas.core.http import attempt, flash_errors
from kotacerdas.core.permissions import permission_required
from kotacerdas.core.tabular import XLSX_TYPE, TabularError, read_rows, xlsx_bytes
from kotacerdas.regions.models import Region

from . import services
from .candidates import DEFAULT_WEIGHTS
from .forms import (
    AttendeeForm,
    CohortForm,
    FollowUpForm,
    InviteImportForm,
    MinutesForm,
    MouForm,
    OverrideForm,
    SessionForm,
)
from .models import Cohort, GuidanceSession, InvitedVia, MentorTeam, Participation, SessionFile


def _cohort(year: int) -> Cohort:
    try:
        return services.get_cohort(year)
    except Cohort.DoesNotExist as exc:
        raise Http404(_("No cohort for %(year)s.") % {"year": year}) from exc


def cohort_list(request: HttpRequest) -> HttpResponse:
    """Every cohort with its quotas and selected counts, and the cumulative number of kab/kota."""
    context = {
        "cohorts": services.list_cohorts(),
        "cumulative": services.cumulative_kabkota(),
        "can_manage": permissions.can(request.user, "program.manage"),
    }
    return render(request, "program/cohort_list.html", context)


@permission_required("program.manage")
def cohort_create(request: HttpRequest) -> HttpResponse:
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cohort = services.create_cohort(request.user, **form.cleaned_data)
        messages.success(request, _("Cohort created."))
        return redirect("program:cohort", year=cohort.year)
    return render(request, "program/cohort_form.html", {"form": form}, status=400 if form.errors else 200)


def cohort_detail(request: HttpRequest, year: int) -> HttpResponse:
    """Staff see the funnel and every participant; an officer its own region; the public the selection."""
    cohort = _cohort(year)
    user = request.user
    staff = permissions.can(user, "program.view_funnel")
    own = None
    if getattr(user, "region_id", None):
        own = services.participations(cohort).filter(region_id=user.region_id).first()
    context = {
        "cohort": cohort,
        "staff": staff,
        "own": own,
        "can_manage": permissions.can(user, "program.manage"),
        "can_nominate": permissions.can(user, "program.nominate", cohort)
        and own is None
        and cohort.submission_open(),
        "funnel": services.funnel(cohort) if staff else None,
        "participants": services.participations(cohort) if staff else None,
        "stages": services.FUNNEL_STAGES,
    }
    return render(request, "program/cohort_detail.html", context)


@permission_required("program.manage")
def candidates(request: HttpRequest, year: int) -> HttpResponse:
    """The ranked candidate list; tick regions and invite them."""
    cohort = _cohort(year)
    if request.method == "POST":
        try:
            created = services.invite(
                request.user,
                cohort,
                request.POST.getlist("code"),
                via=request.POST.get("via", InvitedVia.CANDIDATE_LIST),
            )
            messages.success(request, _("%(n)d regions invited.") % {"n": len(created)})
        except ValidationError as exc:
            flash_errors(request, exc)
        return redirect("program:cohort", year=year)
    spread = request.GET.get("spread") == "1"
    raw_limit = request.GET.get("limit", "")
    limit = min(max(int(raw_limit), 1), 600) if raw_limit.isdigit() else 100
    rows = services.candidate_list(cohort, limit=limit, spread=spread)
    names = dict(Region.objects.values_list("code", "name"))
    return render(
        request,
        "program/candidates.html",
        {
            "cohort": cohort,
            "rows": rows,
            "names": names,
            "spread": spread,
            "weights": cohort.candidate_weights or DEFAULT_WEIGHTS,
        },
    )


@permission_required("program.manage")
def invite_map(request: HttpRequest, year: int) -> HttpResponse:
    """Pick regions on the national map; the form posts to the candidate list's invitation."""
    cohort = _cohort(year)
    taken = list(cohort.participations.exclude(region=None).values_list("region_id", flat=True))
    return render(request, "program/invite_map.html", {"cohort": cohort, "taken": taken})


@permission_required("program.manage")
def invite_import(request: HttpRequest, year: int) -> HttpResponse:
    cohort = _cohort(year)
    form = InviteImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            codes = [str(r.get("region_code") or "").strip() for r in read_rows(upload, upload.name)]
            created = services.invite(request.user, cohort, codes, via=InvitedVia.IMPORT)
            messages.success(request, _("%(n)d regions invited.") % {"n": len(created)})
            return redirect("program:cohort", year=year)
        except (TabularError, ValidationError) as exc:
            form.add_error("file", exc.messages if isinstance(exc, ValidationError) else str(exc))
    return render(
        request,
        "program/invite_import.html",
        {"cohort": cohort, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def nominate(request: HttpRequest, year: int) -> HttpResponse:
    cohort = _cohort(year)
    if not permissions.can(request.user, "program.nominate", cohort):
        raise PermissionDenied("program.nominate")
    attempt(
        request,
        lambda: services.nominate(request.user, cohort),
        _("Your region is nominated. Fill in the readiness assessment."),
    )
    return redirect("program:cohort", year=year)


@permission_required("program.manage")
@require_POST
def assign_reviewers(request: HttpRequest, year: int) -> HttpResponse:
    n = auto_assign(request.user, _cohort(year))
    messages.success(request, _("%(n)d review assignments made.") % {"n": n})
    return redirect("program:cohort", year=year)


@permission_required("program.view_funnel")
def ranking_page(request: HttpRequest, year: int) -> HttpResponse:
    """The ranking with its breakdown per dimension; national admins run the selection with overrides."""
    cohort = _cohort(year)
    form = OverrideForm(request.POST or None)
    if request.method == "POST":
        permissions.require(request.user, "program.manage")
        overrides = _overrides(request, form)
        if overrides is not None and attempt(
            request,
            lambda: services.run_selection(request.user, cohort, *overrides),
            _("Selection computed."),
        ):
            return redirect("program:ranking", year=year)
    context = {
        "cohort": cohort,
        "rows": services.cohort_ranking(cohort),
        "form": form,
        "province_rows": services.cohort_ranking(cohort, provinces=True),
        "pending": services.participations(cohort).filter(submission__needs_third_review=True),
        "can_manage": permissions.can(request.user, "program.manage"),
    }
    return render(request, "program/ranking.html", context)


def _overrides(request: HttpRequest, form: OverrideForm) -> tuple[dict[str, str], dict[str, str]] | None:
    """No override fields: a plain run. Override fields: they must be valid."""
    if not request.POST.get("code"):
        return {}, {}
    if not form.is_valid():
        return None
    data = form.cleaned_data
    pair: tuple[dict[str, str], dict[str, str]] = ({}, {})
    pair[0 if data["decision"] == "in" else 1][data["code"].strip()] = data["reason"]
    return pair


@permission_required("program.manage")
@require_POST
def publish(request: HttpRequest, year: int) -> HttpResponse:
    attempt(
        request, lambda: services.publish_selection(request.user, _cohort(year)), _("Selection published.")
    )
    return redirect("program:ranking", year=year)


def selection(request: HttpRequest, year: int) -> HttpResponse:
    """The public list of selected regions (only once published)."""
    cohort = _cohort(year)
    if not cohort.selection_published and not permissions.can(request.user, "program.view_funnel"):
        raise Http404(_("The selection of %(year)s is not published yet.") % {"year": year})
    chosen = (
        services.participations(cohort).filter(selected=True).order_by("region__province_id", "region_id")
    )
    return render(request, "program/selection.html", {"cohort": cohort, "selected": chosen})


@permission_required("program.view_funnel")
def ranking_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    cohort = _cohort(year)
    header = [
        "rank",
        "code",
        "name",
        "province",
        "total",
        "struktur",
        "infrastruktur",
        "suprastruktur",
        "kepemimpinan",
        "tie broken by",
        "selected",
        "reason",
    ]
    rows = [
        [
            r.rank,
            r.participation.participant_code,
            r.participation.participant_name,
            r.participation.province_code,
            round(r.total, 2),
            *[round(r.dimensions.get(k, 0), 2) for k in header[5:9]],
            r.tie_broken_by,
            r.participation.selected,
            r.participation.selection_reason,
        ]
        for r in services.cohort_ranking(cohort)
    ]
    return _xlsx(f"ranking-{year}.xlsx", f"Ranking {year}", header, rows)


@permission_required("program.view_funnel")
def funnel_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    cohort = _cohort(year)
    funnel = services.funnel(cohort)
    stage_rows = [[stage, funnel[stage]] for stage in services.FUNNEL_STAGES]
    return _xlsx(f"funnel-{year}.xlsx", f"Funnel {year}", ["stage", "participants"], stage_rows)


def _xlsx(filename: str, title: str, header: list[str], rows: list[list[object]]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(title, header, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def participation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    participation = get_object_or_404(Participation.objects.select_related("cohort", "region"), pk=pk)
    permissions.require(request.user, "program.view_guidance", participation)
    can_manage = permissions.can(request.user, "program.manage")
    mou = getattr(participation, "mou", None)
    form = MouForm(request.POST or None, request.FILES or None, instance=mou)
    if request.method == "POST" and can_manage and "mentor_team" in request.POST:
        raw_team = request.POST.get("mentor_team", "")
        team = MentorTeam.objects.filter(pk=int(raw_team)).first() if raw_team.isdigit() else None
        services.assign_mentor_team(request.user, participation, team)
        messages.success(request, _("Saved."))
        return redirect("program:participation", pk=pk)
    if request.method == "POST" and can_manage and form.is_valid():
        data = form.cleaned_data
        recorded = attempt(
            request,
            lambda: services.record_mou(
                request.user,
                participation,
                data["signed_on"],
                data["signatories"],
                request.FILES.get("document"),
            ),
            _("MoU recorded."),
        )
        if recorded:
            return redirect("program:participation", pk=pk)
    context = {
        "p": participation,
        "mou": mou,
        "mou_form": form if can_manage else None,
        "can_guide": permissions.can(request.user, "program.guide", participation),
        "sessions": participation.sessions.all(),
        "agenda": services.region_agenda(participation),
        "session_form": SessionForm(),
        "mentor_teams": MentorTeam.objects.all() if can_manage else None,
    }
    return render(request, "program/participation.html", context, status=400 if form.errors else 200)


@require_POST
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    participation = get_object_or_404(Participation, pk=pk)
    permissions.require(request.user, "program.guide", participation)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            session = services.schedule_session(request.user, participation, **form.cleaned_data)
            return redirect("program:session", pk=session.pk)
        except ValidationError as exc:
            flash_errors(request, exc)
    else:
        flash_errors(request, ValidationError([f"{k}: {', '.join(v)}" for k, v in form.errors.items()]))
    return redirect("program:participation", pk=pk)


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A session: agenda, attendance, minutes, the round's outputs and follow-up actions."""
    session = get_object_or_404(GuidanceSession.objects.select_related("participation__region"), pk=pk)
    permissions.require(request.user, "program.view_guidance", session.participation)
    can_guide = permissions.can(request.user, "program.guide", session.participation)
    if request.method == "POST":
        if not can_guide:
            raise PermissionDenied("program.guide")
        return _session_post(request, session)
    outputs = {o.kind: o for o in session.outputs.all()}
    rows = [
        (kind, label, section, outputs.get(kind))
        for kind, label, section in services.ROUND_OUTPUTS[session.kind]
    ]
    context = {
        "s": session,
        "can_guide": can_guide,
        "outputs": rows,
        "minutes_form": MinutesForm(instance=session),
        "follow_up_form": FollowUpForm(),
        "attendee_form": AttendeeForm(),
    }
    return render(request, "program/session.html", context)


def _session_post(request: HttpRequest, session: GuidanceSession) -> HttpResponse:
    action = request.POST.get("action")
    try:
        if action == "minutes":
            form = MinutesForm(request.POST, instance=session)
            if form.is_valid():
                form.save()
        elif action == "outputs":
            outputs = {k[7:]: v for k, v in request.POST.items() if k.startswith("output_")}
            services.record_outputs(request.user, session, outputs)
        elif action == "follow_up":
            form = FollowUpForm(request.POST)
            if form.is_valid():
                session.follow_ups.create(**form.cleaned_data)
            else:
                raise ValidationError([f"{k}: {', '.join(v)}" for k, v in form.errors.items()])
        elif action == "attendee":
            form = AttendeeForm(request.POST)
            if form.is_valid():
                session.participants.create(**form.cleaned_data)
        elif action == "file":
            if "file" not in request.FILES:
                raise ValidationError(_("Choose a file to upload."))
            services.add_worksheet(
                request.user, session, request.FILES["file"], request.POST.get("title", "")
            )
        elif action == "attendance":
            present = set(request.POST.getlist("present"))
            for person in session.participants.all():
                person.attended = str(person.pk) in present
                person.save(update_fields=["attended"])
        messages.success(request, _("Saved."))
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("program:session", pk=session.pk)


def mou_document(request: HttpRequest, pk: int) -> FileResponse:
    """The signed MoU, for those who may see the participation's guidance."""
    participation = get_object_or_404(Participation, pk=pk)
    permissions.require(request.user, "program.view_guidance", participation)
    mou = getattr(participation, "mou", None)
    if mou is None or not mou.document:
        raise Http404(_("No signed document."))
    return FileResponse(mou.document.open("rb"), as_attachment=False)


def worksheet_file(request: HttpRequest, pk: int) -> FileResponse:
    """A session worksheet, for those who may see the participant's guidance."""
    worksheet = get_object_or_404(SessionFile.objects.select_related("session__participation"), pk=pk)
    permissions.require(request.user, "program.view_guidance", worksheet.session.participation)
    return FileResponse(worksheet.file.open("rb"), filename=worksheet.file.name.rsplit("/", 1)[-1])
