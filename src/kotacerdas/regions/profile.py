"""The region profile's metrics, declared once, and the validation of one profile value.

Pure module (no Django). A profile value is (region, metric, year, value, source); the page, the import and
the API all validate through `parse_value`. Later issues add metrics (green-city index, ...) here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


def gettext_noop(text: str) -> str:
    """Marks a label for translation (extracted by makemessages); the UI translates it when shown."""
    return text


MIN_YEAR = 1945
MAX_YEAR = 2100


@dataclass(frozen=True, slots=True)
class Metric:
    """One profile metric: its key, English label (translated in the UI), unit and allowed values."""

    key: str
    label: str
    unit: str
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    integer: bool = False
    categories: tuple[str, ...] = ()
    text: bool = False  # free text, e.g. a comma-separated list of leading sectors

    @property
    def categorical(self) -> bool:
        return bool(self.categories)


# Kapasitas Fiskal Daerah categories as the Ministry of Finance publishes them.
FISCAL_CATEGORIES = ("sangat_tinggi", "tinggi", "sedang", "rendah", "sangat_rendah")

METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric(
            "population", gettext_noop("Population"), gettext_noop("people"), minimum=Decimal(0), integer=True
        ),
        Metric("area_km2", gettext_noop("Area"), "km²", minimum=Decimal("0.01")),
        Metric(
            "ipm",
            gettext_noop("Human Development Index (IPM)"),
            "index 0–100",
            minimum=Decimal(0),
            maximum=Decimal(100),
        ),
        Metric(
            "fiscal_capacity",
            gettext_noop("Fiscal capacity category (KKD)"),
            gettext_noop("category"),
            categories=FISCAL_CATEGORIES,
        ),
        Metric(
            "green_city_index",
            gettext_noop("Green city index (IKH)"),
            "0–100",
            minimum=Decimal(0),
            maximum=Decimal(100),
        ),
        Metric(
            "lg_performance_index",
            gettext_noop("Local government performance index (IKPD)"),
            "0–4",
            minimum=Decimal(0),
            maximum=Decimal(4),
        ),
        Metric(
            "sustainable_city_index",
            gettext_noop("Sustainable city index (IKB)"),
            "0–100",
            minimum=Decimal(0),
            maximum=Decimal(100),
        ),
        Metric("leading_sectors", gettext_noop("Leading sectors"), gettext_noop("list"), text=True),
    )
}


class ProfileValueError(ValueError):
    """A profile value that cannot be stored; the message says why (in English, translated by callers)."""


def parse_year(raw: object) -> int:
    try:
        year = int(str(raw).strip())
    except ValueError as exc:
        raise ProfileValueError(f"year '{raw}' is not a whole number") from exc
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ProfileValueError(f"year {year} is outside {MIN_YEAR}–{MAX_YEAR}")
    return year


def parse_value(metric_key: str, raw: object) -> tuple[Decimal | None, str]:
    """Validate a raw value for a metric: (number, "") for numeric metrics, (None, category) otherwise."""
    metric = METRICS.get(str(metric_key).strip())
    if metric is None:
        raise ProfileValueError(f"unknown metric '{metric_key}' (known: {', '.join(METRICS)})")
    text = str(raw if raw is not None else "").strip()
    if metric.text:
        if not text or len(text) > 200:
            raise ProfileValueError(f"{metric.key} must be 1–200 characters")
        return None, text
    if metric.categorical:
        if text not in metric.categories:
            raise ProfileValueError(f"'{text}' is not one of {', '.join(metric.categories)}")
        return None, text
    return _parse_number(metric, text), ""


def _parse_number(metric: Metric, text: str) -> Decimal:
    try:
        number = Decimal(text.replace(" ", ""))
    except InvalidOperation as exc:
        raise ProfileValueError(f"'{text}' is not a number") from exc
    if not number.is_finite():
        raise ProfileValueError(f"'{text}' is not a finite number")
    if metric.integer and number != number.to_integral_value():
        raise ProfileValueError(f"{metric.key} must be a whole number, not {text}")
    if metric.minimum is not None and number < metric.minimum:
        raise ProfileValueError(f"{metric.key} must be at least {metric.minimum}, not {text}")
    if metric.maximum is not None and number > metric.maximum:
        raise ProfileValueError(f"{metric.key} must be at most {metric.maximum}, not {text}")
    return number
