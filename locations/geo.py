"""Places in Amsterdam: the city's bounding box, Dutch postcodes and the local time zone.

Pure functions without database access, shared by model validation, the CSV import, the demo
data and the database check constraints (which read the bounds from here when migrations are
made).
"""

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
