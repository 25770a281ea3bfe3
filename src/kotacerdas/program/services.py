"""Business rules of the yearly program; pages, API and CLI call these."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kotacerdas.assessment import ranking
from kotacerdas.assessment.models import Submission, SubmissionStatus
from kotacerdas.core import audit, notify, permissions, uploads
from kotacerdas.core.models import User
from kotacerdas.regions.models import ProfileFact, Region

from . import candidates
from .models import (
    Cohort,
    FollowUp,
    GuidanceSession,
    InvitedVia,
    Mou,
    Participation,
    SessionKind,
)

log = logging.getLogger(__name__)

# What each round produces (METHODOLOGY.md §5) and the master plan section it feeds (issue #4).
ROUND_OUTPUTS: dict[str, list[tuple[str, str, str]]] = {
    SessionKind.BIMTEK_1: [
        (
            "five_element_analysis",
            gettext_noop("Five-element analysis (alam, budaya, struktur, infrastruktur, suprastruktur)"),
            "analysis.five_elements",
        ),
        ("gap_analysis", gettext_noop("Gap analysis"), "analysis.gaps"),
        ("swot", gettext_noop("SWOT"), "analysis.swot"),
        ("vision_keywords", gettext_noop("Vision keywords"), "vision"),
    ],
    SessionKind.BIMTEK_2: [
        ("program_mapping", gettext_noop("Program mapping from RPJMD and Renstra"), "programs.mapping")
    ],
    SessionKind.BIMTEK_3: [
        ("innovations", gettext_noop("Innovations"), "programs.innovations"),
        ("pillar_strategy", gettext_noop("Strategy per pillar"), "strategy"),
        ("action_plan", gettext_noop("Action plan"), "action_plan"),
        ("roadmap", gettext_noop("Roadmap"), "roadmap"),
        ("quick_win_candidates", gettext_noop("Quick-win candidates"), "quick_wins"),
    ],
    SessionKind.BIMTEK_4: [
        ("final_review", gettext_noop("Final review of the books"), "review"),
        ("signed_commitment", gettext_noop("Signed commitment"), "commitment"),
        ("quick_wins", gettext_noop("The year's quick wins"), "quick_wins"),
    ],
    SessionKind.FGD: [("fgd_notes", gettext_noop("FGD results"), "analysis.fgd")],
}
# How each selection decision (assessment.ranking.Decision.code) is worded, in the active language.
DECISION_TEXT = {
    "within_quota": gettext_noop("within the quota"),
    "quota_full": gettext_noop("quota full"),
    "province_cap": gettext_noop("province already has %s selected"),
    "eastern_reserve": gettext_noop("remaining places reserved for eastern Indonesia (minimum %s)"),
    "reserve_released": gettext_noop("within the quota (the eastern reserve could not be filled)"),
    "forced_in": gettext_noop("selected by the admin: %s"),
    "forced_out": gettext_noop("excluded by the admin: %s"),
}


def decision_text(decision: ranking.Decision) -> str:
    """The decision's reason in the active language."""
    template = DECISION_TEXT.get(decision.code)
    return (_(template) % decision.params if template else decision.reason)[:300]


BIMTEK_KINDS = [SessionKind.BIMTEK_1, SessionKind.BIMTEK_2, SessionKind.BIMTEK_3, SessionKind.BIMTEK_4]
FUNNEL_STAGES = ["invited", "submitted", "scored", "selected", "mou_signed", "guided", "plan_approved"]


# --- cohorts and invitations -----------------------------------------------------------------------


def list_cohorts() -> QuerySet[Cohort]:
    return Cohort.objects.annotate(
        selected_kabkota=Count(
            "participations", filter=Q(participations__selected=True, participations__region__isnull=False)
        ),
        selected_provinces=Count(
            "participations", filter=Q(participations__selected=True, participations__province__isnull=False)
        ),
    ).order_by("-year")


def get_cohort(year: int) -> Cohort:
    return list_cohorts().get(year=year)


def create_cohort(user: User, **fields: Any) -> Cohort:
    permissions.require(user, "program.manage")
    cohort = Cohort(**fields)
    cohort.full_clean()
    cohort.save()
    return cohort


def latest_profile(metrics: Iterable[str]) -> dict[str, dict[str, object]]:
    """{region code: {metric: latest value}} for the given metrics (one query)."""
    latest: dict[str, dict[str, object]] = {}
    facts = ProfileFact.objects.filter(metric__in=list(metrics)).order_by("region_id", "metric", "-year")
    for code, metric, number, text in facts.values_list("region_id", "metric", "value_number", "value_text"):
        latest.setdefault(code, {}).setdefault(metric, text or number)
    return latest


def candidate_list(
    cohort: Cohort, limit: int | None = None, spread: bool = False
) -> list[candidates.CandidateScore]:
    """Kab/kota not yet in the cohort, ranked by the invitation parameters (program.candidates)."""
    metrics = [*candidates.DEFAULT_WEIGHTS, "leading_sectors"]
    profiles = latest_profile(metrics)
    taken = set(cohort.participations.exclude(region=None).values_list("region_id", flat=True))
    params = []
    for code, province in Region.objects.exclude(code__in=taken).values_list("code", "province_id"):
        values = dict(profiles.get(code, {}))
        sectors = str(values.pop("leading_sectors", "") or "")
        numeric = {k: (v if k == "fiscal_capacity" else float(v)) for k, v in values.items()}  # type: ignore[arg-type]
        params.append(candidates.RegionParams(code, province, numeric, _sectors(sectors)))
    weights = cohort.candidate_weights or candidates.DEFAULT_WEIGHTS
    scores = candidates.score_regions(params, weights, priority_sectors=_sectors(cohort.priority_sectors))
    return candidates.candidate_list(scores, limit=limit, spread=spread)


def _sectors(text: str) -> frozenset[str]:
    return frozenset(s.strip().lower() for s in text.split(",") if s.strip())


@transaction.atomic
def invite(
    user: User, cohort: Cohort, codes: Iterable[str], via: str = InvitedVia.CANDIDATE_LIST
) -> list[Participation]:
    """Invite kab/kota (dotted codes) or provinces (two digits); already invited ones are skipped."""
    permissions.require(user, "program.manage")
    codes = [c.strip() for c in codes if c and c.strip()]
    unknown = _unknown_codes(codes)
    if unknown:
        raise ValidationError(_("Unknown region codes: %(codes)s") % {"codes": ", ".join(unknown)})
    created = []
    for code in codes:
        key = {"region_id": code} if "." in code else {"province_id": code}
        participation, new = Participation.objects.get_or_create(
            cohort=cohort, **key, defaults={"invited_via": via}
        )
        if new:
            created.append(participation)
    regions = [p.region_id for p in created if p.region_id]
    notify.notify(
        notify.officers_of(regions),
        "invited",
        _("Your region is invited to the %(cohort)s smart city cohort") % {"cohort": cohort.year},
        _("Fill in the readiness assessment before the deadline."),
        f"/program/{cohort.year}/",
    )
    return created


def _unknown_codes(codes: list[str]) -> list[str]:
    from kotacerdas.regions.models import Province

    regions = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    provinces = set(Province.objects.filter(code__in=codes).values_list("code", flat=True))
    return [c for c in codes if c not in regions and c not in provinces]


def nominate(user: User, cohort: Cohort) -> Participation:
    """A regional officer nominates its own region for a cohort whose assessment is still open."""
    permissions.require(user, "program.nominate", cohort)
    if not cohort.submission_open():
        raise ValidationError(_("This cohort no longer accepts nominations."))
    participation, _new = Participation.objects.get_or_create(
        cohort=cohort, region_id=user.region_id, defaults={"invited_via": InvitedVia.SELF_NOMINATION}
    )
    notify.notify(
        notify.national_admins(),
        "nominated",
        _("%(region)s nominated itself for %(cohort)s") % {"region": user.region, "cohort": cohort.year},
    )
    return participation


def participations(cohort: Cohort) -> QuerySet[Participation]:
    return cohort.participations.select_related(
        "region__province", "province", "submission", "mou", "mentor_team"
    )


# --- the funnel and the national summary -----------------------------------------------------------


def funnel(cohort: Cohort) -> dict[str, int]:
    """How many participants reached each stage: invited → … → master plan approved (one query)."""
    done = Q(sessions__kind__in=BIMTEK_KINDS, sessions__held=True)
    counts = cohort.participations.aggregate(
        invited=Count("pk"),
        submitted=Count("pk", filter=Q(submission__submitted_at__isnull=False)),
        scored=Count("pk", filter=Q(submission__final_score__isnull=False)),
        selected=Count("pk", filter=Q(selected=True)),
        mou_signed=Count("pk", filter=Q(mou__isnull=False)),
        plan_approved=Count("pk", filter=Q(plan_approved_on__isnull=False)),
    )
    guided = (
        cohort.participations.filter(done)
        .annotate(rounds=Count("sessions__kind", filter=done, distinct=True))
        .filter(rounds=len(BIMTEK_KINDS))
        .count()
    )
    return {stage: (guided if stage == "guided" else counts[stage]) for stage in FUNNEL_STAGES}


def cumulative_kabkota() -> dict[str, int]:
    """Distinct kab/kota selected in any cohort up to and including each cohort year."""
    rows = (
        Participation.objects.filter(selected=True, region__isnull=False)
        .values_list("cohort__year", "region_id")
        .order_by("cohort__year")
    )
    seen: set[str] = set()
    by_year: dict[int, set[str]] = {}
    for year, region in rows:
        by_year.setdefault(year, set()).add(region)
    result = {}
    for year in sorted(set(Cohort.objects.values_list("year", flat=True))):
        seen |= by_year.get(year, set())
        result[str(year)] = len(seen)
    return result


def region_history(region: Region, public_only: bool = False) -> QuerySet[Participation]:
    """Every cohort the region took part in, oldest first (repeats included); the public sees only
    published selections."""
    qs = region.participations.select_related("cohort", "mou").order_by("cohort__year")
    return qs.filter(selected=True, cohort__selection_published=True) if public_only else qs


# --- ranking and selection -------------------------------------------------------------------------


@dataclass
class RankRow:
    rank: int
    participation: Participation
    total: float
    dimensions: dict[str, float]
    tie_broken_by: str
    decision: ranking.Decision | None = None


def _candidates(cohort: Cohort, provinces: bool) -> tuple[list[ranking.Candidate], dict[str, Participation]]:
    scored = participations(cohort).filter(
        submission__final_score__isnull=False, region__isnull=provinces, submission__needs_third_review=False
    )
    by_key = {p.participant_code: p for p in scored}
    items = [
        ranking.Candidate(
            key=code,
            province=p.province_code,
            total=float(p.submission.final_score or 0),
            leadership=float(p.submission.dimension_scores.get("kepemimpinan", 0.0)),
            submitted_at=p.submission.submitted_at or timezone.now(),
        )
        for code, p in by_key.items()
    ]
    return items, by_key


def cohort_ranking(cohort: Cohort, provinces: bool = False) -> list[RankRow]:
    """The transparent ranking with each participant's dimension breakdown and current selection reason."""
    items, by_key = _candidates(cohort, provinces)
    rows = []
    for ranked in ranking.rank(items):
        p = by_key[ranked.candidate.key]
        rows.append(
            RankRow(
                ranked.rank, p, ranked.candidate.total, p.submission.dimension_scores, ranked.tie_broken_by
            )
        )
    return rows


def rules_of(cohort: Cohort, provinces: bool = False) -> ranking.Rules:
    if provinces:
        return ranking.Rules(quota=cohort.quota_provinces)
    return ranking.Rules(cohort.quota_kabkota, cohort.max_per_province, cohort.min_eastern)


@transaction.atomic
def run_selection(
    user: User,
    cohort: Cohort,
    force_in: Mapping[str, str] | None = None,
    force_out: Mapping[str, str] | None = None,
) -> dict[str, ranking.Selection]:
    """Select kab/kota and provinces within the quotas and rules; overrides need a written reason."""
    permissions.require(user, "program.manage")
    for key, reason in {**(force_in or {}), **(force_out or {})}.items():
        if not reason.strip():
            raise ValidationError(_("An override of %(code)s needs a written reason.") % {"code": key})
    results = {}
    for provinces in (False, True):
        items, by_key = _candidates(cohort, provinces)
        mine_in = {k: v for k, v in (force_in or {}).items() if k in by_key}
        mine_out = {k: v for k, v in (force_out or {}).items() if k in by_key}
        try:
            selection = ranking.select(ranking.rank(items), rules_of(cohort, provinces), mine_in, mine_out)
        except ValueError as exc:
            raise ValidationError(_("More forced selections than the quota allows.")) from exc
        updates = [
            (
                by_key[d.key],
                {
                    "selected": d.selected,
                    "selection_reason": decision_text(d),
                    "override_reason": mine_in.get(d.key) or mine_out.get(d.key) or "",
                },
            )
            for d in selection.decisions
        ]
        audit.update_many(user, updates)
        results["provinces" if provinces else "kabkota"] = selection
    return results


def publish_selection(user: User, cohort: Cohort) -> Cohort:
    permissions.require(user, "program.manage")
    selected = participations(cohort).filter(selected=True)
    if not selected.exists():
        raise ValidationError(_("Run the selection before publishing it."))
    cohort.selection_published = True
    cohort.save(update_fields=["selection_published"])
    Submission.objects.filter(participation__cohort=cohort, status=SubmissionStatus.SUBMITTED).update(
        status=SubmissionStatus.SCORED
    )
    notify.notify(
        notify.officers_of(p.region_id for p in selected if p.region_id),
        "selected",
        _("Your region was selected for the %(cohort)s smart city cohort") % {"cohort": cohort.year},
        url=f"/program/{cohort.year}/selection/",
    )
    return cohort


# --- MoU, mentors and guidance ---------------------------------------------------------------------


def record_mou(
    user: User, participation: Participation, signed_on: date, signatories: str, document: Any = None
) -> Mou:
    permissions.require(user, "program.manage")
    if not participation.selected:
        raise ValidationError(_("Only selected participants sign an MoU."))
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": [_("The signing date cannot be in the future.")]})
    mou, _new = Mou.objects.update_or_create(
        participation=participation, defaults={"signed_on": signed_on, "signatories": signatories.strip()}
    )
    if document:
        mou.document = document
        mou.save()
    return mou


def schedule_session(user: User, participation: Participation, **fields: Any) -> GuidanceSession:
    permissions.require(user, "program.guide", participation)
    if not participation.selected:
        raise ValidationError(_("Guidance sessions are for selected participants."))
    session = GuidanceSession(participation=participation, **fields)
    session.full_clean()
    session.save()
    return session


def record_outputs(user: User, session: GuidanceSession, outputs: Mapping[str, str]) -> None:
    """Save the round's outputs (only the kinds the methodology lists for that round)."""
    permissions.require(user, "program.guide", session.participation)
    allowed = {kind: section for kind, _label, section in ROUND_OUTPUTS[session.kind]}
    unknown = set(outputs) - set(allowed)
    if unknown:
        raise ValidationError(
            _("Not an output of this round: %(kinds)s") % {"kinds": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        for kind, content in outputs.items():
            if content.strip():
                session.outputs.update_or_create(
                    kind=kind, defaults={"content": content.strip(), "plan_section": allowed[kind]}
                )


@dataclass
class RegionAgenda:
    """What is next and what is overdue for a region's participation."""

    next_sessions: list[GuidanceSession] = field(default_factory=list)
    overdue: list[FollowUp] = field(default_factory=list)
    open_follow_ups: list[FollowUp] = field(default_factory=list)
    missing_rounds: list[str] = field(default_factory=list)


def region_agenda(participation: Participation, today: date | None = None) -> RegionAgenda:
    today = today or timezone.localdate()
    sessions = list(participation.sessions.all())
    follow_ups = list(FollowUp.objects.filter(session__participation=participation, done_on=None))
    held = {s.kind for s in sessions if s.held}
    return RegionAgenda(
        next_sessions=[s for s in sessions if not s.held and s.starts_at.date() >= today],
        overdue=[f for f in follow_ups if f.due_on < today],
        open_follow_ups=[f for f in follow_ups if f.due_on >= today],
        missing_rounds=[str(SessionKind(k).label) for k in BIMTEK_KINDS if k not in held],
    )


MAX_WORKSHEET_BYTES = 20 * 1024 * 1024


def add_worksheet(user: User, session: GuidanceSession, upload: Any, title: str = "") -> Any:
    """Attach a worksheet (PDF, image, XLSX or DOCX; at most 20 MB) to a session."""
    permissions.require(user, "program.guide", session.participation)
    uploads.check_upload(upload, uploads.WORKSHEETS, MAX_WORKSHEET_BYTES)
    return session.files.create(file=upload, title=(title or upload.name or "")[:200])


def assign_mentor_team(user: User, participation: Participation, team: Any) -> Participation:
    permissions.require(user, "program.manage")
    participation.mentor_team = team
    participation.save(update_fields=["mentor_team"])
    return participation
