"""The assessment workflow: draft, evidence, submit before the deadline, reopen, review, score."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kotacerdas.assessment import services
from kotacerdas.assessment.models import Answer, Evidence, SubmissionStatus
from kotacerdas.core.models import Notification
from tests.conftest import fill_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(participation_a: Any) -> Any:
    return services.submission_for(participation_a)


def _first_criterion(submission: Any) -> Any:
    return services.criteria_of(submission.questionnaire).first()


def test_default_questionnaire_has_weights_30_30_30_10(submission: Any) -> None:
    dims = {d.key: d.weight for d in submission.questionnaire.dimensions.all()}
    assert dims == {"struktur": 30, "infrastruktur": 30, "suprastruktur": 30, "kepemimpinan": 10}
    assert services.criteria_of(submission.questionnaire).count() == 18


def test_answers_outside_the_scale_are_refused_and_nothing_saved(
    submission: Any, users: dict[str, Any]
) -> None:
    c = _first_criterion(submission)
    with pytest.raises(ValidationError) as err:
        services.save_answers(users["officer_a"], submission, [services.AnswerInput(c.pk, 9, "x")], version=1)
    assert f"value_{c.pk}" in err.value.message_dict
    assert not Answer.objects.exists()


def test_a_stale_form_does_not_overwrite_a_newer_save(submission: Any, users: dict[str, Any]) -> None:
    c = _first_criterion(submission)
    services.save_answers(users["officer_a"], submission, [services.AnswerInput(c.pk, 3, "first")], version=1)
    with pytest.raises(ValidationError, match="Reload"):
        services.save_answers(
            users["officer_a"], submission, [services.AnswerInput(c.pk, 5, "stale")], version=1
        )
    assert Answer.objects.get().narrative == "first"


def test_only_the_regions_officer_edits(submission: Any, users: dict[str, Any]) -> None:
    c = _first_criterion(submission)
    for key in ("officer_b", "national_admin", "national_reviewer"):
        with pytest.raises(PermissionDenied):
            services.save_answers(users[key], submission, [services.AnswerInput(c.pk, 3, "")], version=1)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bukti.exe", b"MZ", "Allowed file types: JPEG, JPG, PDF, PNG"),
        ("bukti.pdf", b"<html>", "not a PDF"),
        ("foto.png", b"\xff\xd8\xff", "not a PNG"),
    ],
)
def test_evidence_type_is_checked(
    submission: Any, users: dict[str, Any], name: str, content: bytes, message: str
) -> None:
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError, match=message):
        services.attach_evidence(users["officer_a"], submission, _first_criterion(submission).pk, upload)
    assert not Evidence.objects.exists()


def test_evidence_size_is_checked(submission: Any, users: dict[str, Any], monkeypatch: Any) -> None:
    monkeypatch.setattr(services, "MAX_EVIDENCE_BYTES", 10)
    upload = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 and more than ten bytes")
    with pytest.raises(ValidationError, match="at most 0 MB"):
        services.attach_evidence(users["officer_a"], submission, _first_criterion(submission).pk, upload)


def test_good_evidence_is_stored(submission: Any, users: dict[str, Any]) -> None:
    upload = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 test")
    evidence = services.attach_evidence(
        users["officer_a"], submission, _first_criterion(submission).pk, upload
    )
    assert evidence.content_type == "application/pdf" and evidence.size == 13


def test_incomplete_submission_lists_what_is_missing(submission: Any, users: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as err:
        services.submit(users["officer_a"], submission)
    assert "S1 is not answered." in err.value.messages
    assert submission.status == SubmissionStatus.DRAFT


def test_submit_then_read_only_and_admins_notified(submission: Any, users: dict[str, Any]) -> None:
    fill_answers(submission)
    services.submit(users["officer_a"], submission)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert Notification.objects.filter(user=users["national_admin"], kind="assessment_submitted").exists()
    c = _first_criterion(submission)
    with pytest.raises(ValidationError, match="no longer be changed"):
        services.save_answers(
            users["officer_a"], submission, [services.AnswerInput(c.pk, 1, "")], version=submission.version
        )


def test_late_submission_refused_until_reopened(submission: Any, users: dict[str, Any]) -> None:
    fill_answers(submission)
    late = submission.participation.cohort.submission_deadline + timedelta(hours=1)
    with pytest.raises(ValidationError, match="deadline"):
        services.submit(users["officer_a"], submission, now=late)
    services.reopen(users["national_admin"], submission, late + timedelta(days=1))
    services.submit(users["officer_a"], submission, now=late)
    assert submission.status == SubmissionStatus.SUBMITTED


def test_return_needs_a_note_and_reopens_editing(submission: Any, users: dict[str, Any]) -> None:
    fill_answers(submission)
    services.submit(users["officer_a"], submission)
    with pytest.raises(ValidationError):
        services.return_submission(users["national_admin"], submission, " ")
    services.return_submission(users["national_admin"], submission, "Lengkapi bukti S3")
    assert services.is_editable(submission)
    assert Notification.objects.filter(user=users["officer_a"], kind="assessment_returned").exists()


def _submitted(submission: Any, users: dict[str, Any]) -> Any:
    fill_answers(submission)
    return services.submit(users["officer_a"], submission)


def test_reviewer_never_scores_own_province(
    submission: Any, users: dict[str, Any], reviewers: list[Any]
) -> None:
    _submitted(submission, users)
    with pytest.raises(ValidationError, match="own province"):
        services.assign(users["national_admin"], submission, reviewers[0])  # home province 73 = Luwu Utara's
    assert services.assign(users["national_admin"], submission, reviewers[1])


def test_auto_assign_respects_conflicts(submission: Any, users: dict[str, Any], reviewers: list[Any]) -> None:
    _submitted(submission, users)
    created = services.auto_assign(users["national_admin"], submission.participation.cohort)
    assigned = set(submission.assignments.values_list("reviewer__username", flat=True))
    assert created == 2 and "rev-sulsel" not in assigned
    assert assigned == {"rev-jatim", users["national_reviewer"].username}


def _score_all(user: Any, assignment: Any, value: int) -> None:
    scores = [
        services.ScoreInput(c.pk, value, "")
        for c in services.criteria_of(assignment.submission.questionnaire)
    ]
    services.save_scores(user, assignment, scores)


def test_scoring_completes_and_flags_disagreement(
    submission: Any, users: dict[str, Any], reviewers: list[Any]
) -> None:
    _submitted(submission, users)
    first = services.assign(users["national_admin"], submission, users["national_reviewer"])
    second = services.assign(users["national_admin"], submission, reviewers[1])
    _score_all(users["national_reviewer"], first, 5)
    submission.refresh_from_db()
    assert submission.final_score is None  # one review is not enough
    _score_all(reviewers[1], second, 2)
    submission.refresh_from_db()
    assert submission.final_score == pytest.approx((100 + 25) / 2)
    assert submission.needs_third_review and submission.disagreement == pytest.approx(75)
    third_reviewer = reviewers[0]
    third_reviewer.home_province_id = "11"
    third_reviewer.save()
    third = services.assign(users["national_admin"], submission, third_reviewer, third=True)
    _score_all(third_reviewer, third, 3)
    submission.refresh_from_db()
    assert not submission.needs_third_review
    assert submission.final_score == pytest.approx((25 + 50) / 2)  # the two closest: 25 and 50


def test_only_the_assigned_reviewer_scores(
    submission: Any, users: dict[str, Any], reviewers: list[Any]
) -> None:
    _submitted(submission, users)
    assignment = services.assign(users["national_admin"], submission, reviewers[1])
    with pytest.raises(PermissionDenied):
        _score_all(users["national_reviewer"], assignment, 3)
    with pytest.raises(ValidationError):
        services.save_scores(
            reviewers[1], assignment, [services.ScoreInput(_first_criterion(submission).pk, 7, "")]
        )


def test_deadline_passed_message_has_the_date(submission: Any, users: dict[str, Any]) -> None:
    fill_answers(submission)
    cohort = submission.participation.cohort
    cohort.submission_deadline = timezone.now() - timedelta(days=1)
    cohort.save()
    with pytest.raises(ValidationError, match="reopen"):
        services.submit(users["officer_a"], submission)


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer_a", 200), ("national_reviewer", 200), ("officer_b", 403), ("partner", 403), (None, 302)],
)
def test_evidence_files_only_for_those_who_see_the_submission(
    submission: Any, users: dict[str, Any], client_as: Any, who: str | None, status: int
) -> None:
    upload = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 rahasia")
    evidence = services.attach_evidence(
        users["officer_a"], submission, _first_criterion(submission).pk, upload
    )
    response = client_as(who).get(f"/assessment/evidence/{evidence.pk}/")
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == b"%PDF-1.4 rahasia"
    assert client_as("officer_a").get("/media/evidence/").status_code == 404  # no public media URL


def test_deadline_reminders_once_per_step(participation_a: Any, users: dict[str, Any]) -> None:
    from django.core import mail

    deadline = participation_a.cohort.submission_deadline
    assert services.deadline_reminders(now=deadline - timedelta(days=10)) == 0
    assert services.deadline_reminders(now=deadline - timedelta(days=6)) == 1
    assert services.deadline_reminders(now=deadline - timedelta(days=5)) == 0  # already reminded for 7 days
    assert services.deadline_reminders(now=deadline - timedelta(hours=20)) == 1
    assert len(mail.outbox) == 2 and "1 day" in mail.outbox[1].subject
    fill_answers(services.submission_for(participation_a))
    services.submit(
        users["officer_a"], services.submission_for(participation_a), now=deadline - timedelta(hours=2)
    )
    participation_a.cohort.submission_deadline = deadline + timedelta(days=30)
    participation_a.cohort.save()
    assert services.deadline_reminders(now=deadline) == 0  # submitted: no more reminders


def test_odd_form_values_are_refused_without_500(submission: Any, client_as: Any) -> None:
    client = client_as("officer_a")
    assert client.post(f"/assessment/{submission.pk}/", {"version": "abc"}).status_code in (302, 400)
    upload = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4")
    response = client.post(
        f"/assessment/{submission.pk}/evidence/", {"criterion": "999999", "file": upload}, follow=True
    )
    assert response.status_code == 200 and not Evidence.objects.exists()
