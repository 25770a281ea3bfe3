"""Evaluation of alert rules against new readings, inside the ingestion transaction, and on a schedule
(staleness). The rule logic itself is the pure `conditions` module; this module loads and stores states."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from kotacerdas.context import jsonld, observations, store
from kotacerdas.context.models import Tenant
from kotacerdas.core import bulk

from . import conditions, definitions, services
from .conditions import Sample, SpecError
from .definitions import RULE_FIELDS
from .models import AlertRule, RuleState

log = logging.getLogger("kotacerdas.alerts")

_cache: tuple[float, list[AlertRule]] | None = None
_warned: dict[tuple[int, str, str], float] = {}
WARN_EVERY_SECONDS = 3600.0


def warn_cannot_evaluate(rule: AlertRule, entity_id: str, error: str) -> None:
    """Log that a rule cannot be evaluated for an entity (e.g. it lacks every level attribute) once an hour
    per rule, entity and reason, not for every batch of readings: a gauge that reports twice a second would
    otherwise write a warning twice a second, forever."""
    key, now = (rule.pk, entity_id, error), time.monotonic()
    if now - _warned.get(key, -WARN_EVERY_SECONDS) < WARN_EVERY_SECONDS:
        return
    if len(_warned) >= 10_000:
        _warned.clear()
    _warned[key] = now
    log.warning("rule cannot be evaluated", extra={"rule": rule.pk, "entity": entity_id, "error": error})


def definition(rule: AlertRule) -> dict[str, Any]:
    """The rule as a definition mapping for `definitions.spec_from`."""
    return {name: getattr(rule, name) for name in RULE_FIELDS}


def enabled_rules() -> list[AlertRule]:
    """Every enabled rule (cached for a few seconds; saving or deleting a rule clears the cache)."""
    global _cache
    if _cache is None or time.monotonic() - _cache[0] > 10:
        _cache = (time.monotonic(), list(AlertRule.objects.filter(enabled=True).select_related("region")))
    return _cache[1]


def forget_rules(**_: Any) -> None:
    global _cache
    _cache = None


post_save.connect(forget_rules, sender=AlertRule)
post_delete.connect(forget_rules, sender=AlertRule)


_specs: dict[int, tuple[AlertRule, conditions.Spec]] = {}


def spec_for(rule: AlertRule, stored: Mapping[str, Any] | None) -> conditions.Spec:
    """The rule's Spec for an entity (its stored form). A rule whose thresholds are all numbers has one Spec
    for every entity, worked out once per cached rule object; one with `level_attributes` reads them from
    the entity each time."""
    rule_definition = definition(rule)
    if _reads_entity(rule_definition):
        return definitions.spec_from(rule_definition, numeric_values(stored))
    hit = _specs.get(rule.pk)
    if hit is not None and hit[0] is rule:
        return hit[1]
    spec = definitions.spec_from(rule_definition)
    _specs[rule.pk] = (rule, spec)
    return spec


def _reads_entity(definition_: Mapping[str, Any]) -> bool:
    parts = definition_.get("parts") or ()
    return bool(definition_.get("level_attributes")) or any(_reads_entity(p) for p in parts)


def _applies(rule: AlertRule, tenant: Tenant, entity_type: str, entity_id: str) -> bool:
    return (
        rule.entity_type == entity_type
        and (not rule.entity_id or rule.entity_id == entity_id)
        and (rule.region_id is None or rule.region_id == tenant.region_id)
    )


def numeric_values(stored: Mapping[str, Any] | None) -> dict[str, float]:
    """Short attribute name → numeric current value of a stored entity (for level_attributes)."""
    terms = jsonld.term_map((jsonld.SDM_CONTEXT_URL,))
    values = {}
    for name, attribute in ((stored or {}).get("attrs") or {}).items():
        instance = attribute[0] if isinstance(attribute, list) else attribute
        value = instance.get("value") if isinstance(instance, dict) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            values[terms.compact(name)] = float(value)
    return values


def evaluate_readings(
    tenant: Tenant, readings: Sequence[Any], entities: Mapping[str, Mapping[str, Any]], now: datetime
) -> int:
    """Step every rule that reads these readings; returns how many alert transitions happened."""
    samples: dict[str, dict[str, list[Sample]]] = defaultdict(lambda: defaultdict(list))
    types: dict[str, str] = {}
    for reading in readings:
        if isinstance(reading.value, int | float) and not isinstance(reading.value, bool):
            samples[reading.entity_id][reading.attribute].append(
                Sample(reading.observed_ms, float(reading.value))
            )
            types[reading.entity_id] = reading.entity_type
    pairs = [
        (rule, entity_id)
        for entity_id, by_attribute in samples.items()
        for rule in enabled_rules()
        if _applies(rule, tenant, types[entity_id], entity_id)
    ]
    if not pairs:
        return 0
    return _advance(
        tenant, pairs, lambda rule, eid, spec, state: _steps(spec, state, samples[eid]), entities, now
    )


def _steps(spec: conditions.Spec, state: conditions.State, samples: Mapping[str, list[Sample]]) -> list[Any]:
    """The state after each reading in time order, so a level that comes and goes within one batch still
    raises (and resolves) its alert."""
    ordered = sorted(((s.ms, name, s) for name, found in samples.items() for s in found), key=lambda t: t[:2])
    states = []
    for _, name, sample in ordered:
        state = conditions.step(spec, state, {name: [sample]})
        states.append(state)
    return states


def _advance(
    tenant: Tenant,
    pairs: Iterable[tuple[AlertRule, str]],
    move: Any,
    entities: Mapping[str, Mapping[str, Any]],
    now: datetime,
    readings: bool = True,
) -> int:
    pairs = list(pairs)
    found = RuleState.objects.filter(
        rule__in={r.pk for r, _ in pairs}, entity_id__in={e for _, e in pairs}
    ).values_list("rule_id", "entity_id", "pk", "state")  # rows, not models: this runs for every batch
    stored = {(rule_id, entity_id): (pk, saved) for rule_id, entity_id, pk, saved in found}
    changed, created, transitions = [], [], 0
    for rule, entity_id in pairs:
        pk, saved = stored.get((rule.pk, entity_id), (None, None))
        before = conditions.load(saved)
        try:
            spec = spec_for(rule, entities.get(entity_id))
        except SpecError as exc:
            warn_cannot_evaluate(rule, entity_id, str(exc))
            continue
        states = move(rule, entity_id, spec, before)
        if not states or states[-1] == before:
            continue
        level = before.level
        for state in states:
            if state.level != level:
                at = store.from_ms(state.last_ms) if readings and state.last_ms else now  # the reading's time
                source = entities.get(entity_id)
                services.transition(rule, tenant, entity_id, state.level, state.value, at, source)
                transitions += 1
                level = state.level
        after = conditions.dump(states[-1])
        if pk is None:
            created.append(RuleState(rule=rule, entity_id=entity_id, tenant=tenant.name, state=after))
        else:
            changed.append((pk, after))
    RuleState.objects.bulk_create(created)
    bulk.update_by_pk(RuleState, "state", changed)
    return transitions


def check_stale(now: datetime | None = None) -> int:
    """Apply staleness to every rule state that has a staleness part; returns transitions."""
    now = now or timezone.now()
    now_ms = int(now.timestamp() * 1000)
    stale_rules = [r for r in enabled_rules() if "stale" in _kinds(definition(r))]
    transitions = 0
    by_tenant: dict[str, list[tuple[AlertRule, str]]] = defaultdict(list)
    rules = {r.pk: r for r in stale_rules}
    for state in RuleState.objects.filter(rule__in=rules):
        by_tenant[state.tenant].append((rules[state.rule_id], state.entity_id))
    for tenant_name, pairs in by_tenant.items():
        tenant = Tenant.objects.get(name=tenant_name)
        entities = observations.current(tenant, sorted({e for _, e in pairs}))
        with transaction.atomic():
            transitions += _advance(
                tenant,
                pairs,
                lambda rule, eid, spec, state: [conditions.check_stale(spec, state, now_ms)],
                entities,
                now,
                readings=False,
            )
    return transitions


def _kinds(definition_: Mapping[str, Any]) -> set[str]:
    return {str(definition_.get("kind"))}.union(*(_kinds(p) for p in definition_.get("parts") or ()))
