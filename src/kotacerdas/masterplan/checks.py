"""Completeness and consistency checks of a master plan: a pure module (no Django).

Input is a plain snapshot of the plan (`PlanData`, built by services.plan_data); output is a checklist, each
item with the anchor of the field to fix. The same checks run on every save (shown, not blocking) and before
submission (blocking when an error remains). Quick-win rules follow METHODOLOGY.md §7: a direct visible effect
on citizens, feasible in the first two years of the plan, an OPD owner and a deadline, aligned with the RPJMD;
one proposal per pillar.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

PILLARS = ("governance", "branding", "economy", "society", "living", "environment")
LAYERS = ("infrastructure", "ecosystem", "solution")
BUDGET_SOURCES = ("APBD", "APBN", "DAK", "KPBU", "CSR", "private", "other")
QUICK_WIN_YEARS = 2
Translate = Callable[[str], str]


def _same(text: str) -> str:
    return text


def gettext_noop(text: str) -> str:
    """Marks a message for extraction (makemessages); the caller's `t` translates it."""
    return text


@dataclass(frozen=True, slots=True)
class BudgetLine:
    year: int
    source: str
    amount: int  # rupiah


@dataclass(frozen=True, slots=True)
class InitiativeData:
    key: str
    title: str
    pillar: str
    layer: str
    start_year: int
    end_year: int
    lead_opd: str = ""
    budget: Sequence[BudgetLine] = ()
    depends_on: Sequence[str] = ()
    quick_win: bool = False
    quick_win_owner: str = ""
    quick_win_deadline_year: int | None = None
    visible_effect: bool = False
    rpjmd_aligned: bool = False


@dataclass(frozen=True, slots=True)
class TargetData:
    key: str
    indicator: str
    baseline_year: int | None
    baseline_value: float | None
    targets: Mapping[int, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PlanData:
    period_start: int
    period_end: int
    vision: str
    initiatives: Sequence[InitiativeData]
    targets: Sequence[TargetData] = ()
    pillar_justifications: Mapping[str, str] = field(default_factory=dict)
    goals: Mapping[str, str] = field(default_factory=dict)  # pillar -> goal text


@dataclass(frozen=True, slots=True)
class Finding:
    """One checklist item: `error` blocks submission, `warning` is advice; `anchor` points at the field."""

    code: str
    level: str  # "error" | "warning"
    message: str
    anchor: str


def check(plan: PlanData, t: Translate = _same) -> list[Finding]:
    """Every finding of the plan, in checklist order; `t` translates the messages (e.g. Django's gettext)."""
    return [
        *_period(plan, t),
        *_vision(plan, t),
        *_pillar_coverage(plan, t),
        *_initiatives(plan, t),
        *_budgets(plan, t),
        *_targets(plan, t),
        *_quick_wins(plan, t),
        *_dependencies(plan, t),
    ]


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == "error"]


def _period(plan: PlanData, t: Translate) -> list[Finding]:
    length = plan.period_end - plan.period_start + 1
    if length < 1:
        return [
            Finding("period", "error", t(gettext_noop("The plan period ends before it starts.")), "period")
        ]
    if not 5 <= length <= 10:
        return [
            Finding(
                "period_length",
                "warning",
                t(gettext_noop("The plan covers %(n)d years; the program expects 5–10.")) % {"n": length},
                "period",
            )
        ]
    return []


def _vision(plan: PlanData, t: Translate) -> list[Finding]:
    return (
        []
        if plan.vision.strip()
        else [Finding("vision", "error", t(gettext_noop("The smart city vision is empty.")), "vision")]
    )


def _pillar_coverage(plan: PlanData, t: Translate) -> list[Finding]:
    covered = {i.pillar for i in plan.initiatives}
    findings = []
    for pillar in PILLARS:
        if pillar not in covered and not plan.pillar_justifications.get(pillar, "").strip():
            findings.append(
                Finding(
                    "pillar_uncovered",
                    "error",
                    t(gettext_noop("Pillar %(pillar)s has no initiative and no justification."))
                    % {"pillar": pillar},
                    f"pillar-{pillar}",
                )
            )
        if pillar in covered and not plan.goals.get(pillar, "").strip():
            findings.append(
                Finding(
                    "pillar_goal",
                    "warning",
                    t(gettext_noop("Pillar %(pillar)s has initiatives but no goal.")) % {"pillar": pillar},
                    f"goal-{pillar}",
                )
            )
    return findings


def _initiatives(plan: PlanData, t: Translate) -> list[Finding]:
    findings = []
    for i in plan.initiatives:
        anchor = f"initiative-{i.key}"
        if i.layer not in LAYERS:
            findings.append(
                Finding(
                    "layer",
                    "error",
                    t(gettext_noop("%(title)s: choose one of the three framework layers."))
                    % {"title": i.title},
                    anchor,
                )
            )
        if i.end_year < i.start_year:
            findings.append(
                Finding(
                    "years_order",
                    "error",
                    t(gettext_noop("%(title)s: ends before it starts.")) % {"title": i.title},
                    anchor,
                )
            )
        elif i.start_year < plan.period_start or i.end_year > plan.period_end:
            findings.append(
                Finding(
                    "years_outside",
                    "error",
                    t(gettext_noop("%(title)s: %(a)d–%(b)d is outside the plan period %(c)d–%(d)d."))
                    % {
                        "title": i.title,
                        "a": i.start_year,
                        "b": i.end_year,
                        "c": plan.period_start,
                        "d": plan.period_end,
                    },
                    anchor,
                )
            )
        if not i.lead_opd.strip():
            findings.append(
                Finding(
                    "lead_opd",
                    "warning",
                    t(gettext_noop("%(title)s: no lead agency (OPD).")) % {"title": i.title},
                    anchor,
                )
            )
    return findings


def _budgets(plan: PlanData, t: Translate) -> list[Finding]:
    findings = []
    for i in plan.initiatives:
        anchor = f"initiative-{i.key}"
        for line in i.budget:
            if line.amount < 0:
                findings.append(
                    Finding(
                        "budget_negative",
                        "error",
                        t(gettext_noop("%(title)s: a negative budget in %(year)d."))
                        % {"title": i.title, "year": line.year},
                        anchor,
                    )
                )
            if not i.start_year <= line.year <= i.end_year:
                findings.append(
                    Finding(
                        "budget_year",
                        "error",
                        t(gettext_noop("%(title)s: budget in %(year)d, outside its years %(a)d–%(b)d."))
                        % {"title": i.title, "year": line.year, "a": i.start_year, "b": i.end_year},
                        anchor,
                    )
                )
            if line.source not in BUDGET_SOURCES:
                findings.append(
                    Finding(
                        "budget_source",
                        "error",
                        t(gettext_noop("%(title)s: unknown source %(source)s."))
                        % {"title": i.title, "source": line.source},
                        anchor,
                    )
                )
        if not i.budget:
            findings.append(
                Finding(
                    "budget_missing",
                    "warning",
                    t(gettext_noop("%(title)s: no indicative budget.")) % {"title": i.title},
                    anchor,
                )
            )
    return findings


def _targets(plan: PlanData, t: Translate) -> list[Finding]:
    findings = []
    for target in plan.targets:
        anchor = f"target-{target.key}"
        if target.baseline_year is None or target.baseline_value is None:
            findings.append(
                Finding(
                    "baseline",
                    "error",
                    t(gettext_noop("Target %(indicator)s: no baseline year and value."))
                    % {"indicator": target.indicator},
                    anchor,
                )
            )
        outside = [y for y in target.targets if not plan.period_start <= y <= plan.period_end]
        if outside:
            findings.append(
                Finding(
                    "target_year",
                    "error",
                    t(gettext_noop("Target %(indicator)s: years %(years)s are outside the plan period."))
                    % {"indicator": target.indicator, "years": outside},
                    anchor,
                )
            )
        if not target.targets:
            findings.append(
                Finding(
                    "target_missing",
                    "warning",
                    t(gettext_noop("Target %(indicator)s: no yearly target."))
                    % {"indicator": target.indicator},
                    anchor,
                )
            )
    return findings


def quick_win_problems(i: InitiativeData, period_start: int, t: Translate = _same) -> list[str]:
    """Why an initiative flagged as a quick win does not meet the criteria (empty: it does)."""
    last_year = period_start + QUICK_WIN_YEARS - 1
    problems = []
    if not i.visible_effect:
        problems.append(t(gettext_noop("it must have a direct, visible effect on citizens")))
    if i.end_year > last_year:
        problems.append(
            t(gettext_noop("it must be done within the first %(n)d years (by %(year)d)"))
            % {"n": QUICK_WIN_YEARS, "year": last_year}
        )
    if not i.quick_win_owner.strip():
        problems.append(t(gettext_noop("it needs an OPD owner")))
    if i.quick_win_deadline_year is None:
        problems.append(t(gettext_noop("it needs a deadline")))
    if not i.rpjmd_aligned:
        problems.append(t(gettext_noop("it must be aligned with the RPJMD")))
    return problems


def _quick_wins(plan: PlanData, t: Translate) -> list[Finding]:
    findings = []
    per_pillar: dict[str, list[str]] = defaultdict(list)
    for i in plan.initiatives:
        if not i.quick_win:
            continue
        per_pillar[i.pillar].append(i.title)
        for problem in quick_win_problems(i, plan.period_start, t):
            findings.append(
                Finding(
                    "quick_win",
                    "error",
                    t(gettext_noop("Quick win %(title)s: %(problem)s."))
                    % {"title": i.title, "problem": problem},
                    f"initiative-{i.key}",
                )
            )
    for pillar, titles in per_pillar.items():
        if len(titles) > 1:
            findings.append(
                Finding(
                    "quick_win_per_pillar",
                    "warning",
                    t(
                        gettext_noop(
                            "Pillar %(pillar)s proposes %(n)d quick wins; the program asks for one proposal "
                            "per pillar."
                        )
                    )
                    % {"pillar": pillar, "n": len(titles)},
                    f"pillar-{pillar}",
                )
            )
    return findings


def find_cycle(edges: Mapping[str, Sequence[str]]) -> list[str]:
    """A dependency cycle as a list of keys (first == last), or [] when the graph is acyclic."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in edges.get(node, ()):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = 2
        path.pop()
        return []

    for start in edges:
        if start not in state and (cycle := visit(start)):
            return cycle
    return []


def _dependencies(plan: PlanData, t: Translate) -> list[Finding]:
    known = {i.key: i for i in plan.initiatives}
    findings = []
    for i in plan.initiatives:
        for dep in i.depends_on:
            if dep not in known:
                findings.append(
                    Finding(
                        "dependency_unknown",
                        "error",
                        t(gettext_noop("%(title)s: depends on an unknown initiative.")) % {"title": i.title},
                        f"initiative-{i.key}",
                    )
                )
            elif known[dep].start_year > i.end_year:
                findings.append(
                    Finding(
                        "dependency_order",
                        "warning",
                        t(gettext_noop("%(title)s ends before %(other)s, which it depends on, starts."))
                        % {"title": i.title, "other": known[dep].title},
                        f"initiative-{i.key}",
                    )
                )
    cycle = find_cycle({i.key: [d for d in i.depends_on if d in known] for i in plan.initiatives})
    if cycle:
        titles = " → ".join(known[k].title for k in cycle)
        findings.append(
            Finding(
                "dependency_cycle",
                "error",
                t(gettext_noop("Circular dependencies: %(chain)s.")) % {"chain": titles},
                f"initiative-{cycle[0]}",
            )
        )
    return findings
