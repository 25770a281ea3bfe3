"""The yearly evaluation from stored data: rounds, self-assessment and verification, the impact survey,
and the computed index checked against numbers worked out by hand."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kotacerdas.indicators.models import Indicator, IndicatorValue
from kotacerdas.masterplan.models import Initiative
from kotacerdas.monitoring import evaluation, services
from kotacerdas.monitoring.models import EvaluationRound, ImpactResponse, SelfAssessment
from kotacerdas.pillars.models import Element

pytestmark = pytest.mark.django_db
ACCESS = "EC: ICT: ICT: 1C"  # household Internet access, %, higher is better, society
UNEMPLOYMENT = "EC: P: EM: 1C"  # %, lower is better, economy


def post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def round_2025(users: dict[str, Any]) -> EvaluationRound:
    today = timezone.localdate()
    return evaluation.open_round(
        users["national_admin"], 2025, date(2025, 6, 1), max(today, date(2025, 12, 31))
    )


def value(code: str, region: str, year: int, number: float) -> None:
    IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code=code),
        region_id=region,
        year=year,
        value=number,
        method="manual",
        source="uji",
    )


def test_rounds_are_opened_by_national_admins_with_checked_weights(client_as: Any) -> None:
    body = {"year": 2026, "opens_on": "2026-06-01", "closes_on": "2026-12-31"}
    assert post(client_as("officer_a"), "/api/evaluations/rounds", body).status_code == 403
    created = post(client_as("national_admin"), "/api/evaluations/rounds", body)
    assert created.status_code == 201 and created.json()["weights"]["outcome"] == 30
    jambi = {**body, "weights": {"baseline": 10, "output": 20, "outcome": 30, "impact": 20, "quickwin": 20}}
    assert (
        post(client_as("national_admin"), "/api/evaluations/rounds", jambi).json()["weights"]["impact"] == 20
    )
    for weights in ({"baseline": -1}, {"happiness": 10}):
        refused = post(client_as("national_admin"), "/api/evaluations/rounds", {**body, "weights": weights})
        assert refused.status_code == 400
    backwards = {**body, "closes_on": "2026-05-01"}
    assert (
        "closes before it opens"
        in post(client_as("national_admin"), "/api/evaluations/rounds", backwards).json()["detail"]
    )


def test_self_assessment_in_the_window_by_the_regions_officer(
    users: dict[str, Any], round_2025: EvaluationRound
) -> None:
    row = evaluation.self_assess(
        users["officer_a"], round_2025, "73.22", "output", 4.2, "Perbup smart city terbit."
    )
    assert row.verified_score is None
    with pytest.raises(PermissionDenied):
        evaluation.self_assess(users["officer_b"], round_2025, "73.22", "output", 4.0, "x")
    with pytest.raises(ValidationError, match="between 0 and 5"):
        evaluation.self_assess(users["officer_a"], round_2025, "73.22", "quickwin", 7, "x")
    with pytest.raises(PermissionDenied):
        evaluation.verify_assessment(users["officer_a"], row, 4.0, "wawancara")
    with pytest.raises(ValidationError, match="interview notes"):
        evaluation.verify_assessment(users["national_reviewer"], row, 4.0, " ")
    verified = evaluation.verify_assessment(users["national_reviewer"], row, 3.8, "Wawancara dengan Bappeda.")
    assert verified.verified_score == 3.8 and verified.assessor == users["national_reviewer"]


def test_closed_window_refuses(users: dict[str, Any]) -> None:
    closed = evaluation.open_round(users["national_admin"], 2023, date(2023, 6, 1), date(2023, 12, 31))
    with pytest.raises(ValidationError, match="closed"):
        evaluation.self_assess(users["officer_a"], closed, "73.22", "output", 4, "x")


def test_impact_survey_import_all_or_nothing(users: dict[str, Any], round_2025: EvaluationRound) -> None:
    good = [
        {"element": "health", "program": "Telemedisin", "respondent": f"R{i}", "q1": 4, "q2": 5}
        for i in range(3)
    ]
    assert evaluation.import_survey(users["officer_a"], round_2025, "73.22", good) == 3
    bad = [*good, {"element": "health", "program": "Telemedisin", "respondent": "R9", "q1": 6}]
    with pytest.raises(ValidationError) as refused:
        evaluation.import_survey(users["officer_a"], round_2025, "73.22", bad)
    assert "row 5: q1 must be a whole number from 1 to 5, not 6" in refused.value.messages
    four = [{"element": "health", "program": f"P{i}", "respondent": "R1", "q1": 3} for i in range(3)]
    with pytest.raises(ValidationError, match="at most 3 are surveyed"):
        evaluation.import_survey(users["officer_a"], round_2025, "73.22", four)
    assert ImpactResponse.objects.count() == 3
    assert ImpactResponse.objects.first().mean == 4.5  # type: ignore[union-attr]


def test_index_from_stored_data_matches_the_hand_computation(
    users: dict[str, Any], round_2025: EvaluationRound
) -> None:
    Indicator.objects.filter(code=ACCESS).update(goal_min=0, goal_max=100)
    value(ACCESS, "32.76", 2024, 60)
    value(ACCESS, "32.76", 2025, 80)
    value(UNEMPLOYMENT, "32.76", 2025, 10)
    value(UNEMPLOYMENT, "73.22", 2025, 30)
    for dimension, score in (("output", 4.0), ("quickwin", 3.0)):
        SelfAssessment.objects.create(
            round=round_2025,
            region_id="32.76",
            dimension=dimension,
            self_score=score + 0.5,
            narrative="x",
            submitted_by=users["officer_b"],
            verified_score=score,
            assessor=users["national_reviewer"],
            verified_at=timezone.now(),
        )
    SelfAssessment.objects.create(  # not verified: never counted
        round=round_2025,
        region_id="73.22",
        dimension="output",
        self_score=5,
        narrative="x",
        submitted_by=users["officer_a"],
    )
    rows = [
        {"element": "health", "program": "Posyandu digital", "respondent": r, "q1": a, "q2": a}
        for r, a in (("R1", 5), ("R2", 3))
    ]
    evaluation.import_survey(users["officer_b"], round_2025, "32.76", rows)

    results = {e.region_id: e for e in evaluation.compute_year(2025)}
    depok = results["32.76"]
    dims = {d["key"]: d for d in depok.trace["dimensions"]}
    assert dims["baseline"]["value"] == 5.0  # 60 → 80: 1 of 1 improved
    assert dims["impact"]["value"] == pytest.approx(3.75)  # mean (5 + 3)/2 = 4 → (4 − 1)/4 × 5
    assert dims["outcome"]["value"] is None  # Depok's plan is a draft
    # (10·5 + 20·4 + 30·3.75 + 10·3) / 70 = 272.5 / 70
    assert depok.score == pytest.approx(272.5 / 70)
    assert depok.maturity_level == 4 and depok.rank == 1
    assert depok.pillars["society"] == pytest.approx(4.0)  # 80 of 0..100 → 80 → 4.0
    # unemployment (lower is better), observed range 10..30: Depok at the best end
    assert depok.pillars["economy"] == pytest.approx(5.0)
    assert depok.pillars["living"] is None
    luwu = results["73.22"]
    assert luwu.score is None and luwu.rank is None
    assert luwu.pillars["economy"] == pytest.approx(0.0)
    assert "output (policy, institutions, budget) not verified" in json.dumps(luwu.trace)


def test_outcome_counts_verified_reports_of_the_approved_plan(
    users: dict[str, Any], stations: Initiative, plan_initiatives: list[Initiative]
) -> None:
    report = services.report_progress(
        users["officer_a"],
        stations,
        {"percent": 100, "status": "done", "narrative": "Selesai.", "reported_on": date(2024, 11, 30)},
    )
    other = next(i for i in plan_initiatives if i.start_year <= 2024 and i.pk != stations.pk)
    services.report_progress(  # not verified: does not count
        users["officer_a"],
        other,
        {"percent": 100, "status": "done", "narrative": "x", "reported_on": date(2024, 11, 30)},
    )
    planned = sum(1 for i in plan_initiatives if i.start_year <= 2024)
    before = evaluation.inputs_for(2024)[0]
    assert (sum(before.planned.values()), sum(before.implemented.values())) == (planned, 0)
    services.verify_report(users["national_reviewer"], report)
    after = evaluation.inputs_for(2024)[0]
    assert sum(after.implemented.values()) == 1 and after.implemented["environment"] == 1
    result = evaluation.compute_year(2024)[0]
    outcome = next(d for d in result.trace["dimensions"] if d["key"] == "outcome")
    assert outcome["value"] == pytest.approx(5 / planned)
    assert outcome["source"] == f"1 of {planned} programs implemented"


def test_year_over_year_change_and_the_api(
    client_as: Any, users: dict[str, Any], round_2025: EvaluationRound
) -> None:
    for year, (output, quick) in ((2024, (2.0, 2.0)), (2025, (4.0, 3.0))):
        found = evaluation.open_round(users["national_admin"], year, date(year, 6, 1), date(2099, 1, 1))
        for dimension, score in (("output", output), ("quickwin", quick)):
            SelfAssessment.objects.create(
                round=found,
                region_id="32.76",
                dimension=dimension,
                self_score=score,
                narrative="x",
                submitted_by=users["officer_b"],
                verified_score=score,
                verified_at=timezone.now(),
            )
        ImpactResponse.objects.create(
            survey=found.surveys.create(region_id="32.76", element=Element.objects.first(), program="P"),
            respondent="R",
            answers=[3],
            mean=3.0,
        )
    # weights 20 + 30 + 10 of 100 with data: below 2/3 → no score; use a round that weighs only those three
    for year in (2024, 2025):
        EvaluationRound.objects.filter(year=year).update(weights={"baseline": 0, "outcome": 0})
    assert post(client_as("officer_b"), "/api/evaluations/2024/compute", {}).status_code == 403
    assert post(client_as("national_admin"), "/api/evaluations/2024/compute", {}).status_code == 200
    listed = post(client_as("national_admin"), "/api/evaluations/2025/compute", {}).json()
    item = listed["items"][0]
    # 2024: (20·2 + 30·2.5 + 10·2)/60 = 135/60 = 2.25; 2025: (20·4 + 30·2.5 + 10·3)/60 = 185/60
    assert item["score"] == pytest.approx(185 / 60) and item["change"] == pytest.approx(185 / 60 - 2.25)
    assert set(item) >= {"region_code", "score", "maturity_level", "pillars", "rank"}
    assert set(item["pillars"]) == {"governance", "branding", "economy", "society", "living", "environment"}
    public = client_as(None).get("/api/evaluations?year=2025").json()
    assert public["count"] == 1 and public["items"][0]["region_code"] == "32.76"
    why = client_as(None).get("/api/evaluations/2025/regions/32.76").json()
    assert {d["key"] for d in why["dimensions"]} == {"baseline", "output", "outcome", "impact", "quickwin"}
    assert client_as("national_reviewer").get("/api/evaluations/2025/sensitivity").status_code == 403
    moves = client_as("national_admin").get("/api/evaluations/2025/sensitivity").json()
    assert moves[0]["region"] == "32.76" and "equal weights" in moves[0]["ranks"]


def test_answers_typed_on_the_page_are_checked_like_an_import(
    client_as: Any, users: dict[str, Any], round_2025: EvaluationRound
) -> None:
    url = "/monitoring/region/73.22/evaluation/2025/answers/"
    row = {"element": "health", "program": "Telemedisin", "respondent": "R1", "answers": "4, 5, 3"}
    assert client_as("officer_b").post(url, row).status_code == 403
    officer = client_as("officer_a")
    assert officer.post(url, row).status_code == 302
    assert ImpactResponse.objects.get().answers == [4, 5, 3]
    officer.post(url, {**row, "respondent": "R2", "answers": "4, 9"})
    assert ImpactResponse.objects.count() == 1
    page = officer.get("/monitoring/region/73.22/evaluation/2025/").content.decode()
    assert "q2 must be a whole number from 1 to 5, not 9" in page and "about 50" in page
