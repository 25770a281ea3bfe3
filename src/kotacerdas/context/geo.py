"""NGSI-LD geo-queries (GS CIM 009 §4.10): parsing and exact evaluation with Shapely. Pure (no Django).

`parse_geoquery` validates georel/geometry/coordinates (GeoError → 400 BadRequestData); `GeoQuery.matches`
tests an entity's GeoJSON geometry; `GeoQuery.bbox` is a bounding box every match lies in (None when the
relation cannot be bounded, e.g. disjoint or minDistance), used by the database as a pre-filter.
Distances are metres on the WGS84 sphere: exact (haversine) between points, and for other shapes measured
in a local equirectangular projection around the query point (good to well under 1 % at city scale).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from .entities import EntityError, bbox, validate_geometry

RELATIONS = ("near", "within", "contains", "intersects", "equals", "disjoint", "overlaps")
EARTH_RADIUS = 6_371_008.8
METRES_PER_DEGREE = math.pi * EARTH_RADIUS / 180


class GeoError(ValueError):
    """An invalid geo-query."""


@dataclass(frozen=True)
class GeoQuery:
    relation: str
    geometry: dict[str, Any]
    shape: BaseGeometry
    geoproperty: str
    max_distance: float | None = None
    min_distance: float | None = None

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        if self.relation in ("disjoint",) or (self.relation == "near" and self.max_distance is None):
            return None
        low_lon, low_lat, high_lon, high_lat = bbox(self.geometry)
        if self.relation == "near" and self.max_distance is not None:
            lat_pad = self.max_distance / METRES_PER_DEGREE
            widest = max(abs(low_lat), abs(high_lat)) + lat_pad
            lon_pad = lat_pad / max(math.cos(math.radians(min(widest, 89.9))), 1e-6)
            return low_lon - lon_pad, low_lat - lat_pad, high_lon + lon_pad, high_lat + lat_pad
        return low_lon, low_lat, high_lon, high_lat

    def matches(self, geometry: Any) -> bool:
        try:
            validate_geometry(geometry)
            other = shape(geometry)
        except (EntityError, ValueError, TypeError):
            return False
        if self.relation == "near":
            distance = distance_metres(self.shape, other)
            if self.max_distance is not None and distance > self.max_distance:
                return False
            return not (self.min_distance is not None and distance < self.min_distance)
        test: Callable[[BaseGeometry], Any] = getattr(other, self.relation)
        return bool(test(self.shape))


def haversine(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS * math.asin(min(1.0, math.sqrt(a)))


def distance_metres(a: BaseGeometry, b: BaseGeometry) -> float:
    if a.geom_type == "Point" and b.geom_type == "Point":
        return haversine(a.x, a.y, b.x, b.y)
    origin = a.centroid
    scale = math.cos(math.radians(origin.y))
    from shapely.affinity import scale as rescale

    return float(
        rescale(a, xfact=scale, yfact=1.0, origin=origin).distance(
            rescale(b, xfact=scale, yfact=1.0, origin=origin)
        )
        * METRES_PER_DEGREE
    )


def parse_georel(text: str) -> tuple[str, float | None, float | None]:
    relation, *modifiers = text.split(";")
    if relation not in RELATIONS:
        raise GeoError(f"georel must be one of {', '.join(RELATIONS)}; got {relation!r}")
    max_distance = min_distance = None
    for modifier in modifiers:
        name, sep, value = modifier.partition("==")
        if relation != "near" or name not in ("maxDistance", "minDistance") or not sep:
            raise GeoError(
                f"{modifier!r} is not a valid georel modifier (near;maxDistance==N or minDistance==N)"
            )
        try:
            distance = float(value)
        except ValueError as exc:
            raise GeoError(f"{name} must be a number of metres; got {value!r}") from exc
        if not math.isfinite(distance) or distance < 0:
            raise GeoError(f"{name} must be a finite, non-negative number of metres; got {value!r}")
        if name == "maxDistance":
            max_distance = distance
        else:
            min_distance = distance
    if relation == "near" and max_distance is None and min_distance is None:
        raise GeoError("georel=near needs maxDistance==N or minDistance==N")
    return relation, max_distance, min_distance


def parse_geoquery(
    georel: str | None, geometry: str | None, coordinates: Any, geoproperty: str | None
) -> GeoQuery | None:
    """A GeoQuery from request parameters (coordinates as a JSON string or already a list); None if absent."""
    if georel is None and geometry is None and coordinates is None:
        return None
    if not (georel and geometry and coordinates is not None):
        raise GeoError("a geo-query needs georel, geometry and coordinates together")
    relation, max_distance, min_distance = parse_georel(georel)
    if isinstance(coordinates, str):
        try:
            coordinates = json.loads(coordinates)
        except ValueError as exc:
            raise GeoError(
                f"coordinates must be a JSON array such as [120.2,-2.5]; got {coordinates!r}"
            ) from exc
    geojson = {"type": geometry, "coordinates": coordinates}
    try:
        validate_geometry(geojson, "coordinates")
        parsed = shape(geojson)
    except EntityError as exc:
        raise GeoError(str(exc)) from exc
    except (ValueError, TypeError) as exc:
        raise GeoError(f"the {geometry} is not a valid geometry: {exc}") from exc
    if not parsed.is_valid:
        raise GeoError(f"the {geometry} is not a valid geometry (e.g. a self-intersecting polygon)")
    return GeoQuery(relation, geojson, parsed, geoproperty or "location", max_distance, min_distance)
