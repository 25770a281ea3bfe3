"""Matching KPBU proposals and private partners: a pure, documented scoring (no Django).

A match scores 0–100 as the sum of five criteria, each with its points and the reason:

- **sector** (30): the proposal's sector is one of the partner's; 15 when only its pillar is one the partner
  follows;
- **ticket** (25): the capital cost lies in the partner's ticket range; outside it, scaled by min/capex
  (below) or max/capex (above);
- **region** (20): the partner names the proposal's region; 12 for its province; 10 when the partner names no
  region (anywhere);
- **scheme** (15): the partner takes the proposal's scheme; 7.5 when the partner names no scheme;
- **readiness** (10): the share of the readiness documents (pre-feasibility study, support letter) present.

Ranking: higher score first; ties by the other side's id (stable, explainable).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kotacerdas.core.text import Text, gettext_noop

WEIGHTS = {"sector": 30.0, "ticket": 25.0, "region": 20.0, "scheme": 15.0, "readiness": 10.0}
READINESS_DOCUMENTS = ("prefeasibility_study", "support_letter")


@dataclass(frozen=True, slots=True)
class Proposal:
    id: int
    region: str  # Kemendagri code "64.72"
    pillar: str
    sector: str
    capex_idr: int
    scheme: str
    documents: frozenset[str] = frozenset()

    @property
    def province(self) -> str:
        return self.region.split(".")[0]


@dataclass(frozen=True, slots=True)
class Partner:
    id: int
    sectors: frozenset[str] = frozenset()
    pillars: frozenset[str] = frozenset()
    schemes: frozenset[str] = frozenset()
    ticket_min_idr: int = 0
    ticket_max_idr: int | None = None
    regions: frozenset[str] = frozenset()  # region codes ("64.72") or province codes ("64")


@dataclass(frozen=True, slots=True)
class Part:
    criterion: str
    points: float
    reason: str  # a Text: English, translated where it is shown


@dataclass(frozen=True, slots=True)
class Match:
    proposal: int
    partner: int
    parts: tuple[Part, ...] = field(default_factory=tuple)

    @property
    def score(self) -> float:
        return round(sum(p.points for p in self.parts), 2)


def sector(proposal: Proposal, partner: Partner) -> Part:
    top = WEIGHTS["sector"]
    if proposal.sector in partner.sectors:
        return Part("sector", top, Text.of(gettext_noop("works in %(sector)s"), sector=proposal.sector))
    if proposal.pillar in partner.pillars:
        reason = Text.of(
            gettext_noop("follows the %(pillar)s pillar, not the sector %(sector)s"),
            pillar=proposal.pillar,
            sector=proposal.sector,
        )
        return Part("sector", top / 2, reason)
    reason = Text.of(
        gettext_noop("neither the sector %(sector)s nor the pillar %(pillar)s"),
        sector=proposal.sector,
        pillar=proposal.pillar,
    )
    return Part("sector", 0.0, reason)


def ticket(proposal: Proposal, partner: Partner) -> Part:
    top, capex = WEIGHTS["ticket"], proposal.capex_idr
    low, high = partner.ticket_min_idr, partner.ticket_max_idr
    if capex <= 0:
        return Part("ticket", 0.0, Text.of(gettext_noop("no capital cost given")))
    if capex < low:
        return Part("ticket", top * capex / low, Text.of(gettext_noop("below the partner's smallest ticket")))
    if high is not None and capex > high:
        return Part("ticket", top * high / capex, Text.of(gettext_noop("above the partner's largest ticket")))
    return Part("ticket", top, Text.of(gettext_noop("within the partner's ticket size")))


def region(proposal: Proposal, partner: Partner) -> Part:
    top = WEIGHTS["region"]
    if proposal.region in partner.regions:
        return Part("region", top, Text.of(gettext_noop("a region the partner names")))
    if proposal.province in partner.regions:
        return Part("region", top * 0.6, Text.of(gettext_noop("in a province the partner names")))
    if not partner.regions:
        return Part("region", top * 0.5, Text.of(gettext_noop("the partner works anywhere")))
    return Part("region", 0.0, Text.of(gettext_noop("outside the partner's regions")))


def scheme(proposal: Proposal, partner: Partner) -> Part:
    top = WEIGHTS["scheme"]
    if proposal.scheme in partner.schemes:
        return Part("scheme", top, Text.of(gettext_noop("takes %(scheme)s"), scheme=proposal.scheme))
    if not partner.schemes:
        return Part("scheme", top / 2, Text.of(gettext_noop("the partner names no scheme")))
    return Part("scheme", 0.0, Text.of(gettext_noop("does not take %(scheme)s"), scheme=proposal.scheme))


def readiness(proposal: Proposal) -> Part:
    present = [d for d in READINESS_DOCUMENTS if d in proposal.documents]
    share = len(present) / len(READINESS_DOCUMENTS)
    missing = [d for d in READINESS_DOCUMENTS if d not in proposal.documents]
    reason = (
        Text.of(gettext_noop("missing: %(documents)s"), documents=", ".join(missing))
        if missing
        else Text.of(gettext_noop("every readiness document is there"))
    )
    return Part("readiness", WEIGHTS["readiness"] * share, reason)


def match(proposal: Proposal, partner: Partner) -> Match:
    parts = (
        sector(proposal, partner),
        ticket(proposal, partner),
        region(proposal, partner),
        scheme(proposal, partner),
        readiness(proposal),
    )
    return Match(proposal.id, partner.id, parts)


def partners_for(proposal: Proposal, partners: Iterable[Partner]) -> list[Match]:
    """Every partner for one proposal, best first (ties: lower partner id first)."""
    return sorted((match(proposal, p) for p in partners), key=lambda m: (-m.score, m.partner))


def proposals_for(partner: Partner, proposals: Sequence[Proposal]) -> list[Match]:
    """Every proposal for one partner, best first (ties: lower proposal id first)."""
    return sorted((match(p, partner) for p in proposals), key=lambda m: (-m.score, m.proposal))
