"""Places in Amsterdam: the city's bounding box, Dutch postcodes and the local time zone.

Pure functions without database access, shared by model validation, the CSV import, the demo
data and the database check constraints (which read the bounds from here when migrations are
made).
"""

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

#: All local times (opening hours, slots, letters) are wall-clock times in Amsterdam.
AMSTERDAM_TZ = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class Bounds:
    """A latitude/longitude box (inclusive)."""

    min_latitude: Decimal
    max_latitude: Decimal
    min_longitude: Decimal
    max_longitude: Decimal

    def contains(self, latitude: Decimal | float, longitude: Decimal | float) -> bool:
        lat, lon = Decimal(str(latitude)), Decimal(str(longitude))
        return (
            self.min_latitude <= lat <= self.max_latitude
            and self.min_longitude <= lon <= self.max_longitude
        )


#: The one definition of "inside Amsterdam" for coordinates (the municipality's extent, roughly).
AMSTERDAM_BOUNDS = Bounds(
    min_latitude=Decimal("52.27"),
    max_latitude=Decimal("52.44"),
    min_longitude=Decimal("4.72"),
    max_longitude=Decimal("5.08"),
)

_POSTCODE_INPUT = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")

#: The stored form: four digits (not starting with 0), one space, two capitals.
POSTCODE_PATTERN = r"^[1-9][0-9]{3} [A-Z]{2}$"


def normalise_postcode(raw: str) -> str | None:
    """`"1093ng"`, `" 1093 NG "` → `"1093 NG"`; None when it is not a Dutch postcode."""
    match = _POSTCODE_INPUT.match(raw or "")
    if match is None:
        return None
    return f"{match.group(1)} {match.group(2).upper()}"


def pc4_of(postcode: str) -> str:
    """The four digits of a (normalised) postcode, or "" for an empty postcode."""
    return postcode[:4]


#: Approximate centroids (latitude, longitude) of the PC4 areas of stadsdeel Oost (DOMAIN.md,
#: Geography): the one table for distances from a client's PC4 (we never geocode an address).
PC4_CENTROIDS: dict[str, tuple[float, float]] = {
    "1019": (52.3732, 4.9383),
    "1086": (52.3620, 4.9811),
    "1087": (52.3540, 4.9988),
    "1091": (52.3554, 4.9141),
    "1092": (52.3564, 4.9225),
    "1093": (52.3620, 4.9274),
    "1094": (52.3624, 4.9360),
    "1095": (52.3635, 4.9446),
    "1096": (52.3387, 4.9206),
    "1097": (52.3456, 4.9321),
    "1098": (52.3524, 4.9395),
}

_EARTH_RADIUS_KM = 6371.0088


def haversine_km(
    first: tuple[float, float] | tuple[Decimal, Decimal],
    second: tuple[float, float] | tuple[Decimal, Decimal],
) -> float:
    """Great-circle distance in kilometres between two (latitude, longitude) points."""
    lat1, lon1 = (math.radians(float(value)) for value in first)
    lat2, lon2 = (math.radians(float(value)) for value in second)
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(a))
