"""masterplan.checks on hand-made plans."""

from __future__ import annotations

from dataclasses import replace

from kotacerdas.masterplan.checks import (
    PILLARS,
    BudgetLine,
    InitiativeData,
    PlanData,
    TargetData,
    check,
    errors,
    find_cycle,
    quick_win_problems,
)


def initiative(key: str, pillar: str, **kw: object) -> InitiativeData:
    base = dict(
        title=f"Inisiatif {key}",
        layer="solution",
        start_year=2025,
        end_year=2026,
        lead_opd="Diskominfo",
        budget=(BudgetLine(2025, "APBD", 100_000_000),),
    )
    base.update(kw)
    return InitiativeData(key=key, pillar=pillar, **base)  # type: ignore[arg-type]


def good_plan() -> PlanData:
    return PlanData(
        period_start=2025,
        period_end=2034,
        vision="Luwu Utara tangguh bencana",
        initiatives=[initiative(p[:3], p) for p in PILLARS],
        targets=[TargetData("t1", "EN: EQ: AQ: 1C", 2024, 40.0, {2026: 30.0})],
        goals={p: "tujuan" for p in PILLARS},
    )


def codes(plan: PlanData) -> list[str]:
    return [f.code for f in check(plan)]


def test_a_complete_plan_passes() -> None:
    assert check(good_plan()) == []


def test_uncovered_pillar_needs_a_justification() -> None:
    plan = replace(good_plan(), initiatives=[i for i in good_plan().initiatives if i.pillar != "branding"])
    assert [f.anchor for f in errors(check(plan))] == ["pillar-branding"]
    justified = replace(plan, pillar_justifications={"branding": "dicakup oleh kabupaten tetangga"})
    assert errors(check(justified)) == []


def test_years_and_budgets() -> None:
    plan = good_plan()
    bad = replace(
        plan,
        initiatives=[
            initiative("a", "governance", start_year=2024),  # before the period
            initiative("b", "branding", budget=(BudgetLine(2030, "APBD", 5),)),  # budget outside its years
            initiative("c", "economy", budget=(BudgetLine(2025, "APBD", -1),)),
            initiative("d", "society", budget=(BudgetLine(2025, "hibah", 1),)),
            initiative("e", "living", end_year=2024, start_year=2025),
            *plan.initiatives[5:],
        ],
    )
    assert codes(bad) == [
        "years_outside",
        "years_order",  # the initiatives' years first, then their budgets
        "budget_year",
        "budget_negative",
        "budget_source",
        "budget_year",
    ]


def test_targets_need_baselines_and_years_in_the_period() -> None:
    plan = replace(good_plan(), targets=[TargetData("t", "X", None, None, {2040: 1.0})])
    assert codes(plan) == ["baseline", "target_year"]


def test_quick_win_rules_with_reasons() -> None:
    win = initiative("q", "living", quick_win=True, end_year=2027)
    assert quick_win_problems(win, 2025) == [
        "it must have a direct, visible effect on citizens",
        "it must be done within the first 2 years (by 2026)",
        "it needs an OPD owner",
        "it needs a deadline",
        "it must be aligned with the RPJMD",
    ]
    ok = replace(
        win,
        end_year=2026,
        visible_effect=True,
        quick_win_owner="BPBD",
        quick_win_deadline_year=2026,
        rpjmd_aligned=True,
    )
    assert quick_win_problems(ok, 2025) == []
    two = replace(
        good_plan(), initiatives=[*good_plan().initiatives, replace(ok, key="q1"), replace(ok, key="q2")]
    )
    assert [f.level for f in check(two)] == ["warning"]  # two quick wins in one pillar: advice


def test_cycles_are_found_and_named() -> None:
    assert find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": ["b"], "b": [], "c": ["a"]}) == []
    plan = good_plan()
    inits = list(plan.initiatives)
    inits[0] = replace(inits[0], depends_on=("bra",))
    inits[1] = replace(inits[1], depends_on=("gov",))
    found = [f for f in check(replace(plan, initiatives=inits)) if f.code == "dependency_cycle"]
    assert found and "Inisiatif gov → Inisiatif bra → Inisiatif gov" in found[0].message


def test_period_and_vision() -> None:
    assert codes(replace(good_plan(), period_end=2026)) == ["period_length"]
    assert codes(replace(good_plan(), vision=" ")) == ["vision"]


def test_messages_can_be_translated() -> None:
    from django.utils import translation
    from django.utils.translation import gettext

    plan = replace(good_plan(), vision=" ", period_end=2026)
    with translation.override("id"):
        messages = [f.message for f in check(plan, gettext)]
    assert messages == [
        "Rencana mencakup 2 tahun; program mengharapkan 5–10.",
        "Visi smart city masih kosong.",
    ]
    assert [f.message for f in check(plan)][1] == "The smart city vision is empty."
