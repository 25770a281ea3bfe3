"""Lateness of an initiative against its roadmap: a pure computation (no Django).

The roadmap gives each initiative a first and a last year; the expected progress grows linearly from
1 January of the first year (0 %) to 31 December of the last (100 %). A report of p % on day d is
`lateness_days` behind: d minus the day on which the roadmap expected p %. An initiative is
- *late* when it is more than `grace_days` behind, a milestone is overdue, or its last year has passed
  without being done;
- *at risk* when it is behind, but within the grace;
- *unreported* when it is under way and its newest report is older than `report_every_days` (or missing).
Done and dropped initiatives are never late or unreported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kotacerdas.core.text import Text, gettext_noop

GRACE_DAYS = 90
REPORT_EVERY_DAYS = 90
FINISHED = ("done", "dropped")


@dataclass(frozen=True, slots=True)
class Milestone:
    title: str
    due_on: date
    done_on: date | None = None


@dataclass(frozen=True, slots=True)
class Report:
    reported_on: date
    percent: float
    status: str


@dataclass(frozen=True, slots=True)
class Lateness:
    """The computed state of one initiative on one day."""

    expected_percent: float
    reported_percent: float | None
    lateness_days: int
    late: bool
    at_risk: bool
    unreported: bool
    overdue_milestones: tuple[str, ...]
    reasons: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        return self.late or self.unreported


def roadmap_span(first_year: int, last_year: int) -> tuple[date, date]:
    return date(first_year, 1, 1), date(last_year, 12, 31)


def expected_percent(first_year: int, last_year: int, on: date) -> float:
    """The share of the roadmap's time that has passed on a day, in percent (0–100)."""
    start, end = roadmap_span(first_year, last_year)
    if on <= start:
        return 0.0
    if on >= end:
        return 100.0
    return 100.0 * (on - start).days / (end - start).days


def day_expected(first_year: int, last_year: int, percent: float) -> date:
    """The day on which the roadmap expects `percent`."""
    start, end = roadmap_span(first_year, last_year)
    return start + timedelta(days=round((end - start).days * min(100.0, max(0.0, percent)) / 100))


def assess(
    first_year: int,
    last_year: int,
    latest: Report | None,
    milestones: Sequence[Milestone],
    today: date,
    grace_days: int = GRACE_DAYS,
    report_every_days: int = REPORT_EVERY_DAYS,
) -> Lateness:
    expected = expected_percent(first_year, last_year, today)
    if latest is not None and latest.status in FINISHED:
        return Lateness(expected, latest.percent, 0, False, False, False, (), ())
    percent = latest.percent if latest else 0.0
    measured_on = latest.reported_on if latest else today
    behind = max(0, (measured_on - day_expected(first_year, last_year, percent)).days) if expected else 0
    overdue = tuple(m.title for m in milestones if m.done_on is None and m.due_on < today)
    reasons: list[Text] = []
    if behind > grace_days:
        reasons.append(Text.of(gettext_noop("%(days)s days behind the roadmap"), days=behind))
    if overdue:
        reasons.append(Text.of(gettext_noop("overdue milestones: %(titles)s"), titles=", ".join(overdue)))
    if today > roadmap_span(first_year, last_year)[1]:
        reasons.append(
            Text.of(gettext_noop("the roadmap ended in %(year)s and it is not done"), year=last_year)
        )
    started = today >= roadmap_span(first_year, last_year)[0]
    unreported = started and (latest is None or (today - latest.reported_on).days > report_every_days)
    if unreported:
        reasons.append(
            Text.of(gettext_noop("no progress report"))
            if latest is None
            else Text.of(gettext_noop("last report on %(day)s"), day=latest.reported_on.isoformat())
        )
    late = bool(reasons) and not (unreported and len(reasons) == 1)
    at_risk = not late and behind > 0
    return Lateness(
        expected,
        latest.percent if latest else None,
        behind,
        late,
        at_risk,
        unreported,
        overdue,
        tuple(reasons),
    )


def carried_out(
    first_year: int, last_year: int, latest: Report | None, on: date, grace_days: int = GRACE_DAYS
) -> bool:
    """For the outcome dimension: done, or at most `grace_days` behind the roadmap on that day."""
    if latest is None or latest.status == "dropped":
        return False
    if latest.status == "done":
        return True
    return (latest.reported_on - day_expected(first_year, last_year, latest.percent)).days <= grace_days
