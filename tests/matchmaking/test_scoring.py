"""Matching proposals and partners, on examples worked out by hand."""

from __future__ import annotations

import pytest

from kotacerdas.matchmaking import scoring
from kotacerdas.matchmaking.scoring import Partner, Proposal

B = 1_000_000_000  # one billion rupiah
FLOOD = Proposal(
    1,
    "73.22",
    "environment",
    "disaster-early-warning",
    40 * B,
    "kpbu-availability",
    frozenset({"prefeasibility_study"}),
)
WASTE = Proposal(
    2,
    "64.72",
    "environment",
    "waste",
    120 * B,
    "kpbu-user-charge",
    frozenset({"prefeasibility_study", "support_letter"}),
)


def test_a_perfect_partner_scores_all_but_the_missing_document() -> None:
    partner = Partner(
        10,
        sectors=frozenset({"disaster-early-warning"}),
        schemes=frozenset({"kpbu-availability"}),
        ticket_min_idr=10 * B,
        ticket_max_idr=50 * B,
        regions=frozenset({"73.22"}),
    )
    found = scoring.match(FLOOD, partner)
    # 30 + 25 + 20 + 15 + 10 · 1/2
    assert found.score == 95.0
    assert [p.criterion for p in found.parts] == ["sector", "ticket", "region", "scheme", "readiness"]
    assert found.parts[-1].reason == "missing: support_letter"


def test_partial_points() -> None:
    partner = Partner(
        11,
        pillars=frozenset({"environment"}),
        ticket_min_idr=0,
        ticket_max_idr=60 * B,
        regions=frozenset({"64"}),
    )
    found = scoring.match(WASTE, partner)
    parts = {p.criterion: p.points for p in found.parts}
    assert parts["sector"] == 15.0  # the pillar, not the sector
    assert parts["ticket"] == pytest.approx(25 * 60 / 120)  # twice the largest ticket: half the points
    assert parts["region"] == 12.0  # the province 64 (Kalimantan Timur)
    assert parts["scheme"] == 7.5  # no scheme named
    assert parts["readiness"] == 10.0
    assert found.score == pytest.approx(15 + 12.5 + 12 + 7.5 + 10)


def test_below_the_smallest_ticket_and_outside_the_regions() -> None:
    partner = Partner(
        12,
        sectors=frozenset({"waste"}),
        schemes=frozenset({"csr"}),
        ticket_min_idr=80 * B,
        regions=frozenset({"32.76"}),
    )
    parts = {p.criterion: p.points for p in scoring.match(FLOOD, partner).parts}
    assert parts == {
        "sector": 0.0,
        "ticket": pytest.approx(25 * 40 / 80),
        "region": 0.0,
        "scheme": 0.0,
        "readiness": 5.0,
    }


def test_rankings_both_ways_with_ties_by_id() -> None:
    anywhere = Partner(21)
    twin = Partner(20)
    fit = Partner(22, sectors=frozenset({"waste"}), schemes=frozenset({"kpbu-user-charge"}))
    ranked = scoring.partners_for(WASTE, [anywhere, fit, twin])
    assert [m.partner for m in ranked] == [22, 20, 21]  # 20 and 21 tie: lower id first
    assert ranked[1].score == ranked[2].score
    for_fit = scoring.proposals_for(fit, [FLOOD, WASTE])
    assert [m.proposal for m in for_fit] == [2, 1]
