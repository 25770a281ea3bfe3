"""The program: demo history, invitations, nomination, funnel, selection, MoU, guidance."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kotacerdas.assessment import services as assessment
from kotacerdas.core.models import Notification
from kotacerdas.program import services
from kotacerdas.program.demo import seed_program
from kotacerdas.program.models import Cohort, FollowUp, Participation, SessionKind
from kotacerdas.regions.models import ProfileFact
from tests.conftest import fill_answers

pytestmark = pytest.mark.django_db


def test_demo_history_matches_the_ministry() -> None:
    seed_program()
    summary = services.cumulative_kabkota()
    assert {y: summary[y] for y in ("2017", "2018", "2019", "2021", "2022", "2023", "2024")} == {
        "2017": 25,
        "2018": 75,
        "2019": 100,
        "2021": 141,
        "2022": 191,
        "2023": 241,
        "2024": 251,
    }
    cohorts = {c.year: c for c in services.list_cohorts()}
    assert cohorts[2021].selected_kabkota == 48
    assert (cohorts[2023].selected_kabkota, cohorts[2023].selected_provinces) == (50, 2)
    luwu = Participation.objects.get(cohort__year=2022, region_id="73.22")
    assert luwu.mou.signed_on.strftime("%Y-%m") == "2022-04"
    assert luwu.sessions.filter(kind=SessionKind.FGD).count() == 4
    assert all(c.is_example for c in Cohort.objects.all())
    before = Participation.objects.count()
    seed_program()
    assert Participation.objects.count() == before  # idempotent


def test_region_history_keeps_repeats() -> None:
    seed_program()
    repeated = Participation.objects.filter(cohort__year=2021).values_list("region_id", flat=True)
    earlier = set(Participation.objects.filter(cohort__year__lt=2021).values_list("region_id", flat=True))
    repeats = [code for code in repeated if code in earlier]
    assert len(repeats) == 7
    from kotacerdas.regions.models import Region

    history = services.region_history(Region.objects.get(code=repeats[0]))
    assert len(history) == 2 and history[1].cohort.year == 2021


def test_invite_unknown_codes_invites_nobody(cohort: Cohort, users: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="99.99"):
        services.invite(users["national_admin"], cohort, ["73.22", "99.99"])
    assert not cohort.participations.exists()


def test_invite_notifies_the_regions_officers_by_email(cohort: Cohort, users: dict[str, Any]) -> None:
    created = services.invite(users["national_admin"], cohort, ["73.22", "73.22", "64"])
    assert len(created) == 2  # a duplicate is skipped; a province can take part
    assert {p.participant_code for p in created} == {"73.22", "64"}
    assert Notification.objects.filter(user=users["officer_a"], kind="invited").exists()
    assert [m.to for m in mail.outbox] == [[users["officer_a"].email]]
    assert services.invite(users["national_admin"], cohort, ["73.22"]) == []


def test_only_admins_invite(cohort: Cohort, users: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.invite(users["national_reviewer"], cohort, ["73.22"])


def test_nomination(cohort: Cohort, users: dict[str, Any]) -> None:
    participation = services.nominate(users["officer_b"], cohort)
    assert participation.region_id == "32.76" and participation.invited_via == "self_nomination"
    cohort.submission_deadline = timezone.now() - timedelta(days=1)
    cohort.save()
    with pytest.raises(ValidationError):
        services.nominate(users["officer_a"], cohort)


def test_candidate_list_uses_profiles(cohort: Cohort, users: dict[str, Any]) -> None:
    for code, green in (("73.22", 90), ("32.76", 40)):
        ProfileFact.objects.create(
            region_id=code, metric="green_city_index", year=2024, value_number=green, source="PUPR"
        )
    rows = services.candidate_list(cohort, limit=3)
    assert [r.code for r in rows[:2]] == ["73.22", "32.76"]
    assert rows[2].score is None  # no data: listed after the scored ones, never as zero


def _scored(cohort: Cohort, code: str, users: dict[str, Any], reviewer: Any, value: int) -> Participation:
    from kotacerdas.core.models import Role, User

    participation = Participation.objects.create(cohort=cohort, region_id=code)
    submission = assessment.submission_for(participation)
    fill_answers(submission, value)
    officer = User.objects.filter(role=Role.REGIONAL_OFFICER, region_id=code).first()
    if officer is None:
        officer = User.objects.create(username=f"officer-{code}", role=Role.REGIONAL_OFFICER, region_id=code)
    assessment.submit(officer, submission)
    for r in reviewer:
        assignment = assessment.assign(users["national_admin"], submission, r)
        scores = [
            assessment.ScoreInput(c.pk, value, "") for c in assessment.criteria_of(submission.questionnaire)
        ]
        assessment.save_scores(r, assignment, scores)
    return participation


@pytest.fixture
def scored_cohort(cohort: Cohort, users: dict[str, Any], reviewers: list[Any]) -> Cohort:
    pair = [users["national_reviewer"], reviewers[1]]
    for code, value in (("73.22", 5), ("73.17", 4), ("32.76", 3)):
        _scored(cohort, code, users, pair, value)
    cohort.max_per_province = 1
    cohort.save()
    return cohort


def test_funnel_and_ranking(scored_cohort: Cohort) -> None:
    assert services.funnel(scored_cohort) == {
        "invited": 3,
        "submitted": 3,
        "scored": 3,
        "selected": 0,
        "mou_signed": 0,
        "guided": 0,
        "plan_approved": 0,
    }
    rows = services.cohort_ranking(scored_cohort)
    assert [(r.rank, r.participation.region_id, r.total) for r in rows] == [
        (1, "73.22", 100.0),
        (2, "73.17", 75.0),
        (3, "32.76", 50.0),
    ]


def test_selection_rules_overrides_and_publication(scored_cohort: Cohort, users: dict[str, Any]) -> None:
    admin = users["national_admin"]
    services.run_selection(admin, scored_cohort)
    chosen = dict(scored_cohort.participations.values_list("region_id", "selection_reason"))
    assert [p.region_id for p in scored_cohort.participations.filter(selected=True)] == ["32.76", "73.22"]
    assert chosen["73.17"] == "province already has 1 selected"
    with pytest.raises(ValidationError, match="written reason"):
        services.run_selection(admin, scored_cohort, force_in={"73.17": " "})
    services.run_selection(admin, scored_cohort, force_in={"73.17": "kesiapan lapangan"})
    forced = scored_cohort.participations.get(region_id="73.17")
    assert forced.selected and forced.override_reason == "kesiapan lapangan"
    displaced = scored_cohort.participations.get(region_id="73.22")  # same province, cap of 1
    assert not displaced.selected and displaced.selection_reason == "province already has 1 selected"
    services.publish_selection(admin, scored_cohort)
    assert Notification.objects.filter(user__username="officer-73.17", kind="selected").exists()
    assert not Notification.objects.filter(user=users["officer_a"], kind="selected").exists()


def test_mou_only_for_selected_and_not_in_the_future(
    participation_a: Participation, users: dict[str, Any]
) -> None:
    admin = users["national_admin"]
    with pytest.raises(ValidationError, match="selected"):
        services.record_mou(admin, participation_a, date(2024, 4, 1), "Bupati")
    participation_a.selected = True
    participation_a.save()
    with pytest.raises(ValidationError):
        services.record_mou(admin, participation_a, timezone.localdate() + timedelta(days=3), "Bupati")
    mou = services.record_mou(admin, participation_a, date(2024, 4, 1), "Bupati Luwu Utara")
    assert (
        services.funnel(participation_a.cohort)["mou_signed"] == 1 and mou.signatories == "Bupati Luwu Utara"
    )


def test_guidance_outputs_and_agenda(participation_a: Participation, users: dict[str, Any]) -> None:
    admin = users["national_admin"]
    starts = timezone.make_aware(datetime(2030, 5, 10, 9))
    with pytest.raises(ValidationError):
        services.schedule_session(admin, participation_a, kind=SessionKind.BIMTEK_1, starts_at=starts)
    participation_a.selected = True
    participation_a.save()
    session = services.schedule_session(admin, participation_a, kind=SessionKind.BIMTEK_1, starts_at=starts)
    services.record_outputs(admin, session, {"swot": "S: …", "vision_keywords": "tangguh"})
    assert dict(session.outputs.values_list("kind", "plan_section")) == {
        "swot": "analysis.swot",
        "vision_keywords": "vision",
    }
    with pytest.raises(ValidationError, match="roadmap"):
        services.record_outputs(admin, session, {"roadmap": "x"})  # a bimtek III output
    FollowUp.objects.create(session=session, action="Data curah hujan", owner="BPBD", due_on=date(2030, 5, 1))
    agenda = services.region_agenda(participation_a, today=date(2030, 5, 5))
    assert [f.action for f in agenda.overdue] == ["Data curah hujan"]
    assert agenda.next_sessions == [session]
    assert len(agenda.missing_rounds) == 4
    with pytest.raises(PermissionDenied):
        services.schedule_session(users["officer_a"], participation_a, kind=SessionKind.FGD, starts_at=starts)


def test_selection_and_overrides_are_audited(scored_cohort: Cohort, users: dict[str, Any]) -> None:
    from kotacerdas.core import audit

    admin = users["national_admin"]
    services.run_selection(admin, scored_cohort, force_in={"73.17": "kesiapan lapangan"})
    forced = scored_cohort.participations.get(region_id="73.17")
    entry = audit.entries(model="program.participation", object_pk=str(forced.pk)).first()
    assert entry.actor == admin
    assert entry.changes_dict["override_reason"] == ["", "kesiapan lapangan"]
    assert entry.changes_dict["selected"] == ["False", "True"]
    count = audit.entries(model="program.participation").count()
    services.run_selection(admin, scored_cohort, force_in={"73.17": "kesiapan lapangan"})
    assert audit.entries(model="program.participation").count() == count  # nothing changed, nothing logged


def test_worksheets_checked_and_protected(
    participation_a: Participation, users: dict[str, Any], client_as: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = users["national_admin"]
    participation_a.selected = True
    participation_a.save()
    session = services.schedule_session(
        admin,
        participation_a,
        kind=SessionKind.BIMTEK_2,
        starts_at=timezone.make_aware(datetime(2030, 6, 1, 9)),
    )
    with pytest.raises(ValidationError):
        services.add_worksheet(admin, session, SimpleUploadedFile("peta.xlsx", b"not a zip"))
    sheet = services.add_worksheet(
        admin, session, SimpleUploadedFile("peta.xlsx", b"PK\x03\x04 data"), "Peta program"
    )
    assert client_as("officer_a").get(f"/program/worksheet/{sheet.pk}/").status_code == 200
    assert client_as("officer_b").get(f"/program/worksheet/{sheet.pk}/").status_code == 403


def test_mentor_team_assignment_gives_guidance_rights(
    participation_a: Participation, users: dict[str, Any]
) -> None:
    from kotacerdas.core import permissions
    from kotacerdas.program.models import MentorTeam

    team = MentorTeam.objects.create(name="Universitas uji", kind="university")
    team.members.add(users["national_reviewer"])
    assert not permissions.can(users["national_reviewer"], "program.guide", participation_a)
    services.assign_mentor_team(users["national_admin"], participation_a, team)
    assert permissions.can(users["national_reviewer"], "program.guide", participation_a)
    with pytest.raises(PermissionDenied):
        services.assign_mentor_team(users["officer_a"], participation_a, None)


def test_selection_reasons_are_stored_in_the_admins_language(
    scored_cohort: Cohort, users: dict[str, Any]
) -> None:
    from django.utils import translation

    with translation.override("id"):
        services.run_selection(users["national_admin"], scored_cohort)
    reasons = dict(scored_cohort.participations.values_list("region_id", "selection_reason"))
    assert reasons["73.22"] == "dalam kuota"
    assert reasons["73.17"] == "provinsi sudah memiliki 1 terpilih"


def test_candidate_weights_are_a_cohort_setting(cohort: Cohort) -> None:
    ProfileFact.objects.create(
        region_id="73.22", metric="green_city_index", year=2024, value_number=90, source="x"
    )
    ProfileFact.objects.create(
        region_id="73.22", metric="fiscal_capacity", year=2024, value_text="rendah", source="x"
    )
    ProfileFact.objects.create(
        region_id="32.76", metric="green_city_index", year=2024, value_number=40, source="x"
    )
    ProfileFact.objects.create(
        region_id="32.76", metric="fiscal_capacity", year=2024, value_text="tinggi", source="x"
    )
    assert [r.code for r in services.candidate_list(cohort, limit=2)] == ["73.22", "32.76"]
    cohort.candidate_weights = {"fiscal_capacity": 1.0, "green_city_index": 0.0}
    cohort.full_clean()
    assert [r.code for r in services.candidate_list(cohort, limit=2)] == ["32.76", "73.22"]
    cohort.candidate_weights = {"gdp": 1}
    with pytest.raises(ValidationError):
        cohort.full_clean()


def test_mentor_team_form_survives_junk(participation_a: Participation, client_as: Any) -> None:
    response = client_as("national_admin").post(
        f"/program/participation/{participation_a.pk}/", {"mentor_team": "abc"}
    )
    assert response.status_code == 302
    participation_a.refresh_from_db()
    assert participation_a.mentor_team is None
