"""Answering entity queries: an `EntityQuery` turned into SQL over the query index, then checked in Python.

SQL narrows the candidates with the index (type rows, value rows, location bounding box); where the
translation is not exact, the pure evaluators (`store.matches`) decide. Three shapes of SQL:
- a first page walks the entities in key order and probes the index for each (`EXISTS`), stopping after
  `limit` matches;
- a count (and the page of a small result, or of a result whose driving rows come in entity order) is
  driven by the value rows of one condition of the top-level AND and probes the others for each of its
  entities. On SQLite the driver is the cheapest condition by a capped count, and the others are joined
  to it: the work is the size of the smallest condition, not of the largest. On PostgreSQL the others are
  `IN` lists the planner hashes. The value rows carry the entity's type, so the driving rows are of the
  asked types already;
- a geo-query lets the bounding-box index drive and orders in Python.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from . import query as ql
from .models import AttributeValue, Entity, EntityType, Tenant
from .store import EntityQuery, finite, matches, name_keys, stored_form

SMALL_RESULT = 2000  # at most this many matches: the driving condition's rows give the page too
ESTIMATE_CAP = 5_000  # value rows counted per condition to choose the one that drives a count


@dataclass(frozen=True)
class Restriction:
    """Entities with a value row of attribute `name` that meets `condition` (None: any row). `ordered`:
    one equality on text, whose rows come in entity order from the index when one type is asked (the text
    index ends with the type and the entity; see `in_entity_order`)."""

    name: str
    condition: Q | None = None
    ordered: bool = False

    @cached_property
    def number(self) -> int:
        """The name's number in the value index (looked up once; 0, which no name has, if none)."""
        return name_keys([self.name]).get(self.name, 0)

    def rows(self, tenant: Tenant, types: Sequence[str] = ()) -> QuerySet[AttributeValue]:
        """The value rows of the tenant, of entities of one of `types` if any are given."""
        rows = self.probe().filter(tenant=tenant)
        return rows.filter(type_iri__in=types) if types else rows

    def in_entity_order(self, types: Sequence[str]) -> bool:
        """Whether `rows(tenant, types)` come from the index in entity order: probing from them walks the
        other indexes in order, and the first matches in entity order are found without a sort."""
        return self.ordered and len(types) == 1

    def probe(self) -> QuerySet[AttributeValue]:
        """The value rows to look up by entity (the index by entity has no tenant: the entity implies it)."""
        rows = AttributeValue.objects.filter(name_id=self.number)
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
            return Q(Exists(restriction.probe().filter(entity=OuterRef(self.key))))
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


def to_sql(node: ql.Node, link: Link) -> Q | None:
    """A SQL pre-filter for `q` (None: no restriction); `sql_decides` tells whether it is exact."""
    if isinstance(node, ql.And | ql.Or):
        conditions = [to_sql(t, link) for t in node.terms]
        if isinstance(node, ql.Or) and any(c is None for c in conditions):
            return None
        combined = None
        for condition in (c for c in conditions if c is not None):
            if combined is None:
                combined = condition
            else:
                combined = combined & condition if isinstance(node, ql.And) else combined | condition
        return combined
    if isinstance(node, ql.Exists) and node.negated:
        return ~link.values(Restriction(node.path.names[0])) if _simple(node.path) else None
    restriction = leaf(node)[0]
    return link.values(restriction) if restriction is not None else None


def sql_decides(node: ql.Node) -> bool:
    """Whether the pre-filter of `to_sql` is exact: no Python check needed (a condition without SQL, or
    one that only narrows, is not)."""
    if isinstance(node, ql.And | ql.Or):
        return all(sql_decides(t) for t in node.terms)
    if isinstance(node, ql.Exists) and node.negated:
        return _simple(node.path)
    return leaf(node)[1]


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


def exact_in_sql(spec: EntityQuery) -> bool:
    """Whether `base_queryset` narrows to the matches exactly (a geo-query and some `q` conditions need
    the Python check)."""
    return spec.geo is None and (spec.q is None or sql_decides(spec.q))


def base_queryset(tenant: Tenant, spec: EntityQuery, correlated: bool = True) -> QuerySet[Entity]:
    """Entities narrowed by SQL (`exact_in_sql` tells whether to the matches)."""
    link = Link(tenant, "pk", correlated)
    qs = Entity.objects.filter(tenant=tenant)
    if spec.ids:
        qs = qs.filter(entity_id__in=spec.ids)
    if spec.id_pattern:
        qs = qs.filter(entity_id__regex=spec.id_pattern)
    qs = qs.filter(*Link(tenant).types(spec.types))  # always a probe per candidate: the others drive
    if spec.attrs:
        qs = qs.filter(
            pk__in=AttributeValue.objects.filter(
                tenant=tenant, name_id__in=name_keys(spec.attrs).values()
            ).values("entity_id")
        )
    if spec.q is not None:
        condition = to_sql(spec.q, link)
        if condition is not None:
            qs = qs.filter(condition)
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
    return qs


@dataclass(frozen=True)
class Driven:
    """An exact query split into the condition whose value rows drive it, the other positive conditions
    (`probed` per driving entity) and the rest of the AND (negations, disjunctions)."""

    driver: Restriction
    probed: tuple[Restriction, ...] = ()
    rest: ql.Node | None = None

    def others(self, link: Link, probed: bool = True) -> list[Q]:
        """The other conditions of `q` (the driving rows are of the asked types already); without the
        probed ones if `probed` is false."""
        conditions = [link.values(r) for r in self.probed] if probed else []
        condition = to_sql(self.rest, link) if self.rest is not None else None
        return [*conditions, *([condition] if condition is not None else [])]

    def count(self, tenant: Tenant, spec: EntityQuery) -> int:
        """On PostgreSQL the other conditions are `IN` lists (hashed); on SQLite each probed condition is
        joined to the driving rows (one index seek a row, cheaper than a correlated `EXISTS` call)."""
        driving = self.driver.rows(tenant, spec.types)
        if connection.vendor == "postgresql":
            rows = driving.filter(*self.others(Link(tenant, "entity_id", correlated=False)))
            return int(rows.aggregate(n=Count("entity_id", distinct=True))["n"])
        driving = driving.filter(*self.others(Link(tenant, "entity_id"), probed=False))
        return joined_count(driving, [r.probe() for r in self.probed])

    def entities(self, tenant: Tenant, spec: EntityQuery) -> QuerySet[Entity]:
        """Every match (for a small result: the driving rows name them all)."""
        driving = self.driver.rows(tenant, spec.types).values("entity_id")
        return Entity.objects.filter(tenant=tenant, pk__in=driving).filter(*self.others(Link(tenant)))

    def first(self, tenant: Tenant, spec: EntityQuery) -> QuerySet[Entity] | None:
        """The first `offset + limit` matches in entity order, read from the driving rows when they come in
        that order (probing the others for each, stopping at the last one needed); None otherwise."""
        if not self.driver.in_entity_order(spec.types):
            return None
        rows = self.driver.rows(tenant, spec.types).filter(*self.others(Link(tenant, "entity_id")))
        keys = rows.values("entity_id").distinct().order_by("entity_id")[: spec.offset + spec.limit]
        return Entity.objects.filter(pk__in=keys)


def driven(tenant: Tenant, spec: EntityQuery) -> Driven | None:
    """The plan for an exact query whose `q` is one condition or an AND of them, with at least one positive
    condition on the value index, and nothing else but types (None: use `base_queryset`)."""
    if spec.q is None or spec.ids or spec.id_pattern or spec.attrs or spec.geo is not None:
        return None
    if not sql_decides(spec.q):
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
    chosen, driver = _driver(tenant, spec, candidates)
    probed = tuple(r for term, r in candidates if term is not chosen)
    rest = tuple(term for term in terms if term is not chosen and all(term is not c for c, _ in candidates))
    return Driven(driver, probed, None if not rest else rest[0] if len(rest) == 1 else ql.And(rest))


def joined_count(driving: QuerySet[AttributeValue], probes: Sequence[QuerySet[AttributeValue]]) -> int:
    """Distinct entities of the `driving` rows that have a row in each of `probes`: the rows joined on the
    entity in this order (`CROSS JOIN` keeps SQLite from reordering; it flattens the subqueries)."""
    try:
        sql, params = _sql(driving)
        joins, same = [f"({sql}) d"], ["1 = 1"]
        for n, probe in enumerate(probes):
            probe_sql, probe_params = _sql(probe)
            joins.append(f"({probe_sql}) p{n}")
            same.append(f"p{n}.entity_id = d.entity_id")
            params += probe_params
    except EmptyResultSet:  # a condition Django knows matches nothing
        return 0
    tables, conditions = " CROSS JOIN ".join(joins), " AND ".join(same)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(DISTINCT d.entity_id) FROM {tables} WHERE {conditions}", params)  # noqa: S608
        return int(cursor.fetchone()[0])


def _sql(rows: QuerySet[AttributeValue]) -> tuple[str, tuple[Any, ...]]:
    sql, params = rows.values("entity_id").query.get_compiler(using=rows.db).as_sql()
    return sql, tuple(params)


def _driver(
    tenant: Tenant, spec: EntityQuery, candidates: list[tuple[ql.Node, Restriction]]
) -> tuple[ql.Node, Restriction]:
    """The cheapest candidate on SQLite, which walks the driving rows and probes the others for each. On
    PostgreSQL, which hashes the rows of all conditions whichever drives, one whose rows come in entity
    order (the page is read from them), without counting any."""
    if len(candidates) == 1:
        return candidates[0]
    if connection.vendor == "postgresql":
        return next((c for c in candidates if c[1].in_entity_order(spec.types)), candidates[0])
    return min(candidates, key=lambda c: _cost(tenant, c[1], spec.types))


def _cost(tenant: Tenant, restriction: Restriction, types: Sequence[str]) -> int:
    """Rows the condition would drive (counted up to a cap), doubled when they come in no entity order
    (every probe then lands somewhere else in the indexes)."""
    rows = restriction.rows(tenant, types).values("entity_id")[:ESTIMATE_CAP].count()
    return rows if restriction.in_entity_order(types) else 2 * rows


def _count(tenant: Tenant, spec: EntityQuery) -> tuple[int, QuerySet[Entity] | None]:
    """The number of matches of an exact query, and where the page's entities are best read from if not
    by walking all entities in order (`base_queryset`): the driving rows if they come in entity order,
    else for a few matches the rows that counted them."""
    plan = driven(tenant, spec)
    if plan is not None:
        total = plan.count(tenant, spec)
        first = plan.first(tenant, spec)
        return total, first if first is not None or total > SMALL_RESULT else plan.entities(tenant, spec)
    listed = base_queryset(tenant, spec, correlated=False)
    total = listed.count()
    return total, listed if total <= SMALL_RESULT else None


def run_query(tenant: Tenant, spec: EntityQuery) -> tuple[list[dict[str, Any]], int | None]:
    """One page of matching entities (stored form) and, if asked, the total count."""
    if exact_in_sql(spec):
        total, listed = _count(tenant, spec) if spec.count else (None, None)
        if listed is None:
            listed = base_queryset(tenant, spec)
        page = list(listed.order_by("pk")[spec.offset : spec.offset + spec.limit]) if spec.limit else []
        return [stored_form(e) for e in page], total
    qs = base_queryset(tenant, spec).order_by("pk")
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
