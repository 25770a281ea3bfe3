"""Demo (and test fixture) data for monitoring and evaluation: evaluation rounds, illustrative indicator
values, verified self-assessments and impact answers for a sample of regions, Luwu Utara's progress
reports, and the computed evaluations. Deterministic (seeded random), idempotent, clearly illustrative."""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction
from django.utils import timezone

from kotacerdas.core.models import Role, User
from kotacerdas.indicators import values as indicator_values
from kotacerdas.indicators.models import Indicator, IndicatorValue
from kotacerdas.masterplan.models import Initiative
from kotacerdas.pillars.models import Element
from kotacerdas.regions.models import Region

from . import evaluation, progress, services
from .index import DEFAULT_WEIGHTS
from .models import EvaluationRound, ImpactResponse, ImpactSurvey, ProgressReport, SelfAssessment

YEARS = (2024, 2025)
SAMPLE_EVERY = 7  # every 7th region of the registry, plus the demo regions
DEMO_REGIONS = ("73.22", "32.76", "73.71", "35.71")
SOURCE = "Contoh data demo (ilustratif)"


def sample_regions() -> list[str]:
    codes = list(Region.objects.order_by("code").values_list("code", flat=True))
    return sorted(set(codes[::SAMPLE_EVERY]) | {c for c in DEMO_REGIONS if c in codes})


def _value(rng: random.Random, indicator: Indicator, quality: float, year: int) -> float:
    """An illustrative value: better regions are better; everybody improves a little each year."""
    better = quality + 0.04 * (year - YEARS[0]) + rng.uniform(-0.05, 0.05)
    share = max(0.0, min(1.0, better if indicator.direction == "higher" else 1 - better))
    top = 100.0 if indicator.unit.strip() == "%" else 1000.0
    return round(share * top, 2)


def seed_values(regions: list[str], indicators: list[Indicator]) -> int:
    rows = []
    for code in regions:
        rng = random.Random(code)
        quality = rng.uniform(0.15, 0.85)
        for indicator in indicators:
            for year in YEARS:
                rows.append(
                    IndicatorValue(
                        indicator=indicator,
                        region_id=code,
                        year=year,
                        value=_value(rng, indicator, quality, year),
                        method=IndicatorValue.Method.IMPORT,
                        source=SOURCE,
                    )
                )
    IndicatorValue.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)


def seed_rounds(admin: User | None) -> None:
    for year in (*YEARS, timezone.localdate().year):
        EvaluationRound.objects.get_or_create(
            year=year,
            defaults={
                "opens_on": date(year, 6, 1),
                "closes_on": date(year, 12, 31),
                "weights": dict(DEFAULT_WEIGHTS),
                "created_by": admin,
            },
        )


def seed_assessments(regions: list[str], reviewer: User | None, officer: User) -> None:
    elements = list(Element.objects.select_related("pillar").order_by("pillar__order", "order")[:6])
    for year in YEARS:
        round_ = EvaluationRound.objects.get(year=year)
        for code in regions:
            rng = random.Random(f"{code}-{year}")
            for dimension in ("output", "quickwin"):
                score = round(rng.uniform(1.5, 4.8), 1)
                SelfAssessment.objects.get_or_create(
                    round=round_,
                    region_id=code,
                    dimension=dimension,
                    defaults={
                        "self_score": score,
                        "narrative": SOURCE,
                        "submitted_by": officer,
                        "verified_score": max(0.0, score - 0.3),
                        "interview_notes": SOURCE,
                        "assessor": reviewer,
                        "verified_at": timezone.now(),
                    },
                )
            for element in elements[:2]:
                survey, _ = ImpactSurvey.objects.get_or_create(
                    round=round_, region_id=code, element=element, program=f"Program {element.name} (contoh)"
                )
                if not survey.responses.exists():
                    answers = [[rng.randint(2, 5) for _ in range(4)] for _ in range(10)]
                    ImpactResponse.objects.bulk_create(
                        ImpactResponse(
                            survey=survey, respondent=f"R{i + 1:02d}", answers=a, mean=sum(a) / len(a)
                        )
                        for i, a in enumerate(answers)
                    )


def seed_progress(officer: User, reviewer: User | None) -> int:
    """Luwu Utara's initiatives: a report each (the first ones done and verified), a milestone."""
    made = 0
    for initiative in services.approved_initiatives("73.22").order_by("start_year", "pk"):
        if ProgressReport.objects.filter(initiative=initiative).exists():
            continue
        made += 1
        _report(initiative, officer, reviewer)
    return made


def _report(initiative: Initiative, officer: User, reviewer: User | None) -> None:
    today = timezone.localdate()
    expected = progress.expected_percent(initiative.start_year, initiative.end_year, today)
    done = initiative.end_year < today.year
    percent = 100 if done else int(expected * 0.8)
    data = {
        "percent": percent,
        "status": "done" if done else "on_track",
        "narrative": "Laporan contoh (data demo).",
        "reported_on": date(today.year, 6, 30),
    }
    report = services.report_progress(officer, initiative, data)
    if reviewer is not None and done:
        services.verify_report(reviewer, report, "Diverifikasi (contoh).")
    if not initiative.milestones.exists():
        initiative.milestones.create(
            title="Dokumen perencanaan teknis",
            due_on=date(initiative.start_year, 9, 30),
            done_on=date(initiative.start_year, 9, 1),
        )


@transaction.atomic
def seed_evaluation() -> dict[str, int]:
    """Everything above, then the evaluations of the demo years."""
    admin = User.objects.filter(role=Role.NATIONAL_ADMIN).order_by("pk").first()
    reviewer = User.objects.filter(role=Role.NATIONAL_REVIEWER).order_by("pk").first()
    officer = User.objects.filter(role=Role.REGIONAL_OFFICER, region_id="73.22").order_by("pk").first()
    if officer is None:
        officer = User.objects.create(username="officer", role=Role.REGIONAL_OFFICER, region_id="73.22")
    regions = sample_regions()
    indicators = list(Indicator.objects.filter(level=Indicator.Level.CORE).order_by("code"))
    seed_rounds(admin)
    stored = seed_values(regions, indicators)
    seed_assessments(regions, reviewer, officer)
    reports = seed_progress(officer, reviewer)
    for year in YEARS:
        indicator_values.take_live_values(year)
        evaluation.compute_year(year)
    return {"regions": len(regions), "values": stored, "reports": reports}
