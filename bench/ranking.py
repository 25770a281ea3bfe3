"""Benchmark: score and rank all 514 kab/kota, 60 criteria, 3 reviewers each (issue #3 budget ≤ 1 s).

One command:  .venv/bin/python bench/ranking.py [--database-url URL]
Part 1, pure: assessment.scoring.aggregate for every submission + ranking.rank + ranking.select.
Part 2, database: assessment.services.recompute_cohort (reads all 92,520 scores, aggregates, writes back)
then program.services.cohort_ranking + run_selection. The data load itself is not timed.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta

N_REGIONS, N_CRITERIA, N_REVIEWERS = 514, 60, 3
from common import prepare_database  # noqa: E402  (bench/ is run as a script folder)

BUDGET_S = 1.0


def pure() -> float:
    from kotacerdas.assessment import ranking, scoring

    rng = random.Random(7)
    dims = ["struktur", "infrastruktur", "suprastruktur", "kepemimpinan"]
    criteria = [scoring.Criterion(f"c{i}", dims[i % 4], f"s{i % 12}") for i in range(N_CRITERIA)]
    structure = scoring.Structure(
        criteria, {"struktur": 30, "infrastruktur": 30, "suprastruktur": 30, "kepemimpinan": 10}
    )
    reviews = [
        {f"r{r}": {c.key: rng.randint(1, 5) for c in criteria} for r in range(N_REVIEWERS)}
        for _ in range(N_REGIONS)
    ]
    start = time.perf_counter()
    results = [scoring.aggregate(structure, review) for review in reviews]
    candidates = [
        ranking.Candidate(
            f"{i:04d}",
            str(11 + i % 80),
            r.total,
            r.dimensions["kepemimpinan"],
            datetime(2026, 1, 1) + timedelta(minutes=i),
        )
        for i, r in enumerate(results)
    ]
    ranking.select(ranking.rank(candidates), ranking.Rules(quota=50, max_per_province=3, min_eastern=10))
    return time.perf_counter() - start


def load_cohort() -> object:
    """A 60-criterion questionnaire, 514 submitted assessments and 3 complete reviews of each (bulk)."""
    from django.utils import timezone

    from kotacerdas.assessment.models import (
        Criterion,
        Dimension,
        Questionnaire,
        ReviewAssignment,
        ReviewScore,
        Submission,
    )
    from kotacerdas.core.models import Role, User
    from kotacerdas.program.models import Cohort, Participation
    from kotacerdas.regions.models import Region

    rng = random.Random(7)
    q = Questionnaire.objects.create(version="bench", title="bench")
    dims = [
        Dimension.objects.create(questionnaire=q, key=k, name=k, weight=w, order=i)
        for i, (k, w) in enumerate(
            [("struktur", 30), ("infrastruktur", 30), ("suprastruktur", 30), ("kepemimpinan", 10)]
        )
    ]
    criteria = Criterion.objects.bulk_create(
        Criterion(dimension=dims[i % 4], code=f"C{i}", sub_element=f"s{i % 12}", question="?", order=i)
        for i in range(N_CRITERIA)
    )
    reviewers = [User.objects.create(username=f"bench-r{i}", role=Role.NATIONAL_REVIEWER) for i in range(3)]
    cohort = Cohort.objects.create(
        year=2099,
        title="bench",
        quota_kabkota=50,
        questionnaire=q,
        reviewers_per_submission=3,
        max_per_province=3,
        min_eastern=10,
    )
    parts = Participation.objects.bulk_create(
        Participation(cohort=cohort, region=r) for r in Region.objects.all()
    )
    now = timezone.now()
    subs = Submission.objects.bulk_create(
        Submission(participation=p, questionnaire=q, status="submitted", submitted_at=now) for p in parts
    )
    assignments = ReviewAssignment.objects.bulk_create(
        ReviewAssignment(submission=s, reviewer=r, completed_at=now) for s in subs for r in reviewers
    )
    ReviewScore.objects.bulk_create(
        (
            ReviewScore(assignment=a, criterion=c, score=rng.randint(1, 5))
            for a in assignments
            for c in criteria
        ),
        batch_size=5000,
    )
    return cohort


def database(cohort: object) -> tuple[float, float]:
    from kotacerdas.assessment.services import recompute_cohort
    from kotacerdas.core.models import Role, User
    from kotacerdas.program import services

    admin = User.objects.create(username="bench-admin", role=Role.NATIONAL_ADMIN)
    start = time.perf_counter()
    scored = recompute_cohort(cohort)
    scoring_s = time.perf_counter() - start
    start = time.perf_counter()
    rows = services.cohort_ranking(cohort)
    services.run_selection(admin, cohort)
    ranking_s = time.perf_counter() - start
    assert scored == N_REGIONS and len(rows) == N_REGIONS, (scored, len(rows))
    return scoring_s, ranking_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    pure_s = min(pure() for _ in range(3))
    prepare_database(args.database_url)
    from django.db import connection

    scoring_s, ranking_s = database(load_cohort())
    print(
        f"{N_REGIONS} kab/kota × {N_CRITERIA} criteria × {N_REVIEWERS} reviewers; {os.cpu_count()} cores; "
        f"engine {connection.vendor}\n"
    )
    print("| step | seconds |\n|---|---:|")
    print(f"| pure: score all + rank + select (best of 3) | {pure_s:.3f} |")
    print(f"| database: recompute_cohort (read 92,520 scores, aggregate, write) | {scoring_s:.3f} |")
    print(f"| database: cohort_ranking + run_selection (write 514 decisions) | {ranking_s:.3f} |")
    total = scoring_s + ranking_s
    verdict = "within" if total <= BUDGET_S else "OVER"
    print(f"\ndatabase total {total:.3f} s: {verdict} the {BUDGET_S:.0f} s budget")
    return 0 if total <= BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
