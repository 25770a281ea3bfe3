"""Benchmark: the yearly evaluation and the national dashboard with a national data set (issue #7 budgets:
computing all 514 kab/kota × 91 indicators × 5 years <= 2 s; national dashboard p95 <= 150 ms).

One command:  .venv/bin/python bench/evaluation.py [--requests 100] [--database-url URL]
Loads, on a fresh database (SQLite file by default): 91 U4SSC values per region and year for every
kab/kota and five years (233,870 values), verified output and quick-win scores, an impact survey with 10
answers per region and year. Then times `compute_year` for the five years (reading everything from the
database, computing, storing the results with their traces), the pure index alone, and the national
dashboard (HTML and its JSON twin) through Django's test client. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

from common import prepare_database  # noqa: E402  (bench/ is run as a script folder)

YEARS = (2021, 2022, 2023, 2024, 2025)
COMPUTE_BUDGET_S = 2.0
DASHBOARD_BUDGET_MS = 150.0


def load() -> int:
    from django.utils import timezone

    from kotacerdas.core.models import Role, User
    from kotacerdas.indicators.models import Indicator, IndicatorValue
    from kotacerdas.monitoring.models import EvaluationRound, ImpactResponse, ImpactSurvey, SelfAssessment
    from kotacerdas.pillars.models import Element
    from kotacerdas.regions.models import Region

    officer = User.objects.create(username="bench", role=Role.REGIONAL_OFFICER)
    regions = list(Region.objects.values_list("code", flat=True))
    indicators = list(Indicator.objects.values_list("pk", "direction"))
    element = Element.objects.first()
    rng = random.Random(7)
    values = []
    for code in regions:
        quality = rng.uniform(0.1, 0.9)
        for pk, direction in indicators:
            for year in YEARS:
                share = min(1.0, max(0.0, quality + 0.03 * (year - YEARS[0]) + rng.uniform(-0.1, 0.1)))
                number = share if direction == "higher" else 1 - share
                values.append(
                    IndicatorValue(
                        indicator_id=pk,
                        region_id=code,
                        year=year,
                        value=round(number * 100, 2),
                        method="import",
                        source="bench",
                    )
                )
    IndicatorValue.objects.bulk_create(values, batch_size=5000)
    for year in YEARS:
        round_ = EvaluationRound.objects.create(
            year=year, opens_on=f"{year}-06-01", closes_on=f"{year}-12-31"
        )
        assessments, surveys = [], []
        for code in regions:
            for dimension in ("output", "quickwin"):
                score = round(rng.uniform(1, 5), 1)
                assessments.append(
                    SelfAssessment(
                        round=round_,
                        region_id=code,
                        dimension=dimension,
                        self_score=score,
                        narrative="bench",
                        submitted_by=officer,
                        verified_score=score,
                        verified_at=timezone.now(),
                    )
                )
            surveys.append(ImpactSurvey(round=round_, region_id=code, element=element, program="bench"))
        SelfAssessment.objects.bulk_create(assessments, batch_size=2000)
        ImpactSurvey.objects.bulk_create(surveys, batch_size=2000)
        answers = []
        for survey in ImpactSurvey.objects.filter(round=round_):
            for i in range(10):
                marks = [rng.randint(1, 5) for _ in range(4)]
                answers.append(
                    ImpactResponse(survey=survey, respondent=f"R{i}", answers=marks, mean=sum(marks) / 4)
                )
        ImpactResponse.objects.bulk_create(answers, batch_size=5000)
    return len(values)


def time_compute() -> dict[str, float]:
    """Seconds: compute_years for every year (the product's path), and its parts measured on their own."""
    from kotacerdas.monitoring import evaluation, index

    start = time.perf_counter()
    evaluation.compute_years(YEARS)
    parts = {"total": time.perf_counter() - start}
    with evaluation.paused_gc():
        start = time.perf_counter()
        known: dict[int, evaluation.Values] = {}
        inputs = {year: evaluation.inputs_for(year, known) for year in YEARS}
        parts["read"] = time.perf_counter() - start
        specs, pillars = evaluation.indicator_specs(), evaluation.pillar_keys()
        start = time.perf_counter()
        for year in YEARS:
            index.evaluate(inputs[year], specs, pillars)
        parts["index"] = time.perf_counter() - start
    return parts


def time_page(path: str, requests: int) -> list[float]:
    from django.test import Client

    client = Client()
    for _ in range(3):
        client.get(path)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return sorted(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    prepare_database(args.database_url)
    from django.db import connection

    loaded = load()
    parts = time_compute()
    compute = parts["total"]
    cores, years = os.cpu_count(), len(YEARS)
    print(f"engine: {connection.vendor}; {cores} cores; {loaded:,} indicator values; {years} years\n")
    print("| step | figure | budget |\n|---|---:|---:|")
    budget = f"{COMPUTE_BUDGET_S:.0f} s"
    print(f"| compute_years, {years} years (read, compute, store) | {compute:.2f} s | {budget} |")
    print(f"| … reading the inputs | {parts['read']:.2f} s | |")
    print(f"| … the pure index | {parts['index']:.2f} s | |")
    worst = 0.0
    for name, path in (
        ("national dashboard", "/dashboard/?year=2025"),
        ("its JSON twin", "/dashboard/?year=2025&format=json"),
    ):
        times = time_page(path, args.requests)
        p95 = times[int(len(times) * 0.95) - 1]
        worst = max(worst, p95)
        p50 = statistics.median(times)
        print(f"| {name} p50 / p95 | {p50:.0f} / {p95:.0f} ms | {DASHBOARD_BUDGET_MS:.0f} ms |")
    ok = compute <= COMPUTE_BUDGET_S and worst <= DASHBOARD_BUDGET_MS
    print(f"\n{'within' if ok else 'OVER'} the budgets")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
