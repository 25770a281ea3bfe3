"""The demo's river gauges: a plausible rainy-season water level for Luwu Utara's three rivers, with a
flash flood on the Masamba (and a smaller rise on the Radda) every `EVENT_PERIOD` seconds. Pure.

Level (m) = base + an afternoon rain wave + an event bump: the bump rises over ~3 minutes and recedes over
~4, peaking above the danger level, as the 2020 Masamba flash flood did in hours (compressed for a demo).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EVENT_PERIOD = 1800  # seconds: a flash flood every half hour in the live demo
EVENT_START, EVENT_LENGTH = 1200, 420


@dataclass(frozen=True)
class Station:
    """A FloodMonitoring station: device id, river, position, alert and danger levels (m), event size."""

    device_id: str
    river: str
    longitude: float
    latitude: float
    alert_level: float
    danger_level: float
    base: float
    surge: float


STATIONS = (
    Station("masamba-01", "Sungai Masamba", 120.3306, -2.5539, 2.5, 3.5, 1.1, 3.0),
    Station("radda-01", "Sungai Radda", 120.2953, -2.5361, 2.0, 3.0, 0.9, 1.3),
    Station("rongkong-01", "Sungai Rongkong", 120.1583, -2.6158, 3.0, 4.5, 1.6, 0.3),
)


def level(station: Station, epoch_s: float) -> float:
    """The water level of a station at a time (seconds since the epoch, UTC)."""
    hour = (epoch_s / 3600 + 8) % 24  # WITA
    rain = 0.35 * max(math.sin((hour - 12) / 10 * math.pi), 0.0)
    phase = epoch_s % EVENT_PERIOD - EVENT_START
    bump = station.surge * math.sin(math.pi * phase / EVENT_LENGTH) if 0 <= phase <= EVENT_LENGTH else 0.0
    return round(station.base + rain + bump, 2)


def ultralight(station: Station, epoch_s: float) -> str:
    """The UltraLight 2.0 message the station would send: `l|<level>`."""
    return f"l|{level(station, epoch_s)}"
