"""Answering entity queries: an `EntityQuery` turned into SQL over the query index, then checked in Python.

SQL narrows the candidates with the index (type rows, value rows, location bounding box); where the
translation is not exact, the pure evaluators (`store.matches`) decide. Three shapes of SQL:
- a first page walks the entities in key order and probes the index for each (`EXISTS`), stopping after
  `limit` matches;
- a count (and the page of a small result) is driven by the value rows of one condition of the top-level
  AND, the cheapest one by a capped count, and probes the others for each of its entities: the work is
  the size of the smallest condition, not of the largest. The value rows carry the entity's type, so the
  driving rows are of the asked types already;
- a geo-query lets the bounding-box index drive and orders in Python.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from . import query as ql
from .models import AttributeValue, Entity, EntityType, Tenant
from .store import EntityQuery, finite, matches, stored_form

SMALL_RESULT = 2000  # at most this many matches: the driving condition's rows give the page too
ESTIMATE_CAP = 5_000  # value rows counted per condition to choose the one that drives a count


@dataclass(frozen=True)
class Restriction:
    """Entities with a value row of attribute `name` that meets `condition` (None: any row). `ordered`:
    with one type asked, the rows of the condition come in entity order from the index (one equality on
    text: the text index ends with the type and the entity), so probing from them walks the other indexes
    in order."""

    name: str
    condition: Q | None = None
    ordered: bool = False

    def rows(self, tenant: Tenant, types: Sequence[str] = ()) -> QuerySet[AttributeValue]:
        """The value rows, of entities of one of `types` if any are given."""
        rows = AttributeValue.objects.filter(tenant=tenant, name=self.name)
        if types:
            rows = rows.filter(type_iri__in=types)
        return rows.filter(self.condition) if self.condition is not None else rows


@dataclass(frozen=True)
class Link:
    """How conditions reach the entity of the outer query, whose key is its column `key` (`pk` on
    entities, `entity_id` on value rows). Correlated: an EXISTS probe per outer row (a first page stops
    after `limit` matches; SQLite walks the indexes in order). Otherwise `key IN (…)` lists, which
    PostgreSQL hashes."""

    tenant: Tenant
    key: str = "pk"
    correlated: bool = True

    def values(self, restriction: Restriction) -> Q:
        if self.correlated:
            rows = AttributeValue.objects.filter(entity=OuterRef(self.key), name=restriction.name)
            if restriction.condition is not None:
                rows = rows.filter(restriction.condition)
            return Q(Exists(rows))
        return Q(**{f"{self.key}__in": restriction.rows(self.tenant).values("entity_id")})

    def types(self, types: list[str]) -> list[Q]:
        if not types:
            return []
        if self.correlated:
            return [Q(Exists(EntityType.objects.filter(entity=OuterRef(self.key), type_iri__in=types)))]
        rows = EntityType.objects.filter(tenant=self.tenant, type_iri__in=types)
        return [Q(**{f"{self.key}__in": rows.values("entity_id")})]


# --- q to SQL --------------------------------------------------------------------------------------------

_ORDER = {">": "gt", ">=": "gte", "<": "lt", "<=": "lte"}


def _equals(value: Any) -> Q:
    if isinstance(value, bool):
        return Q(boolean=value)
    if ql.is_number(value):
        number = finite(value)
        return (Q(number=number) if number is not None else Q(pk__in=[])) | Q(text=str(value)[:512])
    return Q(text=str(value)[:512])


def to_sql(node: ql.Node, link: Link) -> tuple[Q | None, bool]:
    """A SQL pre-filter for `q` (None: no restriction) and whether it is exact (no Python check needed)."""
    if isinstance(node, ql.And | ql.Or):
        parts = [to_sql(t, link) for t in node.terms]
        exact = all(e for _, e in parts)
        conditions = [c for c, _ in parts]
        if isinstance(node, ql.Or) and any(c is None for c in conditions):
            return None, False
        combined = None
        for condition in (c for c in conditions if c is not None):
            if combined is None:
                combined = condition
            else:
                combined = combined & condition if isinstance(node, ql.And) else combined | condition
        return combined, exact
    if isinstance(node, ql.Exists) and node.negated:
        simple = _simple(node.path)
        return (~link.values(Restriction(node.path.names[0])), True) if simple else (None, False)
    restriction, exact = leaf(node)
    return (link.values(restriction) if restriction is not None else None), exact


def _simple(path: ql.Path) -> bool:
    return len(path.names) == 1 and not path.keys


def leaf(node: ql.Comparison | ql.Exists) -> tuple[Restriction | None, bool]:
    """The value rows a positive leaf of `q` needs (None: no restriction) and whether they decide it."""
    name = node.path.names[0]
    if isinstance(node, ql.Exists):
        return Restriction(name), _simple(node.path)
    if not _simple(node.path):
        return Restriction(name), False
    value, op = node.value, node.op
    if op == "!=":
        return None, False
    if isinstance(value, re.Pattern) or any(ql.is_number(v) and finite(v) is None for v in _scalars(value)):
        return Restriction(name), False  # a pattern, or a number beyond a double: Python decides
    if isinstance(value, ql.Range):
        if ql.is_number(value.low) and ql.is_number(value.high):
            return Restriction(name, Q(number__gte=value.low, number__lte=value.high)), True
        return Restriction(name), False
    if isinstance(value, tuple):
        condition = Q()
        for item in value:
            condition |= _equals(item)
        return Restriction(name, condition), True
    if op == "==":
        return Restriction(name, _equals(value), ordered=isinstance(value, str)), True
    if ql.is_number(value):
        return Restriction(name, Q(**{f"number__{_ORDER[op]}": value})), True
    return Restriction(name), False


def _scalars(value: Any) -> list[Any]:
    if isinstance(value, ql.Range):
        return [value.low, value.high]
    return list(value) if isinstance(value, tuple) else [value]


# --- the queries -----------------------------------------------------------------------------------------


def base_queryset(
    tenant: Tenant, spec: EntityQuery, correlated: bool = True
) -> tuple[QuerySet[Entity], bool]:
    """Entities narrowed by SQL, and whether the narrowing is exact."""
    link = Link(tenant, "pk", correlated)
    qs = Entity.objects.filter(tenant=tenant)
    exact = True
    if spec.ids:
        qs = qs.filter(entity_id__in=spec.ids)
    if spec.id_pattern:
        qs = qs.filter(entity_id__regex=spec.id_pattern)
    qs = qs.filter(*Link(tenant).types(spec.types))  # always a probe per candidate: the others drive
    if spec.attrs:
        qs = qs.filter(
            pk__in=AttributeValue.objects.filter(tenant=tenant, name__in=spec.attrs).values("entity_id")
        )
    if spec.q is not None:
        condition, q_exact = to_sql(spec.q, link)
        if condition is not None:
            qs = qs.filter(condition)
        exact = exact and q_exact
    if spec.geo is not None:
        box = spec.geo.bbox
        if box is not None and spec.geo.geoproperty == "https://uri.etsi.org/ngsi-ld/location":
            reach = Tenant.objects.filter(pk=tenant.pk).values_list("geo_extent", flat=True).first() or 0.0
            qs = qs.filter(
                min_lon__gte=box[0] - reach,  # lets the index scan a narrow band of min_lon
                min_lon__lte=box[2],
                max_lon__gte=box[0],
                min_lat__lte=box[3],
                max_lat__gte=box[1],
            )
        exact = False
    return qs, exact


@dataclass(frozen=True)
class Driven:
    """An exact query split into the condition whose value rows drive it and the rest (probed)."""

    driver: Restriction
    rest: ql.Node | None

    def others(self, link: Link) -> list[Q]:
        """The other conditions of `q` (the driving rows are of the asked types already)."""
        condition = to_sql(self.rest, link)[0] if self.rest is not None else None
        return [condition] if condition is not None else []

    def count(self, tenant: Tenant, spec: EntityQuery) -> int:
        link = Link(tenant, "entity_id", correlated=connection.vendor != "postgresql")
        rows = self.driver.rows(tenant, spec.types).filter(*self.others(link))
        return int(rows.aggregate(n=Count("entity_id", distinct=True))["n"])

    def entities(self, tenant: Tenant, spec: EntityQuery) -> QuerySet[Entity]:
        driving = self.driver.rows(tenant, spec.types).values("entity_id")
        return Entity.objects.filter(tenant=tenant, pk__in=driving).filter(*self.others(Link(tenant)))


def driven(tenant: Tenant, spec: EntityQuery) -> Driven | None:
    """The plan for an exact query whose `q` is one condition or an AND of them, with at least one positive
    condition on the value index, and nothing else but types (None: use `base_queryset`)."""
    if spec.q is None or spec.ids or spec.id_pattern or spec.attrs or spec.geo is not None:
        return None
    if not to_sql(spec.q, Link(tenant))[1]:
        return None  # Python decides some condition: the plain query with its check
    terms = spec.q.terms if isinstance(spec.q, ql.And) else (spec.q,)
    candidates = [
        (term, restriction)
        for term in terms
        if isinstance(term, ql.Comparison) or (isinstance(term, ql.Exists) and not term.negated)
        if (restriction := leaf(term)[0]) is not None
    ]
    if not candidates:
        return None
    chosen, driver = (
        min(candidates, key=lambda c: _cost(tenant, c[1], spec.types))
        if len(candidates) > 1
        else candidates[0]
    )
    rest = tuple(term for term in terms if term is not chosen)
    return Driven(driver, None if not rest else rest[0] if len(rest) == 1 else ql.And(rest))


def _cost(tenant: Tenant, restriction: Restriction, types: Sequence[str]) -> int:
    """Rows the condition would drive (counted up to a cap), doubled when they come in no entity order
    (every probe then lands somewhere else in the indexes)."""
    rows = restriction.rows(tenant, types).values("entity_id")[:ESTIMATE_CAP].count()
    return rows if restriction.ordered and len(types) == 1 else 2 * rows


def _count(tenant: Tenant, spec: EntityQuery) -> tuple[int, QuerySet[Entity]]:
    """The number of matches of an exact query, and the entities as the counting query lists them."""
    plan = driven(tenant, spec)
    if plan is not None:
        return plan.count(tenant, spec), plan.entities(tenant, spec)
    listed = base_queryset(tenant, spec, correlated=False)[0]
    return listed.count(), listed


def run_query(tenant: Tenant, spec: EntityQuery) -> tuple[list[dict[str, Any]], int | None]:
    """One page of matching entities (stored form) and, if asked, the total count."""
    qs, exact = base_queryset(tenant, spec)
    qs = qs.order_by("pk")
    if exact:
        total = None
        if spec.count:
            total, listed = _count(tenant, spec)
            if total <= SMALL_RESULT:  # few matches: the rows that counted them give the page too
                qs = listed.order_by("pk")
        page = list(qs[spec.offset : spec.offset + spec.limit]) if spec.limit else []
        return [stored_form(e) for e in page], total
    if spec.geo is not None and spec.geo.bbox is not None:
        # the bounding box is the selective part: let the planner use its index, then order in Python
        matched = sorted(
            (entity.pk, stored)
            for entity in qs.order_by().iterator(chunk_size=2000)
            if matches(stored := stored_form(entity), spec)
        )
        page = [stored for _, stored in matched[spec.offset : spec.offset + spec.limit]]
        return page, len(matched) if spec.count else None
    found = []
    seen = 0
    for entity in qs.iterator(chunk_size=2000):
        stored = stored_form(entity)
        if not matches(stored, spec):
            continue
        if spec.offset <= seen < spec.offset + spec.limit:
            found.append(stored)
        seen += 1
        if not spec.count and seen >= spec.offset + spec.limit:
            break
    return found, seen if spec.count else None
