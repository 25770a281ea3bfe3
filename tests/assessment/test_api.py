"""The assessment API: a region fills and submits by API; a reviewer scores; others are refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kotacerdas.assessment import services
from tests.conftest import fill_answers

pytestmark = pytest.mark.django_db


def _api(token: str, language: str = "en") -> dict[str, str]:
    """Bearer token headers; API messages follow Accept-Language (Indonesian by default)."""
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": language}


def test_questionnaire_is_public(participation_a: Any) -> None:
    body = Client().get("/api/questionnaires/2024-default").json()
    assert body["dimension_weights"] == {
        "struktur": 30.0,
        "infrastruktur": 30.0,
        "suprastruktur": 30.0,
        "kepemimpinan": 10.0,
    }
    assert len(body["criteria"]) == 18


def test_region_fills_and_submits_by_api(participation_a: Any, api_token: Any) -> None:
    submission = services.submission_for(participation_a)
    token = _api(api_token("officer_a"))
    body = Client().get(f"/api/submissions/{submission.pk}", **token).json()
    assert body["status"] == "draft" and len(body["missing"]) == 18
    criterion = services.criteria_of(submission.questionnaire).first()
    payload = {
        "version": body["version"],
        "answers": [{"criterion_id": criterion.pk, "value": 4, "narrative": "ok"}],
    }
    saved = Client().put(
        f"/api/submissions/{submission.pk}/answers", payload, content_type="application/json", **token
    )
    assert saved.status_code == 200 and saved.json()["answers"][0]["value"] == 4
    stale = Client().put(
        f"/api/submissions/{submission.pk}/answers", payload, content_type="application/json", **token
    )
    assert stale.status_code == 400 and "Reload" in stale.json()["detail"]
    in_indonesian = Client().put(
        f"/api/submissions/{submission.pk}/answers",
        payload,
        content_type="application/json",
        **_api(api_token("officer_a"), "id"),
    )
    assert "Muat ulang" in in_indonesian.json()["detail"]
    out_of_scale = {
        "version": saved.json()["version"],
        "answers": [{"criterion_id": criterion.pk, "value": 9}],
    }
    bad = Client().put(
        f"/api/submissions/{submission.pk}/answers", out_of_scale, content_type="application/json", **token
    )
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    incomplete = Client().post(f"/api/submissions/{submission.pk}/submit", **token)
    assert incomplete.status_code == 400 and "S2 is not answered." in incomplete.json()["errors"]
    submission.answers.all().delete()
    fill_answers(submission)
    done = Client().post(f"/api/submissions/{submission.pk}/submit", **token)
    assert done.status_code == 200 and done.json()["status"] == "submitted"


@pytest.mark.parametrize(
    ("who", "status"), [("officer_b", 403), ("partner", 403), ("national_reviewer", 200)]
)
def test_submission_visibility(participation_a: Any, api_token: Any, who: str, status: int) -> None:
    submission = services.submission_for(participation_a)
    assert Client().get(f"/api/submissions/{submission.pk}", **_api(api_token(who))).status_code == status
    assert Client().get(f"/api/submissions/{submission.pk}").status_code == 401


def test_reviewer_scores_by_api(
    participation_a: Any, users: dict[str, Any], api_token: Any, reviewers: list[Any]
) -> None:
    submission = services.submission_for(participation_a)
    fill_answers(submission)
    services.submit(users["officer_a"], submission)
    assignment = services.assign(users["national_admin"], submission, users["national_reviewer"])
    token = _api(api_token("national_reviewer"))
    mine = Client().get("/api/reviews", **token).json()
    assert [r["id"] for r in mine] == [assignment.pk]
    scores = {
        "scores": [
            {"criterion_id": c.pk, "score": 5, "comment": "baik"}
            for c in services.criteria_of(submission.questionnaire)
        ]
    }
    response = Client().put(
        f"/api/reviews/{assignment.pk}/scores", scores, content_type="application/json", **token
    )
    assert response.status_code == 200
    other = Client().put(
        f"/api/reviews/{assignment.pk}/scores",
        scores,
        content_type="application/json",
        **_api(api_token("national_admin")),
    )
    assert other.status_code == 403
