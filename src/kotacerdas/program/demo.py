"""Demo data of the program (idempotent): cohort history 2017–2024 and this year's live example cohort.

Counts follow the ministry (METHODOLOGY.md §1): 25, 50, 25, 48 (7 repeats), 50, 50 + 2 provinces, 10
→ 141 distinct kab/kota by 2021 and 251 by 2024. Kabupaten Luwu Utara (73.22) is in 2022 with its MoU of
April 2022 and four FGDs. Which other regions fill a cohort is illustrative (a stable pseudo-random draw):
every demo cohort is flagged `is_example` and the UI says so.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from kotacerdas.assessment import services as assessment
from kotacerdas.assessment.models import ReviewAssignment, Submission, SubmissionStatus
from kotacerdas.core.models import Role, User
from kotacerdas.regions.models import Region

from .models import Cohort, FollowUp, GuidanceSession, InvitedVia, MentorTeam, Mou, Participation, SessionKind

LUWU_UTARA = "73.22"
KOTA_DEPOK = "32.76"
# year -> (new kab/kota, repeats from earlier cohorts, provinces)
HISTORY: dict[int, tuple[int, int, list[str]]] = {
    2017: (25, 0, []),
    2018: (50, 0, []),
    2019: (25, 0, []),
    2021: (41, 7, []),
    2022: (50, 0, []),
    2023: (50, 0, ["64", "51"]),
    2024: (10, 0, []),
}


def _pool() -> list[str]:
    """Every kab/kota code in a stable pseudo-random order, Luwu Utara and Kota Depok held back."""
    codes = Region.objects.exclude(code__in=[LUWU_UTARA, KOTA_DEPOK]).values_list("code", flat=True)
    return sorted(codes, key=lambda c: hashlib.sha256(c.encode()).hexdigest())


def _history_members() -> dict[int, list[str]]:
    pool, members, earlier = iter(_pool()), {}, []
    for year, (new, repeats, _provinces) in HISTORY.items():
        count = new - (1 if year == 2022 else 0)
        chosen = [next(pool) for _ in range(count)] + earlier[:repeats]
        if year == 2022:
            chosen.append(LUWU_UTARA)
        members[year] = chosen
        earlier += [c for c in chosen if c not in earlier]
    return members


@transaction.atomic
def seed_program() -> dict[str, int]:
    """Create the example cohorts (skips what exists); returns counts for the seeding report."""
    questionnaire = assessment.ensure_default_questionnaire()
    for year, codes in _history_members().items():
        cohort, _ = Cohort.objects.get_or_create(
            year=year,
            defaults={
                "title": f"Gerakan Menuju Smart City {year} (contoh)",
                "quota_kabkota": HISTORY[year][0] + HISTORY[year][1],
                "quota_provinces": len(HISTORY[year][2]),
                "is_example": True,
                "questionnaire": questionnaire,
                "selection_published": True,
            },
        )
        for code in [*codes, *HISTORY[year][2]]:
            key = {"region_id": code} if "." in code else {"province_id": code}
            Participation.objects.get_or_create(
                cohort=cohort,
                **key,
                defaults={
                    "invited_via": InvitedVia.HISTORY,
                    "selected": True,
                    "selection_reason": "recorded history (example)",
                },
            )
    _seed_luwu_utara()
    _seed_current_cohort(questionnaire)
    return {"cohorts": Cohort.objects.count(), "participations": Participation.objects.count()}


def _mentor_team() -> MentorTeam:
    team, _ = MentorTeam.objects.get_or_create(
        name="Tim Pembimbing Universitas Hasanuddin (contoh)", defaults={"kind": MentorTeam.Kind.UNIVERSITY}
    )
    mentor = User.objects.filter(username="mentor").first()
    if mentor:
        team.members.add(mentor)
    return team


def _seed_luwu_utara() -> None:
    participation = Participation.objects.get(cohort__year=2022, region_id=LUWU_UTARA)
    participation.mentor_team = _mentor_team()
    participation.plan_approved_on = participation.plan_approved_on or date(2022, 12, 15)
    participation.save()
    Mou.objects.get_or_create(
        participation=participation,
        defaults={
            "signed_on": date(2022, 4, 1),
            "signatories": "Bupati Luwu Utara\nDirektur Jenderal Aplikasi Informatika (contoh)",
        },
    )
    if participation.sessions.exists():
        return
    tz = timezone.get_fixed_timezone(8 * 60)  # WITA
    for month, kind in [
        (5, SessionKind.BIMTEK_1),
        (6, SessionKind.BIMTEK_2),
        (8, SessionKind.BIMTEK_3),
        (10, SessionKind.BIMTEK_4),
    ]:
        GuidanceSession.objects.create(
            participation=participation,
            kind=kind,
            starts_at=datetime(2022, month, 10, 9, tzinfo=tz),
            place="Aula Kantor Bupati Luwu Utara, Masamba",
            held=True,
            minutes="Notulen contoh: pembahasan bersama OPD dan tim pembimbing.",
        )
    for number, month in enumerate([5, 7, 9, 11], start=1):
        session = GuidanceSession.objects.create(
            participation=participation,
            kind=SessionKind.FGD,
            title=f"FGD {number}: sistem peringatan dini banjir",
            starts_at=datetime(2022, month, 20, 9, tzinfo=tz),
            place="Bappelitbangda Luwu Utara",
            held=True,
            agenda="Perencanaan, penganggaran dan evaluasi bersama tim ahli pusat (contoh).",
        )
        session.outputs.create(
            kind="fgd_notes", content="Tiga sungai: Masamba, Rongkong, Radda.", plan_section="analysis.fgd"
        )
    first = participation.sessions.get(kind=SessionKind.BIMTEK_1)
    first.outputs.create(
        kind="swot",
        content="S: sumber daya alam; W: rawan banjir bandang; O: …; T: …",
        plan_section="analysis.swot",
    )
    first.outputs.create(
        kind="vision_keywords", content="tangguh bencana, hijau, sejahtera", plan_section="vision"
    )
    FollowUp.objects.create(
        session=first,
        action="Kumpulkan data curah hujan 10 tahun",
        owner="BPBD",
        due_on=date(2022, 6, 1),
        done_on=date(2022, 5, 30),
    )


def current_year() -> int:
    """The live example cohort is this year's."""
    return timezone.localdate().year


def _seed_current_cohort(questionnaire: object) -> None:
    now = timezone.now()
    cohort, created = Cohort.objects.get_or_create(
        year=current_year(),
        defaults={
            "title": f"Gerakan Menuju Smart City {current_year()} (contoh)",
            "quota_kabkota": 5,
            "quota_provinces": 0,
            "questionnaire": questionnaire,
            "is_example": True,
            "submission_deadline": now + timedelta(days=30),
            "max_per_province": 2,
            "invitation_opens": (now - timedelta(days=20)).date(),
        },
    )
    if not created:
        return
    codes = [LUWU_UTARA, KOTA_DEPOK, *_pool()[-10:]]
    for code in codes:
        Participation.objects.create(cohort=cohort, region_id=code, invited_via=InvitedVia.CANDIDATE_LIST)
    reviewers = list(User.objects.filter(role=Role.NATIONAL_REVIEWER).order_by("pk")[:2])
    for index, participation in enumerate(cohort.participations.exclude(region_id__in=[LUWU_UTARA])[:7]):
        _scored_submission(participation, index, reviewers, now - timedelta(days=10 - index))


def _scored_submission(
    participation: Participation, index: int, reviewers: list[User], when: datetime
) -> None:
    submission = assessment.submission_for(participation)
    criteria = list(assessment.criteria_of(submission.questionnaire))
    for n, criterion in enumerate(criteria):
        submission.answers.create(criterion=criterion, value=1 + (index + n) % 5, narrative="Jawaban contoh.")
    submission.status, submission.submitted_at = SubmissionStatus.SUBMITTED, when
    submission.save()
    for offset, reviewer in enumerate(reviewers):
        assignment = ReviewAssignment.objects.create(
            submission=submission, reviewer=reviewer, completed_at=when
        )
        spread = 2 if index == 3 and offset else 0  # one submission where the reviewers disagree
        for n, criterion in enumerate(criteria):
            score = min(5, max(1, 1 + (index + n + offset) % 5 + spread))
            assignment.scores.create(criterion=criterion, score=score, comment="Skor contoh.")
    assessment.recompute(Submission.objects.get(pk=submission.pk))
