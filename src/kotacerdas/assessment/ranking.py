"""Ranking and selection of a cohort's scored submissions: a pure, documented computation (no Django).

Ranking: by final total (higher first); ties broken, in order, by (1) the leadership dimension (the regional
head's vision and commitment), (2) the earlier submission, (3) the Kemendagri code. Equal totals keep equal
`rank` numbers ("1, 2, 2, 4"); the order among them follows the tie-breaks, and `tie_broken_by` says which.

Selection walks the ranking from the top and takes each candidate unless
- the quota is full, or
- the province already has `max_per_province` selected (optional rule), or
- the remaining places are needed to reach `min_eastern` regions from eastern Indonesia (optional rule).
Admin overrides force a candidate in or out, each with a written reason (audited by the caller); forced-in
candidates take places first. Every decision carries its reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

# Eastern Indonesia (Kawasan Timur Indonesia) as used for balance: NTB, NTT, Sulawesi, Maluku, Papua.
EASTERN_PROVINCE_PREFIXES = ("52", "53", "7", "8", "9")


def is_eastern(province_code: str) -> bool:
    return province_code.startswith(EASTERN_PROVINCE_PREFIXES)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A scored submission as the ranking sees it."""

    key: str  # region or province code
    province: str
    total: float
    leadership: float
    submitted_at: datetime


@dataclass(frozen=True, slots=True)
class Ranked:
    rank: int
    candidate: Candidate
    tie_broken_by: str = ""


@dataclass(frozen=True, slots=True)
class Rules:
    """Selection rules; None turns a rule off."""

    quota: int
    max_per_province: int | None = None
    min_eastern: int | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """A candidate's outcome; `code` and `params` let callers word the reason in the user's language."""

    key: str
    rank: int
    selected: bool
    reason: str
    code: str = ""
    params: tuple[object, ...] = ()


@dataclass
class Selection:
    decisions: list[Decision] = field(default_factory=list)

    @property
    def selected(self) -> list[str]:
        return [d.key for d in self.decisions if d.selected]


def _order(c: Candidate) -> tuple[float, float, datetime, str]:
    return (-round(c.total, 6), -round(c.leadership, 6), c.submitted_at, c.key)


def rank(candidates: Sequence[Candidate]) -> list[Ranked]:
    """Rank candidates (see module docstring); equal totals share a rank number."""
    ordered = sorted(candidates, key=_order)
    result: list[Ranked] = []
    for position, candidate in enumerate(ordered, start=1):
        previous = result[-1] if result else None
        if previous and round(previous.candidate.total, 6) == round(candidate.total, 6):
            result.append(Ranked(previous.rank, candidate, _tie_reason(previous.candidate, candidate)))
        else:
            result.append(Ranked(position, candidate))
    return result


def _tie_reason(before: Candidate, after: Candidate) -> str:
    if round(before.leadership, 6) != round(after.leadership, 6):
        return "leadership"
    if before.submitted_at != after.submitted_at:
        return "submission time"
    return "region code"


def select(
    ranking: Sequence[Ranked],
    rules: Rules,
    force_in: Mapping[str, str] | None = None,
    force_out: Mapping[str, str] | None = None,
) -> Selection:
    """Choose the selected candidates under the rules; overrides map a key to the admin's written reason."""
    force_in, force_out = dict(force_in or {}), dict(force_out or {})
    if len(force_in) > rules.quota:
        raise ValueError(f"{len(force_in)} forced selections exceed the quota of {rules.quota}")
    chosen = set(force_in)
    per_province = Counter(r.candidate.province for r in ranking if r.candidate.key in chosen)
    eastern_chosen = sum(is_eastern(r.candidate.province) for r in ranking if r.candidate.key in chosen)
    eastern_left = sum(
        is_eastern(r.candidate.province) for r in ranking if r.candidate.key not in chosen | set(force_out)
    )
    decisions = []
    for ranked in ranking:
        c = ranked.candidate
        eastern = is_eastern(c.province)
        if c.key in force_in:
            decisions.append(
                Decision(
                    c.key,
                    ranked.rank,
                    True,
                    f"selected by the admin: {force_in[c.key]}",
                    "forced_in",
                    (force_in[c.key],),
                )
            )
            continue
        if c.key in force_out:
            decisions.append(
                Decision(c.key, ranked.rank, False, f"excluded by the admin: {force_out[c.key]}")
            )
            continue
        if eastern:
            eastern_left -= 1
        refusal = _refusal(
            rules, len(chosen), per_province[c.province], eastern, eastern_chosen, eastern_left
        )
        if refusal:
            decisions.append(Decision(c.key, ranked.rank, False, *refusal))
            continue
        chosen.add(c.key)
        per_province[c.province] += 1
        eastern_chosen += eastern
        decisions.append(Decision(c.key, ranked.rank, True, "within the quota", "within_quota"))
    return Selection(_release_unused_reserve(decisions, ranking, rules, per_province))


RESERVED = "remaining places reserved"


def _release_unused_reserve(
    decisions: list[Decision], ranking: Sequence[Ranked], rules: Rules, per_province: Counter[str]
) -> list[Decision]:
    """If the eastern reserve could not be filled, give its places back to the best refused candidates."""
    taken = sum(d.selected for d in decisions)
    province = {r.candidate.key: r.candidate.province for r in ranking}
    result = []
    for d in decisions:
        cap_ok = rules.max_per_province is None or per_province[province[d.key]] < rules.max_per_province
        if not d.selected and d.reason.startswith(RESERVED) and taken < rules.quota and cap_ok:
            d = Decision(
                d.key,
                d.rank,
                True,
                "within the quota (the eastern reserve could not be filled)",
                "reserve_released",
            )
            taken += 1
            per_province[province[d.key]] += 1
        result.append(d)
    return result


def _refusal(
    rules: Rules, taken: int, in_province: int, eastern: bool, eastern_chosen: int, eastern_left: int
) -> tuple[str, str, tuple[object, ...]] | None:
    """(English reason, code, params) when the candidate cannot take a place, else None."""
    if taken >= rules.quota:
        return "quota full", "quota_full", ()
    if rules.max_per_province is not None and in_province >= rules.max_per_province:
        cap = rules.max_per_province
        return f"province already has {cap} selected", "province_cap", (cap,)
    if rules.min_eastern and not eastern:
        still_needed = max(0, rules.min_eastern - eastern_chosen)
        reachable = min(still_needed, eastern_left)
        if rules.quota - taken <= reachable:
            reason = f"{RESERVED} for eastern Indonesia (minimum {rules.min_eastern})"
            return reason, "eastern_reserve", (rules.min_eastern,)
    return None
